#include "backends/ngspice/ngspice_backend.hpp"

#include <mutex>

#include "xbar/netlist/crossbar_circuit.hpp"
#include "xbar/netlist/names.hpp"
#include "xbar/netlist/spice_writer.hpp"
#include "xbar/sim/backends/ngspice/ngspice_library.hpp"

namespace xbar::sim {

namespace {

// Clears the loaded circuit on every exit path, so a failed run leaves nothing behind.
struct LoadedCircuit {
  Ngspice& ng;
  ~LoadedCircuit() { ng.clear(); }
};

}  // namespace

SourceCurrents NgspiceBackend::source_currents(const models::Crossbar& crossbar, const models::SwitchStates& states,
                                              const Eigen::MatrixXd& row_voltages, const solver::Progress& progress) {
  const auto vectors = static_cast<std::size_t>(row_voltages.rows());
  const int rows = crossbar.shape.rows, cols = crossbar.shape.cols;
  SourceCurrents currents{Eigen::MatrixXd(row_voltages.rows(), cols), Eigen::MatrixXd(row_voltages.rows(), 2 * rows)};
  if (vectors == 0) return currents;

  const Eigen::VectorXd first = row_voltages.row(0).transpose();
  const netlist::CrossbarCircuit cc = netlist::build_crossbar_circuit(
      crossbar, states, std::span<const double>(first.data(), static_cast<std::size_t>(first.size())));
  netlist::SpiceWriteOptions options;
  options.temperature = cc.temperature;
  options.control_block = false;
  const std::string text = netlist::write_spice(cc.circuit, options);

  Ngspice& ng = Ngspice::instance();
  std::lock_guard lock(ng.mutex());
  ng.load_circuit(text);
  LoadedCircuit loaded{ng};
  for (std::size_t v = 0; v < vectors; ++v) {
    if (v > 0) {
      for (int i = 0; i < crossbar.shape.rows; ++i) {
        const double volts = row_voltages(static_cast<Eigen::Index>(v), i);
        ng.command("alter " + netlist::names::row_source(i, models::Polarity::positive) + " dc = " +
                   netlist::format_number(volts));
        ng.command("alter " + netlist::names::row_source(i, models::Polarity::negative) + " dc = " +
                   netlist::format_number(-volts));
      }
    }
    ng.command("op");
    for (int j = 0; j < cols; ++j) {
      // ngspice's branch current is positive flowing into the source's + node, i.e. out of the array.
      const std::vector<double> value = ng.vector(netlist::to_lower(cc.column_sources[j]) + "#branch");
      currents.columns(static_cast<Eigen::Index>(v), j) = value.front();
    }
    for (int i = 0; i < rows; ++i)
      for (int p = 0; p < 2; ++p) {
        const std::string source = netlist::names::row_source(i, static_cast<models::Polarity>(p));
        currents.rows(static_cast<Eigen::Index>(v), 2 * i + p) = ng.vector(netlist::to_lower(source) + "#branch").front();
      }
    if (progress) progress(v + 1, vectors);
  }
  return currents;
}

}  // namespace xbar::sim
