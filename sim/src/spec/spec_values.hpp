// The first step of loading a spec: YAML text (plus --set overrides) -> one typed Value per key of the
// parameter table, defaults filled in, every problem collected with its place. No Spec is built
// here: spec_loader.cpp turns the values into the Spec's sections.
//
//   SpecValues values(text, "spec.yaml");
//   if (values.read(text, {"cell.resistors=12"})) { const Value& n = values.get("cell.resistors"); }
//   values.diagnostics();   // everything wrong so far
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Dense>
#include <yaml-cpp/yaml.h>

#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/spec/parameters.hpp"
#include "xbar/sim/spec/spec.hpp"

namespace xbar::sim {

// Where a value came from: a place in the spec file, or a --set argument.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  std::string source_line;
};

// One key's value, in the field its parameter type uses.
struct Value {
  const Parameter* parameter = nullptr;
  bool present = false;
  bool is_auto = false;
  bool invalid = false;       // present but rejected (already reported)
  double number = 0.0;        // integer, real, count
  bool flag = false;          // boolean
  int choice = 0;             // choice: the value the word maps to
  std::string text;           // choice, path, text, solve mode
  Eigen::MatrixXd matrix;     // matrix
  SweepGrid sweep;            // sweep
  std::vector<long> ints;     // int_list
  std::vector<std::string> paths;  // path_list
  std::vector<std::string> names;  // name_list (is_auto for "all")
  std::vector<std::pair<std::string, std::vector<std::string>>> layer_overrides;  // node -> KEY=VALUE
  Location where;
};

struct Problem {
  Location where;
  std::string key;
  std::string message;
};

class SpecValues {
 public:
  SpecValues(const std::string& text, std::filesystem::path path);

  // False when the text is not a YAML mapping (already reported); then no value can be asked for.
  bool read(const std::string& text, const std::vector<std::string>& overrides);

  const Value& get(std::string_view key) const { return m_values.at(std::string(key)); }
  void add(Problem p);
  const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }
  const std::filesystem::path& path() const { return m_path; }
  Location file_start() const { return {m_path.string(), 0, 0, ""}; }
  // A path from the spec, relative to the spec file's folder.
  std::filesystem::path resolve(const std::string& file) const;

 private:
  Location file_location(const YAML::Mark& mark) const;
  Location location_of(const YAML::Node& node, const std::string& key) const;
  void apply_override(YAML::Node& root, const std::string& argument);
  void walk(const YAML::Node& map, const std::string& prefix);
  Value default_value(const Parameter& p);
  void take_default(const Parameter& p);
  void parse(const Parameter& p, const YAML::Node& node, const Location& where);
  bool parse_into(Value& value, const YAML::Node& node, const Location& where);
  template <typename Bad>
  bool parse_integer(Value& value, const YAML::Node& node, const std::string& scalar, const Bad& bad,
                     const std::string& shown);
  bool parse_sweep(Value& value, const YAML::Node& node, const Location& where);
  bool parse_layer_overrides(Value& value, const YAML::Node& node, const Location& where);
  void flatten_overrides(const YAML::Node& node, const std::string& prefix, const std::string& where_key,
                         std::vector<std::string>& out, bool& ok);
  bool parse_matrix(Value& value, const YAML::Node& node, const Location& where, const std::string& shown);

  std::filesystem::path m_path;
  std::vector<std::string> m_lines;
  std::vector<Diagnostic> m_diagnostics;
  std::map<std::string, Value> m_values;
  std::vector<std::pair<std::string, std::string>> m_overrides;  // key, whole argument
};

}  // namespace xbar::sim
