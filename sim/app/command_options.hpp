// Helpers shared by the subcommands: the one SPEC argument, --jobs, --set.
#pragma once

#include <string>

#include "arguments.hpp"
#include "xbar/sim/spec/spec.hpp"

namespace xbar::app {

std::string single_spec(const Arguments& parsed);
unsigned jobs_option(const Arguments& parsed);  // --jobs N; 0 (all cores) when absent
// A whole number from `low` to `high` given to `option`; UsageError naming the option otherwise.
long parse_count(const std::string& text, const std::string& option, long low, long high);
sim::Spec load_spec_argument(const Arguments& parsed);  // SPEC with its --set overrides
// --backend NAME, or `fallback` (the spec's simulate.backend) when absent.
sim::BackendKind backend_option(const Arguments& parsed, sim::BackendKind fallback);

// Options every spec-driven command takes.
inline const OptionSpec jobs_spec{"--jobs"};
inline const OptionSpec set_spec{"--set", true, true};

}  // namespace xbar::app
