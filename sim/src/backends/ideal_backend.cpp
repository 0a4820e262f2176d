#include "backends/ideal_backend.hpp"

namespace xbar::sim {

Eigen::MatrixXd IdealBackend::column_currents(const models::Crossbar& crossbar,
                                              const models::SwitchStates& states,
                                              const Eigen::MatrixXd& row_voltages,
                                              const solver::Progress& progress) {
  // Each column is held at 0 V, so every branch sees exactly its row voltage (+v or -v):
  // I_j = sum_i v_i (G+_ij - G-_ij), with the true conductances of the fabricated crossbar.
  const Eigen::MatrixXd g = models::signed_conductances(models::true_calibration(crossbar), states);
  Eigen::MatrixXd currents = row_voltages * g;
  if (progress) progress(static_cast<std::size_t>(row_voltages.rows()), static_cast<std::size_t>(row_voltages.rows()));
  return currents;
}

}  // namespace xbar::sim
