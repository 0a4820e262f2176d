// One sweep for every command (run, mc, layer): a grid over spec values, from the spec's `sweep:`
// section and --sweep KEY=v1,v2,... arguments (which replace the section's entry for the same key).
// Every point is a spec loaded with its values as --set overrides, so each is validated before any runs.
// Usage (given const Spec& spec, const std::vector<std::string>& sets,
//        const std::vector<std::vector<std::string>>& rows):
//   SweepGrid grid = sweep_grid(spec.study.sweep, {"cell.resistors=4,8"});
//   std::vector<SweepPoint> points = sweep_points("s.yaml", sets, grid);   // InputError lists every bad point
//   std::string csv = sweep_csv(points, {"weight_error"}, rows);          // key columns, then the metrics
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "xbar/sim/spec/spec.hpp"

namespace xbar::sim {

struct SweepPoint {
  std::vector<std::pair<std::string, std::string>> values;  // key, value as given
  Spec spec;
};

// InputError naming the argument when one is not KEY=v1,v2,...
SweepGrid sweep_grid(const SweepGrid& from_spec, const std::vector<std::string>& arguments);

// Every combination, the first key varying slowest.
std::vector<SweepPoint> sweep_points(const std::filesystem::path& spec_path, const std::vector<std::string>& overrides,
                                     const SweepGrid& grid);

// The x value of a point: its first key's value as a number, else its index.
double sweep_x(const SweepPoint& point, std::size_t index);

// One line per point: its values, then `rows[k]` (already formatted cells).
std::string sweep_csv(const std::vector<SweepPoint>& points, const std::vector<std::string>& columns,
                      const std::vector<std::vector<std::string>>& rows, const std::string& first_column = "");

}  // namespace xbar::sim
