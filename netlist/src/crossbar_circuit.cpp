#include "xbar/netlist/crossbar_circuit.hpp"

#include <stdexcept>

#include "xbar/netlist/names.hpp"
#include "xbar/netlist/spice_number.hpp"

namespace xbar::netlist {

using models::Polarity;

namespace {

std::string switch_code(const models::SwitchStates& states, int row, int col, Polarity p) {
  std::string code;
  for (int k = 0; k < states.shape.resistors; ++k) {
    code += states.on[states.shape.branch(row, col, p, k)] ? '1' : '0';
  }
  return code;
}

std::string bank_note(const models::SwitchStates& states, int row, int col, Polarity p) {
  return "cell r" + std::to_string(row) + " c" + std::to_string(col) + " " + (p == Polarity::positive ? "+" : "-") +
         " bank, switches " + switch_code(states, row, col, p);
}

// Each resistor in series with its switch, every branch from the row line to the column.
void add_parallel_bank(Circuit& c, const models::Crossbar& xbar, const models::SwitchStates& states, int i, int j,
                       Polarity p, NodeId row, NodeId column) {
  for (int k = 0; k < xbar.shape.resistors; ++k) {
    const std::size_t b = xbar.shape.branch(i, j, p, k);
    const NodeId mid = c.node(names::branch_node(i, j, p, k));
    const std::size_t r = c.add_resistor(names::resistor(i, j, p, k), row, mid, xbar.resistance[b],
                                         k == 0 ? bank_note(states, i, j, p) : std::string());
    c.set_temperature_coefficients(r, xbar.tc1, xbar.tc2);
    c.add_switch(names::branch_switch(i, j, p, k), mid, column, xbar.ron[b], xbar.roff[b], states.on[b] != 0);
  }
}

// A chain of resistors from the row line, each bypassed by its switch, then the enable switch.
void add_series_bank(Circuit& c, const models::Crossbar& xbar, const models::SwitchStates& states, int i, int j,
                     Polarity p, NodeId row, NodeId column) {
  const std::size_t bank_index = xbar.shape.bank(i, j, p);
  NodeId previous = row;
  for (int k = 0; k < xbar.shape.resistors; ++k) {
    const std::size_t b = xbar.shape.branch(i, j, p, k);
    const NodeId next = c.node(names::branch_node(i, j, p, k));
    const std::size_t r = c.add_resistor(names::resistor(i, j, p, k), previous, next, xbar.resistance[b],
                                         k == 0 ? bank_note(states, i, j, p) + " (1 = bypassed), enable " +
                                                      (states.enable[bank_index] ? "1" : "0")
                                                : std::string());
    c.set_temperature_coefficients(r, xbar.tc1, xbar.tc2);
    c.add_switch(names::branch_switch(i, j, p, k), previous, next, xbar.ron[b], xbar.roff[b], states.on[b] != 0);
    previous = next;
  }
  c.add_switch(names::enable_switch(i, j, p), previous, column, xbar.enable_ron[bank_index],
               xbar.enable_roff[bank_index], states.enable[bank_index] != 0);
}

}  // namespace

namespace {

// The nodes of the wire grid: where a row line meets a column, and where a column meets a row.
class WireGrid {
 public:
  WireGrid(Circuit& c, const models::Crossbar& xbar)
      : m_c(c), m_wires(xbar.wires), m_shape(xbar.shape),
        m_rows(static_cast<std::size_t>(2 * xbar.shape.rows) * xbar.shape.cols, -1),
        m_columns(static_cast<std::size_t>(xbar.shape.rows) * xbar.shape.cols, -1) {}

  // Node ids are looked up by name once and remembered: a large crossbar asks for each many times.
  NodeId row(int i, Polarity p, int j) {
    NodeId& id = m_rows[(static_cast<std::size_t>(2 * i) + static_cast<std::size_t>(p)) * m_shape.cols + j];
    if (id < 0) id = m_c.node(names::row_node(i, p, j, m_wires.segment > 0));
    return id;
  }
  NodeId column(int j, int i) {
    NodeId& id = m_columns[static_cast<std::size_t>(j) * m_shape.rows + i];
    if (id < 0) id = m_c.node(names::column_node(j, i, m_wires.segment > 0));
    return id;
  }

  // Segments along every line, drivers and sense resistors. Returns the node each source drives.
  NodeId add_row_line(int i, Polarity p) {
    if (m_wires.segment > 0) {
      for (int j = 1; j < m_shape.cols; ++j) {
        m_c.add_resistor(names::row_segment(i, p, j), row(i, p, j - 1), row(i, p, j),
                         m_wires.row_segment(2 * i + static_cast<int>(p), j, m_shape.cols));
      }
    }
    if (m_wires.driver == 0) return row(i, p, 0);
    const NodeId source = m_c.node(names::input_node(i, p));
    m_c.add_resistor(names::driver(i, p), source, row(i, p, 0), m_wires.driver);
    return source;
  }
  NodeId add_column_line(int j) {
    if (m_wires.segment > 0) {
      for (int i = 1; i < m_shape.rows; ++i) {
        m_c.add_resistor(names::column_segment(j, i), column(j, i - 1), column(j, i),
                         m_wires.column_segment(j, i, m_shape.rows));
      }
    }
    const NodeId end = column(j, m_shape.rows - 1);
    if (m_wires.sense == 0) return end;
    const NodeId output = m_c.node(names::output_node(j));
    m_c.add_resistor(names::sense(j), end, output, m_wires.sense);
    return output;
  }

 private:
  Circuit& m_c;
  models::Wires m_wires;
  models::CrossbarShape m_shape;
  std::vector<NodeId> m_rows, m_columns;
};

}  // namespace

namespace {

// What holds column j's end: an ideal virtual ground (a source at 0 V, or at the amplifier's offset), or
// the amplifier itself: its output drives the feedback resistor back to the column.
void add_column_termination(CrossbarCircuit& cc, const models::Tia& tia, int j, NodeId end) {
  Circuit& c = cc.circuit;
  if (!tia.present() || tia.ideal()) {
    cc.column_sources.push_back(names::column_source(j));
    c.add_voltage_source(cc.column_sources.back(), end, Circuit::ground, tia.present() ? tia.offset : 0.0,
                         "output " + std::to_string(j) + ": virtual ground" +
                             (tia.present() ? " (ideal amplifier, at its offset)" : "") + ", current = output");
    return;
  }
  const NodeId out = c.node(names::tia_output(j)), reference = c.node(names::tia_reference(j));
  c.add_voltage_source(names::tia_offset(j), reference, Circuit::ground, tia.offset,
                       "output " + std::to_string(j) + ": transimpedance amplifier, open-loop gain " +
                           format_number(tia.gain) + ", its branch current = output");
  c.add_resistor(names::tia_feedback(j), end, out, tia.rf);
  cc.column_sources.push_back(names::tia_amplifier(j));
  c.add_vcvs(cc.column_sources.back(), out, Circuit::ground, reference, end, tia.gain);
}

// Every node of the row and column lines gets the segment's capacitance to ground.
void add_wire_capacitance(Circuit& c, const models::Crossbar& xbar, WireGrid& grid) {
  const bool segmented = xbar.wires.segment > 0;
  const int points = segmented ? xbar.shape.cols : 1, column_points = segmented ? xbar.shape.rows : 1;
  for (int i = 0; i < xbar.shape.rows; ++i)
    for (Polarity p : {Polarity::positive, Polarity::negative})
      for (int j = 0; j < points; ++j) {
        const NodeId n = grid.row(i, p, j);
        c.add_capacitor(names::wire_capacitor(c.node_name(n)), n, Circuit::ground, xbar.wire_capacitance);
      }
  for (int j = 0; j < xbar.shape.cols; ++j)
    for (int i = 0; i < column_points; ++i) {
      const NodeId n = grid.column(j, i);
      c.add_capacitor(names::wire_capacitor(c.node_name(n)), n, Circuit::ground, xbar.wire_capacitance);
    }
}

}  // namespace

CrossbarCircuit build_crossbar_circuit(const models::Crossbar& xbar, const models::SwitchStates& states,
                                       std::span<const double> row_voltages, BankDetail detail) {
  const models::CrossbarShape& shape = xbar.shape;
  if (row_voltages.size() != static_cast<std::size_t>(shape.rows)) {
    throw std::invalid_argument("build_crossbar_circuit: one voltage per row expected");
  }
  CrossbarCircuit cc{Circuit("xbar crossbar " + std::to_string(shape.rows) + "x" + std::to_string(shape.cols) +
                             ", " + std::to_string(shape.resistors) + " resistors per bank"),
                     {}, std::nullopt};
  Circuit& c = cc.circuit;
  WireGrid grid(c, xbar);
  for (int i = 0; i < shape.rows; ++i) {
    const NodeId plus = grid.add_row_line(i, Polarity::positive);
    const NodeId minus = grid.add_row_line(i, Polarity::negative);
    c.add_voltage_source(names::row_source(i, Polarity::positive), plus, Circuit::ground, row_voltages[i],
                         "input " + std::to_string(i));
    c.add_voltage_source(names::row_source(i, Polarity::negative), minus, Circuit::ground, -row_voltages[i]);
  }
  for (int j = 0; j < shape.cols; ++j) add_column_termination(cc, xbar.tia, j, grid.add_column_line(j));
  if (xbar.wire_capacitance > 0.0) add_wire_capacitance(c, xbar, grid);
  // Tempcos are written as SPICE's tc1/tc2 with .temp; collapsed banks already hold the values at
  // the operating temperature.
  const bool thermal = xbar.tc1 != 0.0 || xbar.tc2 != 0.0 || xbar.temperature != models::nominal_temperature;
  if (detail == BankDetail::full && thermal) cc.temperature = xbar.temperature;
  const models::Calibration truth =
      detail == BankDetail::collapsed ? models::true_calibration(xbar) : models::Calibration{};
  for (int i = 0; i < shape.rows; ++i) {
    for (int j = 0; j < shape.cols; ++j) {
      const NodeId column = grid.column(j, i);
      for (Polarity p : {Polarity::positive, Polarity::negative}) {
        const NodeId row = grid.row(i, p, j);
        if (detail == BankDetail::collapsed) {
          c.add_resistor(names::bank_equivalent(i, j, p), row, column, 1.0 / models::bank_conductance(truth, states, i, j, p));
        } else if (xbar.topology == models::CellTopology::parallel) {
          add_parallel_bank(c, xbar, states, i, j, p, row, column);
        } else {
          add_series_bank(c, xbar, states, i, j, p, row, column);
        }
      }
    }
  }
  return cc;
}

}  // namespace xbar::netlist
