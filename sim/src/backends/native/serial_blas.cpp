// The BLAS under CHOLMOD on one thread, in xbar's programs (linked with serial_openmp.cpp, for the same
// reason: xbar runs its parallel work one level up, tiles and Monte Carlo trials, where a BLAS team per
// worker only oversubscribes the cores).
//
// Measured on this project's 2-core VM: LeNet-5's transfer matrices with two workers took 0.53 s with
// OpenBLAS's own threads and 0.26 s with one (its idle threads wait in sched_yield, a system call that
// leaves the guest), and a single 1024 x 1024 solve, where BLAS threads could help, was no faster with
// them (bench/bench_circuit --large: 7.5 and 7.1 s against 7.5 and 7.3 s). Threads do not change a bit
// of OpenBLAS's results.
//
// OPENBLAS_NUM_THREADS set by the user is left alone; XBAR_BLAS=threads keeps the library's default.
// A BLAS without openblas_set_num_threads (the reference BLAS) is single-threaded already.
#include <dlfcn.h>

#include <cstdlib>

#include "backends/native/interposer.hpp"
#include "backends/native/serial_openmp.hpp"

namespace {

using SetThreads = void (*)(int);
using GetThreads = int (*)();

bool serial_blas() {
  if (std::getenv("OPENBLAS_NUM_THREADS") != nullptr || xbar::sim::environment_says("XBAR_BLAS", "threads")) return false;
  if (const auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
  return true;
}

// Before main: OpenBLAS, a shared library, has initialised by then.
const bool blas_on_one_thread = serial_blas();

}  // namespace

namespace xbar::sim {

int blas_threads() {
  const auto get = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  return get != nullptr ? get() : 1;
}

}  // namespace xbar::sim
