#include <algorithm>

#include "xbar/solver/subset_sum.hpp"

namespace xbar::solver {

// All 2^h subset sums of `half`, ascending, each with the bit mask of its subset. Built by merging
// (Horowitz–Sahni): after k values the list is sorted; adding value k+1 merges the list with a copy
// shifted by that value, so no sort is ever needed and the cost is O(2^h).
void ClosestSumSolver::sorted_sums(std::span<const double> half, std::vector<SumEntry>& out) {
  const std::size_t total = std::size_t{1} << half.size();
  out.resize(total);
  m_scratch.resize(total);
  out[0] = {0.0, 0};
  std::size_t size = 1;
  for (std::size_t k = 0; k < half.size(); ++k) {
    const double value = half[k];
    const std::uint32_t bit = std::uint32_t{1} << k;
    // Merge out[0,size) with out[0,size)+value into scratch, then swap.
    std::size_t a = 0, b = 0, w = 0;
    while (a < size && b < size) {
      const double shifted = out[b].sum + value;
      if (out[a].sum <= shifted) {
        m_scratch[w++] = out[a++];
      } else {
        m_scratch[w++] = {shifted, out[b++].mask | bit};
      }
    }
    while (a < size) m_scratch[w++] = out[a++];
    while (b < size) {
      m_scratch[w++] = {out[b].sum + value, out[b].mask | bit};
      ++b;
    }
    size = w;
    std::swap(out, m_scratch);
  }
  out.resize(total);
}

}  // namespace xbar::solver
