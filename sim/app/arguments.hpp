// Command-line parsing for the `xbar` tool: positional arguments plus --options (with a value as the
// next argument or after '='), repeatable where the command allows it.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace xbar::app {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  OptionSpec(std::string option, bool value = true, bool repeat = false, std::string stored_as = {})
      : name(std::move(option)), takes_value(value), repeatable(repeat), canonical(std::move(stored_as)) {}
  std::string name;       // "--json"; aliases are separate entries
  bool takes_value;
  bool repeatable;
  std::string canonical;  // the name results are stored under ("" = name)
};

struct Arguments {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> options;  // canonical name -> values ("" for flags)

  bool has(const std::string& name) const { return options.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  std::vector<std::string> values(const std::string& name) const;
};

Arguments parse_arguments(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs);

}  // namespace xbar::app
