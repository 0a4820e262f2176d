#include "pair_scan_avx2.hpp"

#include "walk.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#include <algorithm>
#include <cmath>

namespace xbar::solver::detail {

namespace {

#define XBAR_AVX2 [[gnu::target("avx2"), gnu::always_inline]] inline

// The walk of pair_scan.cpp over blocks of four: low block i is low[4i-3..4i], keyed by its largest
// entry; high block j is high[4j-3..4j], keyed by its smallest. The block walk stands on the blocks of
// every pair the entry walk visits (if P(a, b) = a + b < target holds for the entries before a pair, it
// holds for the keys before its blocks, which are no larger; likewise for the failing side), so
// comparing all sixteen pairs of each block pair finds at least what the entry walk finds.
//
// Each lane keeps its own best: lane p holds the closest pair so far whose low entry is p-th in its block,
// and the step at which it was found. Where that pair is, is worked out once at the end (the walk's
// position after any number of steps is a binary search away), so the loop has no branch.
struct Stretch {
  const double* a;  // the current low block
  const double* b;  // the current high block
  __m256d best;     // per lane: the smallest error so far
  __m256d found;    // per lane: the step that found it
};

XBAR_AVX2 __m256d errors(__m256d a, const double* b, __m256d target, __m256d magnitude) {
  return _mm256_and_pd(_mm256_sub_pd(_mm256_add_pd(a, _mm256_broadcast_sd(b)), target), magnitude);
}

XBAR_AVX2 void step(Stretch& s, double target, __m256d targets, __m256d magnitude, __m256d now) {
  const __m256d a = _mm256_loadu_pd(s.a);
  const __m256d closest01 =
      _mm256_min_pd(errors(a, s.b, targets, magnitude), errors(a, s.b + 1, targets, magnitude));
  const __m256d closest23 =
      _mm256_min_pd(errors(a, s.b + 2, targets, magnitude), errors(a, s.b + 3, targets, magnitude));
  const __m256d closest = _mm256_min_pd(closest01, closest23);
  const __m256d closer = _mm256_cmp_pd(closest, s.best, _CMP_LT_OQ);
  s.best = _mm256_min_pd(closest, s.best);
  s.found = _mm256_blendv_pd(s.found, now, closer);
  const std::ptrdiff_t below = s.a[3] + s.b[0] < target;
  s.a += 4 * below;
  s.b -= 4 - 4 * below;
}

XBAR_AVX2 double smallest(__m256d v) {
  const __m128d half = _mm_min_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_min_sd(half, _mm_unpackhi_pd(half, half)));
}

}  // namespace

[[gnu::target("avx2")]] ScanHit scan_blocks_avx2(const double* low, std::size_t n_low, const double* high,
                                                 std::size_t n_high, double target, double tolerance) {
  const Walk<double> walk({low, 4, 0, n_low / 4}, {high, 4, -3, n_high / 4}, target, low[1], high[n_high]);
  const Stretches stretches = walk.in_stretches();
  const __m256d targets = _mm256_set1_pd(target);
  const __m256d magnitude = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffff));  // clears the sign

  constexpr std::size_t check_every = 16;
  const double infinity = std::numeric_limits<double>::infinity();
  Stretch s[Stretches::count];
  for (std::size_t c = 0; c < Stretches::count; ++c) {
    const auto [i, j] = stretches.at[c];
    s[c] = {low + 4 * i - 3, high + 4 * j - 3, _mm256_set1_pd(infinity), _mm256_setzero_pd()};
  }
  const std::size_t together = stretches.together;
  __m256d now = _mm256_setzero_pd();
  const __m256d one = _mm256_set1_pd(1.0);
  bool within = false;
  {
    // Named copies, not the array: the compiler keeps them in registers through the loop.
    Stretch s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
    for (std::size_t done = 0; done < together && !within;) {
      const std::size_t until = std::min(together, done + check_every);
      for (; done < until; ++done, now = _mm256_add_pd(now, one)) {
        step(s0, target, targets, magnitude, now);
        step(s1, target, targets, magnitude, now);
        step(s2, target, targets, magnitude, now);
        step(s3, target, targets, magnitude, now);
      }
      const __m256d best = _mm256_min_pd(_mm256_min_pd(s0.best, s1.best), _mm256_min_pd(s2.best, s3.best));
      within = smallest(best) <= tolerance;
    }
    s[0] = s0, s[1] = s1, s[2] = s2, s[3] = s3;
  }
  if (!within) {
    for (std::size_t c = 0; c < Stretches::count; ++c) {
      if (stretches.has_one_more(c)) step(s[c], target, targets, magnitude, now);
    }
  }

  // The first lane, in stretch order, holding the smallest error; back to the block pair it was found at.
  alignas(32) double best[Stretches::count][4], found[Stretches::count][4];
  for (std::size_t c = 0; c < Stretches::count; ++c) {
    _mm256_store_pd(best[c], s[c].best);
    _mm256_store_pd(found[c], s[c].found);
  }
  std::size_t where = 0, lane = 0;
  for (std::size_t c = 0; c < Stretches::count; ++c) {
    for (std::size_t p = 0; p < 4; ++p) {
      if (best[c][p] < best[where][lane]) where = c, lane = p;
    }
  }
  ScanHit hit;
  if (!(best[where][lane] < infinity)) return hit;
  const auto [i, j] = walk.after(stretches.start[where] + static_cast<std::size_t>(found[where][lane]));
  const double* a = low + 4 * i - 3 + lane;
  for (std::size_t q = 0; q < 4; ++q) {
    const double* b = high + 4 * j - 3 + q;
    const double error = std::abs(*a + *b - target);
    if (error < hit.error) hit = {error, a, b};
  }
  return hit;
}

}  // namespace xbar::solver::detail

#else

#include <stdexcept>

namespace xbar::solver::detail {

ScanHit scan_blocks_avx2(const double*, std::size_t, const double*, std::size_t, double, double) {
  throw std::logic_error("scan_blocks_avx2: not built for this processor");
}

}  // namespace xbar::solver::detail

#endif
