// Circuit backends behind one interface: given a programmed crossbar and row voltages, the currents
// (amperes) into the column terminations (the outputs) and into the row sources (for power).
// Usage (given const models::Crossbar& crossbar, const models::SwitchStates& states,
//        const Eigen::MatrixXd& row_voltages):
//   auto backend = make_backend(BackendKind::ngspice);
//   Eigen::MatrixXd i = backend->column_currents(crossbar, states, row_voltages);  // vectors x cols
//   SourceCurrents all = backend->source_currents(crossbar, states, row_voltages); // and the rows'
//
// The column termination is what crossbar.tia says: a 0 V source, an ideal amplifier's virtual ground at
// its offset, or a finite-gain amplifier (its output's branch current); the ideal backend ignores the
// amplifier as it ignores the wires.
//
// The built-in backends are listed explicitly in backend_registry() (backends/registry.cpp):
// - ideal:   the programmed crossbar as an ideal linear network (wires ignored), closed form with
//            Eigen: I = V (G+ - G-), exact Ohm and Kirchhoff.
// - native:  nodal analysis, wire resistance included, on CHOLMOD or Eigen (native/nodal_system.hpp).
// - ngspice: the emitted netlist, run by the ngspice shared library (one operating point per vector).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Dense>

#include "xbar/models/crossbar.hpp"
#include "xbar/sim/backends/factorization.hpp"
#include "xbar/solver/parallel.hpp"

namespace xbar::sim {

enum class BackendKind { ideal, native, ngspice };

// Currents as ngspice reports a source's: positive into its + terminal.
struct SourceCurrents {
  Eigen::MatrixXd columns;  // vectors x cols: into each column's termination, i.e. out of the array
  Eigen::MatrixXd rows;     // vectors x 2 rows: row i's + source at 2i, its - source at 2i + 1
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual BackendKind kind() const = 0;
  // row_voltages: one input vector per row (vectors x rows), volts; row i's + line is driven at v_i,
  // its - line at -v_i. `progress` is called with (vectors done, vectors).
  virtual SourceCurrents source_currents(const models::Crossbar& crossbar, const models::SwitchStates& states,
                                         const Eigen::MatrixXd& row_voltages, const solver::Progress& progress = {}) = 0;
  // The outputs alone: vectors x cols amperes.
  Eigen::MatrixXd column_currents(const models::Crossbar& crossbar, const models::SwitchStates& states,
                                  const Eigen::MatrixXd& row_voltages, const solver::Progress& progress = {}) {
    return source_currents(crossbar, states, row_voltages, progress).columns;
  }
  // The currents for one volt on each input row in turn (its + line at +1 V, its - line at -1 V, all
  // else at 0 V, an amplifier's offset too): the circuit's linear part, rows x cols and rows x 2 rows.
  // By default the identity's rows as input vectors, less the response to a zero input (transfer.cpp);
  // the native backend reads it off the sources' conductance matrix, one dense block of its factor.
  virtual SourceCurrents unit_responses(const models::Crossbar& crossbar, const models::SwitchStates& states);
};

// Settings a backend may read (the others ignore them).
struct BackendOptions {
  Factorization factorization = Factorization::automatic;  // native
};

struct BackendEntry {
  BackendKind kind;
  std::string_view name;
  std::string_view description;
  std::unique_ptr<Backend> (*make)(const BackendOptions&);
};

// Every backend xbar has, in the order the documentation lists them.
const std::vector<BackendEntry>& backend_registry();

std::string_view to_string(BackendKind kind);
std::optional<BackendKind> parse_backend(std::string_view text);
std::unique_ptr<Backend> make_backend(BackendKind kind, const BackendOptions& options = {});

}  // namespace xbar::sim
