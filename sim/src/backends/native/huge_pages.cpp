#include "xbar/sim/backends/native/huge_pages.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace xbar::sim {

void restart_with_huge_pages(char** argv) {
  const char* set = std::getenv("GLIBC_TUNABLES");
  std::string tunables = set != nullptr ? set : "";
  if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return;  // decided already (or restarted)
  tunables += (tunables.empty() ? "" : ":") + std::string("glibc.malloc.hugetlb=1");
  if (tunables.find("glibc.malloc.mmap_threshold") == std::string::npos) tunables += ":glibc.malloc.mmap_threshold=4194304";
  if (setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Still here: the program could not be run again. Carry on with ordinary pages, and say nothing of a
  // tunable that is not in force.
  if (set != nullptr) {
    setenv("GLIBC_TUNABLES", set, 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
}

}  // namespace xbar::sim
