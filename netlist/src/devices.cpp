#include "xbar/netlist/devices.hpp"

#include <cctype>
#include <stdexcept>

namespace xbar::netlist {

const std::vector<DeviceType>& device_types() {
  static const std::vector<DeviceType> types = {
      {ElementKind::resistor,
       "resistor",
       'r',
       "",
       {{"r", "ohm", 0.0, false, "resistance at 27 degC"},
        {"tc1", "1/degC", 0.0, true, "first-order temperature coefficient"},
        {"tc2", "1/degC^2", 0.0, true, "second-order temperature coefficient"}}},
      {ElementKind::voltage_source, "voltage source", 'v', "DC", {{"dc", "volt", 0.0, false, "DC value"}}},
      {ElementKind::switch_device,
       "switch",
       'r',
       "",
       {{"r", "ohm", 0.0, false, "resistance in the present state: ron when closed, roff when open"},
        {"ron", "ohm", 100.0, false, "on-resistance"},
        {"roff", "ohm", 1e9, false, "off-resistance"}}},
      {ElementKind::vcvs,
       "voltage-controlled voltage source",
       'e',
       "",
       {{"gain", "V/V", 1.0, false, "v(N+) - v(N-) = gain (v(NC+) - v(NC-))"}},
       true},
      {ElementKind::capacitor, "capacitor", 'c', "", {{"c", "farad", 0.0, false, "capacitance"}}},
  };
  return types;
}

const DeviceType& device_type(ElementKind kind) {
  for (const DeviceType& t : device_types()) {
    if (t.kind == kind) return t;
  }
  throw std::logic_error("device_type: unregistered element kind");
}

const DeviceType* device_type_for_letter(char letter) {
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(letter)));
  // Resistors and switches share the letter R; SPICE text carries a switch as the resistor it is now.
  for (const DeviceType& t : device_types()) {
    if (t.spice_letter == lower && t.kind != ElementKind::switch_device) return &t;
  }
  return nullptr;
}

}  // namespace xbar::netlist
