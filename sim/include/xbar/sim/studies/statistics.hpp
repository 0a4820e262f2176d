// Summary statistics with one percentile rule everywhere (Monte Carlo summaries, coverage
// distributions): the nearest rank, the smallest value with at least q of the values at or below it.
// Usage:
//   std::vector<double> v = {0.3, 0.1, 0.2};
//   double p95 = percentile(sorted(v), 0.95);
//   MetricSummary s = summarise(v);   // mean, std (n - 1), min, p5, p50, p95, max
#pragma once

#include <vector>

namespace xbar::sim {

std::vector<double> sorted(std::vector<double> values);

// `values` sorted ascending and not empty; q in [0, 1]. q = 0 gives the minimum.
double percentile(const std::vector<double>& values, double q);

struct MetricSummary {
  double mean = 0, std = 0, min = 0, p5 = 0, p50 = 0, p95 = 0, max = 0;
};

// All zero for no values.
MetricSummary summarise(std::vector<double> values);

}  // namespace xbar::sim
