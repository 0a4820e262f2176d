// User-input diagnostics: every problem found in a spec, weights file or command line, with where it is.
// Usage (given const std::string& line):
//   Diagnostic d{"spec.yaml", 5, 14, "cell.resistors", "expected an integer from 1 to 24", line};
//   std::cerr << format_diagnostic(d);   // "spec.yaml:5:14: error: cell.resistors: expected ..." + caret
//   throw InputError({d});               // every problem found, at once
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace xbar::sim {

struct Diagnostic {
  std::string file;         // spec path, "--set KEY=VALUE", or a data file
  int line = 0;             // 1-based; 0 when not known
  int column = 0;           // 1-based; 0 when not known
  std::string key;          // dotted spec key, may be empty
  std::string message;
  std::string source_line;  // the offending line, shown with a caret under `column`
  bool warning = false;     // a likely mistake that does not stop the run ("warning:" instead of "error:")
};

std::string format_diagnostic(const Diagnostic& d);

// Bad user input: exit code 2 in the command-line tool.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }

 private:
  std::vector<Diagnostic> m_diagnostics;
};

}  // namespace xbar::sim
