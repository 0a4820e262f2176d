// Large arrays in transparent huge pages, for a whole program. A 1024 x 1024 crossbar touches gigabytes
// of fresh memory (its factor, its matrix, the network it is built from); on a VM each 4 KiB page's first
// touch is an exit to the host, and faulting dominated the first operating point: 26 s with 4 KiB pages,
// 6.3 s with 2 MiB ones, the same bits (bench/bench_circuit, 1024x1024x8). The kernel's default THP mode
// ("madvise") gives huge pages to memory that asks, and glibc's malloc asks only when GLIBC_TUNABLES
// says glibc.malloc.hugetlb=1 at start-up, so a program restarts itself once with it set. It also sets
// glibc.malloc.mmap_threshold=4194304 (unless named): blocks under 4 MiB then come from the heap, which
// the first tunable backs with huge pages, instead of each block over 128 KiB being a fresh mapping
// faulted in 4 KiB pages; a 64 x 64 array's first operating point faulted ~250 pages instead of ~900,
// 21 -> 13 ms. From 4 MiB up large_blocks maps CHOLMOD's blocks itself, and glibc maps the rest.
// Usage (given char** argv):
//   xbar::sim::restart_with_huge_pages(argv);   // first thing in main(): it may exec the program again
//
// Nothing happens when GLIBC_TUNABLES already names glibc.malloc.hugetlb (=0 opts out) or when the
// program cannot be found again (/proc/self/exe); the restart keeps the arguments, the environment
// (plus those tunables) and the process id. CHOLMOD's own memory asks for huge pages in any program
// (sim/src/backends/native/large_blocks.hpp), unless the tunable says 0.
#pragma once

namespace xbar::sim {

void restart_with_huge_pages(char** argv);

}  // namespace xbar::sim
