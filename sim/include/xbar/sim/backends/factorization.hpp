// How the native backend factors its nodal matrix (simulate.factorization).
// Usage:
//   xbar::sim::Factorization f = xbar::sim::Factorization::cholmod;   // or ::eigen, the reference, or ::automatic
#pragma once

#include <cstddef>

namespace xbar::sim {

enum class Factorization {
  automatic,  // cholmod above automatic_cholmod_unknowns, eigen below (measured: docs/benchmarks.md)
  cholmod,    // CHOLMOD LL^T (supernodal where dense enough), the layout's nested dissection or METIS
  eigen,      // Eigen simplicial LDL^T, AMD: the portable reference
};

// Where CHOLMOD starts to win: equal at a 128 x 128 array with wires (49,000 unknowns), 2x at 256 x 256
// (196,000); below, Eigen's blocked many-right-hand-side solve makes transfer matrices faster.
inline constexpr std::size_t automatic_cholmod_unknowns = 100000;

}  // namespace xbar::sim
