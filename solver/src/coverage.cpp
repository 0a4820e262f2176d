#include "xbar/solver/coverage.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <queue>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/sorted_sums.hpp"
#include "xbar/solver/subset_sum.hpp"

namespace xbar::solver {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// Folds one gap (p, q) between consecutive sums into `c`, over the range [low, high]. p = -inf means
// no sum below, q = +inf no sum above.
void add_gap(double p, double q, double low, double high, Coverage& c) {
  const double lo = std::max(p, low), hi = std::min(q, high);
  if (!(hi >= lo)) return;
  c.max_gap = std::max(c.max_gap, hi - lo);
  double worst;
  if (p == -infinity && q == infinity) {
    worst = infinity;
  } else if (p == -infinity) {
    worst = q - lo;
  } else if (q == infinity) {
    worst = hi - p;
  } else {
    const double x = std::clamp(0.5 * (p + q), lo, hi);
    worst = std::min(x - p, q - x);
  }
  c.worst_error = std::max(c.worst_error, worst);
}

// Coverage over the sorted sums `points` of every gap that meets [low, high].
void add_all_gaps(const std::vector<double>& points, double low, double high, Coverage& c) {
  double previous = -infinity;
  for (double p : points) {
    add_gap(previous, p, low, high, c);
    previous = p;
  }
  add_gap(previous, infinity, low, high, c);
}

class CoverageSearch {
 public:
  CoverageSearch(const detail::SortedSums& a, const detail::SortedSums& b, double low, double high,
                 std::size_t budget)
      : m_a(a), m_b(b), m_low(low), m_high(high), m_budget(budget) {}

  Coverage run() {
    constexpr int initial_windows = 16;
    const std::size_t stride = std::max<std::size_t>(1, m_a.size() / 16);
    const double width = (m_high - m_low) / initial_windows;
    for (int w = 0; w < initial_windows; ++w) {
      const double x0 = m_low + w * width;
      const double x1 = w + 1 == initial_windows ? m_high : m_low + (w + 1) * width;
      process({x0, x1, stride, {}}, stride);
    }
    while (!m_pending.empty()) {
      const Window w = m_pending.top();
      if (w.bound.max_gap <= m_exact.max_gap && w.bound.worst_error <= m_exact.worst_error) {
        m_pending.pop();
        continue;
      }
      if (m_spent > m_budget) return bounds();
      m_pending.pop();
      process(w, std::max<std::size_t>(1, w.stride / 4));
    }
    return m_exact;
  }

 private:
  struct Window {
    double x0, x1;
    std::size_t stride;
    Coverage bound;
    bool operator<(const Window& other) const { return bound.max_gap < other.bound.max_gap; }
  };

  // Certified upper bounds when the budget ran out: the exact part, or any window still open.
  Coverage bounds() {
    Coverage c = m_exact;
    c.exact = false;
    for (; !m_pending.empty(); m_pending.pop()) {
      c.max_gap = std::max(c.max_gap, m_pending.top().bound.max_gap);
      c.worst_error = std::max(c.worst_error, m_pending.top().bound.worst_error);
    }
    return c;
  }

  // Evaluates the window with every stride-th entry of A; splits it if that is too much work.
  void process(Window w, std::size_t stride) {
    constexpr std::size_t limit = std::size_t{1} << 20;
    w.stride = stride;
    if (!evaluate(w, limit)) {
      const double mid = 0.5 * (w.x0 + w.x1);
      if (mid > w.x0 && mid < w.x1) {
        process({w.x0, mid, stride, {}}, stride);
        process({mid, w.x1, stride, {}}, stride);
        return;
      }
      evaluate(w, std::numeric_limits<std::size_t>::max());
    }
    if (stride == 1 && w.bound.exact) {
      m_exact.max_gap = std::max(m_exact.max_gap, w.bound.max_gap);
      m_exact.worst_error = std::max(m_exact.worst_error, w.bound.worst_error);
    } else {
      m_pending.push(w);
    }
  }

  // Sets w.bound to the coverage of every gap of A' + B that meets [x0, x1] (clipped to the whole
  // range); with stride 1 it is exact wherever it can exceed the exact values found so far. False if
  // the window holds more than `limit` sums.
  bool evaluate(Window& w, std::size_t limit) {
    const double* b_begin = m_b.sums() + 1;
    const double* b_end = b_begin + m_b.size();
    std::size_t count = 0;
    for (std::size_t i = 1; i <= m_a.size(); i += w.stride) {
      const double a = m_a.sums()[i];
      count += static_cast<std::size_t>(std::upper_bound(b_begin, b_end, w.x1 - a) -
                                        std::lower_bound(b_begin, b_end, w.x0 - a));
      if (count > limit) return false;
    }
    m_spent += count + m_a.size() / w.stride;
    // Bucketing finds every gap wider than a bucket exactly, without sorting; narrower ones are
    // missed, which is harmless once a bucket is no wider than the exact values already found.
    const std::size_t buckets = std::max<std::size_t>(1, std::min<std::size_t>(count, std::size_t{1} << 20));
    const double width = (w.x1 - w.x0) / static_cast<double>(buckets);
    const bool bucketed = count > 4096 && width <= m_exact.max_gap && 0.5 * width <= m_exact.worst_error;
    m_points.clear();
    if (bucketed) {
      m_bucket_min.assign(buckets, infinity);
      m_bucket_max.assign(buckets, -infinity);
    }
    double below = -infinity, above = infinity;  // nearest sums outside the window
    const auto classify = [&](double s) {
      if (s < w.x0) {
        below = std::max(below, s);
      } else if (s > w.x1) {
        above = std::min(above, s);
      } else if (bucketed) {
        const auto k = std::min(buckets - 1, static_cast<std::size_t>((s - w.x0) / width));
        m_bucket_min[k] = std::min(m_bucket_min[k], s);
        m_bucket_max[k] = std::max(m_bucket_max[k], s);
      } else {
        m_points.push_back(s);
      }
    };
    for (std::size_t i = 1; i <= m_a.size(); i += w.stride) {
      const double a = m_a.sums()[i];
      const double* first = std::lower_bound(b_begin, b_end, w.x0 - a);
      const double* last = std::upper_bound(first, b_end, w.x1 - a);
      if (first > b_begin) classify(a + first[-1]);
      for (const double* b = first; b < last; ++b) classify(a + *b);
      if (last < b_end) classify(a + *last);
    }
    Coverage c;
    double previous = below;
    if (bucketed) {
      for (std::size_t k = 0; k < buckets; ++k) {
        if (m_bucket_min[k] == infinity) continue;
        add_gap(previous, m_bucket_min[k], m_low, m_high, c);
        previous = m_bucket_max[k];
      }
      if (w.stride > 1) {  // an upper bound must cover the gaps hidden inside buckets too
        c.max_gap = std::max(c.max_gap, width);
        c.worst_error = std::max(c.worst_error, 0.5 * width);
      }
    } else {
      std::sort(m_points.begin(), m_points.end());
      for (double p : m_points) {
        add_gap(previous, p, m_low, m_high, c);
        previous = p;
      }
    }
    add_gap(previous, above, m_low, m_high, c);
    w.bound = c;
    return true;
  }

  const detail::SortedSums& m_a;
  const detail::SortedSums& m_b;
  double m_low, m_high;
  std::size_t m_budget, m_spent = 0;
  Coverage m_exact;
  std::priority_queue<Window> m_pending;
  std::vector<double> m_points, m_bucket_min, m_bucket_max;
};

void check(std::span<const double> values, double low, double high, std::size_t limit) {
  if (values.size() > limit) {
    throw std::invalid_argument("subset-sum coverage: at most " + std::to_string(limit) +
                                " values supported");
  }
  if (!(low <= high) || !std::isfinite(low) || !std::isfinite(high)) {
    throw std::invalid_argument("subset-sum coverage: need a finite range low <= high");
  }
}

}  // namespace

Coverage subset_sum_coverage(std::span<const double> values, double low, double high, std::size_t budget) {
  check(values, low, high, max_values);
  detail::SortedSums a, b;
  const std::size_t split = values.size() / 2;
  detail::generate_sorted_sums_pair(values.first(split), a, values.subspan(split), b, false);
  return CoverageSearch(a, b, low, high, budget).run();
}

namespace {

// The subset sums of `half`, grouped by how many values each subset takes (group k: k values).
std::vector<std::vector<double>> sums_by_count(std::span<const double> half) {
  std::vector<std::vector<double>> groups(half.size() + 1);
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << half.size()); ++mask) {
    double sum = 0.0;
    for (std::size_t k = 0; k < half.size(); ++k) {
      if ((mask >> k) & 1u) sum += half[k];
    }
    groups[static_cast<std::size_t>(std::popcount(mask))].push_back(sum);
  }
  return groups;
}

}  // namespace

Coverage subset_sum_coverage(std::span<const double> values, double low, double high, const Cardinality& allowed,
                             std::size_t budget) {
  if (allowed.kind == Cardinality::Kind::any) return subset_sum_coverage(values, low, high, budget);
  check(values, low, high, max_values);
  if (allowed.count < 0 || (allowed.kind == Cardinality::Kind::exactly &&
                            static_cast<std::size_t>(allowed.count) > values.size())) {
    throw std::invalid_argument("subset-sum coverage: no subset takes " + allowed.describe() + " of " +
                                std::to_string(values.size()));
  }
  const std::size_t split = values.size() / 2;
  const auto a = sums_by_count(values.first(split)), b = sums_by_count(values.subspan(split));
  const auto for_each_allowed_pair = [&](auto visit) {
    for (std::size_t ka = 0; ka < a.size(); ++ka) {
      for (std::size_t kb = 0; kb < b.size(); ++kb) {
        if (allowed.allows(static_cast<int>(ka + kb))) visit(a[ka], b[kb]);
      }
    }
  };
  std::size_t total = 0;
  for_each_allowed_pair([&](const auto& x, const auto& y) { total += x.size() * y.size(); });
  const std::size_t stride = std::max<std::size_t>(1, (total + budget - 1) / std::max<std::size_t>(budget, 1));
  std::vector<double> sums;
  sums.reserve(total / stride + 1);
  std::size_t index = 0;
  for_each_allowed_pair([&](const auto& x, const auto& y) {
    for (double s : x) {
      for (double t : y) {
        if (index++ % stride == 0) sums.push_back(s + t);
      }
    }
  });
  std::sort(sums.begin(), sums.end());
  Coverage c;
  add_all_gaps(sums, low, high, c);
  c.exact = stride == 1;
  return c;
}

Coverage subset_sum_coverage_brute_force(std::span<const double> values, double low, double high) {
  check(values, low, high, 24);
  std::vector<double> sums;
  sums.reserve(std::size_t{1} << values.size());
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << values.size()); ++mask) {
    double sum = 0.0;
    for (std::size_t k = 0; k < values.size(); ++k) {
      if ((mask >> k) & 1u) sum += values[k];
    }
    sums.push_back(sum);
  }
  std::sort(sums.begin(), sums.end());
  Coverage c;
  add_all_gaps(sums, low, high, c);
  return c;
}

}  // namespace xbar::solver
