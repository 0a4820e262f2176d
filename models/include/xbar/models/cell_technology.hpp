// A resistor-bank cell (thesis fig. 6.1): n resistors in parallel, each in series with a switch.
// Usage:
//   CellTechnology tech{.resistors = 8, .nominal = 10e3, .design = BankDesign::uniform, .variation = 0.2};
//   auto r = nominal_resistances(tech);        // per-position nominal resistance, ohm
//   double g = nominal_bank_conductance(tech); // all switches on, siemens
#pragma once

#include <string_view>
#include <vector>

#include "xbar/models/random.hpp"

namespace xbar::models {

enum class BankDesign {
  uniform,  // every resistor has the same nominal value
  binary,   // nominal conductance halves at each position: R, 2R, 4R, ...
  spread,   // each resistor's conductance drawn uniform in (0, 1] x 1/R at fabrication (thesis §4.3's
            // values in U[-1, 1]: a signed cell's 2n values are then uniform in [-1/R, 1/R])
};

// How a bank's resistors are connected (thesis fig. 6.1 and fig. 6.3).
enum class CellTopology {
  parallel,  // each resistor in series with its switch, all in parallel: conductances add when closed
  series,    // resistors in a chain, each bypassed by a switch, plus one enable switch: resistances add when open
};

enum class Distribution {
  uniform,  // relative deviation uniform in [-spread, +spread]
  normal,   // relative deviation normal with sigma = spread (truncated so a value stays positive)
};

struct CellTechnology {
  int resistors = 8;          // resistors per bank (a differential cell has two banks)
  double nominal = 10e3;      // ohm, nominal resistance of position 0
  BankDesign design = BankDesign::uniform;
  double variation = 0.2;     // relative process spread of each resistor
  Distribution distribution = Distribution::uniform;
  double ron = 100.0;         // ohm, switch on-resistance
  double roff = 1e9;          // ohm, switch off-resistance
  CellTopology topology = CellTopology::parallel;

  // Process variation beyond each resistor's own mismatch (`variation` above):
  double global = 0.0;                              // die-to-die shift of every resistor, relative
  Distribution global_distribution = Distribution::normal;
  bool pelgrom = false;      // mismatch scales as 1/sqrt(area), area as nominal resistance
  double gradient_x = 0.0;   // relative change across the columns (first to last)
  double gradient_y = 0.0;   // relative change across the rows
  double ron_spread = 0.0;   // relative sigma of each switch's on-resistance (normal)
  double tc1 = 0.0;          // 1/degC, resistor temperature coefficients about 27 degC (SPICE's tnom)
  double tc2 = 0.0;          // 1/degC^2
};

inline constexpr double nominal_temperature = 27.0;  // degC, where fabricated values hold

std::string_view to_string(BankDesign design);
std::string_view to_string(Distribution distribution);
std::string_view to_string(CellTopology topology);

std::vector<double> nominal_resistances(const CellTechnology& tech);

// Relative mismatch spread of each bank position: `variation`, scaled by sqrt(R_0 / R_k) with pelgrom.
std::vector<double> mismatch_spreads(const CellTechnology& tech);

// Conductance of one bank with every switch on, at nominal values (resistor in series with ron).
double nominal_bank_conductance(const CellTechnology& tech);

// What g_fs is a fraction of (cell.full_scale_of). `resistor`: one nominal resistor of position 0 with its
// switch, the same for any n, so the currents (and the IR drop) do not grow with the bank; `bank`: the
// reference bank conductance below, which grows with n. Series banks always use the bank reference: their
// resolution near one resistor's conductance is too coarse to hold a weight.
enum class FullScaleReference { resistor, bank };
double full_scale_reference(const CellTechnology& tech, FullScaleReference of);

// The conductance g_fs is a fraction of (cell.full_scale). Parallel banks: the nominal bank with every
// switch closed. Series banks reach conductances between 1/R_total and 1/R_min (the chain's total and
// its smallest resistor, nominal) with a resolution that worsens as 1/R grows; their reference is the
// geometric mean of the two, which balances the gap next to zero against the coarse steps at the top.
double reference_bank_conductance(const CellTechnology& tech);

// One relative deviation d, so that a fabricated value is nominal * (1 + d); always d > -0.95.
double draw_relative_deviation(Rng& rng, Distribution distribution, double spread);

}  // namespace xbar::models
