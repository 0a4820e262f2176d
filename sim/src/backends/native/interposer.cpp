#include "backends/native/interposer.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>

namespace xbar::sim {

void* library_definition_if(const char* variable, const char* value, const char* symbol) {
  const char* wanted = std::getenv(variable);
  if (wanted == nullptr || std::strcmp(wanted, value) != 0) return nullptr;
  return dlsym(RTLD_NEXT, symbol);
}

}  // namespace xbar::sim
