#include "xbar/sim/io/diagnostics.hpp"

namespace xbar::sim {

std::string format_diagnostic(const Diagnostic& d) {
  std::string text = d.file;
  if (d.line > 0) {
    text += ":" + std::to_string(d.line);
    if (d.column > 0) text += ":" + std::to_string(d.column);
  }
  text += d.warning ? ": warning: " : ": error: ";
  if (!d.key.empty()) text += d.key + ": ";
  text += d.message + "\n";
  if (!d.source_line.empty()) {
    text += "    " + d.source_line + "\n";
    if (d.column > 0) text += "    " + std::string(static_cast<std::size_t>(d.column - 1), ' ') + "^\n";
  }
  return text;
}

namespace {

std::string summary(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const Diagnostic& d : diagnostics) text += format_diagnostic(d);
  return text;
}

}  // namespace

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(summary(diagnostics)), m_diagnostics(std::move(diagnostics)) {}

}  // namespace xbar::sim
