// How xbar's programs step in front of a shared library's function (serial_openmp.cpp,
// untimed_suitesparse.cpp) or change its setting (serial_blas.cpp), and hand it back on request.
#pragma once

namespace xbar::sim {

// Whether the environment variable `variable` is set to `value`.
bool environment_says(const char* variable, const char* value);

// The library's own definition of `symbol` (the next after the program's) where the environment variable
// `variable` equals `value`, else null.
void* library_definition_if(const char* variable, const char* value, const char* symbol);

}  // namespace xbar::sim
