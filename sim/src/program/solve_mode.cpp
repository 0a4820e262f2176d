#include "xbar/sim/program/solve_mode.hpp"

#include <charconv>

namespace xbar::sim {

std::optional<SolveMode> SolveMode::parse(std::string_view text) {
  if (text == "free") return SolveMode{Kind::free, 0};
  if (text == "signed") return SolveMode{Kind::signed_banks, 0};
  if (text == "series") return SolveMode{Kind::series, 0};
  const bool per_bank = text.substr(0, 5) == "bank_";
  if (per_bank) text.remove_prefix(5);
  for (auto [prefix, kind] : {std::pair{std::string_view("fixed:"), Kind::fixed}, std::pair{std::string_view("max:"), Kind::at_most}}) {
    if (text.substr(0, prefix.size()) != prefix) continue;
    const std::string_view number = text.substr(prefix.size());
    int count = -1;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), count);
    if (error != std::errc() || end != number.data() + number.size() || count < 0) return std::nullopt;
    return SolveMode{kind, count, per_bank};
  }
  return std::nullopt;
}

std::string SolveMode::name() const {
  switch (kind) {
    case Kind::free:
      return "free";
    case Kind::signed_banks:
      return "signed";
    case Kind::fixed:
      return (per_bank ? "bank_fixed:" : "fixed:") + std::to_string(count);
    case Kind::at_most:
      return (per_bank ? "bank_max:" : "max:") + std::to_string(count);
    case Kind::series:
      return "series";
  }
  return "";
}

solver::Cardinality SolveMode::cardinality() const {
  if (kind == Kind::fixed) return solver::Cardinality::exactly(count);
  if (kind == Kind::at_most) return solver::Cardinality::at_most(count);
  return solver::Cardinality::any();
}

}  // namespace xbar::sim
