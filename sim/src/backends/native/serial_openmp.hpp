// OpenMP regions run in the calling thread (serial_openmp.cpp says why), for the programs that link
// xbar_serial_openmp.
#pragma once

#include <cstdint>

namespace xbar::sim {

// How many parallel regions were run serially so far: grows with every CHOLMOD supernodal
// factorization large enough to ask for a team, which shows that the libraries' calls come here.
std::uint64_t serial_openmp_regions();

}  // namespace xbar::sim
