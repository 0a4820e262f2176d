// Programming the array, not the cell: switch states chosen against a model of the whole circuit.
//   temperature  the measured branches are carried to the operating temperature (tc1, tc2) before solving
//   wires        the targets are corrected until the transfer matrix of the model (measured branches, the
//                layout's wire resistances, native nodal solver) equals the wanted conductances:
//                D <- D + (W - T). First with each bank at its exact target, the common mode G+ + G- held where
//                the first solve put it (a smooth map: it contracts by the IR-drop fraction per step), then
//                with switch states: each cell solved to its banks' targets (solver/held_pair.hpp), and
//                passes that re-solve only the cells left too far from their corrected target
// Usage (given const models::Calibration& measured, const Eigen::MatrixXd& targets, const SolveMode& mode,
//        const CompensationSettings& settings):
//   CompensationReport report;
//   models::SwitchStates states = program_compensated(measured, targets, mode, settings, report);
//   report.residual.back();   // the model's largest |T - W| / g_fs after the last step
#pragma once

#include <string>
#include <vector>

#include <Eigen/Dense>

#include "xbar/models/crossbar.hpp"
#include "xbar/sim/backends/factorization.hpp"
#include "xbar/sim/program/solve_mode.hpp"
#include "xbar/solver/parallel.hpp"
#include "xbar/solver/subset_sum.hpp"

namespace xbar::sim {

struct CompensationSettings {
  bool wires = false, temperature = false;
  models::Wires layout;                 // the wires programming believes in (no variation)
  double calibration_temperature = models::nominal_temperature;  // degC, where `measured` holds
  double operating_temperature = models::nominal_temperature;    // degC, where the model is carried
  double tc1 = 0.0, tc2 = 0.0;
  double ron = 0.0;                     // ohm, the switches' nominal on-resistance
  double g_fs = 1.0;                    // siemens, the scale of `tolerance` and the report
  int iterations = 20;
  double tolerance = 3e-5;              // fraction of g_fs: stop once the model is this close
  double solver_tolerance = 0.0;        // siemens, the first solve's
  solver::Objective objective = solver::Objective::closest;
  unsigned jobs = 0;
  Factorization factorization = Factorization::automatic;  // of the model's nodal matrix
};

struct SaturatedCell {
  int row = 0, col = 0;
  double wanted = 0.0;     // the corrected G+ - G- it was asked for, siemens
  double reachable = 0.0;  // the nearest its banks reach, siemens
};

struct CompensationReport {
  std::vector<double> continuous_residual;  // the same with each bank at its exact (continuous) target, per step
  std::vector<double> residual;      // model's max |T - W| / g_fs with the switch states, after each pass
  std::vector<std::size_t> resolved; // cells re-solved at each step
  std::size_t saturated = 0;         // cells whose corrected target lies outside their banks' range
  std::vector<SaturatedCell> saturated_cells;  // the first few of them
  bool converged = false;            // the last residual is within the tolerance
  std::string stopped_by;            // "tolerance", "iterations" or "no gain" (two passes gained nothing)
};

// The branches as they are at `settings.operating_temperature`, from values measured at the calibration
// temperature: each resistor R = 1/g_closed - ron scales by (1 + tc1 dT + tc2 dT^2) / (same at calibration),
// dT from 27 degC (SPICE's tnom); the switches have no coefficient.
models::Calibration calibration_at_operation(const models::Calibration& measured, const CompensationSettings& settings);

// targets: rows x cols signed conductances (siemens). Parallel banks, mode signed or free.
models::SwitchStates program_compensated(const models::Calibration& measured, const Eigen::MatrixXd& targets,
                                         const SolveMode& mode, const CompensationSettings& settings,
                                         CompensationReport& report, const solver::Progress& progress = {});

}  // namespace xbar::sim
