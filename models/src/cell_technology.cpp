#include "xbar/models/cell_technology.hpp"

#include <algorithm>
#include <cmath>

namespace xbar::models {

std::string_view to_string(BankDesign design) {
  return design == BankDesign::uniform ? "uniform" : design == BankDesign::binary ? "binary" : "spread";
}

std::string_view to_string(Distribution distribution) {
  return distribution == Distribution::uniform ? "uniform" : "normal";
}

std::string_view to_string(CellTopology topology) {
  return topology == CellTopology::parallel ? "parallel" : "series";
}

std::vector<double> nominal_resistances(const CellTechnology& tech) {
  std::vector<double> values(static_cast<std::size_t>(tech.resistors), tech.nominal);
  if (tech.design == BankDesign::binary) {
    for (std::size_t k = 1; k < values.size(); ++k) values[k] = 2.0 * values[k - 1];
  }
  return values;
}

std::vector<double> mismatch_spreads(const CellTechnology& tech) {
  const std::vector<double> r = nominal_resistances(tech);
  std::vector<double> spreads(r.size(), tech.variation);
  if (tech.pelgrom) {
    for (std::size_t k = 0; k < r.size(); ++k) spreads[k] = tech.variation * std::sqrt(r[0] / r[k]);
  }
  return spreads;
}

double nominal_bank_conductance(const CellTechnology& tech) {
  double total = 0.0;
  for (double r : nominal_resistances(tech)) total += 1.0 / (r + tech.ron);
  return total;
}

double reference_bank_conductance(const CellTechnology& tech) {
  if (tech.topology == CellTopology::parallel) return nominal_bank_conductance(tech);
  const std::vector<double> r = nominal_resistances(tech);
  double total = 0.0;
  for (double value : r) total += value;
  return 1.0 / std::sqrt(total * *std::min_element(r.begin(), r.end()));
}

double full_scale_reference(const CellTechnology& tech, FullScaleReference of) {
  if (of == FullScaleReference::bank || tech.topology == CellTopology::series) return reference_bank_conductance(tech);
  return 1.0 / (nominal_resistances(tech).front() + tech.ron);
}

double draw_relative_deviation(Rng& rng, Distribution distribution, double spread) {
  if (distribution == Distribution::uniform) return rng.uniform(-spread, spread);
  // A resistor cannot have a non-positive value: redraw the (rare, for sane spreads) far-left tail.
  for (;;) {
    const double d = spread * rng.standard_normal();
    if (d > -0.95) return d;
  }
}

}  // namespace xbar::models
