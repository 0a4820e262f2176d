// A spec: YAML text -> a typed, validated Spec in sections, one per job. Keys, defaults and ranges:
// the parameter table (parameters.hpp), printed by `xbar keys`.
// Usage:
//   Spec spec = load_spec("examples/quickstart.yaml", {"cell.resistors=12"});   // --set overrides
//   spec.design.cell.resistors == 12;   spec.solver.mode.name() == "signed";
//   // throws InputError listing every problem (file, line, column, key, what was expected)
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include "xbar/models/cell_technology.hpp"
#include "xbar/models/conv.hpp"
#include "xbar/models/crossbar.hpp"
#include "xbar/models/pruning.hpp"
#include "xbar/sim/backends/backend.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/program/coverage.hpp"
#include "xbar/sim/program/solve_mode.hpp"

namespace xbar::sim {

// What is built: the weights it holds, its cells, switches, wires, variation, temperature, and how it
// is measured before programming.
struct DesignSpec {
  Eigen::MatrixXd weights;     // inputs x outputs; empty for a layer spec
  std::string weights_source;  // the .npy path, or "inline"
  std::optional<double> w_fs;  // empty: max |W|
  models::CellTechnology cell;  // resistors, switches, process variation, temperature coefficients
  models::Wires wires;         // the layout's (what programming knows)
  double wire_variation = 0.0;  // relative spread of each fabricated segment
  double wire_capacitance = 0.0;  // farad per wire node to ground (transients)
  models::Readout readout;
  double operating_temperature = models::nominal_temperature;  // degC
  double temperature_spread = 0.0;                             // degC, sigma of a die's operating temperature
  models::MeasurementSetup measurement;                        // the spec's calibration: section
  double full_scale = 0.5;     // g_fs / the reference conductance
  models::FullScaleReference full_scale_of = models::FullScaleReference::resistor;
  std::optional<double> g_fs;  // siemens; overrides full_scale
};

// What drives it.
struct InputsSpec {
  int random_vectors = 0;   // > 0: draw this many input vectors
  Eigen::MatrixXd values;   // else: vectors x inputs, from inputs.file
  std::string source;       // the .npy path, or "random"
  std::optional<double> x_fs;
  double v_fs = 0.2;
};

struct SolverSpec {
  SolveMode mode;          // signed unless the spec says otherwise; series sets the cell topology
  double tolerance = 0.0;  // fraction of g_fs (of 1/g_fs for series banks)
  solver::Objective objective = solver::Objective::closest;
};

// Programming the array rather than each cell (program/compensation.hpp).
struct ProgrammingSpec {
  bool wires = false;        // correct the targets for the wires' IR drop
  bool temperature = false;  // program for the operating temperature
  int iterations = 20;
  double tolerance = 3e-5;   // fraction of g_fs
  bool compensates() const { return wires || temperature; }
};

struct CoverageSpec {
  CoverageSettings settings;  // sample = 0 here means: no coverage in `xbar run`
  bool all_cells = false;
};

// A CNN layer (`xbar layer`), when the spec has layer.file or layer.onnx. Dense layers are held as
// 1x1 convolutions of (N, inputs, 1, 1) inputs.
struct LayerSpec {
  bool present = false;
  bool dense = false;
  models::ConvLayer conv;
  models::Tensor4 input;     // NCHW
  std::string source;
  std::vector<double> bias;  // per output channel, added digitally; empty: none
};

struct PruneSpec {
  std::string method = "none";
  bool global = false;                    // rank magnitudes together with `with`
  std::vector<std::vector<double>> with;  // the other layers' weights
  models::PruneSettings settings;
  bool enabled() const { return method != "none"; }
};

struct ArraySpec {
  int rows = 128, cols = 128;  // one crossbar tile
};

// A grid over spec values: each key with its values as YAML text (applied as --set overrides).
using SweepGrid = std::vector<std::pair<std::string, std::vector<std::string>>>;

// A whole network (`xbar network`), when the spec has network.onnx. The model and the dataset are read
// by nn/network_model.hpp; the places of their keys are kept here for its error messages.
struct NetworkSpec {
  bool present = false;
  std::filesystem::path onnx;
  bool analog_all = true;
  std::vector<std::string> analog;   // node names, when not all
  std::vector<std::string> compare;  // tensor names
  std::size_t calibration = 0;       // images that set each layer's x_fs; 0 = every image of the run
  // node name -> "KEY=VALUE" overrides of the spec for that layer's crossbars
  std::vector<std::pair<std::string, std::vector<std::string>>> layer_overrides;
  Diagnostic onnx_at, analog_at, compare_at, layers_at;  // where each key is written (message empty)
};
struct DatasetSpec {
  std::filesystem::path images, labels;  // labels empty: none
  std::optional<double> scale;           // empty: 1/255 for uint8 images, else 1
  double offset = 0.0;
  std::size_t limit = 0;                 // 0: every image
  Diagnostic images_at, labels_at;
};
enum class TransferMode { matrix, solve };
// How a network's analog layers are simulated, and how that is checked.
struct SimulationSpec {
  TransferMode transfer = TransferMode::matrix;
  Factorization factorization = Factorization::automatic;
  BackendKind verify_backend = BackendKind::ngspice;
  int verify_vectors = 0;  // per tile; 0 = no check
};
struct StudySpec {
  int trials = 100;
  double yield_threshold = 1e-2;
  std::optional<double> accuracy_threshold;  // networks; empty: the float accuracy - 0.01
  bool error_budget = false;
  SweepGrid sweep;
};

struct Spec {
  std::filesystem::path path;  // the spec file
  std::uint64_t seed = 1;
  DesignSpec design;
  InputsSpec inputs;
  SolverSpec solver;
  ProgrammingSpec programming;
  BackendKind backend = BackendKind::ngspice;
  CoverageSpec coverage;
  LayerSpec layer;
  PruneSpec prune;
  ArraySpec array;
  StudySpec study;
  NetworkSpec network;
  DatasetSpec dataset;
  SimulationSpec simulation;
  std::string text;                    // the YAML it was loaded from
  std::vector<std::string> overrides;  // the --set arguments it was loaded with
  std::vector<Diagnostic> warnings;  // likely mistakes that do not stop a run (the command prints them)
};

// What the spec asks of the backends it runs (the native backend's factorization).
inline BackendOptions backend_options(const Spec& spec) { return {spec.simulation.factorization}; }

// overrides: "dotted.key=value" strings (value parsed as YAML; "null" removes the key).
Spec load_spec(const std::filesystem::path& path, const std::vector<std::string>& overrides = {});

// Same, from YAML text already in memory; `path` names it in diagnostics and anchors relative paths.
Spec load_spec_text(const std::string& text, const std::filesystem::path& path,
                    const std::vector<std::string>& overrides = {});

}  // namespace xbar::sim
