// Memory for large arrays in transparent huge pages. A 1024 x 1024 crossbar's factor is a gigabyte;
// faulted in 4 KiB at a time it costs more than its arithmetic on a VM (each fault an exit to the host:
// 10.3 s against 5.1 s for the factorization, bench/bench_circuit). The kernel's default ("madvise")
// gives 2 MiB pages to memory that asks, which glibc's malloc does only when told at start-up.
// Blocks from 4 MiB up are mapped here and ask (unless GLIBC_TUNABLES says glibc.malloc.hugetlb=0, as
// for the whole program: huge_pages.hpp); smaller ones come from malloc. Each block carries a
// header saying which, so every block must go back through large_block_free.
// Usage (given std::size_t bytes):
//   void* p = xbar::sim::large_block_malloc(bytes);
//   p = xbar::sim::large_block_realloc(p, 2 * bytes);
//   xbar::sim::large_block_free(p);
#pragma once

#include <cstddef>

namespace xbar::sim {

void* large_block_malloc(std::size_t bytes);
void* large_block_calloc(std::size_t count, std::size_t size);
void* large_block_realloc(void* block, std::size_t bytes);
void large_block_free(void* block);

// SuiteSparse's allocator (CHOLMOD's memory) set to the functions above; called once, before CHOLMOD
// allocates anything (a static initializer in nodal_system.cpp).
void use_large_blocks_for_suitesparse();

}  // namespace xbar::sim
