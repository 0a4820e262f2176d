// The device kinds a circuit is made of, each with its parameter table: name, unit, default and how
// SPICE carries it. One registry (device_types) drives the SPICE writer and reader alike, so what is
// written is what can be read back.
// Usage:
//   const DeviceType& t = device_type(ElementKind::resistor);
//   t.parameters[1].name == "tc1";   // written as "tc1=X" after the value when not at its default
//
// A switch is a device of its own (on- and off-resistance, a state that can change after the circuit
// is built); stock SPICE has no exactly linear switch, so it is written as a resistor of the
// resistance of its present state, which ngspice reads as such and xbar's reader reads back as a
// resistor (the text round-trips).
#pragma once

#include <string_view>
#include <vector>

namespace xbar::netlist {

enum class ElementKind { resistor, voltage_source, switch_device, vcvs, capacitor };

struct DeviceParameter {
  std::string_view name;
  std::string_view unit;
  double default_value;
  bool keyword;  // SPICE: "name=value" after the element's value (written when not the default)
  std::string_view description;
};

struct DeviceType {
  ElementKind kind;
  std::string_view name;
  char spice_letter;                   // the first letter of its SPICE element line
  std::string_view value_prefix;       // written before the value ("DC" for sources), may be empty
  std::vector<DeviceParameter> parameters;  // the first is the element's value
  bool controlled = false;             // two control nodes follow the two terminals (E: NAME N+ N- NC+ NC- GAIN)
};

// Every built-in device kind, explicitly listed.
const std::vector<DeviceType>& device_types();
const DeviceType& device_type(ElementKind kind);
// The kind a SPICE element line stands for, by its first letter; nullptr if none.
const DeviceType* device_type_for_letter(char letter);

}  // namespace xbar::netlist
