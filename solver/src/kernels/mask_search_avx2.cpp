#include "mask_search_avx2.hpp"

#include <stdexcept>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

namespace xbar::solver::detail {

[[gnu::target("avx2")]] std::uint32_t find_in_mask_order_avx2(std::span<const double> half, double sum) {
  if (half.size() > listed_values) throw std::logic_error("find_in_mask_order_avx2: half too large");
  alignas(32) double work[std::size_t{1} << listed_values];
  // work[m] = the sum of subset m: the subsets holding value k are those without it, plus value k.
  work[0] = 0.0;
  std::size_t size = 1, k = 0;
  for (; k < half.size() && size < 4; ++k, size *= 2) {
    for (std::size_t m = 0; m < size; ++m) work[size + m] = work[m] + half[k];
  }
  for (; k < half.size(); ++k, size *= 2) {
    const __m256d value = _mm256_set1_pd(half[k]);
    for (std::size_t m = 0; m < size; m += 4) {
      _mm256_store_pd(work + size + m, _mm256_add_pd(_mm256_load_pd(work + m), value));
    }
  }
  std::size_t m = 0;
  if (size >= 4) {
    const __m256d wanted = _mm256_set1_pd(sum);
    while (m < size && _mm256_movemask_pd(_mm256_cmp_pd(_mm256_load_pd(work + m), wanted, _CMP_EQ_OQ)) == 0)
      m += 4;
  }
  for (; m < size; ++m) {
    if (work[m] == sum) return static_cast<std::uint32_t>(m);
  }
  throw std::logic_error("closest subset sum: a sorted sum matches no subset");
}

}  // namespace xbar::solver::detail

#else

namespace xbar::solver::detail {

std::uint32_t find_in_mask_order_avx2(std::span<const double>, double) {
  throw std::logic_error("find_in_mask_order_avx2: not built for this processor");
}

}  // namespace xbar::solver::detail

#endif
