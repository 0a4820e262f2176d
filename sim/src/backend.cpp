#include "xbar/sim/backend.hpp"

#include "ideal_backend.hpp"
#include "native_backend.hpp"
#include "ngspice_backend.hpp"

namespace xbar::sim {

std::string_view to_string(BackendKind kind) {
  switch (kind) {
    case BackendKind::ideal:
      return "ideal";
    case BackendKind::native:
      return "native";
    case BackendKind::ngspice:
      return "ngspice";
  }
  return "";
}

std::optional<BackendKind> parse_backend(std::string_view text) {
  if (text == "ideal") return BackendKind::ideal;
  if (text == "ngspice") return BackendKind::ngspice;
  if (text == "native") return BackendKind::native;
  return std::nullopt;
}

std::unique_ptr<Backend> make_backend(BackendKind kind) {
  if (kind == BackendKind::ideal) return std::make_unique<IdealBackend>();
  if (kind == BackendKind::native) return std::make_unique<NativeBackend>();
  return std::make_unique<NgspiceBackend>();
}

}  // namespace xbar::sim
