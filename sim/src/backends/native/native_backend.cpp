#include "backends/native/native_backend.hpp"

#include <cassert>

#include "backends/native/grid_dissection.hpp"
#include "xbar/netlist/names.hpp"

namespace xbar::sim {

namespace {

using models::Polarity;

bool finite_gain(const models::Tia& tia) { return tia.present() && !tia.ideal(); }

std::string topology_key(const models::Crossbar& x) {
  return std::to_string(x.shape.rows) + "x" + std::to_string(x.shape.cols) + (x.wires.segment > 0 ? " s" : "") +
         (x.wires.driver > 0 ? " d" : "") + (x.wires.sense > 0 ? " e" : "") + (finite_gain(x.tia) ? " a" : "");
}

// The crossbar as a conductance network, numbered directly (no names are built: a 256x256 array has
// hundreds of thousands of elements). Node and element names come from netlist::names, the scheme the
// circuit builder uses, and are made only for messages. Nodes: ground, row-line nodes, column nodes, input nodes (driver > 0), output
// nodes (sense > 0), amplifier nodes (a finite-gain TIA: models::Tia's equivalent conductance to a source).
// Sources: row i's + and - lines, then the columns. Every bank is one conductance,
// its exact equivalent (netlist::BankDetail::collapsed gives the same as a Circuit).
class CrossbarNetwork {
 public:
  explicit CrossbarNetwork(const models::Crossbar& x)
      : m_rows(x.shape.rows), m_cols(x.shape.cols), m_wires(x.wires),
        m_points(x.wires.segment > 0 ? x.shape.cols : 1), m_column_points(x.wires.segment > 0 ? x.shape.rows : 1) {
    m_row_base = 1;
    m_column_base = m_row_base + 2 * m_rows * m_points;
    m_input_base = m_column_base + m_cols * m_column_points;
    m_output_base = m_input_base + (m_wires.driver > 0 ? 2 * m_rows : 0);
    m_tia_base = m_output_base + (m_wires.sense > 0 ? m_cols : 0);
    m_amplified = finite_gain(x.tia);
    m_nodes = m_tia_base + (m_amplified ? m_cols : 0);
    // Resistors come in this order: row segments, column segments, drivers, sense, amplifiers, then the banks.
    m_first_bank = static_cast<std::size_t>(m_wires.segment > 0 ? 2 * m_rows * (m_cols - 1) + m_cols * (m_rows - 1) : 0) +
                   static_cast<std::size_t>(m_wires.driver > 0 ? 2 * m_rows : 0) +
                   static_cast<std::size_t>(m_wires.sense > 0 ? m_cols : 0) + static_cast<std::size_t>(m_amplified ? m_cols : 0);
  }

  ConductanceNetwork build(const models::Crossbar& x, const models::SwitchStates& states) const {
    ConductanceNetwork n;
    n.nodes = static_cast<std::size_t>(m_nodes);
    if (m_wires.segment > 0) {
      for (int i = 0; i < m_rows; ++i)
        for (int p = 0; p < 2; ++p)
          for (int j = 1; j < m_cols; ++j) {
            n.resistors.push_back({row(i, p, j - 1), row(i, p, j), 1.0 / x.wires.row_segment(2 * i + p, j, m_cols)});
          }
      for (int j = 0; j < m_cols; ++j)
        for (int i = 1; i < m_rows; ++i) {
          n.resistors.push_back({column(j, i - 1), column(j, i), 1.0 / x.wires.column_segment(j, i, m_rows)});
        }
    }
    if (m_wires.driver > 0) {
      for (int i = 0; i < m_rows; ++i)
        for (int p = 0; p < 2; ++p) n.resistors.push_back({m_input_base + 2 * i + p, row(i, p, 0), 1.0 / m_wires.driver});
    }
    if (m_wires.sense > 0) {
      for (int j = 0; j < m_cols; ++j) n.resistors.push_back({column(j, m_rows - 1), m_output_base + j, 1.0 / m_wires.sense});
    }
    if (m_amplified) {
      for (int j = 0; j < m_cols; ++j) n.resistors.push_back({column_end(j), m_tia_base + j, x.tia.equivalent_conductance()});
    }
    assert(n.resistors.size() == m_first_bank);
    for (int i = 0; i < m_rows; ++i)
      for (int j = 0; j < m_cols; ++j)
        for (int p = 0; p < 2; ++p) {
          n.resistors.push_back({row(i, p, j), column(j, i),
                                 models::true_bank_conductance(x, states, i, j, static_cast<Polarity>(p))});
        }
    for (int i = 0; i < m_rows; ++i)
      for (int p = 0; p < 2; ++p) n.sources.push_back({m_wires.driver > 0 ? m_input_base + 2 * i + p : row(i, p, 0), 1.0});
    for (int j = 0; j < m_cols; ++j) n.sources.push_back({m_amplified ? m_tia_base + j : column_end(j), 1.0});
    if (m_wires.segment > 0) {
      const GridNodes grid{m_rows, m_cols, [this](int i, int p, int j) { return row(i, p, j); },
                           [this](int j, int i) { return column(j, i); }};
      n.elimination_order = grid_dissection(grid);
    }
    const CrossbarNetwork layout = *this;
    n.node_name = [layout](int id) { return layout.node_name(id); };
    n.resistor_name = [layout](std::size_t k) { return layout.resistor_name(k); };
    n.source_name = [layout](std::size_t k) {
      const auto rows = static_cast<std::size_t>(2 * layout.m_rows);
      return k < rows ? netlist::names::row_source(static_cast<int>(k / 2), static_cast<Polarity>(k % 2))
                      : netlist::names::column_source(static_cast<int>(k - rows));
    };
    return n;
  }

 private:
  int column_end(int j) const { return m_wires.sense > 0 ? m_output_base + j : column(j, m_rows - 1); }
  int row(int i, int p, int j) const { return m_row_base + (2 * i + p) * m_points + (m_points > 1 ? j : 0); }
  int column(int j, int i) const { return m_column_base + j * m_column_points + (m_column_points > 1 ? i : 0); }

  std::string node_name(int id) const {
    namespace names = netlist::names;
    if (id == 0) return "0";
    if (id < m_column_base) {
      const int k = id - m_row_base, line = k / m_points;
      return names::row_node(line / 2, static_cast<Polarity>(line % 2), k % m_points, m_points > 1);
    }
    if (id < m_input_base) {
      const int k = id - m_column_base;
      return names::column_node(k / m_column_points, k % m_column_points, m_column_points > 1);
    }
    if (id < m_output_base) {
      const int k = id - m_input_base;
      return names::input_node(k / 2, static_cast<Polarity>(k % 2));
    }
    if (id < m_tia_base) return names::output_node(id - m_output_base);
    return names::tia_output(id - m_tia_base) + " (the amplifier seen from the column)";
  }

  std::string resistor_name(std::size_t k) const {
    if (k >= m_first_bank) {
      const std::size_t b = k - m_first_bank;
      const std::size_t cell = b / 2;
      const auto cols = static_cast<std::size_t>(m_cols);
      return netlist::names::bank_equivalent(static_cast<int>(cell / cols), static_cast<int>(cell % cols),
                                             static_cast<Polarity>(b % 2));
    }
    const std::size_t amplifiers = m_amplified ? static_cast<std::size_t>(m_cols) : 0;
    if (k + amplifiers >= m_first_bank) {
      return netlist::names::tia_feedback(static_cast<int>(k + amplifiers - m_first_bank)) + " (with its amplifier's gain)";
    }
    return "wire resistor " + std::to_string(k);
  }

  int m_rows, m_cols;
  models::Wires m_wires;
  int m_points, m_column_points;
  int m_row_base = 0, m_column_base = 0, m_input_base = 0, m_output_base = 0, m_tia_base = 0, m_nodes = 0;
  bool m_amplified = false;
  std::size_t m_first_bank = 0;
};

}  // namespace

NodalSystem& NativeBackend::factorized(const models::Crossbar& crossbar, const models::SwitchStates& states,
                                       SourceConductance conductance) {
  const ConductanceNetwork network = CrossbarNetwork(crossbar).build(crossbar, states);
  const std::string key = topology_key(crossbar);
  const bool upgrade = conductance == SourceConductance::wanted && m_conductance != conductance;
  if (!m_system || key != m_topology || upgrade) {
    m_system = std::make_unique<NodalSystem>(network, m_factorization, conductance);
    m_topology = key;
    m_conductance = conductance;
  }
  if (m_system->factorize(network) != NodalStatus::success) {
    const std::string message = m_system->last_error();
    m_system.reset();  // analysed for a network that failed: start afresh next time
    throw NodalError(message);
  }
  return *m_system;
}

SourceCurrents NativeBackend::source_currents(const models::Crossbar& crossbar, const models::SwitchStates& states,
                                             const Eigen::MatrixXd& row_voltages, const solver::Progress& progress) {
  const NodalSystem& system = factorized(crossbar, states);
  // Source order: row i's + line, row i's - line (driven at -v), then the columns (0 V, the amplifier's
  // offset, or its equivalent source).
  const int rows = crossbar.shape.rows, cols = crossbar.shape.cols;
  const models::Tia& tia = crossbar.tia;
  const double column_value = !tia.present() ? 0.0 : tia.ideal() ? tia.offset : tia.equivalent_source();
  Eigen::MatrixXd values = Eigen::MatrixXd::Constant(2 * rows + cols, row_voltages.rows(), column_value);
  for (int i = 0; i < rows; ++i) {
    values.row(2 * i) = row_voltages.col(i).transpose();
    values.row(2 * i + 1) = -row_voltages.col(i).transpose();
  }
  const Eigen::MatrixXd currents = system.source_currents(values);
  SourceCurrents result{currents.bottomRows(cols).transpose(), currents.topRows(2 * rows).transpose()};
  if (progress) progress(static_cast<std::size_t>(row_voltages.rows()), static_cast<std::size_t>(row_voltages.rows()));
  return result;
}

// One volt on row i drives source 2i at +1 and 2i + 1 at -1: the currents are Y's column 2i less its
// column 2i + 1 (Y symmetric: rows, read as columns).
SourceCurrents NativeBackend::unit_responses(const models::Crossbar& crossbar, const models::SwitchStates& states) {
  const NodalSystem& system = factorized(crossbar, states, SourceConductance::wanted);
  const int rows = crossbar.shape.rows, cols = crossbar.shape.cols;
  Eigen::MatrixXd unit(2 * rows + cols, rows);
  if (system.sources_last()) {
    const Eigen::MatrixXd& y = system.source_conductance();
    for (int i = 0; i < rows; ++i) unit.col(i) = y.col(2 * i) - y.col(2 * i + 1);
  } else {
    Eigen::MatrixXd values = Eigen::MatrixXd::Zero(2 * rows + cols, rows);
    for (int i = 0; i < rows; ++i) {
      values(2 * i, i) = 1.0;
      values(2 * i + 1, i) = -1.0;
    }
    unit = system.source_currents(values);
  }
  return {unit.bottomRows(cols).transpose(), unit.topRows(2 * rows).transpose()};
}

}  // namespace xbar::sim
