// Circuit backends behind one interface: given a programmed crossbar and row voltages, the column
// currents (amperes) into the virtual-ground columns.
//
//   auto backend = make_backend(BackendKind::ngspice);
//   Eigen::MatrixXd i = backend->column_currents(crossbar, states, row_voltages);  // vectors x cols
//
// - ideal:   the programmed crossbar as an ideal linear network (wires ignored), closed form with
//            Eigen: I = V (G+ - G-), exact Ohm and Kirchhoff.
// - native:  nodal analysis with Eigen's sparse LDL^T, wire resistance included (nodal_system.hpp).
// - ngspice: the emitted netlist, run by the ngspice shared library (one operating point per vector).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <Eigen/Dense>

#include "xbar/models/crossbar.hpp"

namespace xbar::sim {

enum class BackendKind { ideal, native, ngspice };

std::string_view to_string(BackendKind kind);
std::optional<BackendKind> parse_backend(std::string_view text);

// Called after each input vector with (done, total).
using ProgressCallback = std::function<void(std::size_t, std::size_t)>;

class Backend {
 public:
  virtual ~Backend() = default;
  virtual BackendKind kind() const = 0;
  // row_voltages: one input vector per row (vectors x rows), volts. Returns vectors x cols amperes.
  virtual Eigen::MatrixXd column_currents(const models::Crossbar& crossbar, const models::SwitchStates& states,
                                          const Eigen::MatrixXd& row_voltages,
                                          const ProgressCallback& progress = {}) = 0;
};

std::unique_ptr<Backend> make_backend(BackendKind kind);

}  // namespace xbar::sim
