#include "command_options.hpp"

namespace xbar::app {

std::string single_spec(const Arguments& parsed) {
  if (parsed.positional.size() != 1) throw UsageError("expected exactly one SPEC file");
  return parsed.positional[0];
}

unsigned jobs_option(const Arguments& parsed) {
  const auto text = parsed.value("--jobs");
  if (!text) return 0;
  std::size_t used = 0;
  long value = -1;
  try {
    value = std::stol(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text->size() || value < 1 || value > 4096) {
    throw UsageError("--jobs: expected a thread count from 1 to 4096, got '" + *text + "'");
  }
  return static_cast<unsigned>(value);
}

sim::Spec load_spec_argument(const Arguments& parsed) {
  return sim::load_spec(single_spec(parsed), parsed.values("--set"));
}

}  // namespace xbar::app
