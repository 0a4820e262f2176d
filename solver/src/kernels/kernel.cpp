#include "kernel.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "xbar/solver/subset_sum.hpp"

namespace xbar::solver::detail {

bool have_avx2() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  static const bool available = __builtin_cpu_supports("avx2");
  return available;
#else
  return false;
#endif
}

namespace {

// XBAR_KERNEL=scalar runs the portable kernels anyway (to compare, or to rule the vector ones out).
Kernel chosen_kernel() {
  const char* forced = std::getenv("XBAR_KERNEL");
  const std::string name = forced ? forced : "";
  if (name.empty()) return have_avx2() ? Kernel::vector : Kernel::scalar;
  if (name == "scalar") return Kernel::scalar;
  if (name == "vector") {
    if (!have_avx2()) throw std::runtime_error("XBAR_KERNEL=vector: this processor has no AVX2");
    return Kernel::vector;
  }
  throw std::runtime_error("XBAR_KERNEL: expected 'scalar' or 'vector', got '" + name + "'");
}

}  // namespace

Kernel fastest_kernel() {
  static const Kernel kernel = chosen_kernel();
  return kernel;
}

}  // namespace xbar::solver::detail

namespace xbar::solver {

std::string kernel_name() { return detail::fastest_kernel() == detail::Kernel::vector ? "AVX2" : "scalar"; }

}  // namespace xbar::solver
