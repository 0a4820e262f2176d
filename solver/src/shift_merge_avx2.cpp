#include "shift_merge_avx2.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#include <cstdint>

namespace xbar::solver::detail {

bool have_avx2() {
  static const bool available = __builtin_cpu_supports("avx2");
  return available;
}

namespace {

#define XBAR_AVX2 [[gnu::target("avx2"), gnu::always_inline]] inline

// Two ascending vectors in, the four smallest and four largest of the eight out, each ascending: a
// bitonic merge network (reverse one input, then compare-exchange at distances 4, 2 and 1).
XBAR_AVX2 void merge_network(__m256d a, __m256d b, __m256d& low, __m256d& high) {
  const __m256d reversed = _mm256_permute4x64_pd(b, 0x1B);
  const __m256d low1 = _mm256_min_pd(a, reversed), high1 = _mm256_max_pd(a, reversed);
  const __m256d p = _mm256_permute2f128_pd(low1, high1, 0x20), q = _mm256_permute2f128_pd(low1, high1, 0x31);
  const __m256d low2 = _mm256_min_pd(p, q), high2 = _mm256_max_pd(p, q);
  const __m256d r = _mm256_unpacklo_pd(low2, high2), s = _mm256_unpackhi_pd(low2, high2);
  const __m256d low3 = _mm256_min_pd(r, s), high3 = _mm256_max_pd(r, s);
  const __m256d u = _mm256_unpacklo_pd(low3, high3), w = _mm256_unpackhi_pd(low3, high3);
  low = _mm256_permute2f128_pd(u, w, 0x20);
  high = _mm256_permute2f128_pd(u, w, 0x31);
}

// The level's block of four at `at`, shifted where `shifted` has all bits set, not where it is zero.
// Adding +0.0 leaves every sum as it is (no sum is -0.0: the empty one is +0.0 and x + y rounds to +0.0
// when they cancel), so one add serves both, without a branch: which list comes next is unpredictable.
XBAR_AVX2 __m256d block(const double* level, std::ptrdiff_t at, std::int64_t shifted, __m256d shift) {
  const __m256d mask = _mm256_castsi256_pd(_mm256_set1_epi64x(shifted));
  return _mm256_add_pd(_mm256_loadu_pd(level + at), _mm256_and_pd(shift, mask));
}

// `take` (0 or 1) picks `yes`, else `no`, with no branch.
XBAR_AVX2 std::ptrdiff_t pick(std::ptrdiff_t take, std::ptrdiff_t yes, std::ptrdiff_t no) {
  return no + ((yes - no) & -take);
}

// The front half of the merged level: the `size` smallest sums, ascending. The block merge keeps the
// four largest seen so far in `carry`, writes the four smallest, and takes the next block from the list
// whose next sum is smaller (the unshifted one on ties, as the scalar merge does).
struct Front {
  const double* level;
  double* out;
  double value;
  __m256d shift, carry;
  std::ptrdiff_t a, b, at;

  XBAR_AVX2 Front(const double* in, double shift_by, double* to)
      : level(in), out(to), value(shift_by), shift(_mm256_set1_pd(shift_by)) {
    __m256d low;
    merge_network(block(level, 1, 0, shift), block(level, 1, -1, shift), low, carry);
    _mm256_storeu_pd(out + 1, low);
    a = b = at = 5;
  }
  XBAR_AVX2 void step() {
    const std::ptrdiff_t take_a = level[a] <= level[b] + value;
    const __m256d next = block(level, pick(take_a, a, b), take_a - 1, shift);
    a += 4 * take_a;
    b += 4 - 4 * take_a;
    __m256d low;
    merge_network(carry, next, low, carry);
    _mm256_storeu_pd(out + at, low);
    at += 4;
  }
};

// The back half, mirrored: the `size` largest sums, written from the end; `carry` keeps the four smallest.
struct Back {
  const double* level;
  double* out;
  double value;
  __m256d shift, carry;
  std::ptrdiff_t a, b, at;  // the last entry of each list's next block, and of the next block written

  XBAR_AVX2 Back(const double* in, double shift_by, double* to, std::ptrdiff_t size)
      : level(in), out(to), value(shift_by), shift(_mm256_set1_pd(shift_by)) {
    __m256d high;
    merge_network(block(level, size - 3, 0, shift), block(level, size - 3, -1, shift), carry, high);
    _mm256_storeu_pd(out + 2 * size - 3, high);
    a = b = size - 4;
    at = 2 * size - 4;
  }
  XBAR_AVX2 void step() {
    const std::ptrdiff_t take_a = level[a] > level[b] + value;
    const __m256d next = block(level, pick(take_a, a, b) - 3, take_a - 1, shift);
    a -= 4 * take_a;
    b -= 4 - 4 * take_a;
    __m256d high;
    merge_network(carry, next, carry, high);
    _mm256_storeu_pd(out + at - 3, high);
    at -= 4;
  }
};

}  // namespace

[[gnu::target("avx2")]] void shift_merge_avx2(const double* level, double value, double* out, std::size_t size) {
  const auto n = static_cast<std::ptrdiff_t>(size);
  Front front(level, value, out);
  Back back(level, value, out, n);
  for (std::ptrdiff_t written = 4; written < n; written += 4) {
    front.step();
    back.step();
  }
}

[[gnu::target("avx2")]] void shift_merge_pair_avx2(const double* one, double one_value, double* one_out,
                                                   const double* two, double two_value, double* two_out,
                                                   std::size_t size) {
  const auto n = static_cast<std::ptrdiff_t>(size);
  Front one_front(one, one_value, one_out), two_front(two, two_value, two_out);
  Back one_back(one, one_value, one_out, n), two_back(two, two_value, two_out, n);
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

bool have_avx2() { return false; }

void shift_merge_avx2(const double*, double, double*, std::size_t) {
  throw std::logic_error("shift_merge_avx2: not built for this processor");
}

void shift_merge_pair_avx2(const double*, double, double*, const double*, double, double*, std::size_t) {
  throw std::logic_error("shift_merge_pair_avx2: not built for this processor");
}

}  // namespace xbar::solver::detail

#endif
