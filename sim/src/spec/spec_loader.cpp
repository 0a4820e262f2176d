// The second step of loading a spec: typed values (spec_values.hpp) -> the Spec's sections, with the
// files they name read and the checks that involve more than one key. Every problem is collected;
// a bad value has already fallen back to its default, so later checks still run.
#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include "spec_values.hpp"
#include "xbar/models/random.hpp"
#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/io/input_file.hpp"
#include "xbar/sim/io/npy.hpp"
#include "xbar/sim/io/onnx.hpp"
#include "xbar/sim/spec/spec.hpp"

namespace xbar::sim {

namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

template <typename Enum>
Enum choice_of(const Value& v) {
  return static_cast<Enum>(v.choice);
}

// The layer's weights as read, before the input size (an ONNX Conv's padding needs it) is known.
struct LayerWeights {
  std::vector<double> oihw;       // empty when `conv` is already built (HWIO)
  std::array<int, 4> shape{};
  models::ConvGeometry geometry;
  std::optional<OnnxNode> node;   // when read from an ONNX model
  Location where;
  std::string key;
};

class SpecBuilder {
 public:
  explicit SpecBuilder(SpecValues& values) : m_values(values) {}

  Spec build() {
    Spec spec;
    spec.path = m_values.path();
    spec.seed = static_cast<std::uint64_t>(get("seed").number);
    spec.layer.present = get("layer.file").present || get("layer.onnx").present;
    spec.network.present = get("network.onnx").present;
    read_weights(spec);
    if (spec.network.present) {
      read_array_section(spec);
      read_pruning(spec);
      read_network(spec);
    }
    if (spec.layer.present) {
      read_array_section(spec);
      read_pruning(spec);
      read_layer(spec);
    }
    if (spec.design.weights.size() > 0) {
      check_weights(spec);
      read_inputs(spec);
    }
    read_design(spec);
    if (spec.design.weights.size() > 0) check_design_memory(spec);
    read_scale(spec);
    read_solver(spec);
    read_study(spec);
    spec.backend = choice_of<BackendKind>(get("simulate.backend"));
    spec.coverage.all_cells = get("coverage.cells").is_auto;
    spec.coverage.settings.sample = static_cast<std::size_t>(get("coverage.cells").number);
    spec.coverage.settings.budget = get("coverage.budget").number;
    return spec;
  }

 private:
  const Value& get(std::string_view key) const { return m_values.get(key); }
  void add(Problem p) { m_values.add(std::move(p)); }
  std::filesystem::path resolve(const std::string& file) const { return m_values.resolve(file); }

  // Reads a .npy named by `key`; problems are reported at the key's location.
  std::optional<NpyArray> read_array(std::string_view key) {
    const Value& v = get(key);
    try {
      return read_npy(resolve(v.text));
    } catch (const NpyError& e) {
      add({v.where, std::string(key), e.what()});
      return std::nullopt;
    }
  }

  // Reads an .npy or ONNX TensorProto file named by `key`; problems are reported at the key.
  std::optional<NpyArray> read_any_array(std::string_view key) {
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

  void read_weights(Spec& spec) {
    const Value& file = get("weights.file");
    const Value& values = get("weights.values");
    if (file.invalid || values.invalid) return;
    // `xbar layer` and `xbar network` need no weights matrix
    if ((spec.layer.present || spec.network.present) && !file.present && !values.present) return;
    if (file.present == values.present) {
      add({file.present ? file.where : m_values.file_start(), "weights",
           file.present ? "give weights.file or weights.values, not both"
                        : "missing: give weights.file (a 2-D .npy) or weights.values (a list of rows)"});
      return;
    }
    if (values.present) {
      spec.design.weights = values.matrix;
      spec.design.weights_source = "inline";
      return;
    }
    auto array = read_array("weights.file");
    if (!array) return;
    if (array->shape.size() != 2 || array->shape[0] == 0 || array->shape[1] == 0) {
      add({file.where, "weights.file",
           resolve(file.text).string() + ": expected a 2-D array (inputs x outputs), got shape " +
               shape_text(array->shape)});
      return;
    }
    spec.design.weights = Eigen::Map<const RowMajor>(array->data.data(), static_cast<Eigen::Index>(array->shape[0]),
                                                     static_cast<Eigen::Index>(array->shape[1]));
    spec.design.weights_source = resolve(file.text).string();
  }

  // Beyond this magnitude the products and sums of the ideal reference overflow to infinity.
  static constexpr double largest_value = 1e100;
  static std::string too_large(const std::string& what) {
    return "the " + what + " exceed 1e100 in magnitude (products would overflow): rescale them";
  }

  void check_weights(const Spec& spec) {
    const Location where = get("weights.file").present ? get("weights.file").where : get("weights.values").where;
    if (!spec.design.weights.allFinite()) {
      add({where, "weights", "the weight matrix holds NaN or infinite values"});
    } else if (spec.design.weights.cwiseAbs().maxCoeff() > largest_value) {
      add({where, "weights", too_large("weights")});
    } else if (spec.design.weights.cwiseAbs().maxCoeff() == 0.0 && get("weights.w_fs").is_auto) {
      add({m_values.file_start(), "weights", "every weight is zero: set weights.w_fs explicitly"});
    }
  }

  void read_inputs(Spec& spec) {
    const Value& file = get("inputs.file");
    const Value& vectors = get("inputs.vectors");
    if (file.invalid) return;
    if (!file.present) {
      spec.inputs.random_vectors = static_cast<int>(vectors.number);
      spec.inputs.source = "random";
      return;
    }
    if (vectors.present) {
      add({vectors.where, "inputs.vectors", "give inputs.vectors or inputs.file, not both"});
      return;
    }
    auto array = read_array("inputs.file");
    if (!array) return;
    const auto rows = static_cast<std::size_t>(spec.design.weights.rows());
    const bool one_vector = array->shape.size() == 1 && array->shape[0] == rows;
    const bool many = array->shape.size() == 2 && array->shape[1] == rows && array->shape[0] > 0;
    if (!one_vector && !many) {
      add({file.where, "inputs.file",
           resolve(file.text).string() + ": expected shape (vectors, " + std::to_string(rows) + ") or (" +
               std::to_string(rows) + ",) to match the weights' " + std::to_string(rows) + " inputs, got " +
               shape_text(array->shape)});
      return;
    }
    const auto count = static_cast<Eigen::Index>(one_vector ? 1 : array->shape[0]);
    spec.inputs.values = Eigen::Map<const RowMajor>(array->data.data(), count, static_cast<Eigen::Index>(rows));
    spec.inputs.source = resolve(file.text).string();
    if (!spec.inputs.values.allFinite()) {
      add({file.where, "inputs.file", "the input vectors hold NaN or infinite values"});
    } else if (spec.inputs.values.size() > 0 && spec.inputs.values.cwiseAbs().maxCoeff() > largest_value) {
      add({file.where, "inputs.file", too_large("input values")});
    }
  }

  void read_array_section(Spec& spec) {
    spec.array.rows = static_cast<int>(get("array.rows").number);
    spec.array.cols = static_cast<int>(get("array.cols").number);
  }

  void read_pruning(Spec& spec) {
    PruneSpec& prune = spec.prune;
    prune.method = get("prune.method").text;
    prune.settings.sparsity = get("prune.sparsity").number;
    prune.settings.block = static_cast<int>(get("prune.block").number);
    if (prune.enabled()) prune.settings.method = choice_of<models::PruneMethod>(get("prune.method"));
    if (get("prune.scope").text != "global") return;
    if (prune.method != "magnitude") {
      add({get("prune.scope").where, "prune.scope", "global scope ranks magnitudes: it needs prune.method magnitude"});
    }
    for (const std::string& file : get("prune.with").paths) {
      try {
        prune.with.push_back(read_npy(resolve(file)).data);
      } catch (const NpyError& e) {
        add({get("prune.with").where, "prune.with", e.what()});
      }
    }
    prune.global = true;
  }

  // layer.file (.npy in a given layout) or layer.onnx (a node's initializers), as OIHW plus geometry.
  std::optional<LayerWeights> read_layer_weights(Spec& spec, std::string& layout) {
    const Value& file = get("layer.file");
    const Value& onnx_model = get("layer.onnx");
    LayerWeights w;
    w.where = file.present ? file.where : onnx_model.where;
    w.key = file.present ? "layer.file" : "layer.onnx";
    std::optional<NpyArray> array;
    if (file.present) {
      array = read_array("layer.file");
      spec.layer.source = resolve(file.text).string();
      w.geometry.stride_h = w.geometry.stride_w = static_cast<int>(get("layer.stride").number);
      w.geometry.pad_top = w.geometry.pad_left = w.geometry.pad_bottom = w.geometry.pad_right =
          static_cast<int>(get("layer.padding").number);
      w.geometry.dilation_h = w.geometry.dilation_w = static_cast<int>(get("layer.dilation").number);
      w.geometry.groups = static_cast<int>(get("layer.groups").number);
    } else {
      try {
        w.node = read_onnx_node(resolve(onnx_model.text), get("layer.node").text);
      } catch (const OnnxError& e) {
        add({get("layer.node").present ? get("layer.node").where : onnx_model.where, "layer.node", e.what()});
        return std::nullopt;
      }
      if (!w.node->weights) {
        add({onnx_model.where, "layer.onnx",
             "node '" + w.node->name + "' takes its weights as a graph input, not an initializer"});
        return std::nullopt;
      }
      array = w.node->weights;
      if (w.node->bias) spec.layer.bias = w.node->bias->data;
      spec.layer.source = resolve(onnx_model.text).string() + " node " + get("layer.node").text;
      layout = w.node->op_type == "Conv" ? "OIHW" : (w.node->op_type == "Gemm" && w.node->trans_b ? "OI" : "IO");
    }
    if (!array) return std::nullopt;
    const auto dims = array->shape;
    const bool conv = layout == "OIHW" || layout == "HWIO";
    if ((conv && dims.size() != 4) || (!conv && dims.size() != 2)) {
      add({w.where, w.key,
           "expected a " + std::string(conv ? "4-D" : "2-D") + " weight array for layout " + layout + ", got " +
               std::to_string(dims.size()) + "-D"});
      return std::nullopt;
    }
    spec.layer.dense = !conv;
    try {
      if (layout == "HWIO") {
        spec.layer.conv = models::ConvLayer::from_hwio(array->data, {int(dims[0]), int(dims[1]), int(dims[2]), int(dims[3])},
                                                       w.geometry);
      } else if (layout == "OIHW") {
        w.oihw = array->data;
        w.shape = {int(dims[0]), int(dims[1]), int(dims[2]), int(dims[3])};
      } else {  // dense: IO (inputs x outputs) or OI
        const bool io = layout == "IO";
        const int in = int(io ? dims[0] : dims[1]), out = int(io ? dims[1] : dims[0]);
        w.oihw.resize(array->data.size());
        for (int o = 0; o < out; ++o)
          for (int i = 0; i < in; ++i) {
            const auto from = io ? static_cast<std::size_t>(i) * out + o : static_cast<std::size_t>(o) * in + i;
            w.oihw[static_cast<std::size_t>(o) * in + i] = array->data[from];
          }
        w.shape = {out, in, 1, 1};
        w.geometry = {};
      }
    } catch (const std::invalid_argument& e) {
      add({w.where, w.key, e.what()});
      return std::nullopt;
    }
    return w;
  }

  // layer.input (a file) or layer.input_random ([N, C, H, W]), as an NCHW tensor.
  bool read_layer_input(Spec& spec, const Location& weights_where) {
    const Value& input = get("layer.input");
    const Value& random = get("layer.input_random");
    if (input.present == random.present) {
      add({input.present ? input.where : weights_where, "layer.input",
           "give layer.input (a file) or layer.input_random ([N, C, H, W])"});
      return false;
    }
    std::vector<std::size_t> shape;
    std::vector<double> data;
    if (input.present) {
      auto a = read_any_array("layer.input");
      if (!a) return false;
      shape = a->shape;
      data = std::move(a->data);
    } else {
      double count = 1.0;  // in doubles: a product of four extents may not fit an integer
      for (long d : random.ints) {
        shape.push_back(static_cast<std::size_t>(d));
        count *= static_cast<double>(d);
      }
      if (!fits_in_memory(count * sizeof(double), random.where, "layer.input_random")) return false;
      if (std::any_of(shape.begin(), shape.end(), [](std::size_t d) { return d > 1u << 30; })) {
        add({random.where, "layer.input_random", "an extent above 2^30"});
        return false;
      }
      data = models::random_inputs(spec.seed, static_cast<std::size_t>(count));
    }
    if (spec.layer.dense && shape.size() == 2) shape = {shape[0], shape[1], 1, 1};
    if (shape.size() != 4) {
      add({input.present ? input.where : random.where, input.present ? "layer.input" : "layer.input_random",
           std::string("expected an NCHW input (4 dimensions") + (spec.layer.dense ? ", or (N, inputs)" : "") + ")"});
      return false;
    }
    spec.layer.input = models::Tensor4(int(shape[0]), int(shape[1]), int(shape[2]), int(shape[3]));
    spec.layer.input.data = std::move(data);
    return true;
  }

  void read_layer(Spec& spec) {
    if (get("layer.file").present && get("layer.onnx").present) {
      add({get("layer.onnx").where, "layer.onnx", "give layer.file or layer.onnx, not both"});
      return;
    }
    std::string layout = get("layer.layout").text;
    auto weights = read_layer_weights(spec, layout);
    if (!weights || !read_layer_input(spec, weights->where)) return;
    const Value& input = get("layer.input");
    const Location& where = input.present ? input.where : get("layer.input_random").where;
    const std::string key = input.present ? "layer.input" : "layer.input_random";
    models::Tensor4& x = spec.layer.input;
    try {
      if (weights->node && weights->node->op_type == "Conv") {
        weights->geometry = conv_geometry(*weights->node, x.h, x.w);
      }
      if (!weights->oihw.empty()) spec.layer.conv = models::ConvLayer::from_oihw(weights->oihw, weights->shape, weights->geometry);
      if (x.c != spec.layer.conv.in_channels()) {
        throw std::invalid_argument("the input has " + std::to_string(x.c) + " channels, the layer takes " +
                                    std::to_string(spec.layer.conv.in_channels()));
      }
      const auto [oh, ow] = models::output_size(spec.layer.conv, x.h, x.w);
      // The lowered input of one group: a row per output pixel, a column per kernel tap.
      const models::ConvLayer& conv = spec.layer.conv;
      const double lowered = static_cast<double>(x.n) * oh * ow * conv.in_per_group * conv.kernel_h * conv.kernel_w;
      fits_in_memory(3.0 * lowered * sizeof(double), where, key);
    } catch (const std::invalid_argument& e) {
      add({where, key, e.what()});
    } catch (const OnnxError& e) {
      add({get("layer.onnx").where, "layer.onnx", e.what()});
    }
  }

  Diagnostic anchor(std::string_view key) const {
    const Location& at = get(key).where;
    return {at.file.empty() ? m_values.path().string() : at.file, at.line, at.column, std::string(key), "", at.source_line};
  }

  void read_network(Spec& spec) {
    if (spec.layer.present) {
      add({get("network.onnx").where, "network.onnx", "a spec describes a layer or a network, not both"});
      return;
    }
    NetworkSpec& n = spec.network;
    n.onnx = resolve(get("network.onnx").text);
    n.analog_all = get("network.analog").is_auto;
    n.analog = get("network.analog").names;
    if (!n.analog_all && n.analog.empty()) add({get("network.analog").where, "network.analog", "expected all or at least one node name"});
    n.compare = get("network.compare").names;
    if (get("network.compare").is_auto) add({get("network.compare").where, "network.compare", "expected a list of tensor names"});
    n.calibration = get("network.calibration").is_auto ? 0 : static_cast<std::size_t>(get("network.calibration").number);
    n.layer_overrides = get("layers").layer_overrides;
    n.onnx_at = anchor("network.onnx");
    n.analog_at = anchor("network.analog");
    n.compare_at = anchor("network.compare");
    n.layers_at = anchor("layers");
    DatasetSpec& d = spec.dataset;
    if (!get("dataset.images").present) {
      add({m_values.file_start(), "dataset.images", "missing: a network runs over dataset.images (IDX or .npy)"});
    } else {
      d.images = resolve(get("dataset.images").text);
    }
    if (get("dataset.labels").present) d.labels = resolve(get("dataset.labels").text);
    if (!get("dataset.scale").is_auto) d.scale = get("dataset.scale").number;
    d.offset = get("dataset.offset").number;
    d.limit = get("dataset.limit").is_auto ? 0 : static_cast<std::size_t>(get("dataset.limit").number);
    d.images_at = anchor("dataset.images");
    d.labels_at = anchor("dataset.labels");
    SimulationSpec& s = spec.simulation;
    s.transfer = choice_of<TransferMode>(get("simulate.transfer"));
    s.factorization = choice_of<Factorization>(get("simulate.factorization"));
    s.verify_backend = choice_of<BackendKind>(get("simulate.verify.backend"));
    s.verify_vectors = static_cast<int>(get("simulate.verify.vectors").number);
  }

  // A run must not allocate until the machine gives out: what a spec implies is checked first.
  bool fits_in_memory(double bytes, const Location& where, const std::string& key) {
    if (bytes <= static_cast<double>(memory_limit())) return true;
    add({where, key,
         "needs about " + format_bytes(static_cast<std::uint64_t>(std::min(bytes, 1.8e19))) +
             ", more than the memory limit of " + format_bytes(memory_limit()) +
             " (--max-memory or XBAR_MAX_MEMORY to change it)"});
    return false;
  }

  // A crossbar keeps ~10 doubles per branch (true values, calibration, states, netlist); every input vector
  // its inputs and three rows of outputs.
  void check_design_memory(const Spec& spec) {
    const double rows = static_cast<double>(spec.design.weights.rows());
    const double cols = static_cast<double>(spec.design.weights.cols());
    const double branches = rows * cols * 2.0 * spec.design.cell.resistors;
    const Value& w = get("weights.file").present ? get("weights.file") : get("weights.values");
    if (!fits_in_memory(branches * 10.0 * sizeof(double), w.where, "weights")) return;
    const double vectors = spec.inputs.random_vectors > 0 ? spec.inputs.random_vectors
                                                          : static_cast<double>(spec.inputs.values.rows());
    const Value& v = get("inputs.vectors");
    fits_in_memory(vectors * (rows + 3.0 * cols) * sizeof(double), v.present ? v.where : w.where, "inputs.vectors");
  }

  void read_design(Spec& spec) {
    models::CellTechnology& cell = spec.design.cell;
    cell.resistors = static_cast<int>(get("cell.resistors").number);
    cell.nominal = get("cell.nominal").number;
    cell.design = choice_of<models::BankDesign>(get("cell.design"));
    cell.variation = get("cell.variation").number;
    cell.distribution = choice_of<models::Distribution>(get("cell.distribution"));
    // variation.local / variation.distribution name the same as cell.variation / cell.distribution. The
    // file gives one of the two; a --set (or --sweep) of either replaces what the file says.
    const auto from_override = [](const Value& v) { return v.where.file.rfind("--set ", 0) == 0; };
    const auto alias_wins = [&](const char* alias, const char* key) {
      const Value &a = get(alias), &k = get(key);
      if (a.present && k.present && from_override(a) == from_override(k)) {
        add({a.where, alias, std::string("the same as ") + key + ": give one of them"});
      }
      return a.present && (!k.present || from_override(a));
    };
    if (alias_wins("variation.local", "cell.variation")) cell.variation = get("variation.local").number;
    if (alias_wins("variation.distribution", "cell.distribution")) {
      cell.distribution = choice_of<models::Distribution>(get("variation.distribution"));
    }
    cell.global = get("variation.global").number;
    cell.global_distribution = choice_of<models::Distribution>(get("variation.global_distribution"));
    cell.pelgrom = get("variation.pelgrom").flag;
    cell.gradient_x = get("variation.gradient_x").number;
    cell.gradient_y = get("variation.gradient_y").number;
    cell.ron_spread = get("variation.ron").number;
    cell.tc1 = get("temperature.tc1").number;
    cell.tc2 = get("temperature.tc2").number;
    cell.ron = get("switch.ron").number;
    cell.roff = get("switch.roff").number;
    if (cell.roff <= cell.ron) add({get("switch.roff").where, "switch.roff", "must be larger than switch.ron"});
    warn_about_nominal(spec);
    spec.design.operating_temperature = get("temperature.operating").number;
    models::MeasurementSetup& measurement = spec.design.measurement;
    measurement.temperature = get("temperature.calibration").number;
    measurement.relative_error = get("calibration.error").number;
    measurement.bits = static_cast<int>(get("calibration.bits").number);
    measurement.range = get("calibration.range").is_auto ? 0.0 : get("calibration.range").number;
    spec.design.wires = {get("wire.segment").number, get("wire.driver").number, get("wire.sense").number, {}, {}};
    spec.design.wire_variation = get("wire.variation").number;
    spec.design.wire_capacitance = get("wire.capacitance").number;
    read_readout(spec.design.readout);
    spec.design.temperature_spread = get("temperature.spread").number;
  }

  void read_readout(models::Readout& readout) {
    const Value& gain = get("readout.tia.gain");
    const Value& rf = get("readout.tia.rf");
    const Value& offset = get("readout.tia.offset");
    const Value& bits = get("readout.adc.bits");
    readout.tia = {gain.present ? gain.number : 0.0, rf.present ? rf.number : 0.0, offset.number};
    readout.t_int = get("readout.t_int").number;
    readout.dac_bits = get("readout.dac.bits").present ? static_cast<int>(get("readout.dac.bits").number) : 0;
    const Value& range = get("readout.adc.range");
    if (bits.present) readout.adc = {static_cast<int>(bits.number), range.matrix(0, 0), range.matrix(0, 1)};
    if (!rf.present) {
      for (const Value* v : {&gain, &offset, &bits}) {
        if (v->present && !v->invalid) {
          add({v->where, std::string(v->parameter->key),
               "needs readout.tia.rf: the amplifier's feedback resistance turns the column current into the "
               "voltage it and the ADC work on"});
        }
      }
    }
    if (range.present && !range.invalid) {
      const double low = range.matrix(0, 0), high = range.matrix(0, 1);
      if (!(low < high)) {
        add({range.where, "readout.adc.range", "low must be below high, got [" + netlist::format_number(low) + ", " +
                                                   netlist::format_number(high) + "]"});
      } else if (low > 0 || high < 0) {
        add({range.where, "readout.adc.range", "the range must include 0 V (an output of zero must be readable), got [" +
                                                   netlist::format_number(low) + ", " + netlist::format_number(high) + "]"});
      }
    }
  }

  // A resistor below the switch's on-resistance, or outside 1 ohm .. 1 Gohm, is most often SPICE's
  // reading of a suffix ("1M" is one milliohm; a megaohm is "1meg").
  void warn_about_nominal(Spec& spec) {
    const Value& nominal = get("cell.nominal");
    const double r = spec.design.cell.nominal;
    std::string why;
    if (r < spec.design.cell.ron) {
      why = "below the switch's on-resistance (" + netlist::format_number(spec.design.cell.ron) + " ohm)";
    } else if (r < 1.0 || r > 1e9) {
      why = "outside 1 ohm .. 1 Gohm";
    }
    if (why.empty() || !nominal.present) return;
    const Location& at = nominal.where;
    spec.warnings.push_back({at.file, at.line, at.column, "cell.nominal",
                             netlist::format_number(r) + " ohm is " + why +
                                 "; SPICE suffixes read 1M as 1 milliohm, write 1meg for a megaohm",
                             at.source_line, true});
  }

  void read_scale(Spec& spec) {
    if (!get("weights.w_fs").is_auto) spec.design.w_fs = get("weights.w_fs").number;
    spec.design.full_scale = get("cell.full_scale").number;
    if (get("cell.full_scale_of").text == "auto") {
      // A lone bank's smallest step is one resistor: a weight below it would be unreachable.
      const std::optional<SolveMode> mode = SolveMode::parse(get("solver.mode").text);  // reported if malformed
      const bool joint = mode && !mode->one_bank() && mode->kind != SolveMode::Kind::series;
      spec.design.full_scale_of = joint ? models::FullScaleReference::resistor : models::FullScaleReference::bank;
    } else {
      spec.design.full_scale_of = choice_of<models::FullScaleReference>(get("cell.full_scale_of"));
    }
    if (!get("cell.g_fs").is_auto) spec.design.g_fs = get("cell.g_fs").number;
    if (!get("inputs.x_fs").is_auto) spec.inputs.x_fs = get("inputs.x_fs").number;
    spec.inputs.v_fs = get("inputs.v_fs").number;
  }

  void read_solver(Spec& spec) {
    spec.solver.mode = *SolveMode::parse(get("solver.mode").text);
    spec.solver.tolerance = get("solver.tolerance").number;
    const SolveMode& mode = spec.solver.mode;
    if (mode.kind == SolveMode::Kind::series) spec.design.cell.topology = models::CellTopology::series;
    const int switches = (mode.per_bank ? 1 : 2) * spec.design.cell.resistors;
    if ((mode.kind == SolveMode::Kind::fixed || mode.kind == SolveMode::Kind::at_most) && mode.count > switches) {
      add({get("solver.mode").where, "solver.mode",
           mode.name() + " asks for more switches than " + (mode.per_bank ? "a bank" : "a cell") + " has (" +
               (mode.per_bank ? "" : "2 x ") + "cell.resistors = " + std::to_string(switches) + ")"});
    }
    spec.solver.objective = choice_of<solver::Objective>(get("solver.objective"));
    const bool plain = mode.kind == SolveMode::Kind::signed_banks || (mode.kind == SolveMode::Kind::free && !mode.per_bank);
    if (spec.solver.objective == solver::Objective::min_common && !plain) {
      add({get("solver.objective").where, "solver.objective",
           "min_common needs solver.mode signed or free (it takes no switch count), not " + mode.name()});
    }
    read_programming(spec, plain);
  }

  void read_programming(Spec& spec, bool plain_mode) {
    ProgrammingSpec& p = spec.programming;
    const Value& compensate = get("programming.compensate");
    for (const std::string& name : compensate.names) {
      if (name == "wires") {
        p.wires = true;
      } else if (name == "temperature") {
        p.temperature = true;
      } else {
        add({compensate.where, "programming.compensate", "unknown effect '" + name + "': expected wires, temperature"});
      }
    }
    if (compensate.is_auto) add({compensate.where, "programming.compensate", "expected a list: [wires], [temperature] or both"});
    p.iterations = static_cast<int>(get("programming.iterations").number);
    p.tolerance = get("programming.tolerance").number;
    if (p.compensates() && !plain_mode) {
      add({compensate.where, "programming.compensate",
           "compensation re-solves each bank on its own: it needs solver.mode signed or free, not " +
               spec.solver.mode.name()});
    }
  }

  void read_study(Spec& spec) {
    spec.study.trials = static_cast<int>(get("montecarlo.trials").number);
    spec.study.yield_threshold = get("montecarlo.yield_threshold").number;
    spec.study.error_budget = get("montecarlo.error_budget").flag;
    if (!get("montecarlo.accuracy_threshold").is_auto) spec.study.accuracy_threshold = get("montecarlo.accuracy_threshold").number;
    spec.study.sweep = get("sweep").sweep;
  }

  SpecValues& m_values;
};

}  // namespace

Spec load_spec_text(const std::string& text, const std::filesystem::path& path,
                    const std::vector<std::string>& overrides) {
  SpecValues values(text, path);
  if (!values.read(text, overrides)) throw InputError(values.diagnostics());
  Spec spec = SpecBuilder(values).build();
  spec.text = text;
  spec.overrides = overrides;
  if (!values.diagnostics().empty()) throw InputError(values.diagnostics());
  return spec;
}

Spec load_spec(const std::filesystem::path& path, const std::vector<std::string>& overrides) {
  std::string text;
  try {
    text = read_input_file(path, "a spec file (YAML)");
  } catch (const FileReadError& e) {
    throw InputError({{path.string(), 0, 0, "", e.reason(), ""}});
  }
  return load_spec_text(text, path, overrides);
}

}  // namespace xbar::sim
