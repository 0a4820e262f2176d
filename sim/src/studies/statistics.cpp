#include "xbar/sim/studies/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace xbar::sim {

std::vector<double> sorted(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values;
}

double percentile(const std::vector<double>& values, double q) {
  if (values.empty()) throw std::invalid_argument("percentile of no values");
  const double n = static_cast<double>(values.size());
  const auto rank = static_cast<std::size_t>(std::ceil(q * n));
  return values[rank == 0 ? 0 : std::min(rank, values.size()) - 1];
}

MetricSummary summarise(std::vector<double> values) {
  MetricSummary s;
  if (values.empty()) return s;
  values = sorted(std::move(values));
  const double n = static_cast<double>(values.size());
  for (double v : values) s.mean += v / n;
  for (double v : values) s.std += (v - s.mean) * (v - s.mean);
  s.std = values.size() > 1 ? std::sqrt(s.std / (n - 1.0)) : 0.0;
  s.min = values.front();
  s.p5 = percentile(values, 0.05);
  s.p50 = percentile(values, 0.5);
  s.p95 = percentile(values, 0.95);
  s.max = values.back();
  return s;
}

}  // namespace xbar::sim
