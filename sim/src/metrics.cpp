#include "xbar/sim/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace xbar::sim {

double weight_error(const Eigen::MatrixXd& programmed, const Eigen::MatrixXd& weights) {
  if (programmed.rows() != weights.rows() || programmed.cols() != weights.cols()) {
    throw std::invalid_argument("weight_error: shapes differ");
  }
  const double scale = weights.cwiseAbs().maxCoeff();
  const double worst = (programmed - weights).cwiseAbs().maxCoeff();
  return scale > 0.0 ? worst / scale : worst;
}

OutputErrors output_errors(const Eigen::MatrixXd& simulated, const Eigen::MatrixXd& ideal) {
  if (simulated.rows() != ideal.rows() || simulated.cols() != ideal.cols()) {
    throw std::invalid_argument("output_errors: shapes differ");
  }
  OutputErrors errors;
  double sum_squares = 0.0;
  for (Eigen::Index v = 0; v < ideal.rows(); ++v) {
    const double peak = ideal.row(v).cwiseAbs().maxCoeff();
    const double norm = peak > 0.0 ? peak : 1.0;
    const Eigen::RowVectorXd difference = (simulated.row(v) - ideal.row(v)) / norm;
    const double vector_max = difference.cwiseAbs().maxCoeff();
    const double vector_sum_squares = difference.squaredNorm();
    errors.per_vector_max.push_back(vector_max);
    errors.per_vector_rms.push_back(std::sqrt(vector_sum_squares / static_cast<double>(ideal.cols())));
    errors.max = std::max(errors.max, vector_max);
    sum_squares += vector_sum_squares;
  }
  if (ideal.size() > 0) errors.rms = std::sqrt(sum_squares / static_cast<double>(ideal.size()));
  return errors;
}

}  // namespace xbar::sim
