#include "kernel.hpp"

namespace xbar::solver::detail {

bool have_avx2() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  static const bool available = __builtin_cpu_supports("avx2");
  return available;
#else
  return false;
#endif
}

}  // namespace xbar::solver::detail
