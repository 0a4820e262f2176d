#include "xbar/sim/backend.hpp"

#include "ideal_backend.hpp"
#include "ngspice_backend.hpp"

namespace xbar::sim {

std::string_view to_string(BackendKind kind) { return kind == BackendKind::ideal ? "ideal" : "ngspice"; }

std::optional<BackendKind> parse_backend(std::string_view text) {
  if (text == "ideal") return BackendKind::ideal;
  if (text == "ngspice") return BackendKind::ngspice;
  return std::nullopt;
}

std::unique_ptr<Backend> make_backend(BackendKind kind) {
  if (kind == BackendKind::ideal) return std::make_unique<IdealBackend>();
  return std::make_unique<NgspiceBackend>();
}

}  // namespace xbar::sim
