// NumPy .npz archives: a zip of .npy files (stored, not compressed), as numpy.load reads them. Entries
// carry a fixed timestamp, so the same arrays give the same bytes.
// Usage (given const std::vector<std::size_t>& shape, const std::vector<double>& ideal,
//        const std::vector<double>& simulated):
//   std::string bytes = npz_bytes({{"ideal", {shape, ideal}}, {"simulated", {shape, simulated}}});
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace xbar::sim {

struct NpzArray {
  std::vector<std::size_t> shape;
  std::vector<double> values;  // float64, C order
};

std::string npz_bytes(const std::vector<std::pair<std::string, NpzArray>>& arrays);

}  // namespace xbar::sim
