#include "xbar/sim/flow/metrics.hpp"

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

double weight_error(const Eigen::MatrixXd& programmed, const Eigen::MatrixXd& weights, double full_scale) {
  if (programmed.rows() != weights.rows() || programmed.cols() != weights.cols()) {
    throw std::invalid_argument("weight_error: shapes differ");
  }
  return (programmed - weights).cwiseAbs().maxCoeff() / full_scale;
}

TensorErrors tensor_errors(std::span<const double> simulated, std::span<const double> ideal) {
  if (simulated.size() != ideal.size()) throw std::invalid_argument("tensor_errors: sizes differ");
  double peak = 0.0, worst = 0.0, squares = 0.0;
  for (std::size_t k = 0; k < ideal.size(); ++k) {
    peak = std::max(peak, std::abs(ideal[k]));
    const double d = simulated[k] - ideal[k];
    worst = std::max(worst, std::abs(d));
    squares += d * d;
  }
  const double norm = peak > 0.0 ? peak : 1.0;
  return {worst / norm, std::sqrt(squares / static_cast<double>(std::max<std::size_t>(1, ideal.size()))) / norm};
}

std::vector<double> image_errors(std::span<const double> simulated, std::span<const double> ideal, std::size_t images) {
  if (simulated.size() != ideal.size() || images == 0 || ideal.size() % images) {
    throw std::invalid_argument("image_errors: sizes differ or do not split into the images");
  }
  const std::size_t per_image = ideal.size() / images;
  std::vector<double> errors(images);
  for (std::size_t n = 0; n < images; ++n) {
    errors[n] = tensor_errors(simulated.subspan(n * per_image, per_image), ideal.subspan(n * per_image, per_image)).max;
  }
  return errors;
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
