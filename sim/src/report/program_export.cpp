#include "xbar/sim/report/program_export.hpp"

#include <nlohmann/json.hpp>

#include "xbar/sim/io/npy.hpp"

namespace xbar::sim {

namespace {

std::string number(double v) { return nlohmann::json(v).dump(); }

}  // namespace

void add_program_files(OutputFiles& files, const std::filesystem::path& dir, const Spec& spec,
                       const ProgrammedDesign& design) {
  const models::CrossbarShape& shape = design.crossbar.shape;
  const models::Calibration& measured = design.measured;
  const bool series = measured.topology == models::CellTopology::series;
  // What the programmer solved with: conductances (siemens) of parallel branches, resistances (ohm) of series ones.
  const std::vector<double>& closed = series ? measured.branch_resistance.closed : measured.branch_conductance.closed;
  const std::vector<double>& open = series ? measured.branch_resistance.open : measured.branch_conductance.open;
  const std::vector<std::size_t> branch_shape = {static_cast<std::size_t>(shape.rows),
                                                 static_cast<std::size_t>(shape.cols), 2,
                                                 static_cast<std::size_t>(shape.resistors)};
  // Branch order in memory is (row, col, bank, position): exactly the arrays' C order.
  files.add(dir / "switches.npy", sim::npy_bytes_u8(branch_shape, design.states.on));
  files.add(dir / "measured_closed.npy", sim::npy_bytes(branch_shape, closed));
  files.add(dir / "measured_open.npy", sim::npy_bytes(branch_shape, open));
  if (series) {
    files.add(dir / "enable.npy", sim::npy_bytes_u8({branch_shape[0], branch_shape[1], 2}, design.states.enable));
  }

  std::string csv = "row,col,bank,position,state,measured_closed,measured_open\n";
  for (int i = 0; i < shape.rows; ++i) {
    for (int j = 0; j < shape.cols; ++j) {
      for (models::Polarity p : {models::Polarity::positive, models::Polarity::negative}) {
        const std::string prefix = std::to_string(i) + "," + std::to_string(j) + "," + models::polarity_letter(p) + ",";
        for (int k = 0; k < shape.resistors; ++k) {
          const std::size_t b = shape.branch(i, j, p, k);
          csv += prefix + std::to_string(k) + "," + (design.states.on[b] ? "1" : "0") + "," +
                 number(closed[b]) + "," + number(open[b]) + "\n";
        }
        if (series) {
          const std::size_t bank = shape.bank(i, j, p);
          csv += prefix + "enable," + (design.states.enable[bank] ? "1" : "0") + "," +
                 number(measured.enable_resistance.closed[bank]) + "," +
                 number(measured.enable_resistance.open[bank]) + "\n";
        }
      }
    }
  }
  files.add(dir / "switches.csv", std::move(csv));

  nlohmann::ordered_json info;
  info["spec"] = spec.path.string();
  info["seed"] = spec.seed;
  info["shape"] = {{"rows", shape.rows}, {"cols", shape.cols}, {"banks", 2}, {"resistors_per_bank", shape.resistors}};
  info["topology"] = std::string(models::to_string(measured.topology));
  info["solver_mode"] = spec.solver.mode.name();
  info["measured_unit"] = series ? "ohm" : "siemens";
  info["banks"] = {"positive (+v input line)", "negative (-v input line)"};
  info["state"] = series ? "1 = bypass switch closed (resistor shorted)" : "1 = switch closed (branch conducts)";
  info["scale"] = {{"w_fs", design.scale.w_fs}, {"g_fs", design.scale.g_fs}};
  info["files"] = series ? std::vector<std::string>{"switches.npy", "enable.npy", "measured_closed.npy",
                                                     "measured_open.npy", "switches.csv"}
                         : std::vector<std::string>{"switches.npy", "measured_closed.npy", "measured_open.npy",
                                                    "switches.csv"};
  files.add(dir / "program.json", info.dump(1) + "\n");
}

}  // namespace xbar::sim
