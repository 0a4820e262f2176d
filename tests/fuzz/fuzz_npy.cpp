// libFuzzer target: the .npy reader on any bytes. Oracle: only NpyError escapes; an accepted array has as
// many values as its shape says, and writing it back and reading it again gives the same array.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz_support.hpp"
#include "xbar/sim/io/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  xbar::fuzz::bounded_memory();
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  xbar::sim::NpyArray array;
  try {
    array = xbar::sim::parse_npy(bytes, "fuzz.npy");
  } catch (const xbar::sim::NpyError&) {
    return 0;
  }
  xbar::fuzz::require_matching_shape(array);
  const std::size_t count = array.data.size();
  const auto again = xbar::sim::parse_npy(xbar::sim::npy_bytes(array.shape, array.data), "again.npy");
  xbar::fuzz::require(again.shape == array.shape, "the shape changed in a write-read round trip");
  xbar::fuzz::require(count == 0 || std::memcmp(again.data.data(), array.data.data(), count * sizeof(double)) == 0,
                      "the values changed in a write-read round trip");
  return 0;
}
