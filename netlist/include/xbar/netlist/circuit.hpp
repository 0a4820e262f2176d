// A flat linear circuit: named nodes (node 0 is ground, named "0") and named two-terminal elements.
// Usage:
//   Circuit c("divider");
//   auto in = c.node("in"), mid = c.node("mid");
//   c.add_voltage_source("V1", in, Circuit::ground, 1.0);
//   c.add_resistor("R1", in, mid, 1e3);
//   c.add_resistor("R2", mid, Circuit::ground, 1e3);
//   auto sw = c.add_switch("RSW1", mid, Circuit::ground, 100, 1e9, false);   // open: 1 Gohm
//   c.set_switch(sw, true);                                                   // closed: 100 ohm
//
// Element names are unique ignoring case (SPICE folds case); adding a duplicate throws.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "xbar/netlist/devices.hpp"

namespace xbar::netlist {

using NodeId = int;

// One element; which fields mean something is set by its kind's parameter table (devices.hpp).
struct Element {
  ElementKind kind;
  std::string name;
  NodeId positive;
  NodeId negative;
  double value;      // ohm for a resistor (at 27 degC) and for a switch (its present state), volt for a
                     // source, V/V for a vcvs, farad for a capacitor
  std::string note;  // written as a comment line before the element, if not empty
  double tc1 = 0.0;  // resistor temperature coefficients, 1/degC and 1/degC^2
  double tc2 = 0.0;
  double ron = 0.0;  // switch: on- and off-resistance, ohm
  double roff = 0.0;
  bool closed = false;  // switch state
  NodeId control_positive = 0;  // vcvs: the nodes whose difference it amplifies
  NodeId control_negative = 0;

  // Conductance between its terminals, siemens (resistors and switches).
  double conductance() const { return 1.0 / value; }
  // The parameter of its kind's table called `name` (value, tc1, tc2, ron, roff).
  double parameter(std::string_view name) const;
};

class Circuit {
 public:
  static constexpr NodeId ground = 0;

  explicit Circuit(std::string title = "xbar circuit");

  // The node called `name`, created if new. "0" and "gnd" are ground.
  NodeId node(std::string_view name);
  std::optional<NodeId> find_node(std::string_view name) const;
  const std::string& node_name(NodeId id) const { return m_node_names.at(static_cast<std::size_t>(id)); }
  std::size_t node_count() const { return m_node_names.size(); }

  std::size_t add_resistor(std::string name, NodeId a, NodeId b, double ohms, std::string note = {});
  std::size_t add_voltage_source(std::string name, NodeId positive, NodeId negative, double volts,
                                 std::string note = {});
  std::size_t add_switch(std::string name, NodeId a, NodeId b, double ron, double roff, bool closed,
                         std::string note = {});
  // v(positive) - v(negative) = gain (v(control_positive) - v(control_negative)); draws no control current.
  std::size_t add_vcvs(std::string name, NodeId positive, NodeId negative, NodeId control_positive,
                       NodeId control_negative, double gain, std::string note = {});
  std::size_t add_capacitor(std::string name, NodeId a, NodeId b, double farads, std::string note = {});
  // Closes or opens a switch: its resistance follows.
  void set_switch(std::size_t element, bool closed);

  const std::vector<Element>& elements() const { return m_elements; }
  void set_value(std::size_t element, double value) { m_elements.at(element).value = value; }
  void set_temperature_coefficients(std::size_t element, double tc1, double tc2) {
    m_elements.at(element).tc1 = tc1;
    m_elements.at(element).tc2 = tc2;
  }

  const std::string& title() const { return m_title; }

 private:
  std::size_t add(Element element);

  std::string m_title;
  std::vector<std::string> m_node_names;
  struct NameHash {  // heterogeneous lookup: find by string_view without building a string
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };
  std::unordered_map<std::string, NodeId, NameHash, std::equal_to<>> m_node_ids;  // lower-case name -> id
  std::vector<Element> m_elements;
  std::unordered_map<std::string, std::size_t> m_element_ids;  // lower-case name -> index
};

std::string to_lower(std::string_view text);

}  // namespace xbar::netlist
