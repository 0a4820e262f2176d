// What `xbar network` writes: the JSON report (docs/report-format.md), the per-image CSV, the .npz of
// outputs, and the summary printed on the terminal.
// Usage (given const Spec& spec, const NetworkModel& model, const NetworkResult& r):
//   std::string json = network_report_json(spec, model, r);
//   std::string csv = network_images_csv(model, r);   // one row per image
//   std::string npz = network_outputs_npz(model, r);  // needs NetworkOptions::keep_outputs
//   std::cout << network_summary(spec, r);
#pragma once

#include <string>

#include "xbar/sim/nn/network.hpp"

namespace xbar::sim {

std::string network_report_json(const Spec& spec, const NetworkModel& model, const NetworkResult& r);
std::string network_images_csv(const NetworkModel& model, const NetworkResult& r);
std::string network_outputs_npz(const NetworkModel& model, const NetworkResult& r);
std::string network_summary(const Spec& spec, const NetworkResult& r);

}  // namespace xbar::sim
