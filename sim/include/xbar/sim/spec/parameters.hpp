// The table of every spec key: type, unit, default, range, choices (each mapped to the enum value it
// stands for), description. It drives validation and conversion in the spec loader and the reference
// printed by `xbar keys` (docs/spec-reference.md), so they never disagree.
// Usage:
//   const Parameter* p = find_parameter("cell.design");
//   describe_expected(*p) == "one of uniform, binary";
//   p->choices[1].name == "binary";   // .value: static_cast<int>(models::BankDesign::binary)
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
  choice,        // one word from `choices`, converted to the value it maps to
  path,          // file path, relative to the spec file
  matrix,        // list of lists of numbers
  solve_mode,    // free, signed, fixed:K, max:K or series
  count_or_all,  // whole number >= 0, or the word "all"
  boolean,       // true or false
  text,          // any single word or name
  int_list,      // a list of whole numbers
  path_list,     // a list of file paths
  sweep,         // the sweep section: dotted key -> list of values
  name_list,     // a list of names, or the word "all"
  layer_overrides,  // the layers section: node name -> a section of spec keys for that layer
  interval,      // a number r (meaning -r .. r) or a list [low, high]
};

// One accepted word of a choice and what it stands for (an enum's value, as int).
struct Choice {
  Choice(const char* word, int stands_for = 0) : name(word), value(stands_for) {}
  std::string_view name;
  int value;
};

struct Parameter {
  std::string_view key;            // dotted path, e.g. "cell.resistors"
  ParamType type;
  std::string_view default_value;  // YAML text; empty = no default (optional, or required by a rule)
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;
  std::vector<Choice> choices;
  std::string_view unit;
  std::string_view description;
};

const std::vector<Parameter>& spec_parameters();
const Parameter* find_parameter(std::string_view key);

// "an integer from 1 to 24", "a number > 0", "one of uniform, binary" ...
std::string describe_expected(const Parameter& p);

// Markdown table of every key (docs/spec-reference.md).
std::string parameters_markdown();

}  // namespace xbar::sim
