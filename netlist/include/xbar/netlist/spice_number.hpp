// SPICE numbers: a decimal number with an optional magnitude suffix, case-insensitive:
// t=1e12 g=1e9 meg=1e6 k=1e3 m=1e-3 u=1e-6 n=1e-9 p=1e-12 f=1e-15 mil=25.4e-6.
//
//   parse_spice_number("10k")  -> 10000      parse_spice_number("1meg") -> 1e6
//   parse_spice_number("100m") -> 0.1        parse_spice_number("abc")  -> nullopt
#pragma once

#include <optional>
#include <string_view>

namespace xbar::netlist {

std::optional<double> parse_spice_number(std::string_view text);

}  // namespace xbar::netlist
