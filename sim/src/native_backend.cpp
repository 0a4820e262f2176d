#include "native_backend.hpp"

#include "xbar/netlist/crossbar_circuit.hpp"

namespace xbar::sim {

namespace {

std::string topology_key(const models::Crossbar& x) {
  return std::to_string(x.shape.rows) + "x" + std::to_string(x.shape.cols) + (x.wires.segment > 0 ? " s" : "") +
         (x.wires.driver > 0 ? " d" : "") + (x.wires.sense > 0 ? " e" : "");
}

}  // namespace

Eigen::MatrixXd NativeBackend::column_currents(const models::Crossbar& crossbar, const models::SwitchStates& states,
                                               const Eigen::MatrixXd& row_voltages,
                                               const ProgressCallback& progress) {
  const std::vector<double> zeros(static_cast<std::size_t>(crossbar.shape.rows), 0.0);
  const netlist::CrossbarCircuit cc =
      netlist::build_crossbar_circuit(crossbar, states, zeros, netlist::BankDetail::collapsed);
  const std::string key = topology_key(crossbar);
  if (!m_system || key != m_topology) {
    m_system = std::make_unique<NodalSystem>(cc.circuit);
    m_topology = key;
  }
  m_system->factorize(cc.circuit);

  // Which source is which: row i's + and - lines, and the columns.
  const auto& sources = m_system->sources();
  std::vector<int> row_of(cc.circuit.elements().size(), -1), column_of(cc.circuit.elements().size(), -1);
  std::vector<double> polarity(cc.circuit.elements().size(), 0.0);
  for (int i = 0; i < crossbar.shape.rows; ++i) {
    row_of[cc.positive_sources[static_cast<std::size_t>(i)]] = i;
    polarity[cc.positive_sources[static_cast<std::size_t>(i)]] = 1.0;
    row_of[cc.negative_sources[static_cast<std::size_t>(i)]] = i;
    polarity[cc.negative_sources[static_cast<std::size_t>(i)]] = -1.0;
  }
  for (int j = 0; j < crossbar.shape.cols; ++j) {
    column_of[*cc.circuit.find_element(cc.column_sources[static_cast<std::size_t>(j)])] = j;
  }
  Eigen::MatrixXd values = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(sources.size()), row_voltages.rows());
  for (std::size_t k = 0; k < sources.size(); ++k) {
    if (row_of[sources[k]] >= 0) values.row(static_cast<Eigen::Index>(k)) = polarity[sources[k]] * row_voltages.col(row_of[sources[k]]).transpose();
  }
  const Eigen::MatrixXd currents = m_system->source_currents(values);
  Eigen::MatrixXd result(row_voltages.rows(), crossbar.shape.cols);
  for (std::size_t k = 0; k < sources.size(); ++k) {
    if (column_of[sources[k]] >= 0) result.col(column_of[sources[k]]) = currents.row(static_cast<Eigen::Index>(k)).transpose();
  }
  if (progress) progress(static_cast<std::size_t>(row_voltages.rows()), static_cast<std::size_t>(row_voltages.rows()));
  return result;
}

}  // namespace xbar::sim
