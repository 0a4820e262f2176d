// The documents quote numbers the tool prints; these tests fail when a document is stale (run
// scripts/refresh-docs.sh to regenerate them).
#include <doctest/doctest.h>

#include <regex>

#include "support.hpp"

using namespace xbar;

namespace {

const std::filesystem::path root = XBAR_SOURCE_DIR;

// The fenced block after <!-- refresh-docs: NAME ... -->.
std::string readme_block(const std::string& name) {
  const std::string text = test::read_file(root / "README.md");
  const std::regex block("<!-- refresh-docs: " + name + "[^\\n]*-->\\n```\\n([^`]*)```");
  std::smatch match;
  const bool found = std::regex_search(text, match, block);
  INFO("README.md block ", name);
  REQUIRE(found);
  return match[1];
}

}  // namespace

TEST_CASE("docs/spec-reference.md is what `xbar keys` prints") {
  const auto keys = test::xbar("keys");
  REQUIRE(keys.status == 0);
  const std::string doc = test::read_file(root / "docs" / "spec-reference.md");
  const auto table = doc.find("| key |");
  REQUIRE(table != std::string::npos);
  CHECK_MESSAGE(doc.substr(table) == keys.output, "stale: run scripts/refresh-docs.sh");
}

TEST_CASE("the README's quickstart block is what the quickstart prints") {
  const auto run = test::run_command("cd " + test::quote(root) + " && " + test::quote(XBAR_EXECUTABLE) +
                                     " run examples/quickstart.yaml 2>/dev/null");
  REQUIRE(run.status == 0);
  CHECK_MESSAGE(readme_block("quickstart") == "$ build/sim/xbar run examples/quickstart.yaml\n" + run.output,
                "stale: run scripts/refresh-docs.sh");
}

TEST_CASE("the README's sweep table is what the sweep writes") {
  test::ScratchDir dir("docs_sweep");
  const auto run = test::run_command("cd " + test::quote(root) + " && " + test::quote(XBAR_EXECUTABLE) +
                                     " run examples/sweep_resistors.yaml --sweep cell.resistors=4,8,12,16 --out " +
                                     test::quote(dir / "sweep") + " 2>&1");
  REQUIRE_MESSAGE(run.status == 0, run.output);
  CHECK_MESSAGE(readme_block("sweep") == test::read_file(dir / "sweep" / "sweep.csv"), "stale: run scripts/refresh-docs.sh");
}
