// NumPy .npy files (format versions 1-3): little-endian float32/float64/int8-64/uint8-64/bool,
// C or Fortran order, any rank. Values come back as doubles in C (row-major) order.
// Usage (given std::size_t r, std::size_t c, const std::vector<double>& values,
//        const std::vector<std::uint8_t>& bits, std::size_t cells, std::size_t n):
//   NpyArray a = read_npy("w.npy");           // throws NpyError("w.npy: ...") on any problem
//   a.data[r * a.shape[1] + c];               // a.shape == {rows, cols}; shape_text(a.shape) == "(rows, cols)"
//   write_npy("out.npy", a.shape, values);    // float64
//   npy_bytes_u8({cells, n}, bits);           // uint8 file contents, for staged output
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace xbar::sim {

class NpyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct NpyArray {
  std::vector<std::size_t> shape;
  std::vector<double> data;  // C order
  std::string dtype;         // as written in the header, e.g. "<f4"
};

NpyArray read_npy(const std::filesystem::path& path);
// The same from a file's bytes already in memory; `path` names it in messages.
NpyArray parse_npy(const std::string& bytes, const std::filesystem::path& path);

// A shape as Python writes a tuple: "(2, 3)", "(4,)", "()".
std::string shape_text(const std::vector<std::size_t>& shape);

// The start of a format 1.0 file: magic, version and the header dict (Python literal text), padded so
// the data starts on a 64-byte boundary. npy_bytes uses it; tests craft odd headers with it.
std::string npy_preamble(const std::string& header_dict);

// The bytes of a .npy file, for callers that stage their output (float64 and uint8).
std::string npy_bytes(const std::vector<std::size_t>& shape, std::span<const double> data);
std::string npy_bytes_u8(const std::vector<std::size_t>& shape, std::span<const std::uint8_t> data);

void write_npy(const std::filesystem::path& path, const std::vector<std::size_t>& shape,
               std::span<const double> data);

}  // namespace xbar::sim
