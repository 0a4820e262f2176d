// The documents quote what the tool prints; these tests fail when a document is stale (run
// scripts/refresh-docs.sh to regenerate them).
#include <doctest/doctest.h>

#include "support.hpp"

using namespace xbar;

namespace {

const std::filesystem::path root = XBAR_SOURCE_DIR;

}  // namespace

TEST_CASE("docs/spec-reference.md is what `xbar keys` prints") {
  const auto keys = test::xbar("keys");
  REQUIRE(keys.status == 0);
  const std::string doc = test::read_file(root / "docs" / "spec-reference.md");
  const auto table = doc.find("| key |");
  REQUIRE(table != std::string::npos);
  CHECK_MESSAGE(doc.substr(table) == keys.output, "stale: run scripts/refresh-docs.sh");
}

// Every block marked <!-- refresh-docs: COMMAND --> in README.md and docs/*.md holds what COMMAND prints.
TEST_CASE("every quoted output in README.md and docs/ is what its command prints now") {
  const auto check = test::run_command("XBAR=" + test::quote(XBAR_EXECUTABLE) + " " +
                                       test::quote(root / "scripts" / "refresh-docs.sh") + " --check");
  INFO(check.output);
  CHECK(check.status == 0);
}

TEST_CASE("the README's blocks are refreshed: the quickstart and the sweep table are among them") {
  const std::string readme = test::read_file(root / "README.md");
  CHECK(readme.find("<!-- refresh-docs: build/sim/xbar run examples/quickstart.yaml -->") != std::string::npos);
  CHECK(readme.find("<!-- refresh-docs: build/sim/xbar run examples/sweep_resistors.yaml") != std::string::npos);
}
