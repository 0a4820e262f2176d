// Objective::min_common: the subset within a window of the target with the smallest sum of |v|.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "kernels/pair_scan.hpp"
#include "kernels/sorted_sums.hpp"
#include "subset_choice.hpp"
#include "xbar/solver/subset_sum.hpp"

namespace xbar::solver {

namespace {

// Sum of |v| of every subset of `values`, indexed by mask: each mask extends the one without its
// highest bit, so 2^h additions in all.
void common_by_mask(std::span<const double> values, std::vector<double>& out) {
  const std::size_t count = std::size_t{1} << values.size();
  out.resize(count);
  out[0] = 0.0;
  for (std::size_t bit = 0; bit < values.size(); ++bit) {
    const std::size_t half = std::size_t{1} << bit;
    const double magnitude = std::abs(values[bit]);
    for (std::size_t mask = 0; mask < half; ++mask) out[half + mask] = out[mask] + magnitude;
  }
}

// The order min_common ranks subsets in: smaller common first, then fewer values.
struct Rank {
  double common = std::numeric_limits<double>::infinity();
  int count = 0;
  bool operator<(const Rank& other) const {
    return common < other.common || (common == other.common && count < other.count);
  }
};

// The window the search allows: the tolerance, or the optimum's error where nothing is that close. The
// optimum is widened by a few roundings of the largest sum, so the subset that reaches it is inside
// whichever order its sum was added in.
double window_of(double tolerance, double optimum, double magnitude) {
  const double rounding = 8.0 * std::numeric_limits<double>::epsilon() * magnitude;
  return std::max(tolerance, optimum + rounding);
}

}  // namespace

double common_of(std::span<const double> values, const std::vector<std::uint8_t>& chosen) {
  double common = 0.0;
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (chosen[k]) common += std::abs(values[k]);
  }
  return common;
}

namespace {

// The choice of a low-half and a high-half subset, given by their masks.
SubsetChoice choice_of(std::span<const double> values, std::size_t split, std::uint32_t low_mask,
                       std::uint32_t high_mask, double sum, double target) {
  const std::uint64_t mask = low_mask | (std::uint64_t{high_mask} << split);
  return detail::choice_from_mask(values.size(), mask, sum, target);
}

// Below this many values the full search costs less than the best-first one's misses (it rarely meets
// a small tolerance with so few sums, and then walks its whole budget).
constexpr std::size_t few_opposite_from = 22;

// +1 if every value is >= 0, -1 if every value is <= 0, else 0.
int sign_of_all(std::span<const double> values) {
  const bool non_negative = std::all_of(values.begin(), values.end(), [](double v) { return v >= 0.0; });
  const bool non_positive = std::all_of(values.begin(), values.end(), [](double v) { return v <= 0.0; });
  return non_negative ? 1 : (non_positive ? -1 : 0);
}

}  // namespace

SubsetChoice ClosestSumSolver::solve_min_common(std::span<const double> values, double target, double tolerance) {
  const std::size_t split = values.size() / 2;
  const int low_sign = sign_of_all(values.first(split)), high_sign = sign_of_all(values.subspan(split));
  if (low_sign != 0 && high_sign == -low_sign) {
    if (tolerance > 0.0 && values.size() >= few_opposite_from) {
      if (auto quick = min_common_few_opposite(values, target, tolerance, low_sign)) return *quick;
    }
    if (auto quick = min_common_of_banks(values, target, tolerance, low_sign)) return *quick;
  }
  return min_common_of_halves(values, target, tolerance);
}

namespace {

// The subsets of positive values in ascending order of their sum, one at a time (best first): from a
// subset whose largest value is u_i, the next candidates add u_{i+1} or trade u_i for it, so every
// subset is reached once and a heap keeps them in order. Values sorted ascending.
class AscendingSubsets {
 public:
  explicit AscendingSubsets(std::vector<std::pair<double, std::size_t>> sorted) : m_values(std::move(sorted)) {}
  // The next subset (its approximate sum and its mask over the original indices); false when none is left.
  bool next(double& sum, std::uint32_t& mask) {
    if (!m_started) {
      m_started = true;
      if (!m_values.empty()) m_heap.push_back({m_values[0].first, 0, 1u});
      sum = 0.0;
      mask = 0;
      return true;
    }
    if (m_heap.empty()) return false;
    std::pop_heap(m_heap.begin(), m_heap.end(), later);
    const Entry top = m_heap.back();
    m_heap.pop_back();
    if (top.last + 1 < m_values.size()) {
      const double next_value = m_values[top.last + 1].first;
      push({top.sum + next_value, top.last + 1, top.bits | (2u << top.last)});
      push({top.sum - m_values[top.last].first + next_value, top.last + 1, (top.bits & ~(1u << top.last)) | (2u << top.last)});
    }
    sum = top.sum;
    mask = 0;
    for (std::size_t k = 0; k < m_values.size(); ++k) {
      if ((top.bits >> k) & 1u) mask |= 1u << m_values[k].second;
    }
    return true;
  }

 private:
  struct Entry {
    double sum;
    std::size_t last;
    std::uint32_t bits;  // over the sorted positions
  };
  static bool later(const Entry& a, const Entry& b) { return a.sum > b.sum; }
  void push(const Entry& e) {
    m_heap.push_back(e);
    std::push_heap(m_heap.begin(), m_heap.end(), later);
  }
  std::vector<std::pair<double, std::size_t>> m_values;  // magnitude, original index
  std::vector<Entry> m_heap;
  bool m_started = false;
};

// Sum of |values[k]| over a mask, in index order.
double magnitude_of(std::span<const double> values, std::uint32_t mask) {
  double sum = 0.0;
  for (std::size_t k = 0; k < values.size(); ++k) {
    if ((mask >> k) & 1u) sum += std::abs(values[k]);
  }
  return sum;
}

}  // namespace

// With a tolerance, a signed cell's best answer mostly closes few switches of the bank opposite to the
// target's sign: common = P + N >= |t| - w + 2N. So the opposite bank's subsets are taken in ascending N
// (best first, AscendingSubsets) and for each the wanted bank's smallest P in [|t| + N - w, |t| + N + w]
// is found by meet in the middle over its two halves (two short sorted lists, one two-pointer pass).
// Stops once |t| - w + 2N passes the best common; gives up (nullopt) after `budget` opposite subsets
// or on an exact tie (the count tie-break then needs the full search).
std::optional<SubsetChoice> ClosestSumSolver::min_common_few_opposite(std::span<const double> values, double target,
                                                                      double tolerance, int low_sign) {
  constexpr std::size_t budget = 2048;
  const std::size_t split = values.size() / 2;
  const bool low_wanted = (target >= 0.0) == (low_sign > 0);
  const std::size_t wanted_first = low_wanted ? 0 : split, wanted_count = low_wanted ? split : values.size() - split;
  const std::size_t opposite_first = low_wanted ? split : 0, opposite_count = values.size() - wanted_count;
  const std::span<const double> wanted = values.subspan(wanted_first, wanted_count);
  const std::span<const double> opposite = values.subspan(opposite_first, opposite_count);
  // The wanted bank's subset sums as magnitudes, in two sorted halves with masks.
  m_bank_values.assign(wanted.size(), 0.0);
  for (std::size_t k = 0; k < wanted.size(); ++k) m_bank_values[k] = std::abs(wanted[k]);
  const std::size_t half = wanted.size() / 2;
  const std::span<const double> bank(m_bank_values);
  detail::generate_sorted_sums_pair(bank.first(half), m_low, bank.subspan(half), m_high, true);
  const double* a = m_low.sums();
  const double* b = m_high.sums();
  const std::size_t n_a = m_low.size(), n_b = m_high.size();
  // The smallest a + b >= low (as added here), with its indices. Sums only grow with a once a alone
  // reaches `low` (b's smallest entry is the empty sum, 0), so the pass stops there.
  struct Pick {
    double sum = std::numeric_limits<double>::infinity();
    std::size_t i = 0, j = 0;
  };
  const auto smallest_at_least = [&](double low) {
    Pick pick;
    std::size_t j = n_b;
    for (std::size_t i = 1; i <= n_a; ++i) {
      while (j > 1 && a[i] + b[j - 1] >= low) --j;
      const double sum = a[i] + b[j];
      if (sum >= low && sum < pick.sum) pick = {sum, i, j};
      if (a[i] >= low) break;
    }
    return pick;
  };
  // Whether another pair than the pick's has its sum (a tie the count tie-break would have to settle).
  const auto sum_repeats = [&](const Pick& pick) {
    std::size_t j = n_b, pairs = 0;
    for (std::size_t i = 1; i <= n_a; ++i) {
      while (j > 1 && a[i] + b[j] > pick.sum) --j;
      for (std::size_t k = j; k >= 1 && a[i] + b[k] == pick.sum; --k) ++pairs;
    }
    return pairs > 1;
  };

  std::vector<std::pair<double, std::size_t>> sorted(opposite.size());
  for (std::size_t k = 0; k < opposite.size(); ++k) sorted[k] = {std::abs(opposite[k]), k};
  std::sort(sorted.begin(), sorted.end());
  AscendingSubsets subsets(std::move(sorted));
  const double goal = std::abs(target);
  double best_common = std::numeric_limits<double>::infinity(), previous_n = -1.0;
  Pick best_pick;
  std::uint32_t best_opposite = 0;
  bool tied = false;
  double approximate = 0.0;
  std::uint32_t opposite_mask = 0;
  for (std::size_t tried = 0; subsets.next(approximate, opposite_mask); ++tried) {
    if (tried == budget) return std::nullopt;
    const double n = magnitude_of(opposite, opposite_mask);
    if (goal - tolerance + 2.0 * n > best_common * (1.0 + 1e-12)) break;  // slack: `approximate` ordered them
    if (n == previous_n && n + goal <= best_common) tied = true;  // two opposite subsets of one sum
    previous_n = n;
    const Pick pick = smallest_at_least(goal + n - tolerance);
    if (pick.i == 0 || !(std::abs(goal - (pick.sum - n)) <= tolerance)) continue;
    const double common = pick.sum + n;
    if (common < best_common) {
      best_common = common;
      best_pick = pick;
      best_opposite = opposite_mask;
      tied = false;
    } else if (common == best_common) {
      tied = true;
    }
  }
  if (best_pick.i == 0 || tied || sum_repeats(best_pick)) return std::nullopt;

  SubsetChoice choice;
  choice.chosen.assign(values.size(), 0);
  const std::uint32_t a_mask = m_low.masks()[best_pick.i], b_mask = m_high.masks()[best_pick.j];
  for (std::size_t k = 0; k < half; ++k) choice.chosen[wanted_first + k] = (a_mask >> k) & 1u;
  for (std::size_t k = half; k < wanted.size(); ++k) choice.chosen[wanted_first + k] = (b_mask >> (k - half)) & 1u;
  for (std::size_t k = 0; k < opposite.size(); ++k) choice.chosen[opposite_first + k] = (best_opposite >> k) & 1u;
  choice.sum = 0.0;
  for (std::size_t k = 0; k < values.size(); ++k) choice.sum += choice.chosen[k] ? values[k] : 0.0;
  choice.error = std::abs(target - choice.sum);
  if (!(choice.error <= tolerance)) return std::nullopt;  // rounding at the window's edge: decide it fully
  return choice;
}

// A signed cell's two banks as the halves (one all >= 0, one all <= 0): a pair's common is P + N, its
// difference P - N, with P and N the two banks' sums as magnitudes. For a target t >= 0 (the other sign
// is the mirror image) a pair in the window has P in [t + N - w, t + N + w], so common = P + N >= t - w + 2N:
// scan N upwards, take for each the smallest P in its window (binary search), and stop once t - w + 2N
// passes the best common found. Usually a few N suffice. Without masks (the vector merges); the winner's
// masks are recovered afterwards. Where the winner is not unique by its sums (two subsets of one sum, or
// two pairs of one common: binary designs), the count tie-break needs every mask: nullopt, and the
// general search decides.
std::optional<SubsetChoice> ClosestSumSolver::min_common_of_banks(std::span<const double> values, double target,
                                                                  double tolerance, int low_sign) {
  const std::size_t split = values.size() / 2;
  detail::generate_sorted_sums_pair(values.first(split), m_low, values.subspan(split), m_high, false);
  // The bank the target's sign asks for is `wanted`; the other one is `opposite`, scanned upwards.
  const bool low_wanted = (target >= 0.0) == (low_sign > 0);
  const detail::SortedSums& wanted = low_wanted ? m_low : m_high;
  const detail::SortedSums& opposite = low_wanted ? m_high : m_low;
  const bool wanted_ascending = (low_wanted ? low_sign : -low_sign) > 0;  // magnitudes ascend with the list
  const std::size_t n_wanted = wanted.size(), n_opposite = opposite.size();
  // Magnitude of entry k (1-based) in ascending order of magnitude.
  const auto wanted_at = [&](std::size_t k) {
    return std::abs(wanted.sums()[wanted_ascending ? k : n_wanted + 1 - k]);
  };
  const auto opposite_at = [&](std::size_t k) {
    return std::abs(opposite.sums()[wanted_ascending ? n_opposite + 1 - k : k]);
  };
  const double goal = std::abs(target);

  struct Found {
    double common = std::numeric_limits<double>::infinity();
    std::size_t wanted = 0, opposite = 0;
    bool tied = false;
  };
  const auto search = [&](double window) {
    Found found;
    for (std::size_t o = 1; o <= n_opposite; ++o) {
      const double n = opposite_at(o);
      if (goal - window + 2.0 * n > found.common) break;
      // The smallest P >= goal + n - window: binary search over the ascending magnitudes.
      std::size_t lo = 1, hi = n_wanted + 1;
      while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (wanted_at(mid) < goal + n - window) lo = mid + 1; else hi = mid;
      }
      if (lo > n_wanted) continue;
      const double p = wanted_at(lo);
      if (!(std::abs(goal - (p - n)) <= window)) continue;
      const double common = p + n;
      if (common < found.common) {
        found = {common, lo, o, false};
      } else if (common == found.common) {
        found.tied = true;
      }
    }
    return found;
  };

  Found found = tolerance > 0.0 ? search(tolerance) : Found{};
  if (found.wanted == 0) {
    detail::BestPair closest;
    detail::scan_pairs(m_low, m_high, target, 0.0, closest);
    double magnitude = std::abs(target);
    for (double v : values) magnitude += std::abs(v);
    found = search(window_of(tolerance, closest.error, magnitude));
  }
  if (found.wanted == 0) throw std::logic_error("min_common: the optimum's own pair lies outside its window");
  const auto repeated = [](const auto& at, std::size_t k, std::size_t size) {
    return (k > 1 && at(k - 1) == at(k)) || (k < size && at(k + 1) == at(k));
  };
  if (found.tied || repeated(wanted_at, found.wanted, n_wanted) || repeated(opposite_at, found.opposite, n_opposite)) {
    return std::nullopt;
  }
  const double wanted_sum = wanted.sums()[wanted_ascending ? found.wanted : n_wanted + 1 - found.wanted];
  const double opposite_sum = opposite.sums()[wanted_ascending ? n_opposite + 1 - found.opposite : found.opposite];
  const double low_sum = low_wanted ? wanted_sum : opposite_sum, high_sum = low_wanted ? opposite_sum : wanted_sum;
  const auto [low_mask, high_mask] =
      detail::recover_masks(values.first(split), m_low, low_sum, values.subspan(split), m_high, high_sum);
  return choice_of(values, split, low_mask, high_mask, low_sum + high_sum, target);
}

// Any values: meet in the middle over (difference, common) pairs. Both halves' subset sums sorted (with
// masks), and each subset's common looked up by mask. For low-half sums a taken in descending order, the
// high-half sums b with |target - a - b| <= window form a window of the ascending list that only moves up,
// so a deque of candidate indices with increasing rank gives each window's minimum in amortised O(1):
// O(2^(m/2)) after the sorting merges, like the closest search.
SubsetChoice ClosestSumSolver::min_common_of_halves(std::span<const double> values, double target, double tolerance) {
  const std::size_t split = values.size() / 2;
  const std::span<const double> low_values = values.first(split), high_values = values.subspan(split);
  detail::generate_sorted_sums_pair(low_values, m_low, high_values, m_high, true);
  common_by_mask(low_values, m_low_common);
  common_by_mask(high_values, m_high_common);
  double magnitude = 0.0;
  for (double v : values) magnitude += std::abs(v);
  magnitude += std::abs(target);

  const double* low = m_low.sums();
  const double* high = m_high.sums();
  const std::uint32_t* low_masks = m_low.masks();
  const std::uint32_t* high_masks = m_high.masks();
  const std::size_t n_low = m_low.size(), n_high = m_high.size();
  const auto rank_of_high = [&](std::size_t k) {
    return Rank{m_high_common[high_masks[k]], std::popcount(high_masks[k])};
  };
  m_window.resize(n_high + 2);

  struct Found {
    Rank rank;
    std::size_t low = 0, high = 0;
    bool any = false;
  };
  const auto search = [&](double window) {
    Found found;
    std::size_t head = 0, tail = 0;  // the deque: m_window[head, tail)
    std::size_t next = 1;            // the next high-list entry to enter the window
    for (std::size_t a = n_low; a >= 1; --a) {
      const double rest = target - low[a];
      while (next <= n_high && high[next] <= rest + window) {
        const Rank rank = rank_of_high(next);
        while (tail > head && !(rank_of_high(m_window[tail - 1]) < rank)) --tail;
        m_window[tail++] = static_cast<std::uint32_t>(next++);
      }
      while (tail > head && high[m_window[head]] < rest - window) ++head;
      if (tail == head) continue;
      const std::size_t b = m_window[head];
      const Rank low_rank{m_low_common[low_masks[a]], std::popcount(low_masks[a])};
      const Rank total{low_rank.common + rank_of_high(b).common, low_rank.count + rank_of_high(b).count};
      // Within the window by the sum as added here (the deque's bounds compared b with rest).
      if (!(std::abs(target - (low[a] + high[b])) <= window)) continue;
      if (!found.any || total < found.rank) found = {total, a, b, true};
    }
    return found;
  };

  Found found = tolerance > 0.0 ? search(tolerance) : Found{};
  if (!found.any) {
    detail::BestPair closest;
    detail::scan_pairs(m_low, m_high, target, 0.0, closest);
    found = search(window_of(tolerance, closest.error, magnitude));
  }
  if (!found.any) throw std::logic_error("min_common: the optimum's own pair lies outside its window");
  return choice_of(values, split, low_masks[found.low], high_masks[found.high], low[found.low] + high[found.high],
                   target);
}

SubsetChoice min_common_subset_brute_force(std::span<const double> values, double target, double window) {
  if (values.size() > max_brute_force_values) {
    throw std::invalid_argument("min_common_subset_brute_force: at most " +
                                std::to_string(max_brute_force_values) + " values");
  }
  const std::uint64_t subsets = std::uint64_t{1} << values.size();
  Rank best;
  std::uint64_t best_mask = 0;
  double best_sum = 0.0;
  bool any = false;
  for (std::uint64_t mask = 0; mask < subsets; ++mask) {
    double sum = 0.0, common = 0.0;
    for (std::size_t k = 0; k < values.size(); ++k) {
      if ((mask >> k) & 1u) {
        sum += values[k];
        common += std::abs(values[k]);
      }
    }
    const Rank rank{common, std::popcount(mask)};
    if (std::abs(target - sum) <= window && (!any || rank < best)) {
      best = rank;
      best_mask = mask;
      best_sum = sum;
      any = true;
    }
  }
  SubsetChoice choice = detail::choice_from_mask(values.size(), best_mask, best_sum, target);
  if (!any) choice.error = std::numeric_limits<double>::infinity();
  return choice;
}

}  // namespace xbar::solver
