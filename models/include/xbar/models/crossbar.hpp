// A fabricated crossbar of differential cells (thesis fig. 6.2 with §6.5's signed cells).
//
// Cell (row i, column j) holds two banks: the `positive` bank is fed by the input line +v_i, the
// `negative` bank by the inverted line -v_i; both feed column j. A bank is either
//   parallel (fig. 6.1): n branches, each a resistor in series with its switch, or
//   series (fig. 6.3):   a chain of n resistors, each bypassed by a switch, then an enable switch.
// The *true* values live in `Crossbar`; the programmer only ever sees the *measured* ones.
// Usage (given const CellTechnology& tech, int rows, int cols, std::uint64_t seed, int i, int j, int k):
//   Crossbar xbar = fabricate_crossbar(tech, rows, cols, seed);
//   Calibration truth = true_calibration(xbar);
//   Calibration seen  = measure_calibration(xbar);       // what a tester measures
//   seen.branch_conductance.closed;                       // siemens, per branch (parallel banks)
//   SwitchStates states(xbar.shape);
//   states.on[xbar.shape.branch(i, j, Polarity::positive, k)] = 1;
//   Eigen::MatrixXd g = signed_conductances(truth, states);  // rows x cols, G+ - G-
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include "xbar/models/cell_technology.hpp"
#include "xbar/models/readout.hpp"

namespace xbar::models {

enum class Polarity { positive = 0, negative = 1 };

inline const char* polarity_letter(Polarity p) { return p == Polarity::positive ? "p" : "n"; }

struct CrossbarShape {
  int rows = 0;       // inputs
  int cols = 0;       // outputs
  int resistors = 0;  // per bank

  std::size_t cell_count() const { return static_cast<std::size_t>(rows) * cols; }
  std::size_t bank_count() const { return 2 * cell_count(); }
  std::size_t branches_per_cell() const { return 2 * static_cast<std::size_t>(resistors); }
  std::size_t branch_count() const { return cell_count() * branches_per_cell(); }
  std::size_t cell(int row, int col) const { return static_cast<std::size_t>(row) * cols + col; }
  std::size_t bank(int row, int col, Polarity p) const { return 2 * cell(row, col) + static_cast<std::size_t>(p); }
  // Branches of a cell are contiguous: positive bank k = 0..n-1, then negative bank k = 0..n-1.
  std::size_t branch(int row, int col, Polarity p, int k) const {
    return cell(row, col) * branches_per_cell() + static_cast<std::size_t>(p) * resistors + k;
  }
};

// Interconnect resistance (ohm): each input line (both polarities) and each column is a chain of
// `segment` resistors between adjacent crosspoints; `driver` sits between an input source and its line
// (which starts at column 0), `sense` between a column's end (after the last row) and its
// virtual-ground output. All zero: ideal wires.
// A fabricated die's segments may differ from `segment` (wire.variation): then `row_segments` holds line
// (i, p)'s segment between crosspoints j-1 and j at ((2 i + p) (cols - 1) + j - 1), and `column_segments`
// column j's between rows i-1 and i at (j (rows - 1) + i - 1); empty: every segment is `segment`.
struct Wires {
  double segment = 0.0;
  double driver = 0.0;
  double sense = 0.0;
  std::vector<double> row_segments, column_segments;
  bool ideal() const { return segment == 0.0 && driver == 0.0 && sense == 0.0; }
  double row_segment(int line, int j, int cols) const {
    return row_segments.empty() ? segment : row_segments[static_cast<std::size_t>(line) * (cols - 1) + j - 1];
  }
  double column_segment(int j, int i, int rows) const {
    return column_segments.empty() ? segment : column_segments[static_cast<std::size_t>(j) * (rows - 1) + i - 1];
  }
};

// The wires of one die: each segment `layout.segment` (1 + d), d drawn like a resistor's mismatch with
// `variation` from its own stream (seed, trial, fabrication, wire_stream). variation 0: the layout as is.
inline constexpr std::uint64_t wire_stream = (std::uint64_t{1} << 62) + 1;
Wires fabricate_wires(const Wires& layout, double variation, Distribution distribution, int rows, int cols,
                      std::uint64_t seed, std::uint64_t trial = 0);

struct Crossbar {
  CrossbarShape shape;
  Wires wires;
  Tia tia;                      // what holds each column (rf 0: an ideal 0 V source)
  double wire_capacitance = 0.0;  // farad from every wire node to ground (transients only)
  double tc1 = 0.0, tc2 = 0.0;  // resistor temperature coefficients (switches and wires have none)
  double temperature = nominal_temperature;  // degC, where the crossbar operates
  CellTopology topology = CellTopology::parallel;
  std::vector<double> resistance;   // ohm, true resistor value per branch at 27 degC
  std::vector<double> ron;          // ohm, true on-resistance of each branch's switch
  std::vector<double> roff;         // ohm, true off-resistance of each branch's switch
  std::vector<double> enable_ron;   // ohm, per bank: the enable switch of a series bank
  std::vector<double> enable_roff;  // ohm, per bank
};

// Every cell draws from its own stream (seed, trial, fabrication, cell index); the die-wide shift from
// (seed, trial, fabrication, global_stream). A resistor is
//   nominal_k (1 + global) (1 + mismatch) (1 + gradient_x (x - 1/2) + gradient_y (y - 1/2)),
// x, y in [0, 1] its column and row across the array.
inline constexpr std::uint64_t global_stream = std::uint64_t{1} << 62;
Crossbar fabricate_crossbar(const CellTechnology& tech, int rows, int cols, std::uint64_t seed,
                            std::uint64_t trial = 0);

// A resistor's value at `celsius`: R (1 + tc1 dT + tc2 dT^2), dT = celsius - 27 (as SPICE).
double resistance_at(const Crossbar& crossbar, std::size_t branch, double celsius);

// Values of switched elements in both states, in the unit the type names: a parallel bank's conductances
// and a series bank's resistances are different types, so one cannot be read as the other.
enum class Unit { siemens, ohm };
template <Unit U>
struct SwitchedValues {
  static constexpr Unit unit = U;
  std::vector<double> closed, open;
};
using SwitchedConductances = SwitchedValues<Unit::siemens>;
using SwitchedResistances = SwitchedValues<Unit::ohm>;

// Each branch in both switch states, as the programmer needs it (what its solver adds up). Only the
// members of the crossbar's topology are filled; the others are empty.
struct Calibration {
  CrossbarShape shape;
  CellTopology topology = CellTopology::parallel;
  SwitchedConductances branch_conductance;  // parallel, per branch: resistor + switch
  SwitchedResistances branch_resistance;    // series, per branch: resistor || its bypass switch
  SwitchedResistances enable_resistance;    // series, per bank: the enable switch
};

// The truth at a temperature, and at the crossbar's operating temperature.
Calibration calibration_at(const Crossbar& crossbar, double celsius);
Calibration true_calibration(const Crossbar& crossbar);

// How the tester measures: at `temperature`, each value with a relative error (normal, sigma) and then
// quantised to `bits` over [0, range] (range 0: 1.25 x the largest value measured).
struct MeasurementSetup {
  double temperature = nominal_temperature;  // degC
  double relative_error = 0.0;
  int bits = 0;        // 0: no quantisation
  double range = 0.0;  // siemens (parallel) or ohm (series)
};

// Calibration: what a tester measures of each branch in both switch states; noise drawn from
// (seed, trial, measurement, cell).
Calibration measure_calibration(const Crossbar& crossbar, const MeasurementSetup& setup = {}, std::uint64_t seed = 0,
                                std::uint64_t trial = 0);

struct SwitchStates {
  SwitchStates() = default;
  explicit SwitchStates(const CrossbarShape& s) : shape(s), on(s.branch_count(), 0), enable(s.bank_count(), 1) {}
  CrossbarShape shape;
  std::vector<std::uint8_t> on;      // 1 = switch closed, per branch
  std::vector<std::uint8_t> enable;  // 1 = enable switch closed, per bank (series banks only)
};

// Conductance of one bank for the given states (open parallel branches still leak through roff).
double bank_conductance(const Calibration& c, const SwitchStates& states, int row, int col, Polarity p);
// The same of the crossbar's truth at its temperature, bit for bit bank_conductance(true_calibration(x),
// ...), without the calibration's two values per branch: what a simulation of one array reads.
double true_bank_conductance(const Crossbar& crossbar, const SwitchStates& states, int row, int col, Polarity p);

// rows x cols matrix of G+ - G-: with row voltages v, the column currents are g^T v.
Eigen::MatrixXd signed_conductances(const Calibration& c, const SwitchStates& states);

}  // namespace xbar::models
