#include "xbar/netlist/spice_reader.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <unordered_map>

#include "xbar/netlist/spice_number.hpp"

namespace xbar::netlist {

namespace {

std::string summary(const std::string& source, const std::vector<SpiceProblem>& problems) {
  std::string text;
  for (const auto& p : problems) text += source + ":" + std::to_string(p.line) + ": error: " + p.message + "\n";
  return text;
}

std::vector<std::string> tokens_of(const std::string& line) {
  std::istringstream stream(line);
  std::vector<std::string> tokens;
  for (std::string token; stream >> token;) tokens.push_back(token);
  return tokens;
}

// A title or comment line's text without its leading "*" (the title line may be empty or not a comment).
std::string strip_comment_marker(const std::string& line) {
  if (line.rfind("* ", 0) == 0) return line.substr(2);
  if (line.rfind('*', 0) == 0) return line.substr(1);
  return line;
}

class Reader {
 public:
  explicit Reader(std::string source) : m_source(std::move(source)) {}

  ParsedNetlist read(const std::string& text) {
    std::istringstream stream(text);
    std::vector<std::string> lines;
    for (std::string line; std::getline(stream, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines.push_back(line);
    }
    ParsedNetlist net{Circuit(lines.empty() ? "" : strip_comment_marker(lines[0])), {}};
    net.options.control_block = false;
    std::vector<std::string> pending;  // comment lines not yet attached
    bool in_control = false, ended = false;
    std::unordered_map<std::string, int> first_line;  // lower-case element name -> line
    for (std::size_t k = 1; k < lines.size() && !ended; ++k) {
      const int number = static_cast<int>(k + 1);
      const std::string& line = lines[k];
      const auto tokens = tokens_of(line);
      if (tokens.empty()) continue;
      const std::string head = to_lower(tokens[0]);
      if (in_control) {
        if (head == ".endc") {
          in_control = false;
        } else if (head == "print") {
          for (std::size_t t = 1; t < tokens.size(); ++t) {
            const std::string& v = tokens[t];
            if (v.size() > 3 && to_lower(v.substr(0, 2)) == "i(" && v.back() == ')') {
              net.options.print_currents.push_back(v.substr(2, v.size() - 3));
            }
          }
        }
        continue;
      }
      if (line[0] == '*') {
        pending.push_back(strip_comment_marker(line));
        continue;
      }
      if (head == ".control") {
        in_control = true;
        net.options.control_block = true;
        continue;
      }
      if (head == ".temp" && tokens.size() == 2 && parse_spice_number(tokens[1])) {
        net.options.temperature = parse_spice_number(tokens[1]);
        continue;
      }
      if (head == ".end") {
        ended = true;
        continue;
      }
      if (head[0] == '.') {
        problem(number, "'" + tokens[0] + "' is not supported by this reader (R and V elements, .control, .end)", line);
        continue;
      }
      // Comments before the first element are header comments, except the one right above it.
      std::string note;
      if (!pending.empty()) {
        note = pending.back();
        pending.pop_back();
      }
      if (net.circuit.elements().empty()) net.options.header_comments = pending;
      pending.clear();
      element(net.circuit, tokens, std::move(note), number, line, first_line);
    }
    if (in_control) problem(static_cast<int>(lines.size()), ".control without .endc", "");
    if (m_problems.empty() && net.circuit.elements().empty()) {
      problem(1, "no elements: a netlist needs at least one R or V element after its title line", "");
    }
    if (!m_problems.empty()) throw SpiceReadError(m_source, m_problems);
    return net;
  }

 private:
  void problem(int line, std::string message, std::string text) {
    m_problems.push_back({line, std::move(message), std::move(text)});
  }

  void element(Circuit& c, const std::vector<std::string>& tokens, std::string note, int number,
               const std::string& line, std::unordered_map<std::string, int>& first_line) {
    const DeviceType* type = device_type_for_letter(tokens[0][0]);
    if (!type) {
      problem(number, "element '" + tokens[0] + "': only resistors (R), voltage sources (V), voltage-controlled voltage sources (E) and capacitors (C) are supported", line);
      return;
    }
    // NAME NODE NODE [NC+ NC-] [PREFIX] VALUE [keyword=X ...], the keywords from the kind's parameter table.
    std::size_t value_at = type->controlled ? 5 : 3;
    if (!type->value_prefix.empty() && tokens.size() > value_at + 1 &&
        to_lower(tokens[value_at]) == to_lower(type->value_prefix)) {
      ++value_at;
    }
    std::map<std::string, double> keywords;
    std::size_t fields = tokens.size();
    while (fields > value_at + 1) {
      const std::string parameter = to_lower(tokens[fields - 1]);
      const auto equals = parameter.find('=');
      if (equals == std::string::npos) break;
      const auto value = parse_spice_number(parameter.substr(equals + 1));
      const std::string name = parameter.substr(0, equals);
      const bool known = std::any_of(type->parameters.begin(), type->parameters.end(),
                                     [&](const DeviceParameter& p) { return p.keyword && p.name == name; });
      if (!value || !known) break;
      keywords[name] = *value;
      --fields;
    }
    if (fields != value_at + 1) {
      std::string form = std::string("NAME NODE NODE ") + (type->controlled ? "NC+ NC- " : "") + (type->value_prefix.empty() ? "" : "[" + std::string(type->value_prefix) + "] ") + "VALUE";
      for (const DeviceParameter& p : type->parameters) {
        if (p.keyword) form += " [" + std::string(p.name) + "=X]";
      }
      problem(number, "element '" + tokens[0] + "': expected " + form, line);
      return;
    }
    const auto value = parse_spice_number(tokens[value_at]);
    if (!value) {
      problem(number, "element '" + tokens[0] + "': '" + tokens[value_at] + "' is not a number", line);
      return;
    }
    const auto [it, fresh] = first_line.emplace(to_lower(tokens[0]), number);
    if (!fresh) {
      problem(number, "duplicate element name '" + tokens[0] + "' (first on line " + std::to_string(it->second) + ")",
              line);
      return;
    }
    const NodeId a = c.node(tokens[1]), b = c.node(tokens[2]);
    if (type->kind == ElementKind::resistor) {
      if (!(*value > 0.0)) {
        problem(number, "resistor '" + tokens[0] + "': resistance must be positive, got " + tokens[value_at], line);
        return;
      }
      const std::size_t index = c.add_resistor(tokens[0], a, b, *value, std::move(note));
      c.set_temperature_coefficients(index, keywords.count("tc1") ? keywords["tc1"] : 0.0,
                                     keywords.count("tc2") ? keywords["tc2"] : 0.0);
    } else if (type->kind == ElementKind::capacitor) {
      if (!(*value > 0.0)) {
        problem(number, "capacitor '" + tokens[0] + "': capacitance must be positive, got " + tokens[value_at], line);
        return;
      }
      c.add_capacitor(tokens[0], a, b, *value, std::move(note));
    } else if (type->kind == ElementKind::vcvs) {
      c.add_vcvs(tokens[0], a, b, c.node(tokens[3]), c.node(tokens[4]), *value, std::move(note));
    } else {
      c.add_voltage_source(tokens[0], a, b, *value, std::move(note));
    }
  }

  std::string m_source;
  std::vector<SpiceProblem> m_problems;
};

}  // namespace

SpiceReadError::SpiceReadError(std::string source, std::vector<SpiceProblem> problems)
    : std::runtime_error(summary(source, problems)), m_source(std::move(source)), m_problems(std::move(problems)) {}

ParsedNetlist read_spice(const std::string& text, const std::string& source_name) {
  return Reader(source_name).read(text);
}

}  // namespace xbar::netlist
