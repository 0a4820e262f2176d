#include "command_options.hpp"

#include <iostream>

#include "xbar/netlist/spice_number.hpp"

namespace xbar::app {

std::string single_spec(const Arguments& parsed) {
  if (parsed.positional.size() != 1) throw UsageError("expected exactly one SPEC file");
  return parsed.positional[0];
}

long parse_count(const std::string& text, const std::string& option, long low, long high) {
  const auto parsed = netlist::parse_integer(text);
  const long long value = parsed.value_or(static_cast<long long>(low) - 1);
  if (value < low || value > high) {
    throw UsageError(option + ": expected a whole number from " + std::to_string(low) + " to " + std::to_string(high) +
                     ", got '" + text + "'");
  }
  return static_cast<long>(value);
}

unsigned jobs_option(const Arguments& parsed) {
  const auto text = parsed.value("--jobs");
  return text ? static_cast<unsigned>(parse_count(*text, "--jobs", 1, 4096)) : 0u;
}

sim::BackendKind backend_option(const Arguments& parsed, sim::BackendKind fallback) {
  const auto name = parsed.value("--backend");
  if (!name) return fallback;
  const auto kind = sim::parse_backend(*name);
  if (!kind) throw UsageError("--backend: expected ideal, native or ngspice, got '" + *name + "'");
  return *kind;
}

sim::Spec load_spec_argument(const Arguments& parsed) {
  sim::Spec spec = sim::load_spec(single_spec(parsed), parsed.values("--set"));
  for (const sim::Diagnostic& w : spec.warnings) std::cerr << sim::format_diagnostic(w);
  return spec;
}

}  // namespace xbar::app
