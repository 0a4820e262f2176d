// libFuzzer target: the SPICE reader on any text. Oracle: only SpiceReadError escapes; an accepted netlist
// survives the topology checks and round-trips (write -> read -> write gives the same text).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "xbar/netlist/circuit_checks.hpp"
#include "xbar/netlist/spice_reader.hpp"
#include "xbar/netlist/spice_writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  xbar::netlist::ParsedNetlist net;
  try {
    net = xbar::netlist::read_spice(text, "fuzz.cir");
  } catch (const xbar::netlist::SpiceReadError&) {
    return 0;
  }
  xbar::netlist::check_circuit(net.circuit);
  const std::string once = xbar::netlist::write_spice(net.circuit, net.options);
  const xbar::netlist::ParsedNetlist again = xbar::netlist::read_spice(once, "again.cir");
  xbar::fuzz::require(xbar::netlist::write_spice(again.circuit, again.options) == once,
                      "write -> read -> write changed the text");
  return 0;
}
