// The path of meet in the middle's pair scan, and where it stands after any number of steps: what lets
// one scan run as several independent stretches.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <utility>

namespace xbar::solver::detail {

// keys[1..count]: every `stride`-th entry of an ascending list from base[stride + offset] on; keys[0] is
// -inf and keys[count + 1] is +inf.
struct Keys {
  const double* base;
  std::ptrdiff_t stride, offset;
  std::size_t count;

  double operator[](std::size_t k) const {
    if (k == 0) return -std::numeric_limits<double>::infinity();
    if (k > count) return std::numeric_limits<double>::infinity();
    return base[stride * static_cast<std::ptrdiff_t>(k) + offset];
  }
};

// A walk cut into four stretches of (nearly) equal length, walked side by side: each step is a serial
// dependency (load, add, compare, move), so four in flight give four times the throughput. Stretch c
// runs steps [start[c], start[c + 1]) from grid position at[c]; all four take `together` steps side by
// side, and those with one more take it afterwards.
struct Stretches {
  static constexpr std::size_t count = 4;
  std::size_t start[count + 1];
  std::pair<std::size_t, std::size_t> at[count];
  std::size_t together;

  bool has_one_more(std::size_t c) const { return start[c + 1] - start[c] > together; }
};

// A walk through the grid of pairs (i, j), low and high keys ascending: from (1, n_high), each step moves
// to the next low key when low_i + high_j < target, else to the previous high key. It is the merge of low
// with target - high. After d steps it stands at (k + 1, n_high - d + k), k the number of low moves (the
// merge-path co-rank): the largest k with low_k + high_{n_high - d + k} < target. The -inf keys at 0 make
// the smallest k allowed always qualify; the comparison is the one each step makes, so rounding cannot
// put a stretch anywhere a serial walk would not be.
class Walk {
 public:
  Walk(Keys low, Keys high, double target) : m_low(low), m_high(high), m_target(target) {}

  // The (i, j) the walk stands at after d steps.
  std::pair<std::size_t, std::size_t> after(std::size_t d) const {
    const std::size_t n_low = m_low.count, n_high = m_high.count;
    // The last k in [first, last] that qualifies (first always does), narrowed without branches: the
    // comparisons are unpredictable, and several of these searches run back to back.
    const std::size_t first = d > n_high ? d - n_high : 0, last = std::min(d, n_low);
    std::size_t k = first;
    for (std::size_t left = last - first + 1; left > 1; left -= left / 2) {
      const std::size_t middle = k + left / 2;
      k = m_low[middle] + m_high[n_high - d + middle] < m_target ? middle : k;
    }
    return {k + 1, n_high - d + k};
  }

  // The whole walk, cut into stretches.
  Stretches in_stretches() const {
    Stretches stretches;
    const std::size_t steps = length();
    for (std::size_t c = 0; c <= Stretches::count; ++c) stretches.start[c] = c * steps / Stretches::count;
    for (std::size_t c = 0; c < Stretches::count; ++c) stretches.at[c] = after(stretches.start[c]);
    stretches.together = steps / Stretches::count;
    return stretches;
  }

  // Steps until the walk leaves the grid: past the last low key (every later pair holds +inf) or below
  // the first high one (-inf). Nothing after that can be closest.
  std::size_t length() const {
    const std::size_t n_low = m_low.count, n_high = m_high.count;
    const double low_last = m_low[n_low], high_first = m_high[1];
    // j when the low keys run out: the high keys below target - low_last; i - 1 when the high ones do.
    const std::size_t high_left = count_below(m_high, [&](double h) { return low_last + h < m_target; });
    const std::size_t low_done = count_below(m_low, [&](double l) { return l + high_first < m_target; });
    return std::min(n_low + n_high - high_left, low_done + n_high);
  }

 private:
  // How many of keys[1..count] satisfy `below`, which holds for a prefix of them.
  template <class Below>
  static std::size_t count_below(const Keys& keys, Below below) {
    std::size_t first = 1, last = keys.count + 1;  // the answer + 1 is in [first, last]
    while (first < last) {
      const std::size_t middle = first + (last - first) / 2;
      if (below(keys[middle])) {
        first = middle + 1;
      } else {
        last = middle;
      }
    }
    return first - 1;
  }

  Keys m_low, m_high;
  double m_target;
};

}  // namespace xbar::solver::detail
