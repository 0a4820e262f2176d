#include "arguments.hpp"

namespace xbar::app {

std::optional<std::string> Arguments::value(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Arguments::values(const std::string& name) const {
  auto it = options.find(name);
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

Arguments parse_arguments(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs) {
  Arguments parsed;
  for (std::size_t k = 0; k < args.size(); ++k) {
    const std::string& arg = args[k];
    if (arg.size() < 2 || arg[0] != '-' || arg == "-") {
      parsed.positional.push_back(arg);
      continue;
    }
    const auto equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const OptionSpec* spec = nullptr;
    for (const auto& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (!spec) throw UsageError("unknown option " + name);
    const std::string key = spec->canonical.empty() ? spec->name : spec->canonical;
    std::string value;
    if (spec->takes_value) {
      if (equals != std::string::npos) {
        value = arg.substr(equals + 1);
      } else if (k + 1 < args.size()) {
        value = args[++k];
      } else {
        throw UsageError("option " + name + " needs a value");
      }
    } else if (equals != std::string::npos) {
      throw UsageError("option " + name + " takes no value");
    }
    auto& slot = parsed.options[key];
    if (!slot.empty() && !spec->repeatable) throw UsageError("option " + name + " given twice");
    slot.push_back(value);
  }
  return parsed;
}

}  // namespace xbar::app
