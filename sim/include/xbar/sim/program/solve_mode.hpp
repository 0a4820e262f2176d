// The solving modes, by name — shared by `xbar solve --mode` and the spec's `solver.mode`.
//
//   free      plain closest subset sum on the values as given
//   signed    two banks solved jointly: the second half of the values enters negated (Lueker's setting)
//   fixed:K   exactly K values chosen (thesis §6.5, for small variation)
//   max:K     at most K values chosen (a power cap)
//   bank_fixed:K, bank_max:K   the weight's sign picks a bank, which closes exactly / at most K switches
//             (thesis §6.5: fixed-size subsets of positive-only banks); the other bank stays open
//   series    values are resistances that add when their switch is OPEN (thesis fig. 6.3)
// Usage:
//   std::optional<SolveMode> mode = SolveMode::parse("fixed:4");   // std::nullopt if malformed
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "xbar/solver/subset_sum.hpp"

namespace xbar::sim {

struct SolveMode {
  enum class Kind { free, signed_banks, fixed, at_most, series };
  Kind kind = Kind::signed_banks;
  int count = 0;          // K for fixed and at_most
  bool per_bank = false;  // bank_fixed:K, bank_max:K: K counts in the one bank the weight's sign picks

  static std::optional<SolveMode> parse(std::string_view text);
  std::string name() const;
  solver::Cardinality cardinality() const;
  // The weight's sign picks one bank and the other stays open (free, bank_fixed:K, bank_max:K).
  bool one_bank() const { return kind == Kind::free || per_bank; }
};

inline constexpr std::string_view solve_mode_choices =
    "free, signed, fixed:K, max:K, bank_fixed:K, bank_max:K or series";

}  // namespace xbar::sim
