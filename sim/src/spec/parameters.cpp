#include "xbar/sim/spec/parameters.hpp"

#include <cmath>

#include "xbar/netlist/spice_writer.hpp"
#include "xbar/models/cell_technology.hpp"
#include "xbar/models/pruning.hpp"
#include "xbar/sim/backends/backend.hpp"
#include "xbar/sim/program/solve_mode.hpp"
#include "xbar/sim/spec/spec.hpp"
#include "xbar/solver/subset_sum.hpp"

namespace xbar::sim {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double max_resistors = static_cast<double>(solver::max_values / 2);

template <typename Enum>
Choice as(const char* word, Enum value) {
  return {word, static_cast<int>(value)};
}

const std::vector<Choice> distributions = {as("uniform", models::Distribution::uniform),
                                           as("normal", models::Distribution::normal)};

}  // namespace

const std::vector<Parameter>& spec_parameters() {
  static const std::vector<Parameter> table = {
      {"seed", ParamType::integer, "1", 0, 9.007199254740992e15, false, {}, "",
       "Seed of every random stream (fabrication, inputs); same seed, same bytes out."},
      {"weights.file", ParamType::path, "", -inf, inf, false, {}, "",
       "2-D .npy (float32/float64), inputs x outputs. Give this or weights.values."},
      {"weights.values", ParamType::matrix, "", -inf, inf, false, {}, "",
       "Inline weight matrix, a list of rows (inputs x outputs)."},
      {"weights.w_fs", ParamType::real_or_auto, "auto", 0, inf, true, {}, "weight units",
       "Weight at full scale (maps to g_fs); auto = max |W|."},
      {"cell.resistors", ParamType::integer, "8", 1, max_resistors, false, {}, "",
       "Resistors per bank; a differential cell has two banks."},
      {"cell.nominal", ParamType::real, "10k", 0, inf, true, {}, "ohm",
       "Nominal resistance of bank position 0."},
      {"cell.design", ParamType::choice, "uniform", -inf, inf, false, {as("uniform", models::BankDesign::uniform), as("binary", models::BankDesign::binary), as("spread", models::BankDesign::spread)}, "",
       "uniform: every resistor nominal; binary: position k is nominal * 2^k (conductance halves); spread: each "
       "conductance uniform in (0, 1] x 1/nominal (the thesis' values in U[-1, 1], §4.3)."},
      {"cell.variation", ParamType::real, "0.2", 0, 0.9, false, {}, "relative",
       "Process spread of each resistor: half-width (uniform) or sigma (normal)."},
      {"cell.distribution", ParamType::choice, "uniform", -inf, inf, false, distributions, "",
       "Distribution of the relative deviation of each resistor."},
      {"cell.full_scale", ParamType::real, "0.5", 0, 1, true, {}, "fraction",
       "g_fs as a fraction of the reference conductance that cell.full_scale_of names."},
      {"cell.full_scale_of", ParamType::choice, "auto", -inf, inf, false,
       {"auto", as("resistor", models::FullScaleReference::resistor), as("bank", models::FullScaleReference::bank)}, "",
       "resistor: one nominal resistor of position 0 with its switch, so g_fs (and the currents, and the IR drop) "
       "stay put as cell.resistors changes; bank: a whole nominal bank with every switch on (grows with n; the "
       "default before 0.4); auto: resistor for solver modes that solve both banks jointly (signed, fixed:K, max:K), "
       "bank where one bank holds a weight alone (free, bank_*:K: its smallest step is one resistor) and for "
       "series banks (1/sqrt(R_total R_min))."},
      {"variation.local", ParamType::real, "", 0, 0.9, false, {}, "relative",
       "Per-resistor mismatch; the same as cell.variation (give one of them)."},
      {"variation.distribution", ParamType::choice, "", -inf, inf, false, distributions, "",
       "The same as cell.distribution (give one of them)."},
      {"variation.global", ParamType::real, "0", 0, 0.9, false, {}, "relative",
       "Die-to-die shift of every resistor: sigma (normal) or half-width (uniform)."},
      {"variation.global_distribution", ParamType::choice, "normal", -inf, inf, false, distributions, "",
       "Distribution of the die-to-die shift."},
      {"variation.pelgrom", ParamType::boolean, "false", -inf, inf, false, {}, "",
       "Scale each position's mismatch by sqrt(R_0 / R_k): larger resistors, more area, less mismatch."},
      {"variation.gradient_x", ParamType::real, "0", -0.9, 0.9, false, {}, "relative",
       "Linear change of every resistor across the columns, first to last."},
      {"variation.gradient_y", ParamType::real, "0", -0.9, 0.9, false, {}, "relative",
       "Linear change of every resistor across the rows, first to last."},
      {"variation.ron", ParamType::real, "0", 0, 0.9, false, {}, "relative",
       "Sigma of each switch's on-resistance around switch.ron."},
      {"temperature.tc1", ParamType::real, "0", -0.1, 0.1, false, {}, "1/degC",
       "Resistor temperature coefficient (first order), about 27 degC; written as SPICE tc1."},
      {"temperature.tc2", ParamType::real, "0", -0.01, 0.01, false, {}, "1/degC^2", "Second-order coefficient (tc2)."},
      {"temperature.operating", ParamType::real, "27", -273, 500, false, {}, "degC",
       "Where the crossbar runs (SPICE .temp)."},
      {"temperature.calibration", ParamType::real, "27", -273, 500, false, {}, "degC", "Where it was measured."},
      {"temperature.spread", ParamType::real, "0", 0, 200, false, {}, "degC",
       "Sigma of each die's operating temperature around temperature.operating (normal, drawn per trial); "
       "programming only knows temperature.operating."},
      {"calibration.error", ParamType::real, "0", 0, 0.5, false, {}, "relative",
       "Sigma of each measurement's relative error (normal)."},
      {"calibration.bits", ParamType::integer, "0", 0, 52, false, {}, "bits",
       "Quantise each measured value to this many bits over [0, calibration.range]; 0 = no quantisation."},
      {"calibration.range", ParamType::real_or_auto, "auto", 0, inf, true, {}, "S or ohm",
       "Measurement full scale (siemens; ohm for series banks); auto = 1.25 x the largest value."},
      {"cell.g_fs", ParamType::real_or_auto, "auto", 0, inf, true, {}, "siemens",
       "Conductance that represents w_fs; auto = cell.full_scale x the reference conductance. Fixing it "
       "holds the column currents (and IR drop) constant while n changes."},
      {"switch.ron", ParamType::real, "100", 0, inf, false, {}, "ohm", "Switch on-resistance."},
      {"switch.roff", ParamType::real, "1g", 0, inf, true, {}, "ohm", "Switch off-resistance (leakage)."},
      {"inputs.vectors", ParamType::integer, "4", 1, 1e6, false, {}, "",
       "Number of random input vectors, uniform in [-1, 1] (unless inputs.file is given)."},
      {"inputs.file", ParamType::path, "", -inf, inf, false, {}, "",
       ".npy of input vectors: vectors x inputs (2-D) or one vector (1-D)."},
      {"inputs.x_fs", ParamType::real_or_auto, "auto", 0, inf, true, {}, "input units",
       "Input at full scale (maps to v_fs); auto = 1 for random inputs, max |x| for a file."},
      {"inputs.v_fs", ParamType::real, "0.2", 0, 100, true, {}, "volt", "Row voltage at full-scale input."},
      {"wire.segment", ParamType::real, "0", 0, inf, false, {}, "ohm",
       "Resistance of each line segment between adjacent crosspoints (input lines and columns)."},
      {"wire.driver", ParamType::real, "0", 0, inf, false, {}, "ohm", "Between each input source and its line."},
      {"wire.sense", ParamType::real, "0", 0, inf, false, {}, "ohm",
       "Between each column's end and its virtual-ground output."},
      {"wire.variation", ParamType::real, "0", 0, 0.9, false, {}, "relative",
       "Process spread of every line segment, drawn per die like the resistors (cell.distribution); "
       "programming only knows wire.segment."},
      {"wire.capacitance", ParamType::real, "0", 0, 1, false, {}, "farad",
       "Capacitance of every wire node to ground, for `xbar run --transient` (ngspice); DC ignores it."},
      {"readout.tia.gain", ParamType::real, "", 0, inf, true, {}, "V/V",
       "Open-loop gain of each column's transimpedance amplifier; absent = an ideal virtual ground. Needs readout.tia.rf."},
      {"readout.tia.rf", ParamType::real, "", 0, inf, true, {}, "ohm",
       "Feedback resistance of each column's amplifier: its output is -rf x the column current (absent: the "
       "columns end in ideal 0 V sources and the current is read directly)."},
      {"readout.tia.offset", ParamType::real, "0", -1, 1, false, {}, "volt",
       "Input offset of each amplifier: the column's virtual ground sits there. Needs readout.tia.rf."},
      {"readout.adc.bits", ParamType::integer, "", 1, 24, false, {}, "",
       "Resolution of each column's ADC on the amplifier output (absent: no ADC). Needs readout.tia.rf."},
      {"readout.adc.range", ParamType::interval, "1", -inf, inf, false, {}, "volt",
       "ADC input range: r for -r .. r, or [low, high] including 0; outputs beyond it clip (counted)."},
      {"readout.dac.bits", ParamType::integer, "", 2, 24, false, {}, "",
       "Resolution of each row's input DAC over -v_fs .. v_fs, 0 V exactly on a level (absent: exact inputs)."},
      {"readout.t_int", ParamType::real, "1u", 0, 1, true, {}, "s",
       "Time each matrix-vector product takes (integration/read-out): energy = power x t_int."},
      {"simulate.backend", ParamType::choice, "ngspice", -inf, inf, false, {as("ideal", BackendKind::ideal), as("native", BackendKind::native), as("ngspice", BackendKind::ngspice)}, "",
       "ngspice (shared library), native (nodal analysis with wires; simulate.factorization) or ideal (closed form, wires ignored)."},
      {"solver.mode", ParamType::solve_mode, "signed", -inf, inf, false, {}, "",
       "signed: both banks solved jointly; fixed:K / max:K: exactly / at most K switches closed per cell; "
       "free: the weight's sign picks one bank; bank_fixed:K / bank_max:K: that bank closes exactly / at most K "
       "switches (thesis §6.5); series: series-resistance banks (thesis fig. 6.3)."},
      {"solver.tolerance", ParamType::real, "0", 0, 1, false, {}, "fraction of g_fs",
       "Stop a cell's search once this close to its target (series: fraction of 1/g_fs); 0 = provably optimal."},
      {"solver.objective", ParamType::choice, "exact", -inf, inf, false,
       {as("exact", solver::Objective::closest), as("min_common", solver::Objective::min_common)}, "",
       "exact: the switch states closest to the target; min_common: among those within solver.tolerance (or as "
       "close as the optimum), the smallest G+ + G- (least current, least IR drop), fewest switches as tie-break. "
       "min_common needs solver.mode signed or free."},
      {"programming.compensate", ParamType::name_list, "", -inf, inf, false, {}, "",
       "Program the array, not the cell: [wires] corrects the targets until the nodal model of the measured "
       "branches with wire.* resistances computes W; [temperature] programs for temperature.operating with tc1/tc2."},
      {"programming.iterations", ParamType::integer, "20", 1, 1000, false, {}, "",
       "Most correction steps of programming.compensate: [wires]."},
      {"programming.tolerance", ParamType::real, "3e-5", 0, 1, false, {}, "fraction of g_fs",
       "Stop correcting once the model's largest |T - W| is this small; a cell is re-solved only when its "
       "corrected target moved by more than half of it."},
      {"layer.file", ParamType::path, "", -inf, inf, false, {}, "",
       "Layer weights as .npy: 4-D convolution (layer.layout HWIO or OIHW) or 2-D dense (IO)."},
      {"layer.layout", ParamType::choice, "OIHW", -inf, inf, false, {"HWIO", "OIHW", "IO"}, "",
       "Axis order of layer.file."},
      {"layer.onnx", ParamType::path, "", -inf, inf, false, {}, "",
       "An ONNX model instead of layer.file: the Conv, Gemm or MatMul node layer.node, weights from its initializers."},
      {"layer.node", ParamType::text, "\"#0\"", -inf, inf, false, {}, "",
       "Node name, or #k for the k-th Conv/Gemm/MatMul node of layer.onnx."},
      {"layer.stride", ParamType::integer, "1", 1, 64, false, {}, "", "Convolution stride (.npy weights)."},
      {"layer.padding", ParamType::integer, "0", 0, 64, false, {}, "", "Zero padding on every side (.npy weights)."},
      {"layer.dilation", ParamType::integer, "1", 1, 64, false, {}, "", "Kernel dilation (.npy weights)."},
      {"layer.groups", ParamType::integer, "1", 1, 4096, false, {}, "", "Convolution groups (.npy weights)."},
      {"layer.input", ParamType::path, "", -inf, inf, false, {}, "",
       "Layer input, NCHW (.npy or ONNX TensorProto .pb); dense layers take (N, inputs)."},
      {"layer.input_random", ParamType::int_list, "", 1, 1e6, false, {}, "",
       "Instead of layer.input: [N, C, H, W] (or [N, inputs]) random values in [-1, 1]."},
      {"prune.method", ParamType::choice, "none", -inf, inf, false,
       {"none", as("magnitude", models::PruneMethod::magnitude), as("random", models::PruneMethod::random),
        as("random_replacement", models::PruneMethod::random_with_replacement),
        as("filter", models::PruneMethod::filter), as("channel", models::PruneMethod::channel),
        as("block", models::PruneMethod::block)}, "",
       "Pruning before the layer is mapped onto crossbars."},
      {"prune.sparsity", ParamType::real, "0.5", 0, 1, false, {}, "fraction", "Fraction of units removed."},
      {"prune.scope", ParamType::choice, "layer", -inf, inf, false, {"layer", "global"}, "",
       "global: magnitude pruning ranks this layer's weights together with those of prune.with."},
      {"prune.with", ParamType::path_list, "", -inf, inf, false, {}, "",
       "Other layers' weights (.npy) for prune.scope global."},
      {"prune.block", ParamType::integer, "2", 1, 1024, false, {}, "", "b, for prune.method block (b x b blocks)."},
      {"array.rows", ParamType::integer, "128", 1, 100000, false, {}, "", "Rows (inputs) of one crossbar tile."},
      {"array.cols", ParamType::integer, "128", 1, 100000, false, {}, "", "Columns (outputs) of one crossbar tile."},
      {"network.onnx", ParamType::path, "", -inf, inf, false, {}, "",
       "An ONNX inference model run by `xbar network` (opsets 11-17; ops: `xbar network --help`)."},
      {"network.analog", ParamType::name_list, "all", -inf, inf, false, {}, "",
       "Conv/Gemm/MatMul nodes put on crossbars: all, or a list of node names; the rest run digitally."},
      {"network.compare", ParamType::name_list, "", -inf, inf, false, {}, "",
       "More tensors whose simulated-vs-ideal error is reported (analog outputs and model outputs always are)."},
      {"network.calibration", ParamType::count_or_all, "all", 1, 1e9, false, {}, "images",
       "Each analog layer's input full scale x_fs is the peak of its input in the ideal network over this many "
       "first images; larger inputs are clipped (counted)."},
      {"dataset.images", ParamType::path, "", -inf, inf, false, {}, "",
       "Images: IDX (raw or .gz) or .npy of shape (N, C, H, W) or (N, H, W)."},
      {"dataset.labels", ParamType::path, "", -inf, inf, false, {}, "", "Class labels: IDX or .npy of N integers (optional)."},
      {"dataset.scale", ParamType::real_or_auto, "auto", -inf, inf, false, {}, "",
       "x = value * scale + offset; auto = 1/255 for uint8 images, else 1."},
      {"dataset.offset", ParamType::real, "0", -inf, inf, false, {}, "", "Added after scaling."},
      {"dataset.limit", ParamType::count_or_all, "all", 1, 1e9, false, {}, "images", "Run the first N images."},
      {"simulate.factorization", ParamType::choice, "auto", -inf, inf, false, {as("auto", Factorization::automatic), as("cholmod", Factorization::cholmod), as("eigen", Factorization::eigen)}, "",
       "How the native backend factors its nodal matrix: cholmod = CHOLMOD Cholesky (supernodal where dense "
       "enough) with the crossbar's nested-dissection ordering (fast on large arrays); eigen = Eigen simplicial "
       "LDL^T with AMD ordering (the portable reference; equal to 1e-12); auto = cholmod from 100,000 unknowns "
       "(about a 180 x 180 array with wires), and for transfer matrices (networks, compensation) from 5,000 "
       "(about 40 x 40), eigen below."},
      {"simulate.transfer", ParamType::choice, "matrix", -inf, inf, false, {as("matrix", TransferMode::matrix), as("solve", TransferMode::solve)}, "",
       "matrix: each tile's exact input-to-output matrix, from one factorization, then matrix products; "
       "solve: one circuit solve per input vector (the slow reference)."},
      {"simulate.verify.backend", ParamType::choice, "ngspice", -inf, inf, false, {as("ideal", BackendKind::ideal), as("native", BackendKind::native), as("ngspice", BackendKind::ngspice)}, "",
       "Backend that checks every tile of a network on simulate.verify.vectors sampled input vectors."},
      {"simulate.verify.vectors", ParamType::integer, "0", 0, 1e6, false, {}, "",
       "Input vectors per tile checked against simulate.verify.backend; 0 = no check."},
      {"layers", ParamType::layer_overrides, "", -inf, inf, false, {}, "",
       "Per-layer settings for `xbar network`: {node name: {cell: {resistors: 20}}}; sections cell, switch, wire, variation, "
       "temperature, calibration, solver, prune, array, inputs, programming."},
      {"montecarlo.trials", ParamType::integer, "100", 1, 1e9, false, {}, "", "Trials of `xbar mc` (--trials overrides)."},
      {"montecarlo.yield_threshold", ParamType::real, "1e-2", 0, inf, true, {}, "relative",
       "A trial passes when its output_error_max is at most this; the yield is the passing fraction."},
      {"montecarlo.accuracy_threshold", ParamType::real_or_auto, "auto", 0, 1, false, {}, "fraction",
       "A network trial passes when its simulated top-1 accuracy is at least this; auto = the float accuracy - 0.01."},
      {"montecarlo.error_budget", ParamType::boolean, "false", -inf, inf, false, {}, "",
       "Also record each trial's error with each effect switched off (5 more solves per trial)."},
      {"sweep", ParamType::sweep, "", -inf, inf, false, {}, "",
       "Grid for `xbar run`, `mc`, `layer` and `network`: dotted key -> list of values, e.g. {cell.resistors: [4, 8], variation.local: [0.1, 0.2]}."},
      {"coverage.cells", ParamType::count_or_all, "16", 0, 1e9, false, {}, "",
       "Cells whose coverage `xbar run` reports (evenly spread; all = every cell; 0 = none)."},
      {"coverage.budget", ParamType::real, "2meg", 1000, inf, false, {}, "sums",
       "Work per cell before coverage settles for certified upper bounds."},
  };
  return table;
}

const Parameter* find_parameter(std::string_view key) {
  for (const Parameter& p : spec_parameters()) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

std::string describe_expected(const Parameter& p) {
  const auto number = [](double v) { return netlist::format_number(v); };
  const auto range = [&]() -> std::string {
    const bool has_min = std::isfinite(p.min), has_max = std::isfinite(p.max);
    if (has_min && has_max) {
      return p.min_exclusive ? " > " + number(p.min) + " and <= " + number(p.max)
                             : " from " + number(p.min) + " to " + number(p.max);
    }
    if (has_min) return (p.min_exclusive ? " > " : " >= ") + number(p.min);
    return "";
  };
  switch (p.type) {
    case ParamType::integer:
      return "an integer" + range();
    case ParamType::real:
      return "a number" + range() + " (SPICE suffixes allowed: 10k, 1meg, 100m)";
    case ParamType::real_or_auto:
      return "auto or a number" + range();
    case ParamType::choice: {
      std::string text = "one of ";
      for (std::size_t k = 0; k < p.choices.size(); ++k) text += (k ? ", " : "") + std::string(p.choices[k].name);
      return text;
    }
    case ParamType::path:
      return "a file path";
    case ParamType::matrix:
      return "a list of equally long lists of numbers";
    case ParamType::solve_mode:
      return "one of " + std::string(sim::solve_mode_choices);
    case ParamType::count_or_all:
      return "all or an integer" + range();
    case ParamType::boolean:
      return "true or false";
    case ParamType::text:
      return "a name";
    case ParamType::int_list:
      return "a list of whole numbers" + range();
    case ParamType::path_list:
      return "a list of file paths";
    case ParamType::sweep:
      return "a mapping of spec keys to lists of values";
    case ParamType::name_list:
      return "all or a list of names";
    case ParamType::layer_overrides:
      return "a mapping of node names to sections of spec keys";
    case ParamType::interval:
      return "a number r > 0 (the range -r .. r) or a list [low, high] of numbers";
  }
  return "";
}

std::string parameters_markdown() {
  const auto cell = [](std::string_view raw) {  // a '|' would end the table cell
    std::string escaped;
    for (char c : raw) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
    return escaped;
  };
  std::string text = "| key | unit | default | accepted | meaning |\n|---|---|---|---|---|\n";
  for (const Parameter& p : spec_parameters()) {
    text += "| `" + std::string(p.key) + "` | " + std::string(p.unit) + " | " +
            (p.default_value.empty() ? "—" : "`" + std::string(p.default_value) + "`") + " | " +
            cell(describe_expected(p)) + " | " + cell(p.description) + " |\n";
  }
  return text;
}

}  // namespace xbar::sim
