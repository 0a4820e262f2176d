#include "xbar/sim/io/idx.hpp"

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <limits>

#include "xbar/sim/io/input_file.hpp"

namespace xbar::sim {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw IdxError(path.string() + ": " + what);
}

std::uint32_t big_endian_u32(const unsigned char* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | std::uint32_t{p[3]};
}

struct ElementType {
  unsigned char code;
  const char* name;
  std::size_t size;
};

// The six element types of the format; multi-byte values are big-endian.
constexpr ElementType element_types[] = {{0x08, "uint8", 1}, {0x09, "int8", 1},    {0x0B, "int16", 2},
                                         {0x0C, "int32", 4}, {0x0D, "float32", 4}, {0x0E, "float64", 8}};

double element(const unsigned char* p, const ElementType& type) {
  std::uint64_t raw = 0;
  for (std::size_t k = 0; k < type.size; ++k) raw = raw << 8 | p[k];
  switch (type.code) {
    case 0x08:
      return static_cast<double>(p[0]);
    case 0x09:
      return static_cast<double>(static_cast<std::int8_t>(p[0]));
    case 0x0B:
      return static_cast<double>(static_cast<std::int16_t>(raw));
    case 0x0C:
      return static_cast<double>(static_cast<std::int32_t>(raw));
    case 0x0D: {
      float f;
      const auto bits = static_cast<std::uint32_t>(raw);
      std::memcpy(&f, &bits, sizeof f);
      return f;
    }
    default: {
      double d;
      std::memcpy(&d, &raw, sizeof d);
      return d;
    }
  }
}

// A gzip file's whole content, refusing more than `limit` bytes (a small file can inflate without end).
std::string gunzip(const std::filesystem::path& path, const std::string& compressed, std::uint64_t limit) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) fail(path, "cannot start gzip decompression");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buffer[1 << 16];
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      inflateEnd(&stream);
      fail(path, status == Z_BUF_ERROR ? "the gzip data is cut short" : "not valid gzip data");
    }
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (out.size() > limit) {
      inflateEnd(&stream);
      fail(path, "decompresses to more than the memory limit of " + format_bytes(limit) + " (--max-memory)");
    }
  }
  inflateEnd(&stream);
  return out;
}

}  // namespace

NpyArray parse_idx(const std::string& bytes, const std::filesystem::path& path) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() < 4 || p[0] != 0 || p[1] != 0) fail(path, "not an IDX file (it must start with two zero bytes)");
  const ElementType* type = nullptr;
  for (const ElementType& t : element_types) {
    if (t.code == p[2]) type = &t;
  }
  if (!type) fail(path, "unknown IDX element type 0x" + std::to_string(p[2]) + " (expected 0x08, 09, 0B, 0C, 0D or 0E)");
  const std::size_t rank = p[3];
  if (rank == 0) fail(path, "an IDX file with no dimensions");
  if (bytes.size() < 4 + 4 * rank) fail(path, "the header is cut short");
  NpyArray array;
  array.dtype = type->name;
  std::size_t count = 1;
  for (std::size_t d = 0; d < rank; ++d) {
    const std::uint32_t extent = big_endian_u32(p + 4 + 4 * d);
    array.shape.push_back(extent);
    if (extent != 0 && count > std::numeric_limits<std::size_t>::max() / 8 / extent) fail(path, "impossibly large dimensions");
    count *= extent;
  }
  const std::size_t header = 4 + 4 * rank;
  if (bytes.size() - header != count * type->size) {
    fail(path, "the dimensions " + shape_text(array.shape) + " need " + std::to_string(count * type->size) +
                   " bytes of values, the file holds " + std::to_string(bytes.size() - header));
  }
  // The values become doubles (8 bytes for each one-byte pixel): checked before allocating.
  if (count * sizeof(double) > memory_limit()) {
    fail(path, "its " + std::to_string(count) + " values need " + format_bytes(count * sizeof(double)) +
                   " as doubles, more than the memory limit of " + format_bytes(memory_limit()) + " (--max-memory)");
  }
  array.data.resize(count);
  for (std::size_t k = 0; k < count; ++k) array.data[k] = element(p + header + k * type->size, *type);
  return array;
}

NpyArray read_idx(const std::filesystem::path& path) {
  std::string bytes;
  try {
    bytes = read_input_file(path, "an IDX file (raw or .gz)");
  } catch (const FileReadError& e) {
    throw IdxError(e.what());
  }
  const bool gzip = bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
                    static_cast<unsigned char>(bytes[1]) == 0x8b;
  if (gzip) bytes = gunzip(path, bytes, memory_limit());
  return parse_idx(bytes, path);
}

}  // namespace xbar::sim
