// libFuzzer target: the spec loader on any text. Oracle: the text is accepted or refused with InputError
// (nothing else may escape), and an accepted spec holds what the loader's checks promise.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/spec/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  xbar::fuzz::bounded_memory();
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const xbar::sim::Spec spec = xbar::sim::load_spec_text(text, "fuzz/spec.yaml");
    const auto& design = spec.design;
    xbar::fuzz::require(design.weights.allFinite(), "accepted weights hold NaN or infinity");
    xbar::fuzz::require(design.weights.size() > 0 || spec.layer.present, "accepted a spec without weights or layer");
    xbar::fuzz::require(design.cell.resistors >= 1 && design.cell.roff > design.cell.ron, "accepted a bad cell");
  } catch (const xbar::sim::InputError&) {
  }
  return 0;
}
