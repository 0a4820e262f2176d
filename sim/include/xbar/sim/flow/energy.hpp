// Power and energy of matrix-vector products, from the solved circuit.
// Usage (given const models::Crossbar& crossbar, const models::SwitchStates& states,
//        const Eigen::MatrixXd& row_voltages, const SourceCurrents& currents):
//   EnergyReport e = energy_of(crossbar, states, row_voltages, currents, 1e-6);
//   e.power_w[0];          // watts every source delivers for input vector 0
//   e.energy_per_mac_j;    // joules per multiply-accumulate at t_int = 1 us
//
// power_w is the static power every source of the circuit delivers, sum of -V I over them with I into
// the + terminal (ngspice's sign): the row drivers, and the column terminations (a 0 V source delivers
// nothing; an ideal amplifier's virtual ground at its offset V_os delivers -V_os I; a finite-gain
// amplifier's output -V_o I, which is what its feedback resistor dissipates). By Tellegen's theorem it
// equals the sum of I^2 R over every resistor. common_mode_w is the part of the drivers' power that
// carries no signal, apportioned as the closed forms at the ideal drive split it: each cell draws
// (G+ + G-) v_i^2, of which 2 min(G+, G-) v_i^2 is common mode (programming_stats' split of the current).
#pragma once

#include <cstddef>
#include <vector>

#include <Eigen/Dense>

#include "xbar/models/crossbar.hpp"
#include "xbar/sim/backends/backend.hpp"

namespace xbar::sim {

struct EnergyReport {
  std::vector<double> power_w;        // per input vector, watts: every source
  std::vector<double> input_power_w;  // per input vector, watts: the row drivers alone
  std::vector<double> common_mode_w;  // per input vector, watts: the drivers' common-mode share
  double t_int = 0.0;                 // seconds per product
  double energy_per_mvm_j = 0.0;      // mean power x t_int
  double energy_per_mac_j = 0.0;      // energy_per_mvm_j / (rows x cols)
  std::size_t macs_per_mvm = 0;
};

EnergyReport energy_of(const models::Crossbar& crossbar, const models::SwitchStates& states,
                       const Eigen::MatrixXd& row_voltages, const SourceCurrents& currents, double t_int);

}  // namespace xbar::sim
