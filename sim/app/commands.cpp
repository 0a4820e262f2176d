#include "commands.hpp"

#include <iostream>

#include "arguments.hpp"
#include "xbar/sim/spec/parameters.hpp"

namespace xbar::app {

namespace {

constexpr const char* run_help = R"(usage: xbar run SPEC [--json FILE] [--netlist FILE] [--backend ideal|native|ngspice]
                [--jobs N] [--set KEY=VALUE]... [--quiet]

Fabricates the spec's crossbar, programs every cell's switches from measured values (closest subset
sum), simulates the input vectors and compares the outputs with the ideal product inputs x W.

  --json FILE       write the full report (inputs, ideal, simulated, column_currents, metrics, ...)
  --netlist FILE    write the ngspice netlist of input vector 0 (first row of column_currents)
  --backend NAME    ngspice, native (nodal analysis with wires, Eigen) or ideal (closed form, no
                    wires); the default comes from the spec
  --jobs N          threads for solving and coverage (default: all cores)
  --set KEY=VALUE   override a spec key by its dotted path, e.g. --set cell.resistors=12 (repeatable)
  --quiet           print nothing on success
)";

constexpr const char* netlist_help = R"(usage: xbar netlist SPEC -o FILE [--vector K] [--jobs N] [--set KEY=VALUE]...

Programs the spec's crossbar and writes its ngspice netlist for input vector K (default 0). The file
runs as is with `ngspice -b FILE` and prints the column currents i(V_c0), i(V_c1), ...

  -o, --output FILE  where to write the netlist
  --vector K         which input vector drives the rows (default 0)
  --jobs N           threads for solving (default: all cores)
  --set KEY=VALUE    override a spec key by its dotted path (repeatable)
)";

constexpr const char* coverage_help = R"(usage: xbar coverage SPEC [--cells N|all] [--json FILE] [--csv FILE] [--jobs N]
                     [--set KEY=VALUE]...

For every cell of the spec's fabricated crossbar (or N of them, evenly spread), the exact worst-case
distance from any weight in [-w_fs, w_fs] to the nearest value the cell's measured resistors can
reach, and the largest gap in that range — as fractions of full scale. Prints the distribution.

  --cells N|all      how many cells to analyse (default all)
  --json FILE        summary and every analysed cell
  --csv FILE         one row per analysed cell: row, col, worst_error, max_gap, exact
  --jobs N           threads (default: all cores)
  --set KEY=VALUE    override a spec key (repeatable); coverage.budget bounds the work per cell
)";

constexpr const char* program_help = R"(usage: xbar program SPEC -o DIR [--jobs N] [--set KEY=VALUE]...

Programs the spec's crossbar and exports what a test bench or chip programmer needs, into DIR:
  switches.npy          uint8 (rows, cols, 2, n): 1 = switch closed; bank 0 is +, bank 1 is -
  enable.npy            uint8 (rows, cols, 2): enable switches (series banks only)
  measured_closed.npy   float64 (rows, cols, 2, n): each branch as measured, switch closed
  measured_open.npy     float64 (rows, cols, 2, n): each branch as measured, switch open
                        (siemens for parallel banks, ohm for series banks)
  switches.csv          row, col, bank, position, state, measured_closed, measured_open
  program.json          what the files hold: shape, topology, units, solver mode, scale
)";

constexpr const char* solve_help = R"(usage: xbar solve --values V.npy --targets T.npy --out S.npy [--mode MODE]
                  [--tolerance X] [--jobs N]

Closest subset sum for each row of V, alone (no circuit): for test benches and other simulators.
  V  instances x n values (float); for --mode signed the first n/2 are the + bank, the rest the - bank
  T  one target per instance: shape (instances,) or (instances, 1)
  S  written as uint8 instances x n: switch states, 1 = closed
     plus S_achieved.npy next to it: float64 instances x 2, [achieved value, |target - achieved|]

  --mode MODE      free (default): sum of the values whose switch is closed
                   signed: + bank minus - bank, both solved jointly
                   fixed:K / max:K: exactly / at most K switches closed
                   series: V are resistances in a chain, each bypassed by its switch; a resistor
                   counts when its switch is OPEN; T is the target resistance
  --tolerance X    stop an instance once within X of its target (default 0: provably optimal)
  --jobs N         threads (default: all cores); the answer does not depend on it
)";

constexpr const char* check_help = R"(usage: xbar check FILE.cir

Reads a netlist in the dialect xbar writes (R and V elements, comments, .control, .end) and checks
its topology before any simulation: nodes with a single connection, parts with no DC path to ground,
loops of voltage sources, shorted sources, duplicate element names. Each problem names the nodes and
elements involved. Exit status 0 when clean, 2 otherwise.
)";

constexpr const char* mc_help = R"(usage: xbar mc SPEC [--trials N] [--jobs J] [--out DIR] [--resume] [--backend NAME]
              [--sweep KEY=v1,v2,...]... [--set KEY=VALUE]...

Monte Carlo: each trial fabricates a new crossbar (process variation), calibrates it (measurement
error, quantisation, at the calibration temperature), programs it, simulates it (at the operating
temperature, with wires) and compares with the ideal product.

  --trials N        trials (default: montecarlo.trials of the spec)
  --jobs J          worker processes (default: all cores); trial k gives the same numbers whatever J
  --out DIR         where the study goes (default: xbar-mc-<spec name>)
  --resume          complete a study that was interrupted (same spec, overrides and backend)
  --backend NAME    native (fast), ngspice or ideal (default: the spec's simulate.backend)
  --sweep KEY=LIST  a grid over spec values (repeatable; adds to the spec's sweep: section)
  --set KEY=VALUE   override a spec key (repeatable)

Writes DIR/trials.csv (one row per trial, in trial order, flushed as it goes), DIR/summary.json
(mean, std, percentiles, yield against montecarlo.yield_threshold) and a histogram of the output
error (PNG and SVG, with gnuplot). A sweep writes one such study per point (DIR/point_<k>/),
DIR/sweep.csv with one summary row per point, and plots of error and yield over the first swept key.
)";

constexpr const char* layer_help = R"(usage: xbar layer SPEC [--json FILE] [--output FILE.npz] [--backend NAME] [--jobs N]
                  [--sweep KEY=v1,v2,... [--out DIR]] [--set KEY=VALUE]...

Maps a CNN layer (layer.file: .npy conv weights HWIO/OIHW or dense IO; or layer.onnx + layer.node)
onto crossbars: prune (prune.*), lower each group by im2col, drop emptied rows and columns, cut into
array.rows x array.cols tiles (each its own fabricated crossbar), simulate every output pixel's input
vector, add the partial sums, and compare with the ideal output of the pruned layer.

  --json FILE       report: shapes, pruning (sparsity, cells and resistors saved), tiles, metrics
  --output FILE     .npz with arrays `ideal` and `simulated`, NCHW like the input
  --backend NAME    native, ngspice or ideal (default: the spec's simulate.backend)
  --sweep KEY=LIST  run the layer at each value (e.g. cell.resistors=4,8,12,16): DIR/layer_sweep.csv
                    and a PNG/SVG of the weight and output errors against the value (--out DIR)
)";

constexpr const char* keys_help = R"(usage: xbar keys

Prints every spec key (dotted path) with its unit, default, accepted values and meaning, as Markdown.
)";

bool wants_help(const Args& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

}  // namespace

int keys_command(const Args& args) {
  if (!args.empty()) throw UsageError("takes no arguments");
  std::cout << sim::parameters_markdown();
  return 0;
}

int run_command(const std::string& command, const Args& args) {
  struct Command {
    const char* name;
    const char* help;
    int (*handler)(const Args&);
  };
  static const Command commands[] = {
      {"run", run_help, run_design_command},     {"netlist", netlist_help, netlist_command},
      {"coverage", coverage_help, coverage_command}, {"program", program_help, program_command},
      {"solve", solve_help, solve_command},       {"check", check_help, check_command},
      {"mc", mc_help, mc_command},               {"layer", layer_help, layer_command},
      {"keys", keys_help, keys_command}};
  for (const Command& c : commands) {
    if (command != c.name) continue;
    if (wants_help(args)) {
      std::cout << c.help;
      return 0;
    }
    return c.handler(args);
  }
  return -1;
}

}  // namespace xbar::app
