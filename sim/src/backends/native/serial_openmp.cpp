// CHOLMOD's OpenMP loops, run in the calling thread. Linked into xbar's programs (not into the library,
// whose users may want OpenMP of their own): a definition of GOMP_parallel in the executable takes the
// place of libgomp's for every shared library that calls it, and libcholmod is the only one here.
//
// Why: Debian's CHOLMOD asks for a team of CHOLMOD_OMP_NUM_THREADS (4, fixed when it was built) for
// the scatter loops of every supernode update, a million parallel regions at 1024 x 1024, each ending in
// a futex wake even for a team of one (OMP_THREAD_LIMIT does not help). On a two-core VM that made the
// factorization 2x slower than serial (3.4 s against 1.6 s at 512 x 512, bench/bench_circuit). xbar
// runs its parallel work one level up (Monte Carlo trials, tiles), where nested teams only oversubscribe;
// the BLAS under CHOLMOD keeps its own threads.
//
// XBAR_OPENMP=teams (read once) hands every region to libgomp as before, for comparison or for a machine
// where CHOLMOD's teams pay.
//
// Correct for any OpenMP region: a team of one thread is always allowed. Inside, omp_get_num_threads()
// and omp_get_thread_num() answer 1 and 0 (there is no team), so a worksharing loop runs whole, and
// barriers, criticals and reductions of a one-thread team are no-ops in libgomp.
#include "backends/native/serial_openmp.hpp"

#include <atomic>

#include "backends/native/interposer.hpp"

namespace {

using Parallel = void (*)(void (*)(void*), void*, unsigned, unsigned);

std::atomic<std::uint64_t> regions{0};

// libgomp's own GOMP_parallel where XBAR_OPENMP=teams asks for it, else null.
Parallel teams() {
  static const auto libgomp = reinterpret_cast<Parallel>(xbar::sim::library_definition_if("XBAR_OPENMP", "teams", "GOMP_parallel"));
  return libgomp;
}

}  // namespace

extern "C" void GOMP_parallel(void (*body)(void*), void* data, unsigned threads, unsigned flags) {
  if (const Parallel libgomp = teams()) {
    libgomp(body, data, threads, flags);
    return;
  }
  regions.fetch_add(1, std::memory_order_relaxed);
  body(data);
}

namespace xbar::sim {

std::uint64_t serial_openmp_regions() { return regions.load(std::memory_order_relaxed); }

}  // namespace xbar::sim
