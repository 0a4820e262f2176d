// Storage for the sorted subset sums of one half of an instance (see solver/src/sorted_sums.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace xbar::solver::detail {

// The 2^h subset sums of up to 24 values, ascending, with the mask of each subset where asked for
// (structure of arrays). The list's entries are sums()[1..size()]; a -inf sentinel sits at 0 and a +inf
// one at size() + 1. A list built by merging keeps every level it went through (the sums of the first
// k values, k = 0..h) one after another in `sum`, the finished list last: any entry's subset can be
// traced back through them.
struct SortedSums {
  std::vector<double> sum;  // grown, never shrunk: a solver reuses its buffers for any size
  std::vector<std::uint32_t> mask;
  std::vector<double> shifted;  // scratch: a level shifted by the next value, for the vector merge
  std::size_t count = 0;
  std::size_t first = 0;  // where the finished list's -inf sentinel sits in `sum` and `mask`

  std::size_t size() const { return count; }
  const double* sums() const { return sum.data() + first; }
  const std::uint32_t* masks() const { return mask.empty() ? nullptr : mask.data() + first; }
};

}  // namespace xbar::solver::detail
