// A design spec: YAML text -> typed, validated Spec. Keys and defaults: spec_parameters.hpp.
//
//   Spec spec = load_spec("examples/quickstart.yaml", {"cell.resistors=12"});   // --set overrides
//   // throws InputError listing every problem (file, line, column, key, what was expected)
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "xbar/models/cell_technology.hpp"
#include "xbar/models/conv.hpp"
#include "xbar/models/pruning.hpp"
#include "xbar/models/crossbar.hpp"
#include "xbar/sim/backend.hpp"
#include "xbar/sim/coverage.hpp"
#include "xbar/solver/mode.hpp"

namespace xbar::sim {

struct Spec {
  std::filesystem::path path;  // the spec file
  std::uint64_t seed = 1;

  Eigen::MatrixXd weights;     // inputs x outputs
  std::string weights_source;  // the .npy path, or "inline"
  std::optional<double> w_fs;  // empty: max |W|

  models::CellTechnology cell;   // with process variation and temperature coefficients
  models::Wires wires;
  double operating_temperature = models::nominal_temperature;  // degC
  models::MeasurementSetup calibration;
  double full_scale = 0.5;     // g_fs / reference bank conductance
  std::optional<double> g_fs;  // siemens; overrides full_scale

  int random_vectors = 0;        // > 0: draw this many input vectors
  Eigen::MatrixXd input_values;  // else: vectors x inputs, from inputs.file
  std::string inputs_source;     // the .npy path, or "random"
  std::optional<double> x_fs;
  double v_fs = 0.2;

  BackendKind backend = BackendKind::ngspice;
  solver::SolveMode solver_mode;  // signed unless the spec says otherwise; series sets cell.topology
  double solver_tolerance = 0.0;  // fraction of g_fs (of 1/g_fs for series banks)
  CoverageSettings coverage;      // sample = 0 here means: no coverage in `xbar run`
  bool coverage_all_cells = false;

  // A CNN layer (`xbar layer`), when the spec has layer.file or layer.onnx. Dense layers are held as
  // 1x1 convolutions of (N, inputs, 1, 1) inputs.
  bool has_layer = false;
  bool dense_layer = false;
  models::ConvLayer layer;
  models::Tensor4 layer_input;  // NCHW
  std::string layer_source;
  std::vector<double> layer_bias;  // per output channel, added digitally; empty: none
  bool prune = false;
  std::string prune_method = "none";
  bool prune_global = false;                    // rank magnitudes together with prune_with
  std::vector<std::vector<double>> prune_with;  // the other layers' weights
  models::PruneSettings prune_settings;
  int array_rows = 128, array_cols = 128;

  int trials = 100;
  double yield_threshold = 1e-2;
  bool error_budget = false;
  // The sweep grid: each key with its values as YAML text (applied as --set overrides).
  std::vector<std::pair<std::string, std::vector<std::string>>> sweep;
};

// overrides: "dotted.key=value" strings (value parsed as YAML; "null" removes the key).
Spec load_spec(const std::filesystem::path& path, const std::vector<std::string>& overrides = {});

// Same, from YAML text already in memory; `path` names it in diagnostics and anchors relative paths.
Spec load_spec_text(const std::string& text, const std::filesystem::path& path,
                    const std::vector<std::string>& overrides = {});

}  // namespace xbar::sim
