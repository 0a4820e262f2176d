// The error metrics (docs/report-format.md), one definition used everywhere (comparable with the thesis §4.3).
//
//   weight_error(programmed, W)     = max |w_programmed - w| / max |W|                 (thesis fig. 4.3)
//   output error of one input vector = max_j |y_sim_j - y_ideal_j| / max_j |y_ideal_j|  (thesis fig. 4.4)
//   its RMS companion                = sqrt(mean_j (y_sim_j - y_ideal_j)^2) / max_j |y_ideal_j|
// Over several input vectors, `max` is the worst vector's max error and `rms` the RMS over all
// vectors and outputs of the normalised differences.
//   a tensor of several images (xbar layer, xbar network): per image,
//     max |y_sim - y_ideal| / max |y_ideal| over that image's values (1 for an all-zero ideal image);
//     reported as the max over images (thesis fig. 4.4: "the maximum over all test images of the
//     per-image relative error"), the p99 and the median.
//
// This header is the only place an error is defined; reports and studies call these functions.
// Usage (given const Eigen::MatrixXd& programmed, const Eigen::MatrixXd& W, const Eigen::MatrixXd& y_sim,
//        const Eigen::MatrixXd& y_ideal, const std::vector<double>& t_sim, const std::vector<double>& t_ideal):
//   double w = weight_error(programmed, W);            // max |w_programmed - w| / max |W|
//   OutputErrors e = output_errors(y_sim, y_ideal);    // e.max, e.rms, e.per_vector_max[k]: a row per vector
//   TensorErrors t = tensor_errors(t_sim, t_ideal);    // a layer's whole output tensor (rms)
//   std::vector<double> e_img = image_errors(t_sim, t_ideal, 2);   // the same tensor as 2 images
#pragma once

#include <span>
#include <vector>

#include <Eigen/Dense>

namespace xbar::sim {

double weight_error(const Eigen::MatrixXd& programmed, const Eigen::MatrixXd& weights);
// The same against a given full scale (a tile of a larger matrix uses the whole matrix's max |W|).
double weight_error(const Eigen::MatrixXd& programmed, const Eigen::MatrixXd& weights, double full_scale);

struct OutputErrors {
  double max = 0.0;
  double rms = 0.0;
  std::vector<double> per_vector_max;
  std::vector<double> per_vector_rms;
};

// simulated, ideal: one input vector per row. A vector whose ideal output is all zero is normalised
// by 1 (its error is then absolute).
OutputErrors output_errors(const Eigen::MatrixXd& simulated, const Eigen::MatrixXd& ideal);

// One tensor (any shape, flattened) against its ideal, normalised by the ideal's peak (1 if all zero).
struct TensorErrors {
  double max = 0.0;
  double rms = 0.0;
};
TensorErrors tensor_errors(std::span<const double> simulated, std::span<const double> ideal);

// The per-image error of a tensor whose first axis is `images` (each image's values contiguous).
std::vector<double> image_errors(std::span<const double> simulated, std::span<const double> ideal, std::size_t images);

}  // namespace xbar::sim
