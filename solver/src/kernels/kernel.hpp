// Which implementation runs the solver's two hot loops, the merges and the pair scan: AVX2 registers
// where the processor has them, portable scalar code otherwise. Each vector kernel is tested against the
// scalar one, its reference.
#pragma once

namespace xbar::solver::detail {

enum class Kernel { scalar, vector };

// Whether this processor runs the vector kernels (x86-64 with AVX2).
bool have_avx2();

// Vector where the processor has AVX2, unless the environment says XBAR_KERNEL=scalar. Throws
// std::runtime_error for any other XBAR_KERNEL, or for XBAR_KERNEL=vector without AVX2.
Kernel fastest_kernel();

}  // namespace xbar::solver::detail
