// All-or-nothing output: a commit that fails part-way leaves every destination as it was.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "support.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/io/output_files.hpp"

using namespace xbar;

TEST_CASE("a commit writes every file, replacing old ones") {
  test::ScratchDir dir("output_files");
  test::write_file(dir / "a.txt", "old a");
  sim::OutputFiles files;
  files.add(dir / "a.txt", "new a");
  files.add(dir / "b.txt", "new b");
  files.commit();
  CHECK(test::read_file(dir / "a.txt") == "new a");
  CHECK(test::read_file(dir / "b.txt") == "new b");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 2);  // no staged or set-aside files left
}

TEST_CASE("a failed move undoes the files already moved and restores what they replaced") {
  test::ScratchDir dir("output_files_fail");
  test::write_file(dir / "a.txt", "old a");
  test::write_file(dir / "c.txt", "old c");
  sim::OutputFiles files;
  files.add(dir / "a.txt", "new a");
  files.add(dir / "b.txt", "new b");
  files.add(dir / "c.txt", "new c");
  ::setenv("XBAR_FAULT_FAIL_MOVE", "3", 1);  // the third move fails, after two files are in place
  CHECK_THROWS_WITH_AS(files.commit(), doctest::Contains("c.txt: cannot write: injected fault"), std::runtime_error);
  ::unsetenv("XBAR_FAULT_FAIL_MOVE");
  CHECK(test::read_file(dir / "a.txt") == "old a");
  CHECK_FALSE(std::filesystem::exists(dir / "b.txt"));
  CHECK(test::read_file(dir / "c.txt") == "old c");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 2);  // nothing staged or set aside is left
}

TEST_CASE("a destination that is a folder, or has none, is bad input found before anything is written") {
  test::ScratchDir dir("output_files_bad");
  std::filesystem::create_directory(dir / "c");
  sim::OutputFiles files;
  files.add(dir / "a.txt", "new a");
  files.add(dir / "c", "new c");
  files.add(dir / "missing" / "d.txt", "new d");
  try {
    files.commit();
    FAIL("committed");
  } catch (const sim::InputError& e) {
    REQUIRE(e.diagnostics().size() == 2);
    CHECK(e.diagnostics()[0].message.find("is a directory") != std::string::npos);
    CHECK(e.diagnostics()[1].message.find("does not exist") != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(dir / "a.txt"));
}

TEST_CASE("write_file_atomic replaces a file whole and names the path on failure") {
  test::ScratchDir dir("atomic");
  sim::write_file_atomic(dir / "f.txt", "one");
  sim::write_file_atomic(dir / "f.txt", "two");
  CHECK(test::read_file(dir / "f.txt") == "two");
  CHECK_THROWS_WITH_AS(sim::write_file_atomic(dir / "missing" / "f.txt", "x"), doctest::Contains("missing/f.txt"),
                       std::runtime_error);
}
