#include "xbar/netlist/circuit.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace xbar::netlist {

std::string to_lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

Circuit::Circuit(std::string title) : m_title(std::move(title)) {
  m_node_names.push_back("0");
  m_node_ids.emplace("0", ground);
  m_node_ids.emplace("gnd", ground);
}

NodeId Circuit::node(std::string_view name) {
  const bool lower = std::none_of(name.begin(), name.end(), [](unsigned char c) { return std::isupper(c); });
  if (lower) {  // the usual case: no copy to look it up
    if (auto it = m_node_ids.find(name); it != m_node_ids.end()) return it->second;
  }
  std::string key = to_lower(name);
  if (auto it = m_node_ids.find(key); it != m_node_ids.end()) return it->second;
  const NodeId id = static_cast<NodeId>(m_node_names.size());
  m_node_names.emplace_back(name);
  m_node_ids.emplace(std::move(key), id);
  return id;
}

std::optional<NodeId> Circuit::find_node(std::string_view name) const {
  if (auto it = m_node_ids.find(to_lower(name)); it != m_node_ids.end()) return it->second;
  return std::nullopt;
}

std::size_t Circuit::add(Element element) {
  const auto valid = [this](NodeId n) { return n >= 0 && static_cast<std::size_t>(n) < m_node_names.size(); };
  if (!valid(element.positive) || !valid(element.negative)) {
    throw std::invalid_argument("element " + element.name + ": unknown node id");
  }
  const std::size_t index = m_elements.size();
  if (!m_element_ids.emplace(to_lower(element.name), index).second) {
    throw std::invalid_argument("duplicate element name " + element.name);
  }
  m_elements.push_back(std::move(element));
  return index;
}

std::size_t Circuit::add_resistor(std::string name, NodeId a, NodeId b, double ohms, std::string note) {
  if (!(ohms > 0.0)) throw std::invalid_argument("resistor " + name + ": resistance must be positive");
  return add({ElementKind::resistor, std::move(name), a, b, ohms, std::move(note)});
}

std::size_t Circuit::add_voltage_source(std::string name, NodeId positive, NodeId negative, double volts,
                                        std::string note) {
  return add({ElementKind::voltage_source, std::move(name), positive, negative, volts, std::move(note)});
}

std::size_t Circuit::add_vcvs(std::string name, NodeId positive, NodeId negative, NodeId control_positive,
                              NodeId control_negative, double gain, std::string note) {
  const auto valid = [this](NodeId n) { return n >= 0 && static_cast<std::size_t>(n) < m_node_names.size(); };
  if (!valid(control_positive) || !valid(control_negative)) throw std::invalid_argument("vcvs " + name + ": unknown control node id");
  Element e{ElementKind::vcvs, std::move(name), positive, negative, gain, std::move(note)};
  e.control_positive = control_positive;
  e.control_negative = control_negative;
  return add(std::move(e));
}

std::size_t Circuit::add_capacitor(std::string name, NodeId a, NodeId b, double farads, std::string note) {
  if (!(farads > 0.0)) throw std::invalid_argument("capacitor " + name + ": capacitance must be positive");
  return add({ElementKind::capacitor, std::move(name), a, b, farads, std::move(note)});
}

std::size_t Circuit::add_switch(std::string name, NodeId a, NodeId b, double ron, double roff, bool closed,
                               std::string note) {
  if (!(ron > 0.0) || !(roff > ron)) {
    throw std::invalid_argument("switch " + name + ": need 0 < ron < roff");
  }
  Element e{ElementKind::switch_device, std::move(name), a, b, closed ? ron : roff, std::move(note)};
  e.ron = ron;
  e.roff = roff;
  e.closed = closed;
  return add(std::move(e));
}

void Circuit::set_switch(std::size_t element, bool closed) {
  Element& e = m_elements.at(element);
  if (e.kind != ElementKind::switch_device) throw std::invalid_argument(e.name + " is not a switch");
  e.closed = closed;
  e.value = closed ? e.ron : e.roff;
}

double Element::parameter(std::string_view name) const {
  if (name == "r" || name == "dc") return value;
  if (name == "tc1") return tc1;
  if (name == "tc2") return tc2;
  if (name == "ron") return ron;
  if (name == "roff") return roff;
  throw std::invalid_argument("element " + this->name + " has no parameter " + std::string(name));
}

}  // namespace xbar::netlist
