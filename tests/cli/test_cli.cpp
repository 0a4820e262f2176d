// The `xbar` command as a user runs it: reports, netlists, exit codes, reproducibility, physics.
#include <doctest/doctest.h>

#include <cmath>
#include <regex>

#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace xbar;
using Json = nlohmann::json;

namespace {

const std::filesystem::path examples = test::examples_dir();
const auto xbar_cli = test::xbar;

Json read_json(const std::filesystem::path& p) { return Json::parse(test::read_file(p)); }

}  // namespace

TEST_CASE("xbar run on the quickstart: report fields, ideal = x W, netlist = first row of currents") {
  test::ScratchDir dir("cli");
  const auto ok = xbar_cli("run " + test::quote(examples / "quickstart.yaml") + " --json " +
                           test::quote(dir / "r.json") + " --netlist " + test::quote(dir / "r.cir"));
  INFO(ok.output);
  REQUIRE(ok.status == 0);
  CHECK(ok.output.find("weight error") != std::string::npos);
  const Json r = read_json(dir / "r.json");
  for (const char* key : {"inputs", "ideal", "simulated", "column_currents", "column_sources", "scale", "metrics"})
    CHECK(r.contains(key));
  for (const char* key : {"w_fs", "g_fs", "v_fs"}) CHECK(r["scale"].contains(key));
  for (const char* key : {"weight_error", "output_error_max", "output_error_rms"}) CHECK(r["metrics"].contains(key));
  CHECK(r["backend"] == "ngspice");

  const auto& x = r["inputs"];
  const auto& w = r["weights"];
  const auto& ideal = r["ideal"];
  for (std::size_t v = 0; v < x.size(); ++v)
    for (std::size_t j = 0; j < w[0].size(); ++j) {
      double y = 0;
      for (std::size_t i = 0; i < w.size(); ++i) y += x[v][i].get<double>() * w[i][j].get<double>();
      CHECK(ideal[v][j].get<double>() == doctest::Approx(y).epsilon(1e-12));
    }

  const auto spice = test::run_command("ngspice -b " + test::quote(dir / "r.cir"));
  REQUIRE(spice.status == 0);
  const std::regex line(R"(i\(v_c(\d+)\)\s*=\s*([-+0-9.eE]+))");
  std::size_t found = 0;
  for (auto it = std::sregex_iterator(spice.output.begin(), spice.output.end(), line); it != std::sregex_iterator();
       ++it, ++found) {
    const double reported = r["column_currents"][0][std::stoul((*it)[1])].get<double>();
    CHECK(std::abs(std::stod((*it)[2]) - reported) <= 1e-9 * std::abs(reported));
  }
  CHECK(found == r["column_sources"].size());
  CHECK(r["column_sources"][0] == "V_c0");
}

TEST_CASE("same spec and seed, same bytes out") {
  test::ScratchDir dir("cli");
  const std::string spec = test::quote(examples / "quickstart.yaml");
  REQUIRE(xbar_cli("run " + spec + " --quiet --json " + test::quote(dir / "a.json")).status == 0);
  REQUIRE(xbar_cli("run " + spec + " --quiet --json " + test::quote(dir / "b.json")).status == 0);
  CHECK(test::read_file(dir / "a.json") == test::read_file(dir / "b.json"));
  REQUIRE(xbar_cli("netlist " + spec + " -o " + test::quote(dir / "a.cir")).status == 0);
  REQUIRE(xbar_cli("netlist " + spec + " -o " + test::quote(dir / "b.cir")).status == 0);
  CHECK(test::read_file(dir / "a.cir") == test::read_file(dir / "b.cir"));
  REQUIRE(xbar_cli("run " + spec + " --quiet --set seed=99 --json " + test::quote(dir / "c.json")).status == 0);
  CHECK(test::read_file(dir / "a.json") != test::read_file(dir / "c.json"));
}

TEST_CASE("output error falls as n grows and is below 1e-2 at n = 16 (20 % uniform, ron 100, roff 1g)") {
  test::ScratchDir dir("cli");
  const std::string spec = test::quote(examples / "quickstart.yaml");
  double previous = 1e9;
  for (int n : {2, 4, 8, 16}) {
    const auto path = dir / ("n" + std::to_string(n) + ".json");
    const auto run = xbar_cli("run " + spec + " --quiet --set cell.resistors=" + std::to_string(n) +
                              " --set cell.variation=0.2 --set cell.distribution=uniform --set switch.ron=100"
                              " --set switch.roff=1g --json " + test::quote(path));
    INFO(run.output);
    REQUIRE(run.status == 0);
    const double error = read_json(path)["metrics"]["output_error_max"].get<double>();
    CAPTURE(n);
    CHECK(error < previous);
    previous = error;
  }
  CHECK(previous < 1e-2);
}

TEST_CASE("bad input: exit code 2, the file, line and key named, nothing written") {
  test::ScratchDir dir("cli");
  test::write_file(dir / "bad.yaml", "weights:\n  values: [[1, 2]]\ncell:\n  resistors: many\n");
  const auto bad = xbar_cli("run " + test::quote(dir / "bad.yaml") + " --json " + test::quote(dir / "out.json") +
                            " --netlist " + test::quote(dir / "out.cir"));
  CHECK(bad.status == 2);
  CHECK(bad.output.find("bad.yaml:4:14: error: cell.resistors: expected an integer") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "out.json"));
  CHECK_FALSE(std::filesystem::exists(dir / "out.cir"));

  test::write_file(dir / "npy.yaml", "weights:\n  file: nowhere.npy\n");
  const auto missing = xbar_cli("run " + test::quote(dir / "npy.yaml") + " --json " + test::quote(dir / "out.json"));
  CHECK(missing.status == 2);
  CHECK(missing.output.find("npy.yaml:2:9: error: weights.file:") != std::string::npos);
  CHECK(missing.output.find("nowhere.npy: cannot open") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "out.json"));

  CHECK(xbar_cli("run " + test::quote(dir / "nothere.yaml")).status == 2);
  CHECK(xbar_cli("run " + test::quote(examples / "quickstart.yaml") + " --backend spectre").status == 2);
  CHECK(xbar_cli("run " + test::quote(examples / "quickstart.yaml") + " --set cell.bogus=1").status == 2);
  CHECK(xbar_cli("frobnicate").status == 2);
  CHECK(xbar_cli("netlist " + test::quote(examples / "quickstart.yaml")).status == 2);  // no -o

  // An output path that is a folder: exit 2 before anything is written, the other file included.
  std::filesystem::create_directories(dir / "folder.cir");
  const auto folder = xbar_cli("run " + test::quote(examples / "quickstart.yaml") + " --json " +
                               test::quote(dir / "out.json") + " --netlist " + test::quote(dir / "folder.cir"));
  CHECK(folder.status == 2);
  CHECK(folder.output.find("folder.cir: error: is a directory") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "out.json"));
}

TEST_CASE("a layer spec given to a single-crossbar command: exit 2, nothing written, no study folder") {
  test::ScratchDir dir("cli");
  const std::string layer = test::quote(examples / "onnx_conv.yaml");
  const std::string out = test::quote(dir / "out");
  for (const std::string& command : {"run " + layer + " --json " + out, "netlist " + layer + " -o " + out,
                                     "coverage " + layer + " --json " + out, "program " + layer + " -o " + out,
                                     "mc " + layer + " --trials 3 --out " + out}) {
    CAPTURE(command);
    const auto result = xbar_cli(command);
    CHECK(result.status == 2);
    CHECK(result.output.find("onnx_conv.yaml: error: layer: this spec describes a layer") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "out"));
  }
}

TEST_CASE("what a spec implies is checked against the memory limit before anything is allocated") {
  test::ScratchDir dir("memory");
  // Each extent within its documented range, the product 29 TiB.
  test::write_file(dir / "huge.yaml",
                   "layer:\n  onnx: /usr/share/libonnx-testdata/data/pytorch-converted/test_Conv2d/model.onnx\n"
                   "  input_random: [1000000, 4, 1000, 1000]\n");
  const auto huge = xbar_cli("layer " + test::quote(dir / "huge.yaml") + " --json " + test::quote(dir / "r.json"));
  CHECK(huge.status == 2);
  CHECK(huge.output.find("huge.yaml:3:17: error: layer.input_random: needs about 29.1 TiB, more than the memory "
                         "limit") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "r.json"));
  const auto small = xbar_cli("run " + test::quote(examples / "quickstart.yaml") + " --max-memory 10k --quiet");
  CHECK(small.status == 2);
  CHECK(small.output.find("error: weights: needs about 40.0 KiB, more than the memory limit of 9.8 KiB") !=
        std::string::npos);
  CHECK(xbar_cli("run " + test::quote(examples / "quickstart.yaml") + " --max-memory 1g --quiet").status == 0);
  CHECK(xbar_cli("run " + test::quote(examples / "quickstart.yaml") + " --max-memory lots").status == 2);
}

TEST_CASE("--help on every command") {
  for (const char* command : {"run", "netlist", "keys"}) {
    const auto help = xbar_cli(std::string(command) + " --help");
    CHECK(help.status == 0);
    CHECK(help.output.find("usage: xbar " + std::string(command)) != std::string::npos);
  }
  CHECK(xbar_cli("--help").status == 0);
}

TEST_CASE("xbar check: the written netlist is clean; broken netlists are rejected with names") {
  test::ScratchDir dir("check");
  const std::string spec = test::quote(examples / "quickstart.yaml");
  REQUIRE(xbar_cli("netlist " + spec + " --set wire.segment=1 -o " + test::quote(dir / "x.cir")).status == 0);
  const auto clean = xbar_cli("check " + test::quote(dir / "x.cir"));
  CHECK(clean.status == 0);
  CHECK(clean.output.find("no problems") != std::string::npos);
  struct Broken {
    const char* file;
    const char* text;
    const char* message;
  };
  const Broken broken[] = {
      {"floating.cir", "* t\nV1 a 0 DC 1\nR1 a 0 1k\nR2 b c 1k\nR3 c b 1k\n.end\n",
       "no DC path to ground: nodes b, c (elements R2, R3)"},
      {"loop.cir", "* t\nV1 a 0 DC 1\nV2 a 0 DC 2\nR1 a 0 1k\n.end\n", "V2 closes a loop of voltage sources"},
      {"dup.cir", "* t\nV1 a 0 DC 1\nR1 a 0 1k\nr1 a 0 2k\n.end\n",
       "dup.cir:4: error: duplicate element name 'r1' (first on line 3)"}};
  for (const Broken& b : broken) {
    CAPTURE(b.file);
    test::write_file(dir / b.file, b.text);
    const auto result = xbar_cli("check " + test::quote(dir / b.file));
    CHECK(result.status == 2);
    CHECK(result.output.find(b.message) != std::string::npos);
  }
}

TEST_CASE("--backend native with wires matches ngspice through the command") {
  test::ScratchDir dir("native");
  const std::string spec = test::quote(examples / "quickstart.yaml") + " --quiet --set wire.segment=2 --set wire.driver=10";
  REQUIRE(xbar_cli("run " + spec + " --backend native --json " + test::quote(dir / "a.json")).status == 0);
  REQUIRE(xbar_cli("run " + spec + " --backend ngspice --json " + test::quote(dir / "b.json")).status == 0);
  const Json a = read_json(dir / "a.json"), b = read_json(dir / "b.json");
  CHECK(a["backend"] == "native");
  for (std::size_t v = 0; v < a["column_currents"].size(); ++v)
    for (std::size_t j = 0; j < a["column_currents"][v].size(); ++j) {
      const double x = a["column_currents"][v][j], y = b["column_currents"][v][j];
      CHECK(std::abs(x - y) <= 1e-9 * std::abs(y));
    }
  // Wires cost accuracy: the output error is larger than with ideal wires.
  REQUIRE(xbar_cli("run " + test::quote(examples / "quickstart.yaml") + " --quiet --backend native --json " +
                   test::quote(dir / "c.json"))
              .status == 0);
  CHECK(a["metrics"]["output_error_max"].get<double>() > read_json(dir / "c.json")["metrics"]["output_error_max"].get<double>());
}

TEST_CASE("the error budget: each effect alone, summing to the total up to the measured interaction") {
  test::ScratchDir dir("budget");
  REQUIRE(xbar_cli("run " + test::quote(examples / "quickstart.yaml") +
                   " --quiet --backend native --set wire.segment=1 --set calibration.error=1e-3"
                   " --set temperature.tc1=1e-3 --set temperature.operating=60 --budget --json " +
                   test::quote(dir / "b.json"))
              .status == 0);
  const Json b = read_json(dir / "b.json")["error_budget"];
  REQUIRE(b.is_object());
  const double all = b["all_effects"];
  CHECK(all == read_json(dir / "b.json")["metrics"]["output_error_max"].get<double>());
  // The parts are error vectors that add up exactly with the interaction; their max norms obey the
  // triangle inequality, and each effect alone is above the gap alone.
  double sum = b["subset_sum_gap"].get<double>() + b["interaction"].get<double>();
  for (const std::string key : {"measurement_error", "temperature", "wires"}) {
    CAPTURE(key);
    CHECK(b[key].get<double>() > b["subset_sum_gap"].get<double>());
    sum += b[key].get<double>();
  }
  sum += b["switch_spread"].get<double>();
  CHECK(all <= sum * (1 + 1e-12));
  CHECK(b["interaction"].get<double>() >= 0.0);
  // Not compensated here: the parts the sum uses are the uncompensated ones.
  CHECK(b["wires"].get<double>() == b["wires_uncompensated"].get<double>());
  CHECK(b["temperature"].get<double>() == b["temperature_uncompensated"].get<double>());
  CHECK(b["wires_compensated"].get<double>() < b["wires_uncompensated"].get<double>());
  CHECK(b["temperature_compensated"].get<double>() < 0.1 * b["temperature_uncompensated"].get<double>());
  // Opt-in: without --budget there is none, even with every effect present.
  REQUIRE(xbar_cli("run " + test::quote(examples / "quickstart.yaml") +
                   " --quiet --backend native --set wire.segment=1 --json " + test::quote(dir / "plain.json"))
              .status == 0);
  CHECK(read_json(dir / "plain.json")["error_budget"].is_null());
  // On ngspice the budget is still computed natively, its `all` agreeing with ngspice's own figure.
  REQUIRE(xbar_cli("run " + test::quote(examples / "quickstart.yaml") +
                   " --quiet --backend ngspice --set wire.segment=1 --budget --json " + test::quote(dir / "ng.json"))
              .status == 0);
  const Json ng = read_json(dir / "ng.json");
  CHECK(ng["error_budget"]["backend"] == "native");
  CHECK(ng["error_budget"]["all_effects"].get<double>() ==
        doctest::Approx(ng["metrics"]["output_error_max"].get<double>()).epsilon(1e-9));
}

TEST_CASE("--set cell.g_fs sets the reported scale") {
  test::ScratchDir dir("gfs");
  REQUIRE(xbar_cli("run " + test::quote(examples / "quickstart.yaml") + " --quiet --backend ideal --set cell.g_fs=1e-4 --json " +
                   test::quote(dir / "g.json"))
              .status == 0);
  CHECK(read_json(dir / "g.json")["scale"]["g_fs"].get<double>() == 1e-4);
}

// ngspice reads .spiceinit from the working directory and $HOME, and spinit from SPICE_SCRIPTS: a file
// planted in any of them by someone else must not run inside xbar.
TEST_CASE("init files planted where ngspice looks are never read; its private folder is gone at exit") {
  test::ScratchDir dir("planted");
  const auto marker = dir / "planted_ran";
  const std::string planted = "* planted\nshell touch " + marker.string() + "\n";
  for (const char* folder : {"cwd", "home", "scripts"}) {
    std::filesystem::create_directories(dir / folder);
    test::write_file(dir / folder / ".spiceinit", planted);
    test::write_file(dir / folder / "spinit", planted);
  }
  const auto run = test::run_command("cd " + test::quote(dir / "cwd") + " && HOME=" + test::quote(dir / "home") +
                                     " SPICE_SCRIPTS=" + test::quote(dir / "scripts") + " TMPDIR=" +
                                     test::quote(dir.path()) + " " + test::quote(XBAR_EXECUTABLE) + " run " +
                                     test::quote(examples / "quickstart.yaml") + " --backend ngspice --quiet");
  INFO(run.output);
  CHECK(run.status == 0);
  CHECK_FALSE(std::filesystem::exists(marker));
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    CHECK(entry.path().filename().string().rfind("xbar-ngspice-", 0) != 0);  // removed at exit
  }
}

// On a terminal each stage shows at once (0/N), so a long first step is never hidden behind the
// previous stage's finished bar; `script` gives the command a terminal.
TEST_CASE("progress on a terminal: every stage shows from its start, with rate and ETA") {
  const auto run = test::run_command("script -qec " +
                                     test::quote(std::string(XBAR_EXECUTABLE) + " run " +
                                                 (examples / "quickstart.yaml").string() + " --backend ngspice --quiet") +
                                     " /dev/null");
  INFO(run.output);
  if (run.status != 0 && run.output.find("solving") == std::string::npos) {
    MESSAGE("not run: script(1) could not give the command a terminal here");
    return;
  }
  CHECK(run.output.find("solving    [..............................] 0/32") != std::string::npos);
  CHECK(run.output.find("simulating [..............................] 0/4") != std::string::npos);
  CHECK(run.output.find("ETA") != std::string::npos);
  // Piped, nothing is drawn.
  CHECK(xbar_cli("run " + test::quote(examples / "quickstart.yaml") + " --backend ngspice --quiet").output.empty());
}
