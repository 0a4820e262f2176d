#include "xbar/sim/flow/energy.hpp"

#include <algorithm>

namespace xbar::sim {

EnergyReport energy_of(const models::Crossbar& crossbar, const models::SwitchStates& states,
                       const Eigen::MatrixXd& row_voltages, const SourceCurrents& currents, double t_int) {
  const int rows = crossbar.shape.rows, cols = crossbar.shape.cols;
  const models::Tia& tia = crossbar.tia;
  Eigen::VectorXd common = Eigen::VectorXd::Zero(rows);  // per row: sum over its cells of 2 min(G+, G-)
  Eigen::VectorXd drawn = Eigen::VectorXd::Zero(rows);   // per row: sum over its cells of G+ + G-
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      const double plus = models::true_bank_conductance(crossbar, states, i, j, models::Polarity::positive);
      const double minus = models::true_bank_conductance(crossbar, states, i, j, models::Polarity::negative);
      common(i) += 2.0 * std::min(plus, minus);
      drawn(i) += plus + minus;
    }
  EnergyReport e;
  e.t_int = t_int;
  e.macs_per_mvm = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  double total = 0.0;
  for (Eigen::Index v = 0; v < row_voltages.rows(); ++v) {
    double inputs = 0.0, terminations = 0.0;
    for (int i = 0; i < rows; ++i) {
      const double volts = row_voltages(v, i);
      inputs -= volts * currents.rows(v, 2 * i) - volts * currents.rows(v, 2 * i + 1);  // + line at v, - line at -v
    }
    for (int j = 0; j < cols; ++j) {
      const double i = currents.columns(v, j);
      terminations -= tia.held(i) * i;
    }
    e.input_power_w.push_back(inputs);
    e.power_w.push_back(inputs + terminations);
    // The drivers' power apportioned as the cells' closed forms at the ideal drive split it.
    const double all = row_voltages.row(v).cwiseAbs2().dot(drawn);
    e.common_mode_w.push_back(all > 0 ? inputs * row_voltages.row(v).cwiseAbs2().dot(common) / all : 0.0);
    total += inputs + terminations;
  }
  if (!e.power_w.empty()) {
    e.energy_per_mvm_j = total / static_cast<double>(e.power_w.size()) * t_int;
    e.energy_per_mac_j = e.energy_per_mvm_j / static_cast<double>(std::max<std::size_t>(1, e.macs_per_mvm));
  }
  return e;
}

}  // namespace xbar::sim
