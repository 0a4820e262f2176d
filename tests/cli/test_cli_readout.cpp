// `xbar run` with a read-out chain: the report's energy against ngspice's own currents, the stock
// netlist's currents, the sweep's Pareto plot, and bad read-out keys refused before anything is written.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support.hpp"
#include "xbar/netlist/circuit.hpp"

using namespace xbar;
using Json = nlohmann::json;

namespace {

const std::filesystem::path examples = test::examples_dir();


const char* readout_sets =
    " --set wire.segment=2 --set wire.driver=50 --set readout.tia.gain=300 --set readout.tia.rf=20k"
    " --set readout.tia.offset=2m --set readout.adc.bits=10 --set readout.dac.bits=8 --set inputs.vectors=1";

}  // namespace

TEST_CASE("a finite-gain amplifier: stock ngspice -b gives the report's currents, and its sources the report's power") {
  test::ScratchDir dir("cli_readout");
  const auto run = test::xbar("run " + test::quote(examples / "quickstart.yaml") + readout_sets + " --json " +
                              test::quote(dir / "r.json") + " --netlist " + test::quote(dir / "r.cir"));
  INFO(run.output);
  REQUIRE(run.status == 0);
  CHECK(run.output.find("energy") != std::string::npos);
  const Json r = Json::parse(test::read_file(dir / "r.json"));
  REQUIRE(r.contains("energy"));
  for (const char* key : {"power_w", "common_mode_w", "energy_per_mvm_j", "energy_per_mac_j"}) CHECK(r["energy"].contains(key));
  const auto spice = test::run_command("ngspice -b " + test::quote(dir / "r.cir"));
  REQUIRE(spice.status == 0);
  const auto values = test::ngspice_printed(spice.output);
  // The outputs: each amplifier's branch current is its column's.
  const auto& sources = r["column_sources"];
  for (std::size_t j = 0; j < sources.size(); ++j) {
    const std::string name = "i(" + netlist::to_lower(sources[j].get<std::string>()) + ")";
    REQUIRE(values.count(name) == 1);
    CHECK(values.at(name) == doctest::Approx(r["column_currents"][0][j].get<double>()).epsilon(1e-9));
  }
  // Power: -V I over every source line of the netlist (DC sources at their value, amplifiers at their output).
  double power = 0.0;
  std::istringstream netlist(test::read_file(dir / "r.cir"));
  for (std::string line; std::getline(netlist, line);) {
    std::istringstream fields(line);
    std::string name, plus, minus, dc, value;
    fields >> name >> plus >> minus;
    if (name.empty() || (name[0] != 'V' && name[0] != 'E')) continue;
    const double i = values.at("i(" + netlist::to_lower(name) + ")");
    if (name[0] == 'V') {
      fields >> dc >> value;
      power -= std::stod(value) * i;
    } else {
      power -= values.at("v(" + netlist::to_lower(plus) + ")") * i;
    }
  }
  CHECK(r["energy"]["power_w"][0].get<double>() == doctest::Approx(power).epsilon(1e-9));
  CHECK(r["energy"]["energy_per_mac_j"].get<double>() ==
        doctest::Approx(power * r["readout"]["t_int"].get<double>() / 32).epsilon(1e-9));  // 8 x 4 cells
}

TEST_CASE("bad read-out keys: exit 2 naming the key, nothing written") {
  test::ScratchDir dir("cli_readout_bad");
  const std::string base = "run " + test::quote(examples / "quickstart.yaml") + " --json " + test::quote(dir / "r.json");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--set readout.tia.rf=10k --set readout.tia.gain=0", "readout.tia.gain"},
      {"--set readout.tia.rf=10k --set readout.tia.gain=-100", "readout.tia.gain"},
      {"--set readout.tia.rf=0", "readout.tia.rf"},
      {"--set readout.tia.rf=-5k", "readout.tia.rf"},
      {"--set readout.t_int=0", "readout.t_int"},
      {"--set readout.t_int=-1n", "readout.t_int"},
      {"--set readout.tia.rf=10k --set readout.adc.bits=0", "readout.adc.bits"},
      {"--set readout.tia.rf=10k --set readout.adc.bits=25", "readout.adc.bits"},
      {"--set readout.dac.bits=1", "readout.dac.bits"},
      {"--set readout.tia.rf=10k --set readout.adc.bits=8 --set 'readout.adc.range=[0.1, 1]'", "must include 0 V"},
      {"--set readout.tia.rf=10k --set readout.adc.bits=8 --set 'readout.adc.range=[1, -1]'", "low must be below high"},
      {"--set readout.tia.rf=10k --set readout.adc.bits=8 --set readout.adc.range=-1", "readout.adc.range"},
      {"--set readout.tia.offset=1m", "needs readout.tia.rf"},
      {"--set readout.adc.bits=8", "needs readout.tia.rf"},
      {"--set wire.capacitance=-1f", "wire.capacitance"},
      {"--set readout.tia.rf=10k --transient", "--transient"},
  };
  for (const auto& [sets, expected] : cases) {
    CAPTURE(sets);
    const auto run = test::xbar(base + " " + sets);
    CHECK(run.status == 2);
    CHECK(run.output.find(expected) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "r.json"));
  }
}

TEST_CASE("a sweep of n and the nominal writes energy per MAC and the Pareto plot") {
  test::ScratchDir dir("cli_pareto");
  const auto run = test::xbar("run " + test::quote(examples / "quickstart.yaml") +
                              " --set simulate.backend=native --set wire.segment=1 --set readout.tia.rf=10k"
                              " --sweep cell.resistors=4,8 --sweep cell.nominal=10k,100k --out " + test::quote(dir.path()));
  INFO(run.output);
  REQUIRE(run.status == 0);
  const std::string csv = test::read_file(dir / "sweep.csv");
  CHECK(csv.find("energy_per_mac_j") != std::string::npos);
  CHECK(std::filesystem::exists(dir / "pareto.dat"));
  CHECK(std::filesystem::exists(dir / "pareto.gp"));
  CHECK(std::filesystem::exists(dir / "pareto.png"));
  // Ten times the resistance, a tenth of the power: the energy column says so.
  std::istringstream lines(csv);
  std::string header, line;
  std::getline(lines, header);
  std::vector<std::vector<std::string>> rows;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::istringstream f(line);
    for (std::string field; std::getline(f, field, ',');) fields.push_back(field);
    rows.push_back(fields);
  }
  REQUIRE(rows.size() == 4);
  const double e10k = std::stod(rows[0].back()), e100k = std::stod(rows[1].back());
  CHECK(e100k < e10k / 5);
}

TEST_CASE("xbar network runs the read-out chain: offsets, ADCs and DACs, clipping counted per layer") {
  test::ScratchDir dir("cli_readout_network");
  const std::string common = "network " + test::quote(examples / "lenet5" / "lenet5.yaml") + " --set dataset.limit=10";
  const auto plain = test::xbar(common + " --json " + test::quote(dir / "plain.json"));
  const auto run = test::xbar(common + " --set readout.tia.rf=10k --set readout.tia.offset=1m --set readout.adc.bits=6"
                                       " --set readout.adc.range=1 --set readout.dac.bits=6 --json " + test::quote(dir / "n.json"));
  REQUIRE(plain.status == 0);
  REQUIRE(run.status == 0);
  const Json a = Json::parse(test::read_file(dir / "plain.json"));
  const Json b = Json::parse(test::read_file(dir / "n.json"));
  for (const auto& layer : b["layers"]) CHECK(layer.contains("adc_clipped"));
  // Six-bit converters and an offset cost precision against the ideal output.
  CHECK(b["metrics"]["output_error_max"].get<double>() > 2 * a["metrics"]["output_error_max"].get<double>());
}
