// A SubsetChoice from a mask over the values (bit k: value k chosen), with its sum and the target.
#pragma once

#include <cmath>
#include <cstdint>

#include "xbar/solver/subset_sum.hpp"

namespace xbar::solver::detail {

inline SubsetChoice choice_from_mask(std::size_t values, std::uint64_t mask, double sum, double target) {
  SubsetChoice choice;
  choice.chosen.resize(values);
  for (std::size_t k = 0; k < values; ++k) choice.chosen[k] = (mask >> k) & 1u;
  choice.sum = sum;
  choice.error = std::abs(target - sum);
  return choice;
}

}  // namespace xbar::solver::detail
