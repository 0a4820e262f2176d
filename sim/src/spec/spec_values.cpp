#include "spec_values.hpp"

#include <map>
#include <set>
#include <sstream>

#include "xbar/netlist/spice_number.hpp"

namespace xbar::sim {

namespace {

bool is_section(const std::string& key) {
  for (const Parameter& p : spec_parameters()) {
    if (p.key.size() > key.size() && p.key.substr(0, key.size()) == key && p.key[key.size()] == '.') return true;
  }
  return false;
}

std::string keys_under(const std::string& prefix) {
  std::set<std::string> names;
  for (const Parameter& p : spec_parameters()) {
    std::string_view key = p.key;
    if (!prefix.empty()) {
      if (key.substr(0, prefix.size() + 1) != prefix + ".") continue;
      key.remove_prefix(prefix.size() + 1);
    }
    names.emplace(key.substr(0, key.find('.')));
  }
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

bool in_range(const Parameter& p, double v) {
  const bool above = p.min_exclusive ? v > p.min : v >= p.min;
  return above && v <= p.max;
}

}  // namespace


SpecValues::SpecValues(const std::string& text, std::filesystem::path path) : m_path(std::move(path)) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) m_lines.push_back(line);
}

bool SpecValues::read(const std::string& text, const std::vector<std::string>& overrides) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    add({file_location(e.mark), "", "YAML syntax error: " + e.msg});
    return false;
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) {
    add({file_location(root.Mark()), "", "the spec must be a mapping of keys (seed, weights, cell, ...)"});
    return false;
  }
  for (const std::string& o : overrides) apply_override(root, o);
  walk(root, "");
  for (const Parameter& p : spec_parameters()) {
    if (!m_values.count(std::string(p.key))) take_default(p);
  }
  return true;
}

void SpecValues::add(Problem p) {
  m_diagnostics.push_back({p.where.file, p.where.line, p.where.column, p.key, p.message, p.where.source_line});
}

Location SpecValues::file_location(const YAML::Mark& mark) const {
  Location where{m_path.string(), 0, 0, ""};
  if (mark.line >= 0) {
    where.line = mark.line + 1;
    where.column = mark.column + 1;
    if (static_cast<std::size_t>(mark.line) < m_lines.size()) where.source_line = m_lines[mark.line];
  }
  return where;
}

Location SpecValues::location_of(const YAML::Node& node, const std::string& key) const {
  for (const auto& [prefix, argument] : m_overrides) {
    const bool inside = key == prefix || key.rfind(prefix + ".", 0) == 0;
    const bool parent = prefix.rfind(key + ".", 0) == 0;
    if (inside || parent) return {"--set " + argument, 0, 0, ""};
  }
  return file_location(node.Mark());
}

void SpecValues::apply_override(YAML::Node& root, const std::string& argument) {
  const auto equals = argument.find('=');
  const Location where{"--set " + argument, 0, 0, ""};
  if (equals == std::string::npos || equals == 0) {
    add({where, "", "expected KEY=VALUE, e.g. --set cell.resistors=12"});
    return;
  }
  const std::string key = argument.substr(0, equals);
  YAML::Node value;
  try {
    value = YAML::Load(argument.substr(equals + 1));
  } catch (const YAML::Exception& e) {
    add({where, key, "value is not valid YAML: " + e.msg});
    return;
  }
  std::vector<std::string> parts;
  std::stringstream stream(key);
  for (std::string part; std::getline(stream, part, '.');) parts.push_back(part);
  YAML::Node node = root;
  for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
    YAML::Node child = node[parts[k]];
    if (!child.IsMap()) {
      node[parts[k]] = YAML::Node(YAML::NodeType::Map);
      child.reset(node[parts[k]]);
    }
    node.reset(child);
  }
  if (value.IsNull()) {
    node.remove(parts.back());
  } else {
    node[parts.back()] = value;
  }
  m_overrides.emplace_back(key, argument);
}



void SpecValues::walk(const YAML::Node& map, const std::string& prefix) {
  std::map<std::string, int> first_line;  // YAML parsers keep one of two equal keys silently: refuse them
  for (const auto& entry : map) {
    const std::string name = entry.first.Scalar();
    const std::string key = prefix.empty() ? name : prefix + "." + name;
    const Location at = location_of(entry.first, key);
    if (const auto [it, fresh] = first_line.emplace(name, at.line); !fresh) {
      add({at, key, "duplicate key: already given on line " + std::to_string(it->second)});
      continue;
    }
    if (const Parameter* p = find_parameter(key)) {
      parse(*p, entry.second, location_of(entry.second, key));
    } else if (is_section(key)) {
      if (entry.second.IsMap()) {
        walk(entry.second, key);
      } else if (!entry.second.IsNull()) {
        add({location_of(entry.second, key), key, "expected a section with keys " + keys_under(key)});
      }
    } else {
      add({location_of(entry.first, key), key,
           "unknown key; expected one of " + keys_under(prefix) + (prefix.empty() ? "" : " under " + prefix)});
    }
  }
}

Value SpecValues::default_value(const Parameter& p) {
  Value value;
  value.parameter = &p;
  if (!p.default_value.empty()) parse_into(value, YAML::Load(std::string(p.default_value)), {});
  value.present = false;
  return value;
}

void SpecValues::take_default(const Parameter& p) { m_values.emplace(std::string(p.key), default_value(p)); }

// A bad value is reported here and replaced by the default, marked invalid, so that later checks
// can go on without piling consequential errors onto it.
void SpecValues::parse(const Parameter& p, const YAML::Node& node, const Location& where) {
  Value value;
  value.parameter = &p;
  if (!parse_into(value, node, where)) {
    value = default_value(p);
    value.invalid = true;
    value.present = true;
  }
  value.where = where;
  m_values.emplace(std::string(p.key), std::move(value));
}


// Parses `node` as parameter `value.parameter`; reports a problem at `where` and returns false if bad.
bool SpecValues::parse_into(Value& value, const YAML::Node& node, const Location& where) {
  const Parameter& p = *value.parameter;
  const std::string key(p.key);
  const auto bad = [&](const std::string& got) {
    add({where, key, "expected " + describe_expected(p) + ", got " + got});
    return false;
  };
  const std::string scalar = node.IsScalar() ? node.Scalar() : std::string();
  const std::string shown = node.IsScalar() ? "'" + scalar + "'" : node.IsSequence() ? "a list" : node.IsMap() ? "a mapping" : "nothing";
  value.present = true;
  switch (p.type) {
    case ParamType::integer:
      return parse_integer(value, node, scalar, bad, shown);
    case ParamType::real_or_auto:
      if (node.IsScalar() && scalar == "auto") {
        value.is_auto = true;
        return true;
      }
      [[fallthrough]];
    case ParamType::real: {
      if (!node.IsScalar()) return bad(shown);
      const auto parsed = netlist::parse_spice_number(scalar);
      if (!parsed || !in_range(p, *parsed)) return bad(shown);
      value.number = *parsed;
      return true;
    }
    case ParamType::choice:
      for (const Choice& choice : p.choices) {
        if (node.IsScalar() && scalar == choice.name) {
          value.text = scalar;
          value.choice = choice.value;
          return true;
        }
      }
      return bad(shown);
    case ParamType::path:
      if (!node.IsScalar() || scalar.empty()) return bad(shown);
      value.text = scalar;
      return true;
    case ParamType::matrix:
      return parse_matrix(value, node, where, shown);
    case ParamType::solve_mode:
      if (!node.IsScalar() || !SolveMode::parse(scalar)) return bad(shown);
      value.text = scalar;
      return true;
    case ParamType::text:
      if (!node.IsScalar() || scalar.empty()) return bad(shown);
      value.text = scalar;
      return true;
    case ParamType::int_list:
      if (!node.IsSequence() || node.size() == 0) return bad(shown);
      for (const auto& item : node) {
        const auto parsed = item.IsScalar() ? netlist::parse_integer(item.Scalar()) : std::nullopt;
        if (!parsed || !in_range(p, static_cast<double>(*parsed))) return bad("a list with '" + item.Scalar() + "'");
        value.ints.push_back(static_cast<long>(*parsed));
      }
      return true;
    case ParamType::path_list:
      if (!node.IsSequence() || node.size() == 0) return bad(shown);
      for (const auto& item : node) {
        if (!item.IsScalar() || item.Scalar().empty()) return bad("a list with something other than a path");
        value.paths.push_back(item.Scalar());
      }
      return true;
    case ParamType::boolean:
      if (!node.IsScalar() || (scalar != "true" && scalar != "false")) return bad(shown);
      value.flag = scalar == "true";
      return true;
    case ParamType::sweep:
      return parse_sweep(value, node, where);
    case ParamType::name_list:
      if (node.IsScalar() && scalar == "all") {
        value.is_auto = true;
        return true;
      }
      if (!node.IsSequence()) return bad(shown);
      for (const auto& item : node) {
        if (!item.IsScalar() || item.Scalar().empty()) return bad("a list with something other than a name");
        value.names.push_back(item.Scalar());
      }
      return true;
    case ParamType::layer_overrides:
      return parse_layer_overrides(value, node, where);
    case ParamType::interval: {
      std::optional<double> low, high;
      if (node.IsScalar()) {
        high = netlist::parse_spice_number(scalar);
        if (!high || !(*high > 0)) return bad(shown);
        low = -*high;
      } else if (node.IsSequence() && node.size() == 2 && node[0].IsScalar() && node[1].IsScalar()) {
        low = netlist::parse_spice_number(node[0].Scalar());
        high = netlist::parse_spice_number(node[1].Scalar());
        if (!low || !high) return bad(shown);
      } else {
        return bad(shown);
      }
      value.matrix.resize(1, 2);
      value.matrix << *low, *high;
      return true;
    }
    case ParamType::count_or_all:
      if (node.IsScalar() && scalar == "all") {
        value.is_auto = true;
        return true;
      }
      return parse_integer(value, node, scalar, bad, shown);
  }
  return false;
}

template <typename Bad>
bool SpecValues::parse_integer(Value& value, const YAML::Node& node, const std::string& scalar, const Bad& bad,
                               const std::string& shown) {
  const auto parsed = node.IsScalar() ? netlist::parse_integer(scalar) : std::nullopt;
  if (!parsed || !in_range(*value.parameter, static_cast<double>(*parsed))) return bad(shown);
  value.number = static_cast<double>(*parsed);
  return true;
}

// sweep: {dotted.key: [v1, v2, ...], ...}; every key must be a spec key, every value a scalar.
bool SpecValues::parse_sweep(Value& value, const YAML::Node& node, const Location& where) {
  if (!node.IsMap()) {
    add({where, "sweep", "expected a mapping of spec keys to lists of values"});
    return false;
  }
  bool ok = true;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    const Location at = location_of(entry.first, "sweep." + key);
    const Parameter* p = find_parameter(key);
    if (!p || p->type == ParamType::sweep || key == "seed") {
      add({at, "sweep." + key, p ? "this key cannot be swept" : "unknown spec key"});
      ok = false;
      continue;
    }
    if (!entry.second.IsSequence() || entry.second.size() == 0) {
      add({location_of(entry.second, "sweep." + key), "sweep." + key, "expected a non-empty list of values"});
      ok = false;
      continue;
    }
    std::vector<std::string> values;
    for (const auto& item : entry.second) {
      if (!item.IsScalar()) {
        add({location_of(item, "sweep." + key), "sweep." + key, "expected a list of single values"});
        ok = false;
        break;
      }
      values.push_back(item.Scalar());
    }
    value.sweep.emplace_back(key, std::move(values));
  }
  return ok;
}

// layers: {node name: {section: {key: value}}}: each node's keys flattened to KEY=VALUE overrides;
// only the sections that describe a crossbar may be given per layer.
bool SpecValues::parse_layer_overrides(Value& value, const YAML::Node& node, const Location& where) {
  if (!node.IsMap()) {
    add({where, "layers", "expected a mapping of node names to sections of spec keys"});
    return false;
  }
  bool ok = true;
  for (const auto& entry : node) {
    const std::string name = entry.first.Scalar();
    std::vector<std::string> overrides;
    if (!entry.second.IsMap()) {
      add({location_of(entry.second, "layers." + name), "layers." + name, "expected a mapping of spec keys"});
      ok = false;
      continue;
    }
    flatten_overrides(entry.second, "", "layers." + name, overrides, ok);
    value.layer_overrides.emplace_back(name, std::move(overrides));
  }
  return ok;
}

void SpecValues::flatten_overrides(const YAML::Node& node, const std::string& prefix, const std::string& where_key,
                                   std::vector<std::string>& out, bool& ok) {
  static const std::set<std::string> per_layer = {"cell", "switch", "wire", "variation", "temperature",
                                                  "calibration", "solver", "prune", "array", "inputs", "programming", "readout"};
  for (const auto& entry : node) {
    const std::string key = prefix.empty() ? entry.first.Scalar() : prefix + "." + entry.first.Scalar();
    const Location at = location_of(entry.first, where_key);
    if (entry.second.IsMap()) {
      flatten_overrides(entry.second, key, where_key, out, ok);
      continue;
    }
    const Parameter* p = find_parameter(key);
    if (!p || !per_layer.count(key.substr(0, key.find('.')))) {
      add({at, where_key + "." + key,
           p ? "cannot be set per layer (sections: cell, switch, wire, variation, temperature, calibration, solver, "
               "prune, array, inputs)"
             : "unknown spec key"});
      ok = false;
      continue;
    }
    YAML::Emitter emitter;
    emitter << YAML::Flow << entry.second;
    out.push_back(key + "=" + emitter.c_str());
  }
}

bool SpecValues::parse_matrix(Value& value, const YAML::Node& node, const Location& where, const std::string& shown) {
  const std::string key(value.parameter->key);
  if (!node.IsSequence() || node.size() == 0) {
    add({where, key, "expected " + describe_expected(*value.parameter) + ", got " + shown});
    return false;
  }
  const std::size_t rows = node.size();
  const std::size_t cols = node[0].IsSequence() ? node[0].size() : 0;
  value.matrix.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  for (std::size_t i = 0; i < rows; ++i) {
    const YAML::Node row = node[i];
    const Location row_where = location_of(row, key);
    if (!row.IsSequence() || row.size() != cols || cols == 0) {
      add({row_where, key, "row " + std::to_string(i) + ": expected a list of " +
                               std::to_string(cols ? cols : 1) + "+ numbers like the first row"});
      return false;
    }
    for (std::size_t j = 0; j < cols; ++j) {
      const auto parsed = row[j].IsScalar() ? netlist::parse_spice_number(row[j].Scalar()) : std::nullopt;
      if (!parsed) {
        add({location_of(row[j], key), key,
             "row " + std::to_string(i) + ", column " + std::to_string(j) + ": expected a number"});
        return false;
      }
      value.matrix(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = *parsed;
    }
  }
  return true;
}


std::filesystem::path SpecValues::resolve(const std::string& file) const {
  const std::filesystem::path p(file);
  return p.is_absolute() ? p : m_path.parent_path() / p;
}

}  // namespace xbar::sim
