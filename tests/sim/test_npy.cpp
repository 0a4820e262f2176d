// .npy reading and writing: round trips, dtypes, Fortran order, and clear errors.
#include <doctest/doctest.h>

#include <cstring>

#include "support.hpp"
#include "xbar/sim/io/npy.hpp"

using namespace xbar;

namespace {

// A hand-made .npy file (format 1.0) with the given header dict and raw data.
void write_raw_npy(const std::filesystem::path& path, const std::string& dict, const std::string& data) {
  test::write_file(path, sim::npy_preamble(dict) + data);
}

// The message read_npy refuses a file with ("no error" when it reads it).
std::string message(const std::filesystem::path& p) {
  try {
    sim::read_npy(p);
  } catch (const sim::NpyError& e) {
    return e.what();
  }
  return "no error";
}

template <typename T>
std::string raw(std::initializer_list<T> values) {
  std::string bytes;
  for (T v : values) bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  return bytes;
}

}  // namespace

TEST_CASE("float64 round trip keeps every bit") {
  test::ScratchDir dir("npy");
  const std::vector<double> values = {1.0, -2.5, 1e-300, 3.141592653589793, 0.1, -0.0};
  sim::write_npy(dir / "a.npy", {2, 3}, values);
  const auto a = sim::read_npy(dir / "a.npy");
  CHECK(a.shape == std::vector<std::size_t>{2, 3});
  CHECK(a.dtype == "<f8");
  CHECK(a.data == values);
}

TEST_CASE("float32, integers and Fortran order are read into C order") {
  test::ScratchDir dir("npy");
  write_raw_npy(dir / "f.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
                raw<float>({1.5f, 2.5f, -3.0f, 4.0f}));
  CHECK(sim::read_npy(dir / "f.npy").data == std::vector<double>{1.5, 2.5, -3.0, 4.0});
  // Fortran order: column-major storage of [[1, 2, 3], [4, 5, 6]].
  write_raw_npy(dir / "fo.npy", "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                raw<double>({1, 4, 2, 5, 3, 6}));
  CHECK(sim::read_npy(dir / "fo.npy").data == std::vector<double>{1, 2, 3, 4, 5, 6});
  write_raw_npy(dir / "i.npy", "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }",
                raw<std::int32_t>({-1, 0, 7}));
  const auto i = sim::read_npy(dir / "i.npy");
  CHECK(i.shape == std::vector<std::size_t>{3});
  CHECK(i.data == std::vector<double>{-1, 0, 7});
}

TEST_CASE("bad files are refused with the file name and the reason") {
  test::ScratchDir dir("npy");
  CHECK(message(dir / "missing.npy").find("missing.npy: cannot open") != std::string::npos);
  test::write_file(dir / "text.npy", "hello, this is not numpy");
  CHECK(message(dir / "text.npy").find("not a NumPy .npy file") != std::string::npos);
  write_raw_npy(dir / "short.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
                raw<double>({1, 2, 3}));
  CHECK(message(dir / "short.npy").find("data size mismatch") != std::string::npos);
  write_raw_npy(dir / "complex.npy", "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }",
                std::string(16, '\0'));
  CHECK(message(dir / "complex.npy").find("unsupported dtype '<c16'") != std::string::npos);
  write_raw_npy(dir / "big.npy", "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", std::string(8, '\0'));
  CHECK(message(dir / "big.npy").find("unsupported dtype '>f8'") != std::string::npos);
}

TEST_CASE("hostile shapes and files that are not files are refused before anything is allocated") {
  test::ScratchDir dir("npy");
  // 2^62 x 4 elements: the product wraps around a 64-bit size.
  write_raw_npy(dir / "wrap.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", "");
  CHECK(message(dir / "wrap.npy").find("needs more bytes than can exist") != std::string::npos);
  write_raw_npy(dir / "over.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (9223372036854775808, 2), }", "");
  CHECK(message(dir / "over.npy").find("malformed shape") != std::string::npos);
  write_raw_npy(dir / "minus.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 2), }", "");
  CHECK(message(dir / "minus.npy").find("malformed shape") != std::string::npos);
  CHECK(message("/dev/zero").find("/dev/zero: is not a regular file") != std::string::npos);
  // Found by fuzzing: empty (a zero extent), though the other extents' product overflows as float64.
  const std::string empty_dict =
      "{'descr': '<u1', 'fortran_order': False, 'shape': (51, 111, 11, 411, 9, 419, 1411, 111, 411, 0, 7), }";
  write_raw_npy(dir / "empty.npy", empty_dict, "");
  const sim::NpyArray empty = sim::read_npy(dir / "empty.npy");
  CHECK(empty.data.empty());
  CHECK(sim::parse_npy(sim::npy_bytes(empty.shape, empty.data), "again.npy").shape == empty.shape);
  CHECK(message(dir.path()).find("is a directory") != std::string::npos);
}
