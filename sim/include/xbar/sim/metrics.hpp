// The error metrics of DESIGN.md, one definition used everywhere (comparable with the thesis §4.3).
//
//   weight_error(programmed, W)     = max |w_programmed - w| / max |W|                 (thesis fig. 4.3)
//   output error of one input vector = max_j |y_sim_j - y_ideal_j| / max_j |y_ideal_j|  (thesis fig. 4.4)
//   its RMS companion                = sqrt(mean_j (y_sim_j - y_ideal_j)^2) / max_j |y_ideal_j|
// Over several input vectors, `max` is the worst vector's max error and `rms` the RMS over all
// vectors and outputs of the normalised differences.
#pragma once

#include <vector>

#include <Eigen/Dense>

namespace xbar::sim {

double weight_error(const Eigen::MatrixXd& programmed, const Eigen::MatrixXd& weights);

struct OutputErrors {
  double max = 0.0;
  double rms = 0.0;
  std::vector<double> per_vector_max;
  std::vector<double> per_vector_rms;
};

// simulated, ideal: one input vector per row. A vector whose ideal output is all zero is normalised
// by 1 (its error is then absolute).
OutputErrors output_errors(const Eigen::MatrixXd& simulated, const Eigen::MatrixXd& ideal);

}  // namespace xbar::sim
