// Reads the SPICE dialect the project writes (spice_writer.hpp): a title line, R and V elements,
// "*" comments, an optional .control block (op, print i(...), quit) and .end. Together with the
// writer it round-trips: write -> read -> write gives the same text.
// Usage (given const std::string& text):
//   ParsedNetlist net = read_spice(text, "design.cir");   // throws SpiceReadError listing every problem
//   write_spice(net.circuit, net.options) == text;
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "xbar/netlist/circuit.hpp"
#include "xbar/netlist/spice_writer.hpp"

namespace xbar::netlist {

struct SpiceProblem {
  int line = 0;  // 1-based
  std::string message;
  std::string text;  // the offending line
};

class SpiceReadError : public std::runtime_error {
 public:
  SpiceReadError(std::string source, std::vector<SpiceProblem> problems);
  const std::string& source() const { return m_source; }
  const std::vector<SpiceProblem>& problems() const { return m_problems; }

 private:
  std::string m_source;
  std::vector<SpiceProblem> m_problems;
};

struct ParsedNetlist {
  Circuit circuit;
  SpiceWriteOptions options;  // header comments, control block and printed currents, as read
};

ParsedNetlist read_spice(const std::string& text, const std::string& source_name = "netlist");

}  // namespace xbar::netlist
