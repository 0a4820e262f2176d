#include "backends/native/interposer.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>

namespace xbar::sim {

bool environment_says(const char* variable, const char* value) {
  const char* set = std::getenv(variable);
  return set != nullptr && std::strcmp(set, value) == 0;
}

void* library_definition_if(const char* variable, const char* value, const char* symbol) {
  return environment_says(variable, value) ? dlsym(RTLD_NEXT, symbol) : nullptr;
}

}  // namespace xbar::sim
