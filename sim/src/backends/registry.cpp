#include "backends/ideal_backend.hpp"
#include "backends/native/native_backend.hpp"
#include "backends/ngspice/ngspice_backend.hpp"
#include "xbar/sim/backends/backend.hpp"

#include <type_traits>

namespace xbar::sim {

namespace {

template <typename Concrete>
std::unique_ptr<Backend> make(const BackendOptions& options) {
  if constexpr (std::is_constructible_v<Concrete, const BackendOptions&>) {
    return std::make_unique<Concrete>(options);
  } else {
    return std::make_unique<Concrete>();
  }
}

}  // namespace

const std::vector<BackendEntry>& backend_registry() {
  static const std::vector<BackendEntry> entries = {
      {BackendKind::ideal, "ideal", "closed form, wires ignored", make<IdealBackend>},
      {BackendKind::native, "native", "nodal analysis with wires (CHOLMOD or Eigen)", make<NativeBackend>},
      {BackendKind::ngspice, "ngspice", "the netlist through the ngspice shared library", make<NgspiceBackend>},
  };
  return entries;
}

std::string_view to_string(BackendKind kind) {
  for (const BackendEntry& e : backend_registry()) {
    if (e.kind == kind) return e.name;
  }
  return "";
}

std::optional<BackendKind> parse_backend(std::string_view text) {
  for (const BackendEntry& e : backend_registry()) {
    if (e.name == text) return e.kind;
  }
  return std::nullopt;
}

std::unique_ptr<Backend> make_backend(BackendKind kind, const BackendOptions& options) {
  for (const BackendEntry& e : backend_registry()) {
    if (e.kind == kind) return e.make(options);
  }
  throw std::logic_error("make_backend: unregistered backend");
}

}  // namespace xbar::sim
