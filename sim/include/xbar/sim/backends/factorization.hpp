// How the native backend factors its nodal matrix (simulate.factorization).
// Usage:
//   xbar::sim::Factorization f = xbar::sim::Factorization::cholmod;   // or ::eigen, the reference
#pragma once

namespace xbar::sim {

enum class Factorization {
  cholmod,  // CHOLMOD supernodal LL^T, METIS nested dissection: fast on large arrays
  eigen,    // Eigen simplicial LDL^T, AMD: the portable reference
};

}  // namespace xbar::sim
