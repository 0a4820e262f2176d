// The path of meet in the middle's pair scan, and where it stands after any number of steps: what lets
// one scan run as several independent stretches.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace xbar::solver::detail {

// Sums of entries are compared in Sum: doubles as they are, 32-bit integers widened (no overflow).
template <class Entry>
using Sum = std::conditional_t<std::is_integral_v<Entry>, std::int64_t, Entry>;

// keys[1..count]: every `stride`-th entry of an ascending list from base[stride + offset] on.
template <class Entry>
struct Keys {
  const Entry* base;
  std::ptrdiff_t stride, offset;
  std::size_t count;

  Sum<Entry> entry(std::size_t k) const { return base[stride * static_cast<std::ptrdiff_t>(k) + offset]; }
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
//
// A key stands for a block of entries (the largest of a low block, the smallest of a high one), so the
// walk is also told the smallest low entry and the largest high one: with them it can skip its first
// steps where they cannot matter (useful_steps()).
template <class Entry>
class Walk {
 public:
  using Sum = detail::Sum<Entry>;
  Walk(Keys<Entry> low, Keys<Entry> high, Sum target, Sum smallest_low, Sum largest_high)
      : m_low(low),
        m_high(high),
        m_target(target),
        m_smallest_low(smallest_low),
        m_largest_high(largest_high) {}

  // The (i, j) the walk stands at after d steps.
  std::pair<std::size_t, std::size_t> after(std::size_t d) const {
    std::size_t steps[1] = {d};
    std::pair<std::size_t, std::size_t> at[1];
    after_each(steps, at);
    return at[0];
  }

  // The whole walk from its first step that can matter on, cut into stretches.
  Stretches in_stretches() const {
    Stretches stretches;
    const Span span = useful_steps();
    const std::size_t first = span.first, steps = span.end - first;
    for (std::size_t c = 0; c <= Stretches::count; ++c)
      stretches.start[c] = first + c * steps / Stretches::count;
    after_each(stretches.start, stretches.at);
    stretches.together = steps / Stretches::count;
    return stretches;
  }

  // The steps [first, end) that can matter, and where the walk stands at the first and at the last.
  //
  // The end: the walk leaves the grid past the last low key (every later pair holds +inf) or below the
  // first high one (-inf); nothing after that can be closest.
  //
  // The first: where even the smallest low entry makes a pair of at least the target with the top high
  // keys, the walk starts by stepping down through them, and each such pair is no closer than the one at
  // the lowest of those keys: the walk may start there. Likewise where even the largest high entry leaves
  // the first low blocks' pairs below the target: it may start at the last of them. (Either way every
  // skipped pair's error is at least that of a pair in the block the walk starts at, which it compares.)
  // Saves up to half the walk for targets off the middle.
  struct Span {
    std::size_t first, end;
    std::pair<std::size_t, std::size_t> first_at, last_at;
  };
  Span useful_steps() const {
    const std::size_t n_low = m_low.count, n_high = m_high.count;
    // Four searches side by side: how many keys k of a list have key + addend < target.
    const Keys<Entry>* keys[4] = {&m_high, &m_low, &m_high, &m_low};
    const Sum addend[4] = {m_low.entry(n_low), m_high.entry(1), m_smallest_low, m_largest_high};
    std::size_t k[4] = {0, 0, 0, 0}, left[4];  // none of them (0) always qualifies
    for (std::size_t c = 0; c < 4; ++c) left[c] = keys[c]->count + 1;
    narrow_each(k, left, [&](std::size_t c, std::size_t middle) {
      return keys[c]->entry(middle) + addend[c] < m_target;
    });
    Span span;
    // The walk runs out of low keys at (n_low, j), j = k[0] (the last high key that low_last falls short
    // of the target with), or out of high keys at (i, 1), i = k[1] + 1; whichever comes first.
    const std::size_t low_out = n_low + n_high - k[0], high_out = k[1] + n_high;
    span.end = std::min(low_out, high_out);
    span.last_at = low_out <= high_out ? std::pair{n_low, k[0]} : std::pair{k[1] + 1, std::size_t{1}};
    // Stepped down through the top high keys, or over the first low ones (one of the two is none).
    const std::size_t down = n_high - k[2], over = k[3];
    span.first = std::max(down, over) > 0 ? std::max(down, over) - 1 : 0;  // < end: it stands in the grid
    span.first_at =
        down > over ? std::pair{std::size_t{1}, n_high - span.first} : std::pair{span.first + 1, n_high};
    return span;
  }

 private:
  // N binary searches side by side (each a chain of dependent loads), narrowed without branches (the
  // comparisons are unpredictable): search c finds the last k in [k[c], k[c] + left[c] - 1] for which
  // qualifies(c, k) holds, given that it holds for k[c] and for a prefix of the range.
  template <std::size_t N, class Qualifies>
  static void narrow_each(std::size_t (&k)[N], std::size_t (&left)[N], Qualifies qualifies) {
    for (std::size_t most = *std::max_element(left, left + N); most > 1; most -= most / 2) {
      for (std::size_t c = 0; c < N; ++c) {
        const std::size_t middle = k[c] + left[c] / 2;
        k[c] = left[c] > 1 && qualifies(c, middle) ? middle : k[c];
        left[c] -= left[c] / 2;
      }
    }
  }

  // after() for N step counts at once.
  template <std::size_t N>
  void after_each(const std::size_t* steps, std::pair<std::size_t, std::size_t> (&at)[N]) const {
    const std::size_t n_low = m_low.count, n_high = m_high.count;
    std::size_t k[N], left[N];
    for (std::size_t c = 0; c < N; ++c) {
      // The last k in [first, last] that qualifies (first always does); within it, every key read is a
      // real one.
      const std::size_t d = steps[c], first = d > n_high ? d - n_high : 0, last = std::min(d, n_low);
      k[c] = first;
      left[c] = last - first + 1;
    }
    narrow_each(k, left, [&](std::size_t c, std::size_t middle) {
      return m_low.entry(middle) + m_high.entry(n_high - steps[c] + middle) < m_target;
    });
    for (std::size_t c = 0; c < N; ++c) at[c] = {k[c] + 1, n_high - steps[c] + k[c]};
  }

  Keys<Entry> m_low, m_high;
  Sum m_target, m_smallest_low, m_largest_high;
};

}  // namespace xbar::solver::detail
