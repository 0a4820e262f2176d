#include "quantized_avx2.hpp"

#include <stdexcept>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#include <algorithm>
#include <bit>
#include <climits>

#include "walk.hpp"

namespace xbar::solver::detail {

namespace {

#define XBAR_AVX2 [[gnu::target("avx2"), gnu::always_inline]] inline

XBAR_AVX2 __m256i load(const std::int32_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}
XBAR_AVX2 void store(std::int32_t* p, __m256i v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
XBAR_AVX2 __m256i reversed(__m256i v) {
  return _mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(7, 6, 5, 4, 3, 2, 1, 0));
}

// One compare-exchange stage: each lane against `partner`; lanes set in UpperLanes keep the larger
// (ascending) or the smaller (descending).
template <bool Ascending, int UpperLanes>
XBAR_AVX2 __m256i exchange(__m256i v, __m256i partner) {
  const __m256i low = _mm256_min_epi32(v, partner), high = _mm256_max_epi32(v, partner);
  return Ascending ? _mm256_blend_epi32(low, high, UpperLanes) : _mm256_blend_epi32(high, low, UpperLanes);
}

// Sorts a bitonic sequence of eight in one register: compare-exchanges at distances 4, 2 and 1, each a
// swap of lanes, a min, a max and a blend.
template <bool Ascending>
XBAR_AVX2 __m256i sort_bitonic(__m256i x) {
  x = exchange<Ascending, 0xF0>(x, _mm256_permute2x128_si256(x, x, 0x01));
  x = exchange<Ascending, 0xCC>(x, _mm256_shuffle_epi32(x, 0x4E));
  return exchange<Ascending, 0xAA>(x, _mm256_shuffle_epi32(x, 0xB1));
}

// Sorts any eight: sorted pairs of alternating direction, merged into an ascending and a descending
// four, which together are bitonic.
XBAR_AVX2 __m256i sort_eight(__m256i x) {
  x = exchange<true, 0x66>(x, _mm256_shuffle_epi32(x, 0xB1));
  x = exchange<true, 0x3C>(x, _mm256_shuffle_epi32(x, 0x4E));
  x = exchange<true, 0x5A>(x, _mm256_shuffle_epi32(x, 0xB1));
  return sort_bitonic<true>(x);
}

// base + the subset sums of the first three values (0 for any missing), in mask order: straight-line,
// where loops this short would mostly cost their mispredicted exits.
XBAR_AVX2 __m256i sums_of_three(const std::int32_t* values, std::size_t count, std::int32_t base) {
  const std::int32_t a = count > 0 ? values[0] : 0, b = count > 1 ? values[1] : 0,
                     c = count > 2 ? values[2] : 0;
  return _mm256_add_epi32(_mm256_set1_epi32(base),
                          _mm256_setr_epi32(0, a, b, a + b, c, a + c, b + c, a + b + c));
}

// The block merge of shift_merge_avx2.cpp, eight sums a step: the carried eight are kept descending, so
// against a block loaded ascending they form a bitonic sequence; the smaller half is written, the larger
// carried. The front chain writes the smallest `size` sums, the back chain the largest; neither runs out
// of either list before it is done (each takes `size` + 8 of the 2 `size`, eight of them from each list
// at the start). The shifted copy is never stored: a block taken from it is loaded from the level and the
// value added; its comparisons are made in 64 bits, which no sum can overflow.
struct Front {
  const std::int32_t* a;  // the next block of the level
  const std::int32_t* b;  // the next block of the shifted copy, as its place in the level
  std::int32_t* out;
  std::int32_t value;
  __m256i carry;

  XBAR_AVX2 Front(const std::int32_t* level, std::int32_t shift, std::int32_t* to)
      : a(level + 9), b(level + 9), out(to + 9), value(shift) {
    const __m256i first = load(level + 1), next = _mm256_add_epi32(first, _mm256_set1_epi32(value));
    store(to + 1, sort_bitonic<true>(_mm256_min_epi32(reversed(first), next)));
    carry = sort_bitonic<false>(_mm256_max_epi32(reversed(first), next));
  }
  XBAR_AVX2 void step() {
    const bool take_a = std::int64_t{*a} <= std::int64_t{*b} + value;
    const __m256i next = _mm256_add_epi32(load(take_a ? a : b), _mm256_set1_epi32(take_a ? 0 : value));
    a += take_a ? 8 : 0;
    b += take_a ? 0 : 8;
    store(out, sort_bitonic<true>(_mm256_min_epi32(carry, next)));
    carry = sort_bitonic<false>(_mm256_max_epi32(carry, next));
    out += 8;
  }
};

struct Back {
  const std::int32_t* a;  // the last entry of each list's next block
  const std::int32_t* b;
  std::int32_t* out;
  std::int32_t value;
  __m256i carry;

  XBAR_AVX2 Back(const std::int32_t* level, std::int32_t shift, std::int32_t* to, std::ptrdiff_t size)
      : a(level + size - 8), b(level + size - 8), out(to + 2 * size - 8), value(shift) {
    const __m256i last = load(level + size - 7), next = _mm256_add_epi32(last, _mm256_set1_epi32(value));
    store(to + 2 * size - 7, sort_bitonic<true>(_mm256_max_epi32(reversed(last), next)));
    carry = sort_bitonic<false>(_mm256_min_epi32(reversed(last), next));
  }
  XBAR_AVX2 void step() {
    const bool take_a = std::int64_t{*a} > std::int64_t{*b} + value;
    const __m256i next = _mm256_add_epi32(load((take_a ? a : b) - 7), _mm256_set1_epi32(take_a ? 0 : value));
    a -= take_a ? 8 : 0;
    b -= take_a ? 0 : 8;
    store(out - 7, sort_bitonic<true>(_mm256_max_epi32(carry, next)));
    carry = sort_bitonic<false>(_mm256_min_epi32(carry, next));
    out -= 8;
  }
};

XBAR_AVX2 void mark_ends(std::int32_t* out, std::ptrdiff_t size) {
  out[0] = INT32_MIN;
  out[2 * size + 1] = INT32_MAX;
}

}  // namespace

[[gnu::target("avx2")]] void sorted_sums_of_three_avx2(const std::int32_t* values, std::int32_t base,
                                                       std::int32_t* out) {
  store(out + 1, sort_eight(sums_of_three(values, 3, base)));
  out[0] = INT32_MIN;
  out[9] = INT32_MAX;
}

[[gnu::target("avx2")]] void to_steps_avx2(std::span<const double> values, double steps_per_unit,
                                           std::int32_t* out) {
  const __m256d scale = _mm256_set1_pd(steps_per_unit);
  std::size_t k = 0;
  for (; k + 4 <= values.size(); k += 4) {
    const __m128i steps = _mm256_cvtpd_epi32(_mm256_mul_pd(_mm256_loadu_pd(values.data() + k), scale));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + k), steps);
  }
  for (; k < values.size(); ++k) out[k] = _mm_cvtsd_si32(_mm_set_sd(values[k] * steps_per_unit));
}

[[gnu::target("avx2")]] void shift_merge_int_avx2(const std::int32_t* level, std::int32_t value,
                                                  std::int32_t* out, std::size_t size) {
  const auto n = static_cast<std::ptrdiff_t>(size);
  Front front(level, value, out);
  Back back(level, value, out, n);
  for (std::ptrdiff_t written = 8; written < n; written += 8) {
    front.step();
    back.step();
  }
  mark_ends(out, n);
}

[[gnu::target("avx2")]] void shift_merge_int_pair_avx2(const std::int32_t* one, std::int32_t one_value,
                                                       std::int32_t* one_out, const std::int32_t* two,
                                                       std::int32_t two_value, std::int32_t* two_out,
                                                       std::size_t size) {
  const auto n = static_cast<std::ptrdiff_t>(size);
  Front one_front(one, one_value, one_out), two_front(two, two_value, two_out);
  Back one_back(one, one_value, one_out, n), two_back(two, two_value, two_out, n);
  for (std::ptrdiff_t written = 8; written < n; written += 8) {
    one_front.step();
    two_front.step();
    one_back.step();
    two_back.step();
  }
  mark_ends(one_out, n);
  mark_ends(two_out, n);
}

namespace {

// The block walk of pair_scan_avx2.cpp with low blocks of eight (one register) and high blocks of four
// (broadcast one at a time): 32 pairs a step. Two chains walk it, one from the first step forward and one
// from the last step back, meeting in the middle: that needs no searches to start, and their state stays
// in registers. Walking back, the walk came to (i, j) from (i, j + 1) if low_{i-1} + high_{j+1} < 0 (that
// pair's low entry went first), else from (i - 1, j); the sentinels make the edges work out. Each lane
// keeps the two smallest |a + b| it has seen and the step that found the smallest.
struct Chain {
  const std::int32_t* a;  // the current low block
  const std::int32_t* b;  // the current high block
  __m256i best, second, found;
};

XBAR_AVX2 Chain chain_at(const std::int32_t* low, const std::int32_t* high,
                         std::pair<std::size_t, std::size_t> ij) {
  return {low + 8 * ij.first - 7, high + 4 * ij.second - 3, _mm256_set1_epi32(INT32_MAX),
          _mm256_set1_epi32(INT32_MAX), _mm256_setzero_si256()};
}

XBAR_AVX2 void compare(Chain& s, __m256i now) {
  const __m256i a = load(s.a);
  const __m256i before = s.best;
  for (int q = 0; q < 4; ++q) {
    const __m256i error = _mm256_abs_epi32(_mm256_add_epi32(a, _mm256_set1_epi32(s.b[q])));
    s.second = _mm256_min_epi32(s.second, _mm256_max_epi32(s.best, error));
    s.best = _mm256_min_epi32(s.best, error);
  }
  s.found = _mm256_blendv_epi8(s.found, now, _mm256_cmpgt_epi32(before, s.best));
}

XBAR_AVX2 void step_forward(Chain& s, __m256i now) {
  compare(s, now);
  const std::ptrdiff_t below = std::int64_t{s.a[7]} + s.b[0] < 0;
  s.a += 8 * below;
  s.b -= 4 - 4 * below;
}

XBAR_AVX2 void step_back(Chain& s, __m256i now) {
  compare(s, now);
  const std::ptrdiff_t low_first = std::int64_t{s.a[-1]} + s.b[4] < 0;
  s.b += 4 * low_first;
  s.a -= 8 - 8 * low_first;
}

}  // namespace

[[gnu::target("avx2")]] IntScanHit scan_int_blocks_avx2(const std::int32_t* low, std::size_t n_low,
                                                        const std::int32_t* high, std::size_t n_high) {
  const Walk<std::int32_t> walk({low, 8, 0, n_low / 8}, {high, 4, -3, n_high / 4}, 0, low[1], high[n_high]);
  const auto span = walk.useful_steps();
  Chain forward = chain_at(low, high, span.first_at), back = chain_at(low, high, span.last_at);
  const std::size_t steps = span.end - span.first;
  __m256i now = _mm256_setzero_si256();
  const __m256i one = _mm256_set1_epi32(1);
  for (std::size_t done = 0; done < steps / 2; ++done, now = _mm256_add_epi32(now, one)) {
    step_forward(forward, now);
    step_back(back, now);
  }
  if (steps % 2 == 1) step_forward(forward, now);

  // The smallest |a + b| (the first lane holding it, forward chain first) and the next smallest of all.
  alignas(32) std::int32_t best[2][8], second[2][8], found[2][8];
  const Chain* chains[2] = {&forward, &back};
  for (std::size_t c = 0; c < 2; ++c) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(best[c]), chains[c]->best);
    _mm256_store_si256(reinterpret_cast<__m256i*>(second[c]), chains[c]->second);
    _mm256_store_si256(reinterpret_cast<__m256i*>(found[c]), chains[c]->found);
  }
  std::size_t where = 0, lane = 0;
  for (std::size_t c = 0; c < 2; ++c) {
    for (std::size_t p = 0; p < 8; ++p) {
      if (best[c][p] < best[where][lane]) where = c, lane = p;
    }
  }
  IntScanHit hit;
  hit.best = best[where][lane];
  hit.second = second[where][lane];
  for (std::size_t c = 0; c < 2; ++c) {
    for (std::size_t p = 0; p < 8; ++p) {
      if (c != where || p != lane) hit.second = std::min<std::int64_t>(hit.second, best[c][p]);
    }
  }
  const auto chain_step = static_cast<std::size_t>(found[where][lane]);
  const auto [i, j] = walk.after(where == 0 ? span.first + chain_step : span.end - 1 - chain_step);
  hit.low = low + 8 * i - 7 + lane;
  for (std::size_t q = 0; q < 4; ++q) {
    const std::int32_t* b = high + 4 * j - 3 + q;
    const std::int64_t sum = std::int64_t{*hit.low} + *b;
    if ((sum < 0 ? -sum : sum) == hit.best) {
      hit.high = b;
      break;
    }
  }
  if (hit.high == nullptr) throw std::logic_error("scan_int_blocks_avx2: lost the closest pair");
  return hit;
}

namespace {

// One bit per lane: whether it is set.
XBAR_AVX2 unsigned lanes(__m256i set) {
  return static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(set)));
}

}  // namespace

[[gnu::target("avx2")]] std::int64_t find_int_mask_avx2(std::span<const std::int32_t> values,
                                                        std::int32_t base, std::int32_t sum) {
  constexpr std::size_t lower = 4, most = 12;
  if (values.size() < lower || values.size() > most)
    throw std::logic_error("find_int_mask_avx2: 4..12 values");
  // The first four values' sixteen subset sums (mask order) in two registers; the others' listed.
  const __m256i first = sums_of_three(values.data(), 3, base);
  const __m256i second = _mm256_add_epi32(first, _mm256_set1_epi32(values[3]));
  const std::span<const std::int32_t> upper = values.subspan(lower);
  alignas(32) std::int32_t upper_sums[std::size_t{1} << (most - lower)];
  store(upper_sums, sums_of_three(upper.data(), upper.size(), 0));
  std::size_t size = std::size_t{1} << std::min<std::size_t>(upper.size(), 3);
  for (std::size_t k = 3; k < upper.size(); ++k, size *= 2) {
    const __m256i value = _mm256_set1_epi32(upper[k]);
    for (std::size_t m = 0; m < size; m += 8)
      store(upper_sums + size + m, _mm256_add_epi32(load(upper_sums + m), value));
  }
  for (std::size_t m = 0; m < size; ++m) {
    // Modulo 2^32 like the lanes' additions (a plain int subtraction could overflow: undefined).
    const auto difference = static_cast<std::uint32_t>(sum) - static_cast<std::uint32_t>(upper_sums[m]);
    const __m256i wanted = _mm256_set1_epi32(static_cast<std::int32_t>(difference));
    const unsigned hits = lanes(_mm256_cmpeq_epi32(first, wanted)) | lanes(_mm256_cmpeq_epi32(second, wanted))
                                                                         << 8;
    if (hits != 0)
      return static_cast<std::int64_t>(m << lower | static_cast<std::size_t>(std::countr_zero(hits)));
  }
  return -1;
}

}  // namespace xbar::solver::detail

#else

namespace xbar::solver::detail {

void shift_merge_int_avx2(const std::int32_t*, std::int32_t, std::int32_t*, std::size_t) {
  throw std::logic_error("shift_merge_int_avx2: not built for this processor");
}
void shift_merge_int_pair_avx2(const std::int32_t*, std::int32_t, std::int32_t*, const std::int32_t*,
                               std::int32_t, std::int32_t*, std::size_t) {
  throw std::logic_error("shift_merge_int_pair_avx2: not built for this processor");
}
IntScanHit scan_int_blocks_avx2(const std::int32_t*, std::size_t, const std::int32_t*, std::size_t) {
  throw std::logic_error("scan_int_blocks_avx2: not built for this processor");
}
std::int64_t find_int_mask_avx2(std::span<const std::int32_t>, std::int32_t, std::int32_t) {
  throw std::logic_error("find_int_mask_avx2: not built for this processor");
}
void sorted_sums_of_three_avx2(const std::int32_t*, std::int32_t, std::int32_t*) {
  throw std::logic_error("sorted_sums_of_three_avx2: not built for this processor");
}
void to_steps_avx2(std::span<const double>, double, std::int32_t*) {
  throw std::logic_error("to_steps_avx2: not built for this processor");
}

}  // namespace xbar::solver::detail

#endif
