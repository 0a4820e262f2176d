// What the fuzz targets share: a broken promise stops the run with its reason (libFuzzer keeps the
// input), and the memory limit the loaders check is kept below libFuzzer's own (2 GB).
#pragma once

#include <cstdio>
#include <cstdlib>

#include "xbar/sim/io/input_file.hpp"
#include "xbar/sim/io/npy.hpp"

namespace xbar::fuzz {

inline void require(bool promise, const char* broken) {
  if (promise) return;
  std::fprintf(stderr, "fuzz oracle: %s\n", broken);
  std::abort();
}

inline void bounded_memory() { sim::set_memory_limit(std::uint64_t{256} << 20); }

// An accepted array holds exactly as many values as its shape says.
inline void require_matching_shape(const sim::NpyArray& a) {
  std::size_t count = 1;
  for (std::size_t extent : a.shape) count *= extent;
  require(count == a.data.size(), "the values do not match the shape");
}

}  // namespace xbar::fuzz
