// Work buffers of the integer search (see solver/src/quantized_search.hpp).
#pragma once

#include <cstdint>
#include <vector>

namespace xbar::solver::detail {

struct QuantizedLists {
  std::vector<std::int32_t> values[2];    // each half's values in integer steps
  std::vector<std::int32_t> level[2][2];  // each half's sorted sums, two levels taking turns
};

}  // namespace xbar::solver::detail
