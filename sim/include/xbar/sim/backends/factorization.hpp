// How the native backend factors its nodal matrix (simulate.factorization).
// Usage:
//   xbar::sim::Factorization f = xbar::sim::Factorization::cholmod;   // or ::eigen, the reference, or ::automatic
#pragma once

#include <cstddef>

namespace xbar::sim {

enum class Factorization {
  automatic,  // cholmod from automatic_cholmod_unknowns (for transfer matrices from
              // automatic_cholmod_transfer_unknowns) up, eigen below (measured: docs/benchmarks.md)
  cholmod,    // CHOLMOD LL^T (supernodal where dense enough), the layout's nested dissection or METIS
  eigen,      // Eigen simplicial LDL^T, AMD: the portable reference
};

// Where CHOLMOD starts to win one operating point: equal at a 128 x 128 array with wires (49,000
// unknowns), 2x at 256 x 256 (196,000).
inline constexpr std::size_t automatic_cholmod_unknowns = 100000;
// And a transfer matrix (the sources' conductance matrix, both factorizations with the sources last):
// equal at 32 x 32 (3,000 unknowns), 1.5x at 48 x 48, 2.2x at 128 x 128 (a tile after the first, on
// this project's 2-core VM).
inline constexpr std::size_t automatic_cholmod_transfer_unknowns = 5000;

}  // namespace xbar::sim
