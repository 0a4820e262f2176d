#include "backends/native/large_blocks.hpp"

#include <malloc.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <suitesparse/SuiteSparse_config.h>

namespace xbar::sim {

namespace {

// The header before each block: 0 for a malloc'd block, else the size of the mapping. 64 bytes keep
// every block as aligned as malloc's.
constexpr std::size_t header = 64;
constexpr std::size_t large = std::size_t{4} << 20;

// GLIBC_TUNABLES=glibc.malloc.hugetlb=0 turns the advice off here too (huge_pages.hpp).
bool advise_huge_pages() {
  static const bool advise = [] {
    const char* tunables = std::getenv("GLIBC_TUNABLES");
    return tunables == nullptr || std::strstr(tunables, "glibc.malloc.hugetlb=0") == nullptr;
  }();
  return advise;
}

std::size_t& mapping_of(void* block) { return *reinterpret_cast<std::size_t*>(static_cast<char*>(block) - header); }

// What the caller may use of a block.
std::size_t usable(void* block) {
  const std::size_t mapped = mapping_of(block);
  return mapped == 0 ? malloc_usable_size(static_cast<char*>(block) - header) - header : mapped - header;
}

}  // namespace

void* large_block_malloc(std::size_t bytes) {
  if (bytes > std::numeric_limits<std::size_t>::max() - header) return nullptr;
  const std::size_t total = bytes + header;
  char* base = nullptr;
  if (total < large) {
    base = static_cast<char*>(std::malloc(total));
    if (base == nullptr) return nullptr;
    *reinterpret_cast<std::size_t*>(base) = 0;
  } else {
    void* mapped = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) return nullptr;
    if (advise_huge_pages()) madvise(mapped, total, MADV_HUGEPAGE);  // advice only: without it, ordinary pages
    base = static_cast<char*>(mapped);
    *reinterpret_cast<std::size_t*>(base) = total;
  }
  return base + header;
}

void* large_block_calloc(std::size_t count, std::size_t size) {
  if (size != 0 && count > std::numeric_limits<std::size_t>::max() / size) return nullptr;
  void* block = large_block_malloc(count * size);
  if (block != nullptr && mapping_of(block) == 0) std::memset(block, 0, count * size);  // a fresh mapping is zero
  return block;
}

void* large_block_realloc(void* block, std::size_t bytes) {
  if (block == nullptr) return large_block_malloc(bytes);
  if (mapping_of(block) == 0 && bytes + header < large) {
    char* base = static_cast<char*>(std::realloc(static_cast<char*>(block) - header, bytes + header));
    return base == nullptr ? nullptr : base + header;
  }
  // Between kinds, or a mapping: a new block and a copy.
  void* moved = large_block_malloc(bytes);
  if (moved == nullptr) return nullptr;
  std::memcpy(moved, block, std::min(bytes, usable(block)));
  large_block_free(block);
  return moved;
}

void large_block_free(void* block) {
  if (block == nullptr) return;
  char* base = static_cast<char*>(block) - header;
  const std::size_t mapped = mapping_of(block);
  if (mapped == 0) {
    std::free(base);
  } else {
    munmap(base, mapped);
  }
}

void use_large_blocks_for_suitesparse() {
  SuiteSparse_config.malloc_func = large_block_malloc;
  SuiteSparse_config.calloc_func = large_block_calloc;
  SuiteSparse_config.realloc_func = large_block_realloc;
  SuiteSparse_config.free_func = large_block_free;
}

}  // namespace xbar::sim
