#include "backends/ideal_backend.hpp"

namespace xbar::sim {

SourceCurrents IdealBackend::source_currents(const models::Crossbar& crossbar, const models::SwitchStates& states,
                                            const Eigen::MatrixXd& row_voltages, const solver::Progress& progress) {
  // Each column is held at 0 V, so every branch sees exactly its row voltage (+v or -v):
  // I_j = sum_i v_i (G+_ij - G-_ij), with the true conductances of the fabricated crossbar. Row i's +
  // source sends v_i sum_j G+_ij into the array (its current into the + terminal is minus that), its -
  // source -v_i sum_j G-_ij.
  const models::Calibration truth = models::true_calibration(crossbar);
  const Eigen::MatrixXd g = models::signed_conductances(truth, states);
  const int rows = crossbar.shape.rows, cols = crossbar.shape.cols;
  Eigen::VectorXd plus = Eigen::VectorXd::Zero(rows), minus = Eigen::VectorXd::Zero(rows);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      plus(i) += models::bank_conductance(truth, states, i, j, models::Polarity::positive);
      minus(i) += models::bank_conductance(truth, states, i, j, models::Polarity::negative);
    }
  SourceCurrents currents;
  currents.columns = row_voltages * g;
  currents.rows.resize(row_voltages.rows(), 2 * rows);
  for (int i = 0; i < rows; ++i) {
    currents.rows.col(2 * i) = -row_voltages.col(i) * plus(i);
    currents.rows.col(2 * i + 1) = row_voltages.col(i) * minus(i);
  }
  if (progress) progress(static_cast<std::size_t>(row_voltages.rows()), static_cast<std::size_t>(row_voltages.rows()));
  return currents;
}

}  // namespace xbar::sim
