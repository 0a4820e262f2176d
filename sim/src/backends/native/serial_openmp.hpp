// Process-level settings for the libraries under the native solver, in the programs that link
// xbar_native_runtime: OpenMP regions run in the calling thread (serial_openmp.cpp says why), the BLAS on
// one thread (serial_blas.cpp) and SuiteSparse's statistics clock stopped (untimed_suitesparse.cpp).
#pragma once

#include <cstdint>

namespace xbar::sim {

// How many parallel regions were run serially so far: grows with every CHOLMOD supernodal
// factorization large enough to ask for a team, which shows that the libraries' calls come here.
std::uint64_t serial_openmp_regions();

// How many times SuiteSparse read its clock so far (each read answered 0): grows with every CHOLMOD
// supernodal factorization, which shows that libcholmod's reads come here.
std::uint64_t untimed_suitesparse_reads();

// The threads OpenBLAS runs a call on (1 for another BLAS).
int blas_threads();

}  // namespace xbar::sim
