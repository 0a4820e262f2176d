#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "xbar/models/npy.hpp"
#include "xbar/netlist/spice_number.hpp"
#include "xbar/models/random.hpp"
#include "xbar/sim/diagnostics.hpp"
#include "xbar/sim/onnx_io.hpp"
#include "xbar/sim/spec.hpp"
#include "xbar/sim/spec_parameters.hpp"

namespace xbar::sim {

namespace {

// Where a value came from: a place in the spec file, or a --set argument.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  std::string source_line;
};

struct Value {
  const Parameter* parameter = nullptr;
  bool present = false;
  bool is_auto = false;
  bool invalid = false;  // present but rejected (already reported)
  double number = 0.0;
  std::string text;
  Eigen::MatrixXd matrix;
  std::vector<std::pair<std::string, std::vector<std::string>>> sweep;
  std::vector<long> ints;
  Location where;
};

class SpecReader {
 public:
  SpecReader(const std::string& text, std::filesystem::path path) : m_path(std::move(path)) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) m_lines.push_back(line);
  }

  Spec read(const std::string& text, const std::vector<std::string>& overrides) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      add({file_location(e.mark), "", "YAML syntax error: " + e.msg});
      throw InputError(m_diagnostics);
    }
    if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
    if (!root.IsMap()) {
      add({file_location(root.Mark()), "", "the spec must be a mapping of keys (seed, weights, cell, ...)"});
      throw InputError(m_diagnostics);
    }
    for (const std::string& o : overrides) apply_override(root, o);
    walk(root, "");
    for (const Parameter& p : spec_parameters()) {
      if (!m_values.count(std::string(p.key))) take_default(p);
    }
    // Invalid values fell back to their defaults above, so the cross-checks and file reads below
    // still run and every problem is reported at once.
    Spec spec = build();
    if (!m_diagnostics.empty()) throw InputError(m_diagnostics);
    return spec;
  }

 private:
  struct Problem {
    Location where;
    std::string key;
    std::string message;
  };

  void add(Problem p) {
    m_diagnostics.push_back({p.where.file, p.where.line, p.where.column, p.key, p.message, p.where.source_line});
  }

  Location file_location(const YAML::Mark& mark) const {
    Location where{m_path.string(), 0, 0, ""};
    if (mark.line >= 0) {
      where.line = mark.line + 1;
      where.column = mark.column + 1;
      if (static_cast<std::size_t>(mark.line) < m_lines.size()) where.source_line = m_lines[mark.line];
    }
    return where;
  }

  Location location_of(const YAML::Node& node, const std::string& key) const {
    for (const auto& [prefix, argument] : m_overrides) {
      const bool inside = key == prefix || key.rfind(prefix + ".", 0) == 0;
      const bool parent = prefix.rfind(key + ".", 0) == 0;
      if (inside || parent) return {"--set " + argument, 0, 0, ""};
    }
    return file_location(node.Mark());
  }

  void apply_override(YAML::Node& root, const std::string& argument) {
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

  static bool is_section(const std::string& key) {
    for (const Parameter& p : spec_parameters()) {
      if (p.key.size() > key.size() && p.key.substr(0, key.size()) == key && p.key[key.size()] == '.') return true;
    }
    return false;
  }

  static std::string keys_under(const std::string& prefix) {
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

  void walk(const YAML::Node& map, const std::string& prefix) {
    for (const auto& entry : map) {
      const std::string name = entry.first.Scalar();
      const std::string key = prefix.empty() ? name : prefix + "." + name;
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

  Value default_value(const Parameter& p) {
    Value value;
    value.parameter = &p;
    if (!p.default_value.empty()) parse_into(value, YAML::Load(std::string(p.default_value)), {});
    value.present = false;
    return value;
  }

  void take_default(const Parameter& p) { m_values.emplace(std::string(p.key), default_value(p)); }

  // A bad value is reported here and replaced by the default, marked invalid, so that later checks
  // can go on without piling consequential errors onto it.
  void parse(const Parameter& p, const YAML::Node& node, const Location& where) {
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

  bool in_range(const Parameter& p, double v) const {
    const bool above = p.min_exclusive ? v > p.min : v >= p.min;
    return above && v <= p.max;
  }

  // Parses `node` as parameter `value.parameter`; reports a problem at `where` and returns false if bad.
  bool parse_into(Value& value, const YAML::Node& node, const Location& where) {
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
        for (std::string_view choice : p.choices) {
          if (node.IsScalar() && scalar == choice) {
            value.text = scalar;
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
        if (!node.IsScalar() || !solver::SolveMode::parse(scalar)) return bad(shown);
        value.text = scalar;
        return true;
      case ParamType::text:
        if (!node.IsScalar() || scalar.empty()) return bad(shown);
        value.text = scalar;
        return true;
      case ParamType::int_list:
        if (!node.IsSequence() || node.size() == 0) return bad(shown);
        for (const auto& item : node) {
          std::size_t used = 0;
          long parsed = 0;
          try {
            parsed = std::stol(item.IsScalar() ? item.Scalar() : std::string("x"), &used);
          } catch (const std::exception&) {
            used = 0;
          }
          if (used == 0 || used != item.Scalar().size() || !in_range(p, static_cast<double>(parsed))) return bad("a list with '" + item.Scalar() + "'");
          value.ints.push_back(parsed);
        }
        return true;
      case ParamType::path_list:
        if (!node.IsSequence() || node.size() == 0) return bad(shown);
        for (const auto& item : node) {
          if (!item.IsScalar() || item.Scalar().empty()) return bad("a list with something other than a path");
          value.sweep.push_back({item.Scalar(), {}});  // the paths, in order
        }
        return true;
      case ParamType::boolean:
        if (!node.IsScalar() || (scalar != "true" && scalar != "false")) return bad(shown);
        value.number = scalar == "true" ? 1.0 : 0.0;
        return true;
      case ParamType::sweep:
        return parse_sweep(value, node, where);
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
  bool parse_integer(Value& value, const YAML::Node& node, const std::string& scalar, const Bad& bad,
                     const std::string& shown) {
    if (!node.IsScalar()) return bad(shown);
    std::size_t used = 0;
    long long parsed = 0;
    try {
      parsed = std::stoll(scalar, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != scalar.size()) return bad(shown);
    if (!in_range(*value.parameter, static_cast<double>(parsed))) return bad(shown);
    value.number = static_cast<double>(parsed);
    return true;
  }

  // sweep: {dotted.key: [v1, v2, ...], ...}; every key must be a spec key, every value a scalar.
  bool parse_sweep(Value& value, const YAML::Node& node, const Location& where) {
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

  bool parse_matrix(Value& value, const YAML::Node& node, const Location& where, const std::string& shown) {
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

  const Value& get(std::string_view key) const { return m_values.at(std::string(key)); }

  std::filesystem::path resolve(const std::string& file) const {
    const std::filesystem::path p(file);
    return p.is_absolute() ? p : m_path.parent_path() / p;
  }

  // Reads a .npy named by `key`; problems are reported at the key's location.
  std::optional<models::NpyArray> read_array(std::string_view key) {
    const Value& v = get(key);
    try {
      return models::read_npy(resolve(v.text));
    } catch (const models::NpyError& e) {
      add({v.where, std::string(key), e.what()});
      return std::nullopt;
    }
  }

  void read_weights(Spec& spec) {
    const Value& file = get("weights.file");
    const Value& values = get("weights.values");
    if (file.invalid || values.invalid) return;
    if (spec.has_layer && !file.present && !values.present) return;  // `xbar layer` needs no weights matrix
    if (file.present == values.present) {
      add({file.present ? file.where : Location{m_path.string(), 0, 0, ""}, "weights",
           file.present ? "give weights.file or weights.values, not both"
                        : "missing: give weights.file (a 2-D .npy) or weights.values (a list of rows)"});
      return;
    }
    if (values.present) {
      spec.weights = values.matrix;
      spec.weights_source = "inline";
      return;
    }
    auto array = read_array("weights.file");
    if (!array) return;
    if (array->shape.size() != 2 || array->shape[0] == 0 || array->shape[1] == 0) {
      std::string shape;
      for (auto extent : array->shape) shape += (shape.empty() ? "" : ", ") + std::to_string(extent);
      add({file.where, "weights.file",
           resolve(file.text).string() + ": expected a 2-D array (inputs x outputs), got shape (" + shape + ")"});
      return;
    }
    spec.weights = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        array->data.data(), static_cast<Eigen::Index>(array->shape[0]), static_cast<Eigen::Index>(array->shape[1]));
    spec.weights_source = resolve(file.text).string();
  }

  void read_inputs(Spec& spec) {
    const Value& file = get("inputs.file");
    const Value& vectors = get("inputs.vectors");
    if (file.invalid) return;
    if (!file.present) {
      spec.random_vectors = static_cast<int>(vectors.number);
      spec.inputs_source = "random";
      return;
    }
    if (vectors.present) {
      add({vectors.where, "inputs.vectors", "give inputs.vectors or inputs.file, not both"});
      return;
    }
    auto array = read_array("inputs.file");
    if (!array) return;
    const auto rows = static_cast<std::size_t>(spec.weights.rows());
    const bool one_vector = array->shape.size() == 1 && array->shape[0] == rows;
    const bool many = array->shape.size() == 2 && array->shape[1] == rows && array->shape[0] > 0;
    if (!one_vector && !many) {
      std::string shape;
      for (auto extent : array->shape) shape += (shape.empty() ? "" : ", ") + std::to_string(extent);
      add({file.where, "inputs.file",
           resolve(file.text).string() + ": expected shape (vectors, " + std::to_string(rows) + ") or (" +
               std::to_string(rows) + ",) to match the weights' " + std::to_string(rows) + " inputs, got (" +
               shape + ")"});
      return;
    }
    const auto count = static_cast<Eigen::Index>(one_vector ? 1 : array->shape[0]);
    spec.input_values = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        array->data.data(), count, static_cast<Eigen::Index>(rows));
    spec.inputs_source = resolve(file.text).string();
  }

  // Reads an .npy or ONNX TensorProto file named by `key`; problems are reported at the key.
  std::optional<models::NpyArray> read_any_array(std::string_view key) {
    const Value& v = get(key);
    const auto path = resolve(v.text);
    if (path.extension() != ".pb") return read_array(key);
    try {
      return read_tensor_proto(path);
    } catch (const OnnxError& e) {
      add({v.where, std::string(key), e.what()});
      return std::nullopt;
    }
  }

  void read_layer(Spec& spec) {
    const Value& file = get("layer.file");
    const Value& onnx_model = get("layer.onnx");
    if (file.present && onnx_model.present) {
      add({onnx_model.where, "layer.onnx", "give layer.file or layer.onnx, not both"});
      return;
    }
    spec.array_rows = static_cast<int>(get("array.rows").number);
    spec.array_cols = static_cast<int>(get("array.cols").number);
    const std::string method = get("prune.method").text;
    spec.prune = method != "none";
    spec.prune_method = method;
    spec.prune_settings.sparsity = get("prune.sparsity").number;
    if (get("prune.scope").text == "global") {
      if (method != "magnitude") {
        add({get("prune.scope").where, "prune.scope", "global scope ranks magnitudes: it needs prune.method magnitude"});
      }
      for (const auto& [file, unused] : get("prune.with").sweep) {
        try {
          spec.prune_with.push_back(models::read_npy(resolve(file)).data);
        } catch (const models::NpyError& e) {
          add({get("prune.with").where, "prune.with", e.what()});
        }
      }
      spec.prune_global = true;
    }
    spec.prune_settings.block = static_cast<int>(get("prune.block").number);
    spec.prune_settings.method = method == "random"               ? models::PruneMethod::random
                                 : method == "random_replacement" ? models::PruneMethod::random_with_replacement
                                 : method == "filter"             ? models::PruneMethod::filter
                                 : method == "channel"            ? models::PruneMethod::channel
                                 : method == "block"              ? models::PruneMethod::block
                                                                  : models::PruneMethod::magnitude;
    // Weights: OIHW (dense: O x I x 1 x 1) plus geometry; an ONNX Conv's padding needs the input size.
    std::vector<double> oihw;
    std::array<int, 4> shape{};
    models::ConvGeometry geometry;
    std::optional<OnnxNode> node;
    const Value& where = file.present ? file : onnx_model;
    const std::string where_key = file.present ? "layer.file" : "layer.onnx";
    std::optional<models::NpyArray> w;
    std::string layout = get("layer.layout").text;
    if (file.present) {
      w = read_array("layer.file");
      spec.layer_source = resolve(file.text).string();
      geometry.stride_h = geometry.stride_w = static_cast<int>(get("layer.stride").number);
      geometry.pad_top = geometry.pad_left = geometry.pad_bottom = geometry.pad_right =
          static_cast<int>(get("layer.padding").number);
      geometry.dilation_h = geometry.dilation_w = static_cast<int>(get("layer.dilation").number);
      geometry.groups = static_cast<int>(get("layer.groups").number);
    } else {
      try {
        node = read_onnx_node(resolve(onnx_model.text), get("layer.node").text);
      } catch (const OnnxError& e) {
        add({get("layer.node").present ? get("layer.node").where : onnx_model.where, "layer.node", e.what()});
        return;
      }
      if (!node->weights) {
        add({onnx_model.where, "layer.onnx", "node '" + node->name + "' takes its weights as a graph input, not an initializer"});
        return;
      }
      w = node->weights;
      if (node->bias) spec.layer_bias = node->bias->data;
      spec.layer_source = resolve(onnx_model.text).string() + " node " + get("layer.node").text;
      layout = node->op_type == "Conv" ? "OIHW" : (node->op_type == "Gemm" && node->trans_b ? "OI" : "IO");
    }
    if (!w) return;
    const auto dims = w->shape;
    const bool conv = layout == "OIHW" || layout == "HWIO";
    if ((conv && dims.size() != 4) || (!conv && dims.size() != 2)) {
      add({where.where, where_key, "expected a " + std::string(conv ? "4-D" : "2-D") + " weight array for layout " + layout +
                                       ", got " + std::to_string(dims.size()) + "-D"});
      return;
    }
    spec.dense_layer = !conv;
    try {
      if (layout == "HWIO") {
        spec.layer = models::ConvLayer::from_hwio(w->data, {int(dims[0]), int(dims[1]), int(dims[2]), int(dims[3])}, geometry);
      } else if (layout == "OIHW") {
        oihw = w->data;
        shape = {int(dims[0]), int(dims[1]), int(dims[2]), int(dims[3])};
      } else {  // dense: IO (inputs x outputs) or OI
        const bool io = layout == "IO";
        const int in = int(io ? dims[0] : dims[1]), out = int(io ? dims[1] : dims[0]);
        oihw.resize(w->data.size());
        for (int o = 0; o < out; ++o)
          for (int i = 0; i < in; ++i) oihw[static_cast<std::size_t>(o) * in + i] = w->data[io ? static_cast<std::size_t>(i) * out + o : static_cast<std::size_t>(o) * in + i];
        shape = {out, in, 1, 1};
        geometry = {};
      }
    } catch (const std::invalid_argument& e) {
      add({where.where, where_key, e.what()});
      return;
    }
    // Input: a file or random values.
    const Value& input = get("layer.input");
    const Value& random = get("layer.input_random");
    if (input.present == random.present) {
      add({input.present ? input.where : where.where, "layer.input", "give layer.input (a file) or layer.input_random ([N, C, H, W])"});
      return;
    }
    std::vector<std::size_t> in_shape;
    std::vector<double> in_data;
    if (input.present) {
      auto a = read_any_array("layer.input");
      if (!a) return;
      in_shape = a->shape;
      in_data = a->data;
    } else {
      for (long d : random.ints) in_shape.push_back(static_cast<std::size_t>(d));
      std::size_t count = 1;
      for (auto d : in_shape) count *= d;
      models::Rng rng(models::derive_seed(spec.seed, 0, models::StreamPurpose::inputs));
      for (std::size_t k = 0; k < count; ++k) in_data.push_back(rng.uniform(-1.0, 1.0));
    }
    const Value& input_where = input.present ? input : random;
    const std::string input_key = input.present ? "layer.input" : "layer.input_random";
    if (spec.dense_layer && in_shape.size() == 2) in_shape = {in_shape[0], in_shape[1], 1, 1};
    if (in_shape.size() != 4) {
      add({input_where.where, input_key, std::string("expected an NCHW input (4 dimensions") + (spec.dense_layer ? ", or (N, inputs)" : "") + ")"});
      return;
    }
    spec.layer_input = models::Tensor4(int(in_shape[0]), int(in_shape[1]), int(in_shape[2]), int(in_shape[3]));
    spec.layer_input.data = in_data;
    if (node && node->op_type == "Conv") geometry = conv_geometry(*node, spec.layer_input.h, spec.layer_input.w);
    try {
      if (!oihw.empty()) spec.layer = models::ConvLayer::from_oihw(oihw, shape, geometry);
      if (spec.layer_input.c != spec.layer.in_channels()) {
        throw std::invalid_argument("the input has " + std::to_string(spec.layer_input.c) + " channels, the layer takes " +
                                    std::to_string(spec.layer.in_channels()));
      }
      models::output_size(spec.layer, spec.layer_input.h, spec.layer_input.w);
    } catch (const std::invalid_argument& e) {
      add({input_where.where, input_key, e.what()});
    }
  }

  Spec build() {
    Spec spec;
    spec.path = m_path;
    spec.seed = static_cast<std::uint64_t>(get("seed").number);
    spec.has_layer = get("layer.file").present || get("layer.onnx").present;
    read_weights(spec);
    if (spec.has_layer) read_layer(spec);
    if (spec.weights.size() > 0) {
      if (!spec.weights.allFinite()) {
        add({get("weights.file").present ? get("weights.file").where : get("weights.values").where, "weights",
             "the weight matrix holds NaN or infinite values"});
      } else if (spec.weights.cwiseAbs().maxCoeff() == 0.0 && get("weights.w_fs").is_auto) {
        add({Location{m_path.string(), 0, 0, ""}, "weights", "every weight is zero: set weights.w_fs explicitly"});
      }
      read_inputs(spec);
    }
    if (!get("weights.w_fs").is_auto) spec.w_fs = get("weights.w_fs").number;
    spec.cell.resistors = static_cast<int>(get("cell.resistors").number);
    spec.cell.nominal = get("cell.nominal").number;
    spec.cell.design = get("cell.design").text == "binary" ? models::BankDesign::binary : models::BankDesign::uniform;
    spec.cell.variation = get("cell.variation").number;
    spec.cell.distribution =
        get("cell.distribution").text == "normal" ? models::Distribution::normal : models::Distribution::uniform;
    // variation.local / variation.distribution name the same as cell.variation / cell.distribution.
    for (auto [alias, key] : {std::pair{"variation.local", "cell.variation"}, std::pair{"variation.distribution", "cell.distribution"}}) {
      if (get(alias).present && get(key).present) {
        add({get(alias).where, alias, std::string("the same as ") + key + ": give one of them"});
      }
    }
    if (get("variation.local").present) spec.cell.variation = get("variation.local").number;
    if (get("variation.distribution").present) {
      spec.cell.distribution =
          get("variation.distribution").text == "normal" ? models::Distribution::normal : models::Distribution::uniform;
    }
    spec.cell.global = get("variation.global").number;
    spec.cell.global_distribution = get("variation.global_distribution").text == "uniform"
                                        ? models::Distribution::uniform
                                        : models::Distribution::normal;
    spec.cell.pelgrom = get("variation.pelgrom").number != 0.0;
    spec.cell.gradient_x = get("variation.gradient_x").number;
    spec.cell.gradient_y = get("variation.gradient_y").number;
    spec.cell.ron_spread = get("variation.ron").number;
    spec.cell.tc1 = get("temperature.tc1").number;
    spec.cell.tc2 = get("temperature.tc2").number;
    spec.operating_temperature = get("temperature.operating").number;
    spec.calibration.temperature = get("temperature.calibration").number;
    spec.calibration.relative_error = get("calibration.error").number;
    spec.calibration.bits = static_cast<int>(get("calibration.bits").number);
    spec.calibration.range = get("calibration.range").is_auto ? 0.0 : get("calibration.range").number;
    spec.trials = static_cast<int>(get("montecarlo.trials").number);
    spec.yield_threshold = get("montecarlo.yield_threshold").number;
    spec.error_budget = get("montecarlo.error_budget").number != 0.0;
    spec.sweep = get("sweep").sweep;
    spec.full_scale = get("cell.full_scale").number;
    if (!get("cell.g_fs").is_auto) spec.g_fs = get("cell.g_fs").number;
    spec.wires = {get("wire.segment").number, get("wire.driver").number, get("wire.sense").number};
    spec.cell.ron = get("switch.ron").number;
    spec.cell.roff = get("switch.roff").number;
    if (spec.cell.roff <= spec.cell.ron) {
      add({get("switch.roff").where, "switch.roff", "must be larger than switch.ron"});
    }
    if (!get("inputs.x_fs").is_auto) spec.x_fs = get("inputs.x_fs").number;
    spec.v_fs = get("inputs.v_fs").number;
    spec.backend = *parse_backend(get("simulate.backend").text);
    spec.solver_mode = *solver::SolveMode::parse(get("solver.mode").text);
    if (spec.solver_mode.kind == solver::SolveMode::Kind::series) spec.cell.topology = models::CellTopology::series;
    const auto& mode = spec.solver_mode;
    const int switches = 2 * spec.cell.resistors;
    if ((mode.kind == solver::SolveMode::Kind::fixed || mode.kind == solver::SolveMode::Kind::at_most) &&
        mode.count > switches) {
      add({get("solver.mode").where, "solver.mode",
           mode.name() + " asks for more switches than a cell has (2 x cell.resistors = " + std::to_string(switches) +
               ")"});
    }
    spec.solver_tolerance = get("solver.tolerance").number;
    spec.coverage_all_cells = get("coverage.cells").is_auto;
    spec.coverage.sample = static_cast<std::size_t>(get("coverage.cells").number);
    spec.coverage.budget = get("coverage.budget").number;
    if (spec.input_values.size() > 0 && !spec.input_values.allFinite()) {
      add({get("inputs.file").where, "inputs.file", "the input vectors hold NaN or infinite values"});
    }
    return spec;
  }

  std::filesystem::path m_path;
  std::vector<std::string> m_lines;
  std::vector<Diagnostic> m_diagnostics;
  std::map<std::string, Value> m_values;
  std::vector<std::pair<std::string, std::string>> m_overrides;  // key, whole argument
};

}  // namespace

Spec load_spec_text(const std::string& text, const std::filesystem::path& path,
                    const std::vector<std::string>& overrides) {
  SpecReader reader(text, path);
  return reader.read(text, overrides);
}

Spec load_spec(const std::filesystem::path& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path);
  if (!in) throw InputError({{path.string(), 0, 0, "", "cannot open the spec file (does it exist?)", ""}});
  std::stringstream buffer;
  buffer << in.rdbuf();
  return load_spec_text(buffer.str(), path, overrides);
}

}  // namespace xbar::sim
