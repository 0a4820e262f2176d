// Storage for the sorted subset sums of one half of an instance (see solver/src/sorted_sums.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace xbar::solver::detail {

// The 2^h subset sums of up to 24 values, ascending, each with the mask of its subset (structure of
// arrays). Entries live at [1, size]; a -inf sentinel sits at 0 and a +inf one at size + 1.
struct SortedSums {
  std::vector<double> sum;  // grown, never shrunk: a solver reuses its buffers for any size
  std::vector<std::uint32_t> mask;
  std::size_t count = 0;
  std::size_t size() const { return count; }
};

}  // namespace xbar::solver::detail
