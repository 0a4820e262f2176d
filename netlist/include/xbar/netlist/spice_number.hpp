// Numbers in text, read and written in one place. SPICE numbers: a decimal number with an optional
// magnitude suffix, case-insensitive: t=1e12 g=1e9 meg=1e6 k=1e3 m=1e-3 u=1e-6 n=1e-9 p=1e-12 f=1e-15
// mil=25.4e-6, then optionally a unit word (ohm, ohms, v, hz) that changes nothing, as in ngspice.
// Beware SPICE's reading: "1M" is one milli-, "1meg" one mega-.
// Usage:
//   parse_spice_number("10k") == 10000.0;   parse_spice_number("1meg") == 1e6;
//   parse_spice_number("10kohm") == 1e4;    parse_spice_number("1Mohm") == 1e-3;
//   parse_spice_number("100m") == 0.1;      parse_spice_number("abc") == std::nullopt;
//   parse_integer("-12") == -12;            parse_integer("12x") == std::nullopt;
//   format_number(0.1) == "0.1";            // the shortest text that reads back to the same double
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xbar::netlist {

std::optional<double> parse_spice_number(std::string_view text);

// A whole decimal number, the entire text (an optional sign, digits); nullopt if not, or out of range.
std::optional<long long> parse_integer(std::string_view text);

// Shortest round-trip decimal text of a double.
std::string format_number(double value);

}  // namespace xbar::netlist
