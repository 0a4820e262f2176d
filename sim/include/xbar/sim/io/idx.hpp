// IDX files (the MNIST / Fashion-MNIST format), raw or gzip-compressed: a magic of two zero bytes, the
// element type and the number of dimensions, the dimensions as big-endian 32-bit integers, then the
// values in C order. Values come back as doubles with their shape, like a .npy file.
// Usage (given const std::filesystem::path& path, std::size_t k, std::size_t y, std::size_t x):
//   NpyArray images = read_idx(path);   // e.g. shape {10000, 28, 28}, dtype "uint8"; IdxError on any problem
//   images.data[(k * 28 + y) * 28 + x];  // pixel (y, x) of image k
//
// The size the header implies is checked against the memory limit (input_file.hpp) before anything is
// allocated, and the file must hold exactly that many values: a truncated or overlong file is refused.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "xbar/sim/io/npy.hpp"

namespace xbar::sim {

// what() is "PATH: reason".
class IdxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

NpyArray read_idx(const std::filesystem::path& path);

// The same from a file's bytes (already decompressed); `path` names it in messages.
NpyArray parse_idx(const std::string& bytes, const std::filesystem::path& path);

}  // namespace xbar::sim
