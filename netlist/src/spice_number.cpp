#include "xbar/netlist/spice_number.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "xbar/netlist/circuit.hpp"

namespace xbar::netlist {

std::optional<double> parse_spice_number(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data()) return std::nullopt;
  const std::string suffix = to_lower(std::string_view(end, static_cast<std::size_t>(text.data() + text.size() - end)));
  static const struct {
    const char* name;
    double factor;
  } suffixes[] = {{"", 1.0},    {"t", 1e12},  {"g", 1e9},   {"meg", 1e6}, {"k", 1e3}, {"m", 1e-3},
                  {"u", 1e-6}, {"n", 1e-9}, {"p", 1e-12}, {"f", 1e-15}, {"mil", 25.4e-6}};
  // As ngspice: a unit word may follow the scale ("10kohm", "1megohm", "0.2v"); it changes nothing.
  static const char* const units[] = {"", "ohm", "ohms", "v", "hz"};
  for (const auto& s : suffixes) {
    const std::string_view name(s.name);
    if (suffix.compare(0, name.size(), name) != 0) continue;
    const std::string_view unit = std::string_view(suffix).substr(name.size());
    if (std::none_of(std::begin(units), std::end(units), [&](const char* u) { return unit == u; })) continue;
    const double scaled = value * s.factor;
    if (!std::isfinite(scaled)) return std::nullopt;
    return scaled;
  }
  return std::nullopt;
}

std::optional<long long> parse_integer(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string format_number(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace xbar::netlist
