#include "xbar/netlist/spice_writer.hpp"

#include <charconv>

namespace xbar::netlist {

std::string write_spice(const Circuit& circuit, const SpiceWriteOptions& options) {
  std::string text;
  text.reserve(circuit.elements().size() * 48 + 256);
  text += "* " + circuit.title() + "\n";  // SPICE reads the first line as the title
  for (const std::string& line : options.header_comments) text += "* " + line + "\n";
  for (const Element& e : circuit.elements()) {
    if (!e.note.empty()) text += "* " + e.note + "\n";
    text += e.name;
    text += ' ';
    text += circuit.node_name(e.positive);
    text += ' ';
    text += circuit.node_name(e.negative);
    const DeviceType& type = device_type(e.kind);
    if (type.controlled) text += " " + circuit.node_name(e.control_positive) + " " + circuit.node_name(e.control_negative);
    text += ' ';
    if (!type.value_prefix.empty()) {
      text += type.value_prefix;
      text += ' ';
    }
    text += format_number(e.value);
    // Keyword parameters go together: all of them once any differs from its default.
    bool keywords = false;
    for (const DeviceParameter& p : type.parameters) keywords |= p.keyword && e.parameter(p.name) != p.default_value;
    for (const DeviceParameter& p : type.parameters) {
      if (keywords && p.keyword) text += " " + std::string(p.name) + "=" + format_number(e.parameter(p.name));
    }
    text += '\n';
  }
  if (options.temperature) text += ".temp " + format_number(*options.temperature) + "\n";
  if (options.control_block) {
    text += ".control\nset numdgt=15\nop\n";
    // A few vectors per print line keeps every line short whatever the number of columns.
    constexpr std::size_t per_line = 8;
    const auto print = [&](const std::vector<std::string>& names, const char* function) {
      for (std::size_t first = 0; first < names.size(); first += per_line) {
        text += "print";
        for (std::size_t k = first; k < first + per_line && k < names.size(); ++k) {
          text += std::string(" ") + function + "(" + names[k] + ")";
        }
        text += '\n';
      }
    };
    print(options.print_currents, "i");
    print(options.print_voltages, "v");
    text += "quit 0\n.endc\n";
  }
  text += ".end\n";
  return text;
}

}  // namespace xbar::netlist
