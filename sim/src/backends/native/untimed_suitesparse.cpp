// SuiteSparse's clock, stopped. Linked into xbar's programs with serial_openmp.cpp (and for the same
// reason: a definition in the executable takes the place of libsuitesparseconfig's for libcholmod).
//
// Why: Debian's CHOLMOD is built to time its BLAS calls (statistics in cholmod_common that xbar never
// reads): two clock reads per supernode update. On a paravirtualised VM a clock read can leave the
// guest; there it was an eighth of a 128 x 128 tile's factorization (bench/bench_circuit --transfer:
// ~39 -> ~34 ms). SuiteSparse uses the time for those statistics only, never to decide anything.
//
// XBAR_SUITESPARSE_CLOCK=running (read once) hands every read to libsuitesparseconfig as before.
#include <atomic>

#include "backends/native/interposer.hpp"
#include "backends/native/serial_openmp.hpp"

namespace {

using Clock = double (*)();

std::atomic<std::uint64_t> reads{0};

// libsuitesparseconfig's own clock where XBAR_SUITESPARSE_CLOCK=running asks for it, else null.
Clock running() {
  static const auto library = reinterpret_cast<Clock>(xbar::sim::library_definition_if("XBAR_SUITESPARSE_CLOCK", "running", "SuiteSparse_time"));
  return library;
}

}  // namespace

extern "C" double SuiteSparse_time(void) {
  if (const Clock library = running()) return library();
  reads.fetch_add(1, std::memory_order_relaxed);
  return 0.0;
}

namespace xbar::sim {

std::uint64_t untimed_suitesparse_reads() { return reads.load(std::memory_order_relaxed); }

}  // namespace xbar::sim
