// What the fuzz targets share: a broken promise stops the run with its reason (libFuzzer keeps the
// input), and the memory limit the loaders check is kept below libFuzzer's own (2 GB).
#pragma once

#include <cstdio>
#include <cstdlib>

#include "xbar/sim/io/input_file.hpp"

namespace xbar::fuzz {

inline void require(bool promise, const char* broken) {
  if (promise) return;
  std::fprintf(stderr, "fuzz oracle: %s\n", broken);
  std::abort();
}

inline void bounded_memory() { sim::set_memory_limit(std::uint64_t{256} << 20); }

}  // namespace xbar::fuzz
