// The table of every spec key: type, unit, default, range, description. It drives validation in the
// spec loader and the reference printed by `xbar keys` (and copied into the README), so the two
// never disagree.
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace xbar::sim {

enum class ParamType {
  integer,       // whole number
  real,          // number, SPICE suffixes accepted (10k, 1meg, 100m)
  real_or_auto,  // number or the word "auto"
  choice,        // one word from `choices`
  path,          // file path, relative to the spec file
  matrix,        // list of lists of numbers
  solve_mode,    // free, signed, fixed:K, max:K or series
  count_or_all,  // whole number >= 0, or the word "all"
  boolean,       // true or false
  text,          // any single word or name
  int_list,      // a list of whole numbers
  path_list,     // a list of file paths
  sweep,         // the sweep section: dotted key -> list of values
};

struct Parameter {
  std::string_view key;            // dotted path, e.g. "cell.resistors"
  ParamType type;
  std::string_view default_value;  // YAML text; empty = no default (optional, or required by a rule)
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  std::vector<std::string_view> choices;
  std::string_view unit;
  std::string_view description;
};

const std::vector<Parameter>& spec_parameters();
const Parameter* find_parameter(std::string_view key);

// "an integer from 1 to 24", "a number > 0", "one of uniform, binary" ...
std::string describe_expected(const Parameter& p);

// Markdown table of every key (the README's spec reference).
std::string parameters_markdown();

}  // namespace xbar::sim
