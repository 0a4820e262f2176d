// libFuzzer target: the IDX dataset reader on any (decompressed) bytes. Oracle: only IdxError escapes,
// and an accepted array has as many values as its dimensions say.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "xbar/sim/io/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  xbar::fuzz::bounded_memory();
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    xbar::fuzz::require_matching_shape(xbar::sim::parse_idx(bytes, "fuzz.idx"));
  } catch (const xbar::sim::IdxError&) {
  }
  return 0;
}
