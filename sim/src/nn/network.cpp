#include "xbar/sim/nn/network.hpp"


#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>

#include "xbar/models/pruning.hpp"
#include "xbar/models/random.hpp"
#include "xbar/sim/backends/transfer.hpp"
#include "xbar/sim/flow/energy.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/nn/tile.hpp"
#include "xbar/sim/nn/tiling.hpp"
#include "xbar/sim/studies/statistics.hpp"
#include "xbar/solver/parallel.hpp"

namespace xbar::sim {

namespace {

// Streams of a trial's tiles: trial * this + tile.
constexpr std::uint64_t tiles_per_trial = 1u << 20;

struct Tile {
  int group = 0;
  std::vector<Eigen::Index> rows, cols;  // of the group's matrix
  ProgrammedDesign design;
  TileResponse response;  // what the tile computes and what that costs (tile.hpp)
};

struct AnalogLayer {
  std::size_t node = 0;
  Spec spec;                            // with the layer's overrides
  LinearNode pruned;                    // the ideal layer
  std::vector<Eigen::MatrixXd> ideal;   // per group, inputs x outputs
  std::vector<Eigen::MatrixXd> simulated;
  std::vector<Tile> tiles;
  models::Scale scale;
  NetworkLayerReport report;
};

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// A LinearNode's weights as an OIHW ConvLayer (dense: outputs x inputs x 1 x 1), for pruning.
models::ConvLayer as_conv_layer(const LinearNode& l) {
  if (l.conv) return l.layer;
  const Eigen::MatrixXd& w = l.dense;  // inputs x outputs
  std::vector<double> oihw(static_cast<std::size_t>(w.size()));
  for (Eigen::Index o = 0; o < w.cols(); ++o)
    for (Eigen::Index i = 0; i < w.rows(); ++i) oihw[static_cast<std::size_t>(o * w.rows() + i)] = w(i, o);
  return models::ConvLayer::from_oihw(oihw, {int(w.cols()), int(w.rows()), 1, 1}, {});
}

Spec layer_spec(const Spec& spec, const std::string& node) {
  for (const auto& [name, overrides] : spec.network.layer_overrides) {
    if (name != node) continue;
    std::vector<std::string> all = spec.overrides;
    all.insert(all.end(), overrides.begin(), overrides.end());
    Spec own = load_spec_text(spec.text, spec.path, all);
    own.backend = spec.backend;  // the caller's choice (mc --backend)
    return own;
  }
  return spec;
}

std::vector<AnalogLayer> analog_layers(const Spec& spec, const NetworkModel& model) {
  const Graph& graph = *model.graph;
  std::vector<AnalogLayer> layers;
  std::vector<models::ConvLayer> weights;
  for (std::size_t node : model.analog) {
    AnalogLayer l;
    l.node = node;
    const OnnxGraphNode& n = graph.nodes()[node];
    l.spec = layer_spec(spec, n.name);
    l.pruned = graph.linear(node);
    l.report.node = n.name.empty() ? n.outputs.front() : n.name;
    l.report.op_type = n.op_type;
    l.report.output = n.outputs.front();
    weights.push_back(as_conv_layer(l.pruned));
    layers.push_back(std::move(l));
  }
  // Pruning: each layer by its own settings, or one magnitude threshold over every analog layer.
  std::vector<std::vector<std::uint8_t>> masks(layers.size());
  if (spec.prune.enabled() && spec.prune.global) {
    std::vector<const models::ConvLayer*> all;
    for (const auto& w : weights) all.push_back(&w);
    masks = models::global_magnitude_masks(all, spec.prune.settings.sparsity);
  }
  for (std::size_t k = 0; k < layers.size(); ++k) {
    AnalogLayer& l = layers[k];
    if (!(spec.prune.enabled() && spec.prune.global) && l.spec.prune.enabled()) {
      masks[k] = models::prune_mask(weights[k], l.spec.prune.settings, l.spec.seed + k);
    }
    if (!masks[k].empty()) {
      for (std::size_t i = 0; i < masks[k].size(); ++i) weights[k].weights[i] *= masks[k][i];
      l.report.sparsity = models::mask_sparsity(masks[k]);
      if (l.pruned.conv) {
        l.pruned.layer.weights = weights[k].weights;
      } else {  // the 1 x 1 convolution's lowered matrix is the dense matrix, inputs x outputs
        l.pruned.dense = models::lowered_weights(weights[k], 0);
      }
    }
    for (int g = 0; g < l.pruned.groups(); ++g) l.ideal.push_back(l.pruned.matrix(g));
    double peak = 0.0;
    for (const auto& m : l.ideal) peak = std::max(peak, m.cwiseAbs().maxCoeff());
    l.scale.w_fs = l.spec.design.w_fs.value_or(peak > 0.0 ? peak : 1.0);
    l.scale.v_fs = l.spec.inputs.v_fs;
    l.scale.g_fs = l.spec.design.g_fs.value_or(l.spec.design.full_scale * models::reference_bank_conductance(l.spec.design.cell));
  }
  return layers;
}

Tensor batch_of(const Tensor& images, std::size_t first, std::size_t count) {
  Tensor t;
  t.shape = images.shape;
  t.shape[0] = count;
  const std::size_t per_image = images.size() / images.shape[0];
  t.data.assign(images.data.begin() + static_cast<std::ptrdiff_t>(first * per_image),
                images.data.begin() + static_cast<std::ptrdiff_t>((first + count) * per_image));
  return t;
}

// The node index -> analog layer lookup for the runners.
std::vector<int> layer_of_node(const Graph& graph, const std::vector<AnalogLayer>& layers) {
  std::vector<int> of(graph.nodes().size(), -1);
  for (std::size_t k = 0; k < layers.size(); ++k) of[layers[k].node] = static_cast<int>(k);
  return of;
}

std::size_t batches_of(std::size_t images, std::size_t batch) { return (images + batch - 1) / batch; }

// Each layer's x_fs: the peak of its input in the ideal network over the first `count` images.
void calibrate(const NetworkModel& model, std::vector<AnalogLayer>& layers, std::size_t count, const NetworkOptions& options) {
  const Graph& graph = *model.graph;
  const std::vector<int> of = layer_of_node(graph, layers);
  const std::size_t batch_images = model.batch, batches = batches_of(count, batch_images);
  std::vector<std::vector<double>> peaks(batches, std::vector<double>(layers.size(), 0.0));
  const auto step = begin_stage(options.progress, "calibrating", count);
  solver::parallel_for(
      batches, options.jobs,
      [&](std::size_t b) {
        const std::size_t first = b * batch_images, n = std::min(batch_images, count - first);
        run_graph(graph, {{model.input, batch_of(model.images, first, n)}}, {}, [&](std::size_t node, const std::vector<const Tensor*>& in) -> std::optional<Tensor> {
          if (of[node] < 0) return std::nullopt;
          const AnalogLayer& l = layers[static_cast<std::size_t>(of[node])];
          double& peak = peaks[b][static_cast<std::size_t>(of[node])];
          return linear_forward(l.pruned, *in[0], [&](int g, const Eigen::MatrixXd& rows) -> Eigen::MatrixXd {
            if (rows.size()) peak = std::max(peak, rows.cwiseAbs().maxCoeff());
            return rows * l.ideal[static_cast<std::size_t>(g)];
          });
        });
      },
      [&](std::size_t done, std::size_t) { step(std::min(done * batch_images, count), count); });
  for (std::size_t k = 0; k < layers.size(); ++k) {
    double peak = 0.0;
    for (const auto& p : peaks) peak = std::max(peak, p[k]);
    layers[k].scale.x_fs = peak > 0.0 ? peak : 1.0;
    layers[k].report.x_fs = layers[k].scale.x_fs;
  }
}

void program_layers(std::vector<AnalogLayer>& layers, const NetworkOptions& options) {
  std::size_t total = 0;
  for (const AnalogLayer& l : layers)
    for (const auto& m : l.ideal) {
      const CompactMatrix kept = drop_empty_lines(m);
      total += tile_blocks(kept.matrix.rows(), kept.matrix.cols(), l.spec.array.rows, l.spec.array.cols).size();
    }
  if (total > tiles_per_trial) throw std::invalid_argument("the network needs more than 2^20 tiles");
  const auto step = begin_stage(options.progress, "programming", total);
  std::uint64_t stream = options.trial * tiles_per_trial;
  std::size_t done = 0;
  for (AnalogLayer& l : layers) {
    for (int g = 0; g < static_cast<int>(l.ideal.size()); ++g) {
      const CompactMatrix kept = drop_empty_lines(l.ideal[static_cast<std::size_t>(g)]);
      for (const TileBlock& t : tile_blocks(kept.matrix.rows(), kept.matrix.cols(), l.spec.array.rows, l.spec.array.cols)) {
        Tile tile;
        tile.group = g;
        tile.rows.assign(kept.rows.begin() + t.first_row, kept.rows.begin() + t.first_row + t.rows);
        tile.cols.assign(kept.cols.begin() + t.first_col, kept.cols.begin() + t.first_col + t.cols);
        const DesignProblem problem{kept.matrix.block(t.first_row, t.first_col, t.rows, t.cols), Eigen::MatrixXd(0, t.rows), l.scale};
        tile.design = program_tile(l.spec, problem, stream++, {options.jobs, {}});
        l.report.weight_error = std::max(l.report.weight_error, weight_error(tile.design.programmed_weights, problem.weights, l.scale.w_fs));
        if (const auto& c = tile.design.compensation; c && !c->residual.empty()) {
          l.report.saturated += c->saturated;
          l.report.model_residual =
              std::max(l.report.model_residual, *std::min_element(c->residual.begin(), c->residual.end()));
        }
        l.tiles.push_back(std::move(tile));
        step(++done, total);
      }
    }
    l.report.tiles = static_cast<int>(l.tiles.size());
    l.report.w_fs = l.scale.w_fs;
    l.report.g_fs = l.scale.g_fs;
    l.report.v_fs = l.scale.v_fs;
    for (const Tile& t : l.tiles) {
      l.report.cells += t.design.crossbar.shape.cell_count();
      l.report.resistors += t.design.crossbar.shape.branch_count();
      for (std::uint8_t on : t.design.states.on) l.report.switches_closed += on;
    }
  }
}

// Backends lent to the workers and taken back: a native backend keeps the analysis of its last shape, so
// a layer's tiles of one shape pay it once per worker, not once per tile. Reuse gives the same bits: the
// analysis depends on the topology only.
class BackendPool {
 public:
  std::unique_ptr<Backend> borrow(BackendKind kind, const BackendOptions& options) {
    {
      const std::lock_guard lock(m_mutex);
      for (auto it = m_idle.begin(); it != m_idle.end(); ++it) {
        if (it->kind == kind && it->options.factorization == options.factorization) {
          std::unique_ptr<Backend> backend = std::move(it->backend);
          m_idle.erase(it);
          return backend;
        }
      }
    }
    return make_backend(kind, options);
  }
  void give_back(BackendKind kind, const BackendOptions& options, std::unique_ptr<Backend> backend) {
    const std::lock_guard lock(m_mutex);
    m_idle.push_back({kind, options, std::move(backend)});
  }

 private:
  struct Idle {
    BackendKind kind;
    BackendOptions options;
    std::unique_ptr<Backend> backend;
  };
  std::mutex m_mutex;
  std::vector<Idle> m_idle;
};

// Every tile's matrix from its transfer matrix, and each group's matrix assembled from its tiles.
void compute_transfer(std::vector<AnalogLayer>& layers, const NetworkOptions& options) {
  std::vector<Tile*> tiles;
  std::vector<BackendKind> kinds;
  std::vector<BackendOptions> settings;
  for (AnalogLayer& l : layers)
    for (Tile& t : l.tiles) {
      tiles.push_back(&t);
      kinds.push_back(l.spec.backend);
      settings.push_back(backend_options(l.spec));
    }
  const bool ngspice = std::count(kinds.begin(), kinds.end(), BackendKind::ngspice) > 0;  // one library, one thread
  const auto step = begin_stage(options.progress, "transfer matrices", tiles.size());
  BackendPool pool;
  solver::parallel_for(
      tiles.size(), ngspice ? 1 : options.jobs,
      [&](std::size_t k) {
        std::unique_ptr<Backend> backend = pool.borrow(kinds[k], settings[k]);
        tiles[k]->response = tile_response(tiles[k]->design, *backend);
        pool.give_back(kinds[k], settings[k], std::move(backend));
      },
      step);
  for (AnalogLayer& l : layers) {
    for (const auto& m : l.ideal) l.simulated.push_back(Eigen::MatrixXd::Zero(m.rows(), m.cols()));
    for (const Tile& t : l.tiles) {
      Eigen::MatrixXd& m = l.simulated[static_cast<std::size_t>(t.group)];
      for (std::size_t r = 0; r < t.rows.size(); ++r)
        for (std::size_t c = 0; c < t.cols.size(); ++c) m(t.rows[r], t.cols[c]) = t.response.matrix(Eigen::Index(r), Eigen::Index(c));
    }
  }
}

VerifyReport verify_tiles(const Spec& spec, const std::vector<AnalogLayer>& layers, const NetworkOptions& options) {
  VerifyReport report;
  report.backend = spec.simulation.verify_backend;
  report.vectors = spec.simulation.verify_vectors;
  std::size_t total = 0;
  for (const AnalogLayer& l : layers) total += l.tiles.size();
  const auto step = begin_stage(options.progress, "verifying", total);
  const auto backend = make_backend(report.backend, backend_options(spec));
  std::uint64_t index = 0;
  for (const AnalogLayer& l : layers)
    for (const Tile& t : l.tiles) {
      // Row voltages uniform in [-v_fs, v_fs]: the circuit is linear, so any vectors exercise all of it.
      const auto rows = static_cast<Eigen::Index>(t.rows.size());
      const std::vector<double> draws = models::random_inputs(spec.seed + 0x5eed + index, static_cast<std::size_t>(report.vectors * rows));
      Eigen::MatrixXd v(report.vectors, rows);
      for (Eigen::Index i = 0; i < v.size(); ++i) v(i / rows, i % rows) = draws[static_cast<std::size_t>(i)] * l.scale.v_fs;
      const Eigen::MatrixXd check = backend->column_currents(t.design.crossbar, t.design.states, v);
      const Eigen::MatrixXd fast = t.response.column_currents(v);
      for (Eigen::Index k = 0; k < v.rows(); ++k) {
        const double peak = check.row(k).cwiseAbs().maxCoeff();
        report.max_deviation = std::max(report.max_deviation, (check.row(k) - fast.row(k)).cwiseAbs().maxCoeff() / (peak > 0 ? peak : 1.0));
      }
      ++report.tiles;
      step(++index, total);
    }
  return report;
}

// What one batch of images gives.
struct BatchResult {
  std::vector<std::vector<double>> errors, errors_vs_float;  // per tensor, per image
  std::vector<int> top1_float, top1_ideal, top1_simulated;
  std::vector<std::size_t> clipped, adc_clipped;  // per layer
  std::vector<double> energy, macs;  // per layer: joules and multiply-accumulates over the batch's products
  std::map<std::string, NetworkArray> arrays;
};

std::vector<int> top1(const Tensor& output) {
  const std::size_t n = output.shape.empty() ? 1 : output.shape[0];
  const std::size_t per = output.size() / std::max<std::size_t>(n, 1);
  std::vector<int> best(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto first = output.data.begin() + static_cast<std::ptrdiff_t>(i * per);
    best[i] = static_cast<int>(std::max_element(first, first + static_cast<std::ptrdiff_t>(per)) - first);
  }
  return best;
}

class Inference {
 public:
  Inference(const Spec& spec, const NetworkModel& model, const std::vector<AnalogLayer>& layers,
            std::vector<std::string> tensors, bool same_as_float)
      : m_spec(spec), m_model(model), m_layers(layers), m_of(layer_of_node(*model.graph, layers)),
        m_tensors(std::move(tensors)), m_same_as_float(same_as_float) {}

  BatchResult run(std::size_t first, std::size_t count, bool keep) const {
    const Graph& graph = *m_model.graph;
    const Tensor images = batch_of(m_model.images, first, count);
    BatchResult r;
    r.clipped.assign(m_layers.size(), 0);
    r.adc_clipped.assign(m_layers.size(), 0);
    r.energy.assign(m_layers.size(), 0.0);
    r.macs.assign(m_layers.size(), 0.0);
    auto ideal = run_graph(graph, {{m_model.input, images}}, m_tensors, [&](std::size_t node, const std::vector<const Tensor*>& in) -> std::optional<Tensor> {
      if (m_of[node] < 0) return std::nullopt;
      const AnalogLayer& l = m_layers[static_cast<std::size_t>(m_of[node])];
      return linear_forward(l.pruned, *in[0], [&](int g, const Eigen::MatrixXd& rows) -> Eigen::MatrixXd { return rows * l.ideal[std::size_t(g)]; });
    });
    auto simulated = run_graph(graph, {{m_model.input, images}}, m_tensors, [&](std::size_t node, const std::vector<const Tensor*>& in) -> std::optional<Tensor> {
      if (m_of[node] < 0) return std::nullopt;
      const std::size_t k = static_cast<std::size_t>(m_of[node]);
      return linear_forward(m_layers[k].pruned, *in[0], [&](int g, const Eigen::MatrixXd& rows) {
        return simulate(k, g, rows, r.clipped[k], r.adc_clipped[k], r.energy[k], r.macs[k]);
      });
    });
    auto floats = m_same_as_float ? ideal : run_graph(graph, {{m_model.input, images}}, m_tensors);
    for (const std::string& name : m_tensors) {
      const Tensor &s = simulated.at(name), &i = ideal.at(name), &f = floats.at(name);
      r.errors.push_back(image_errors(s.data, i.data, count));
      r.errors_vs_float.push_back(image_errors(s.data, f.data, count));
    }
    const std::string& out = m_model.output;
    r.top1_float = top1(floats.at(out));
    r.top1_ideal = top1(ideal.at(out));
    r.top1_simulated = top1(simulated.at(out));
    if (keep) {
      const auto take = [&](const std::string& key, const Tensor& t) { r.arrays[key] = {t.shape, t.data}; };
      take("float", floats.at(out));
      take("ideal", ideal.at(out));
      take("simulated", simulated.at(out));
      for (std::size_t c = 0; c < m_model.compare.size(); ++c) {
        const std::string prefix = "compare" + std::to_string(c) + "_", &name = m_model.compare[c];
        take(prefix + "float", floats.at(name));
        take(prefix + "ideal", ideal.at(name));
        take(prefix + "simulated", simulated.at(name));
      }
    }
    return r;
  }

 private:
  // The crossbars' product for layer k, group g: inputs clipped to the layer's full scale. Without
  // converters or an amplifier, one product with the layer's assembled matrix; else tile by tile, each
  // through its DACs, amplifiers and ADCs, the partial sums added digitally. Each tile's energy too: its
  // power over the products, times t_int (flow/energy.hpp's definition).
  Eigen::MatrixXd simulate(std::size_t k, int g, const Eigen::MatrixXd& rows, std::size_t& clipped,
                           std::size_t& adc_clipped, double& energy, double& macs) const {
    const AnalogLayer& l = m_layers[k];
    const double x_fs = l.scale.x_fs, t_int = l.spec.design.readout.t_int;
    clipped += static_cast<std::size_t>((rows.array().abs() > x_fs).count());
    const Eigen::MatrixXd x = rows.cwiseMax(-x_fs).cwiseMin(x_fs);
    const auto volts = [&](const Tile& t) {
      Eigen::MatrixXd v(x.rows(), Eigen::Index(t.rows.size()));
      for (std::size_t r = 0; r < t.rows.size(); ++r) v.col(Eigen::Index(r)) = x.col(t.rows[r]) * (l.scale.v_fs / x_fs);
      return through_dacs(t.design, std::move(v));
    };
    for (const Tile& t : l.tiles) {
      if (t.group == g) macs += static_cast<double>(x.rows()) * static_cast<double>(t.rows.size() * t.cols.size());
    }
    const bool matrix = m_spec.simulation.transfer == TransferMode::matrix;
    const models::Readout& readout = l.spec.design.readout;
    if (matrix && !readout.tia.present() && readout.dac_bits == 0) {
      for (const Tile& t : l.tiles) {
        if (t.group != g) continue;
        const Eigen::MatrixXd v = volts(t);
        energy += t.response.total_power(v, v * t.response.amperes) * t_int;
      }
      return x * l.simulated[std::size_t(g)];
    }
    Eigen::MatrixXd y = Eigen::MatrixXd::Zero(x.rows(), l.ideal[std::size_t(g)].cols());
    for (const Tile& t : l.tiles) {
      if (t.group != g) continue;
      const Eigen::MatrixXd v = volts(t);
      Eigen::MatrixXd currents;
      if (matrix) {
        currents = t.response.column_currents(v);
        energy += t.response.total_power(v, currents) * t_int;
      } else {  // one circuit solve per input vector
        const auto backend = make_backend(l.spec.backend, backend_options(l.spec));
        const SourceCurrents solved = backend->source_currents(t.design.crossbar, t.design.states, v);
        for (double p : energy_of(t.design.crossbar, t.design.states, v, solved, t_int).power_w) energy += p * t_int;
        currents = solved.columns;
      }
      const Eigen::MatrixXd seen = read_out(t.design, currents, adc_clipped);
      for (std::size_t c = 0; c < t.cols.size(); ++c) {
        y.col(t.cols[c]) += seen.col(Eigen::Index(c)) * t.design.scale.output_of_current(1.0);
      }
    }
    return y;
  }

  const Spec& m_spec;
  const NetworkModel& m_model;
  const std::vector<AnalogLayer>& m_layers;
  std::vector<int> m_of;
  std::vector<std::string> m_tensors;
  bool m_same_as_float;
};

double accuracy(const std::vector<int>& predicted, const std::vector<int>& labels) {
  std::size_t right = 0;
  for (std::size_t k = 0; k < labels.size(); ++k) right += predicted[k] == labels[k];
  return static_cast<double>(right) / static_cast<double>(labels.size());
}

void append(NetworkArray& to, const NetworkArray& batch) {
  if (to.shape.empty()) {
    to = batch;
    return;
  }
  to.shape[0] += batch.shape[0];
  to.values.insert(to.values.end(), batch.values.begin(), batch.values.end());
}

}  // namespace

NetworkResult run_network(const Spec& spec, const NetworkModel& model, const NetworkOptions& options) {
  NetworkResult result;
  const std::size_t images = model.images.shape[0];
  result.images = images;
  auto start = Clock::now();
  const auto stage_done = [&](const char* name) {
    result.seconds.emplace_back(name, seconds_since(start));
    start = Clock::now();
  };
  std::vector<AnalogLayer> layers = analog_layers(spec, model);
  const std::size_t calibration = spec.network.calibration ? std::min(spec.network.calibration, images) : images;
  calibrate(model, layers, calibration, options);
  stage_done("calibration");
  program_layers(layers, options);
  stage_done("programming");
  // The solve path needs no transfer matrices, unless they are to be verified.
  if (spec.simulation.transfer == TransferMode::matrix || spec.simulation.verify_vectors > 0) {
    compute_transfer(layers, options);
    stage_done("transfer");
  }
  if (spec.simulation.verify_vectors > 0) {
    result.verify = verify_tiles(spec, layers, options);
    stage_done("verify");
  }

  // The model output, every analog layer's output, then the tensors asked for (each once).
  std::vector<std::string> tensors = {model.output};
  for (const AnalogLayer& l : layers) tensors.push_back(l.report.output);
  tensors.insert(tensors.end(), model.compare.begin(), model.compare.end());
  std::vector<std::string> unique;
  for (const std::string& t : tensors)
    if (std::find(unique.begin(), unique.end(), t) == unique.end()) unique.push_back(t);

  bool same_as_float = true;  // pruning changed nothing: float and ideal are the same computation
  for (const AnalogLayer& l : layers) same_as_float = same_as_float && l.report.sparsity == 0.0;
  const Inference inference(spec, model, layers, unique, same_as_float);
  const std::size_t batch_images = model.batch, batches = batches_of(images, batch_images);
  std::vector<BatchResult> results(batches);
  bool solve_with_ngspice = false;
  for (const AnalogLayer& l : layers) solve_with_ngspice |= l.spec.backend == BackendKind::ngspice;
  solve_with_ngspice &= spec.simulation.transfer == TransferMode::solve;
  const auto step = begin_stage(options.progress, "inference", images);
  solver::parallel_for(
      batches, solve_with_ngspice ? 1 : options.jobs,
      [&](std::size_t b) {
        const std::size_t first = b * batch_images;
        results[b] = inference.run(first, std::min(batch_images, images - first), options.keep_outputs);
      },
      [&](std::size_t done, std::size_t) { step(std::min(done * batch_images, images), images); });
  stage_done("inference");

  for (std::size_t t = 0; t < unique.size(); ++t) {
    TensorReport report;
    report.name = unique[t];
    for (const BatchResult& b : results) {
      report.per_image.insert(report.per_image.end(), b.errors[t].begin(), b.errors[t].end());
      report.per_image_vs_float.insert(report.per_image_vs_float.end(), b.errors_vs_float[t].begin(), b.errors_vs_float[t].end());
    }
    const std::vector<double> ordered = sorted(report.per_image);
    report.max = ordered.back();
    report.p99 = percentile(ordered, 0.99);
    report.median = percentile(ordered, 0.5);
    report.vs_float_max = *std::max_element(report.per_image_vs_float.begin(), report.per_image_vs_float.end());
    result.tensors.push_back(std::move(report));
  }
  for (std::size_t k = 0; k < layers.size(); ++k) {
    for (const BatchResult& b : results) {
      layers[k].report.clipped += b.clipped[k];
      layers[k].report.adc_clipped += b.adc_clipped[k];
      layers[k].report.energy_j += b.energy[k];
      layers[k].report.macs += b.macs[k];
    }
    result.weight_error = std::max(result.weight_error, layers[k].report.weight_error);
    result.layers.push_back(layers[k].report);
  }
  std::size_t same = 0;
  for (const BatchResult& b : results) {
    result.top1_float.insert(result.top1_float.end(), b.top1_float.begin(), b.top1_float.end());
    result.top1_ideal.insert(result.top1_ideal.end(), b.top1_ideal.begin(), b.top1_ideal.end());
    result.top1_simulated.insert(result.top1_simulated.end(), b.top1_simulated.begin(), b.top1_simulated.end());
    for (const auto& [name, array] : b.arrays) append(result.arrays[name], array);
  }
  for (std::size_t k = 0; k < images; ++k) same += result.top1_float[k] == result.top1_simulated[k];
  result.agreement = static_cast<double>(same) / static_cast<double>(images);
  if (!model.labels.empty()) {
    result.accuracy_float = accuracy(result.top1_float, model.labels);
    result.accuracy_ideal = accuracy(result.top1_ideal, model.labels);
    result.accuracy_simulated = accuracy(result.top1_simulated, model.labels);
  }
  return result;
}

}  // namespace xbar::sim
