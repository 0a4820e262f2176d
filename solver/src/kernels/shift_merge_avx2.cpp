#include "shift_merge_avx2.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#include <cstddef>

namespace xbar::solver::detail {

namespace {

#define XBAR_AVX2 [[gnu::target("avx2"), gnu::always_inline]] inline

// The bitonic merge network on eight sums: `descending` (four sorted sums, largest first) against
// `ascending` (four sorted, smallest first) make a bitonic sequence, so compare-exchanges at distances
// 4, 2 and 1 sort them. It leaves them as x = [s0 s2 s4 s6] and y = [s1 s3 s5 s7] (s0 the smallest);
// the helpers below pick halves out of that. Taking the carried half back *descending* saves reversing
// each new block (a slow lane-crossing shuffle), and unpacks are cheaper than lane crossings.
XBAR_AVX2 void merge_network(__m256d descending, __m256d ascending, __m256d& x, __m256d& y) {
  const __m256d low1 = _mm256_min_pd(descending, ascending), high1 = _mm256_max_pd(descending, ascending);
  const __m256d p = _mm256_permute2f128_pd(low1, high1, 0x20), q = _mm256_permute2f128_pd(low1, high1, 0x31);
  const __m256d low2 = _mm256_min_pd(p, q), high2 = _mm256_max_pd(p, q);
  const __m256d r = _mm256_unpacklo_pd(low2, high2), s = _mm256_unpackhi_pd(low2, high2);
  x = _mm256_min_pd(r, s);
  y = _mm256_max_pd(r, s);
}

// [s0 s1 s2 s3] and [s4 s5 s6 s7], to be written.
XBAR_AVX2 __m256d low_ascending(__m256d x, __m256d y) {
  return _mm256_permute2f128_pd(_mm256_unpacklo_pd(x, y), _mm256_unpackhi_pd(x, y), 0x20);
}
XBAR_AVX2 __m256d high_ascending(__m256d x, __m256d y) {
  return _mm256_permute2f128_pd(_mm256_unpacklo_pd(x, y), _mm256_unpackhi_pd(x, y), 0x31);
}
// [s3 s2 s1 s0] and [s7 s6 s5 s4], to be carried.
XBAR_AVX2 __m256d low_descending(__m256d x, __m256d y) {
  return _mm256_permute2f128_pd(_mm256_unpackhi_pd(y, x), _mm256_unpacklo_pd(y, x), 0x20);
}
XBAR_AVX2 __m256d high_descending(__m256d x, __m256d y) {
  return _mm256_permute2f128_pd(_mm256_unpackhi_pd(y, x), _mm256_unpacklo_pd(y, x), 0x31);
}
XBAR_AVX2 __m256d reversed(__m256d v) { return _mm256_permute4x64_pd(v, 0x1B); }

// The front half of the merged level: the `size` smallest sums, ascending, from the level (`a`) and its
// shifted copy (`b`). The block merge keeps the four largest seen so far in `carry` (descending), writes
// the four smallest, and takes the next block from the list whose next sum is smaller (the unshifted
// one on ties, as the scalar merge does). Whether the compiler branches on that or moves conditionally
// made no measurable difference.
struct Front {
  const double* a;
  const double* b;
  double* out;
  __m256d carry;

  XBAR_AVX2 Front(const double* level, const double* shifted, double* to)
      : a(level + 5), b(shifted + 5), out(to + 5) {
    __m256d x, y;
    merge_network(reversed(_mm256_loadu_pd(level + 1)), _mm256_loadu_pd(shifted + 1), x, y);
    _mm256_storeu_pd(to + 1, low_ascending(x, y));
    carry = high_descending(x, y);
  }
  XBAR_AVX2 void step() {
    const bool take_a = *a <= *b;
    const __m256d next = _mm256_loadu_pd(take_a ? a : b);
    a += take_a ? 4 : 0;
    b += take_a ? 0 : 4;
    __m256d x, y;
    merge_network(carry, next, x, y);
    _mm256_storeu_pd(out, low_ascending(x, y));
    carry = high_descending(x, y);
    out += 4;
  }
};

// The back half, mirrored: the `size` largest sums, written from the end; `carry` keeps the four
// smallest (descending); `a` and `b` point at the last entry of each list's next block.
struct Back {
  const double* a;
  const double* b;
  double* out;
  __m256d carry;

  XBAR_AVX2 Back(const double* level, const double* shifted, double* to, std::ptrdiff_t size)
      : a(level + size - 4), b(shifted + size - 4), out(to + 2 * size - 4) {
    __m256d x, y;
    merge_network(reversed(_mm256_loadu_pd(level + size - 3)), _mm256_loadu_pd(shifted + size - 3), x, y);
    _mm256_storeu_pd(to + 2 * size - 3, high_ascending(x, y));
    carry = low_descending(x, y);
  }
  XBAR_AVX2 void step() {
    const bool take_a = *a > *b;
    const __m256d next = _mm256_loadu_pd((take_a ? a : b) - 3);
    a -= take_a ? 4 : 0;
    b -= take_a ? 0 : 4;
    __m256d x, y;
    merge_network(carry, next, x, y);
    _mm256_storeu_pd(out - 3, high_ascending(x, y));
    carry = low_descending(x, y);
    out -= 4;
  }
};

// shifted[0..size + 1] = level[0..size + 1] + value, sentinels included (infinities stay put): the same
// additions the scalar merge makes, done once, so the merge itself only loads and compares.
XBAR_AVX2 void shift_copy(const double* level, double value, double* shifted, std::ptrdiff_t size) {
  const __m256d add = _mm256_set1_pd(value);
  std::ptrdiff_t k = 0;
  for (; k + 4 <= size + 2; k += 4)
    _mm256_storeu_pd(shifted + k, _mm256_add_pd(_mm256_loadu_pd(level + k), add));
  for (; k < size + 2; ++k) shifted[k] = level[k] + value;
}

}  // namespace

[[gnu::target("avx2")]] void shift_merge_avx2(const double* level, double value, double* shifted, double* out,
                                              std::size_t size) {
  const auto n = static_cast<std::ptrdiff_t>(size);
  shift_copy(level, value, shifted, n);
  Front front(level, shifted, out);
  Back back(level, shifted, out, n);
  for (std::ptrdiff_t written = 4; written < n; written += 4) {
    front.step();
    back.step();
  }
}

[[gnu::target("avx2")]] void shift_merge_pair_avx2(const double* one, double one_value, double* one_shifted,
                                                   double* one_out, const double* two, double two_value,
                                                   double* two_shifted, double* two_out, std::size_t size) {
  const auto n = static_cast<std::ptrdiff_t>(size);
  shift_copy(one, one_value, one_shifted, n);
  shift_copy(two, two_value, two_shifted, n);
  Front one_front(one, one_shifted, one_out), two_front(two, two_shifted, two_out);
  Back one_back(one, one_shifted, one_out, n), two_back(two, two_shifted, two_out, n);
  for (std::ptrdiff_t written = 4; written < n; written += 4) {
    one_front.step();
    two_front.step();
    one_back.step();
    two_back.step();
  }
}

}  // namespace xbar::solver::detail

#else

#include <stdexcept>

namespace xbar::solver::detail {

void shift_merge_avx2(const double*, double, double*, double*, std::size_t) {
  throw std::logic_error("shift_merge_avx2: not built for this processor");
}

void shift_merge_pair_avx2(const double*, double, double*, double*, const double*, double, double*, double*,
                           std::size_t) {
  throw std::logic_error("shift_merge_pair_avx2: not built for this processor");
}

}  // namespace xbar::solver::detail

#endif
