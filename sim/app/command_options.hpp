// Helpers shared by the subcommands: the one SPEC argument, --jobs, --set.
#pragma once

#include <string>

#include "arguments.hpp"
#include "xbar/sim/spec.hpp"

namespace xbar::app {

std::string single_spec(const Arguments& parsed);
unsigned jobs_option(const Arguments& parsed);  // --jobs N; 0 (all cores) when absent
sim::Spec load_spec_argument(const Arguments& parsed);  // SPEC with its --set overrides

// Options every spec-driven command takes.
inline const OptionSpec jobs_spec{"--jobs"};
inline const OptionSpec set_spec{"--set", true, true};

}  // namespace xbar::app
