// A fabricated crossbar of differential cells (thesis fig. 6.2 with §6.5's signed cells).
//
// Cell (row i, column j) holds two banks: the `positive` bank is fed by the input line +v_i, the
// `negative` bank by the inverted line -v_i; both feed column j. A branch is one resistor in series with
// its switch. The *true* values live in `Crossbar`; the programmer only ever sees the *measured* ones.
//
//   Crossbar xbar = fabricate_crossbar(tech, rows, cols, seed, trial);
//   BranchConductances truth = true_branch_conductances(xbar);
//   BranchConductances seen  = measure_branches(xbar);      // calibration
//   SwitchStates states(xbar.shape());  ... states.on[shape.branch(i, j, Polarity::positive, k)] = 1;
//   Eigen::MatrixXd g = signed_conductances(truth, states); // rows x cols, G+ - G-
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include "xbar/models/cell_technology.hpp"

namespace xbar::models {

enum class Polarity { positive = 0, negative = 1 };

inline const char* polarity_letter(Polarity p) { return p == Polarity::positive ? "p" : "n"; }

struct CrossbarShape {
  int rows = 0;       // inputs
  int cols = 0;       // outputs
  int resistors = 0;  // per bank

  std::size_t cell_count() const { return static_cast<std::size_t>(rows) * cols; }
  std::size_t branches_per_cell() const { return 2 * static_cast<std::size_t>(resistors); }
  std::size_t branch_count() const { return cell_count() * branches_per_cell(); }
  std::size_t cell(int row, int col) const { return static_cast<std::size_t>(row) * cols + col; }
  // Branches of a cell are contiguous: positive bank k = 0..n-1, then negative bank k = 0..n-1.
  std::size_t branch(int row, int col, Polarity p, int k) const {
    return cell(row, col) * branches_per_cell() + static_cast<std::size_t>(p) * resistors + k;
  }
};

struct Crossbar {
  CrossbarShape shape;
  std::vector<double> resistance;  // ohm, true resistor value per branch
  std::vector<double> ron;         // ohm, true switch on-resistance per branch
  std::vector<double> roff;        // ohm, true switch off-resistance per branch
};

// Every cell draws from its own stream (seed, trial, fabrication, cell index).
Crossbar fabricate_crossbar(const CellTechnology& tech, int rows, int cols, std::uint64_t seed,
                            std::uint64_t trial = 0);

// Conductance of each branch with its switch on and off: 1/(R + ron), 1/(R + roff).
struct BranchConductances {
  CrossbarShape shape;
  std::vector<double> on;   // siemens
  std::vector<double> off;  // siemens
};

BranchConductances true_branch_conductances(const Crossbar& crossbar);

// Calibration: what a tester measures of each branch in both switch states. Exact for now.
BranchConductances measure_branches(const Crossbar& crossbar);

struct SwitchStates {
  SwitchStates() = default;
  explicit SwitchStates(const CrossbarShape& s) : shape(s), on(s.branch_count(), 0) {}
  CrossbarShape shape;
  std::vector<std::uint8_t> on;  // 1 = switch closed, per branch
};

// Conductance of one bank for the given states (off branches still leak through roff).
double bank_conductance(const BranchConductances& g, const SwitchStates& states, int row, int col,
                        Polarity p);

// rows x cols matrix of G+ - G-: with row voltages v, the column currents are g^T v.
Eigen::MatrixXd signed_conductances(const BranchConductances& g, const SwitchStates& states);

}  // namespace xbar::models
