#include "xbar/sim/io/npy.hpp"

#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/io/input_file.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <optional>
#include <fstream>
#include <iterator>
#include <sstream>

namespace xbar::sim {

namespace {

static_assert(std::endian::native == std::endian::little, "npy I/O assumes a little-endian host");

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw NpyError(path.string() + ": " + what);
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\n");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t\n");
  return text.substr(first, last - first + 1);
}

// Raw text of `key`'s value in the header dict, up to the next top-level comma or closing brace.
std::string header_field(const std::string& header, const std::string& key,
                         const std::filesystem::path& path) {
  const std::string quoted = "'" + key + "'";
  std::size_t at = header.find(quoted);
  if (at == std::string::npos) fail(path, "header has no '" + key + "' entry");
  at = header.find(':', at + quoted.size());
  if (at == std::string::npos) fail(path, "malformed header near '" + key + "'");
  ++at;
  int depth = 0;
  std::size_t end = at;
  for (; end < header.size(); ++end) {
    const char c = header[end];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && (c == ',' || c == '}')) break;
  }
  return trim(header.substr(at, end - at));
}

std::vector<std::size_t> parse_shape(const std::string& text, const std::filesystem::path& path) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') fail(path, "malformed shape " + text);
  std::vector<std::size_t> shape;
  std::stringstream items(text.substr(1, text.size() - 2));
  std::string item;
  while (std::getline(items, item, ',')) {
    item = trim(item);
    if (item.empty()) continue;
    const auto extent = netlist::parse_integer(item);
    if (!extent || *extent < 0) fail(path, "malformed shape " + text);
    shape.push_back(static_cast<std::size_t>(*extent));
  }
  return shape;
}

template <typename T>
void convert(const char* bytes, std::size_t count, std::vector<double>& out) {
  out.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    T value;
    std::memcpy(&value, bytes + i * sizeof(T), sizeof(T));
    out[i] = static_cast<double>(value);
  }
}

// Convert `count` elements of dtype `descr`; returns false for an unsupported dtype.
bool convert_elements(const std::string& descr, const char* bytes, std::size_t count,
                      std::vector<double>& out, std::size_t& item_size) {
  struct Kind {
    const char* names[2];
    std::size_t size;
    void (*convert)(const char*, std::size_t, std::vector<double>&);
  };
  static const Kind kinds[] = {
      {{"<f8", "=f8"}, 8, convert<double>},       {{"<f4", "=f4"}, 4, convert<float>},
      {{"<i8", "=i8"}, 8, convert<std::int64_t>}, {{"<i4", "=i4"}, 4, convert<std::int32_t>},
      {{"<i2", "=i2"}, 2, convert<std::int16_t>}, {{"|i1", "<i1"}, 1, convert<std::int8_t>},
      {{"<u8", "=u8"}, 8, convert<std::uint64_t>}, {{"<u4", "=u4"}, 4, convert<std::uint32_t>},
      {{"<u2", "=u2"}, 2, convert<std::uint16_t>}, {{"|u1", "<u1"}, 1, convert<std::uint8_t>},
      {{"|b1", "<b1"}, 1, convert<std::uint8_t>},
  };
  for (const Kind& kind : kinds) {
    if (descr == kind.names[0] || descr == kind.names[1]) {
      item_size = kind.size;
      if (bytes != nullptr) kind.convert(bytes, count, out);
      return true;
    }
  }
  return false;
}

// Fortran-order data reordered to C order.
std::vector<double> to_c_order(const std::vector<double>& data, const std::vector<std::size_t>& shape) {
  std::vector<double> out(data.size());
  std::vector<std::size_t> index(shape.size(), 0);
  for (std::size_t f = 0; f < data.size(); ++f) {
    std::size_t c = 0;
    for (std::size_t d = 0; d < shape.size(); ++d) c = c * shape[d] + index[d];
    out[c] = data[f];
    for (std::size_t d = 0; d < shape.size(); ++d) {  // Fortran order: first index fastest
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

std::string npy_header(const std::string& descr, const std::vector<std::size_t>& shape) {
  return npy_preamble("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape_text(shape) + ", }");
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw NpyError(path.string() + ": cannot open for writing");
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw NpyError(path.string() + ": write failed");
}

// The product of the extents; nullopt when it does not fit in a size_t (a hostile or corrupt header).
std::optional<std::size_t> checked_element_count(const std::vector<std::size_t>& shape, std::size_t item_size = 1) {
  // Any zero extent makes the array empty, however large the others (their partial product may not fit).
  if (std::find(shape.begin(), shape.end(), std::size_t{0}) != shape.end()) return 0;
  std::size_t count = item_size;
  for (std::size_t extent : shape) {
    if (extent != 0 && count > std::numeric_limits<std::size_t>::max() / extent) return std::nullopt;
    count *= extent;
  }
  return count;
}

std::size_t element_count(const std::vector<std::size_t>& shape) {
  const auto count = checked_element_count(shape);
  if (!count) throw NpyError("npy: shape " + shape_text(shape) + " is too large");
  return *count;
}

}  // namespace

std::string npy_preamble(const std::string& header_dict) {
  std::string header = header_dict;
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += '\x01';
  bytes += '\x00';
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  return bytes + header;
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string text = "(";
  for (std::size_t d = 0; d < shape.size(); ++d) text += (d ? ", " : "") + std::to_string(shape[d]);
  return text + (shape.size() == 1 ? ",)" : ")");
}

NpyArray read_npy(const std::filesystem::path& path) {
  try {
    return parse_npy(read_input_file(path, "a .npy file"), path);
  } catch (const FileReadError& e) {
    throw NpyError(e.what());
  }
}

NpyArray parse_npy(const std::string& bytes, const std::filesystem::path& path) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) {
    fail(path, "not a NumPy .npy file (missing the \\x93NUMPY magic)");
  }
  const int major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_length = 0, header_start = 0;
  if (major == 1) {
    header_length = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail(path, "truncated header");
    std::uint32_t length = 0;
    std::memcpy(&length, bytes.data() + 8, 4);
    header_length = length;
    header_start = 12;
  } else {
    fail(path, "unsupported .npy format version " + std::to_string(major));
  }
  if (bytes.size() < header_start + header_length) fail(path, "truncated header");
  const std::string header = bytes.substr(header_start, header_length);

  NpyArray array;
  std::string descr = header_field(header, "descr", path);
  if (descr.size() < 2 || descr.front() != '\'' || descr.back() != '\'') fail(path, "malformed descr " + descr);
  array.dtype = descr.substr(1, descr.size() - 2);
  const std::string fortran = header_field(header, "fortran_order", path);
  if (fortran != "True" && fortran != "False") fail(path, "malformed fortran_order " + fortran);
  array.shape = parse_shape(header_field(header, "shape", path), path);

  std::size_t item_size = 0;
  if (!convert_elements(array.dtype, nullptr, 0, array.data, item_size)) {
    fail(path, "unsupported dtype '" + array.dtype +
                   "'; expected little-endian float32 or float64 (or an integer/bool type)");
  }
  const auto needed = checked_element_count(array.shape, item_size);
  const std::size_t data_start = header_start + header_length;
  const std::size_t available = bytes.size() - data_start;
  if (!needed || *needed != available) {
    fail(path, "data size mismatch: the header's shape " + shape_text(array.shape) + " needs " +
                   (needed ? std::to_string(*needed) + " bytes" : "more bytes than can exist") +
                   ", the file holds " + std::to_string(available));
  }
  const std::size_t count = *needed / item_size;
  convert_elements(array.dtype, bytes.data() + data_start, count, array.data, item_size);
  if (fortran == "True" && array.shape.size() > 1) array.data = to_c_order(array.data, array.shape);
  return array;
}

std::string npy_bytes(const std::vector<std::size_t>& shape, std::span<const double> data) {
  if (element_count(shape) != data.size()) throw NpyError("npy: shape does not match data");
  return npy_header("<f8", shape) +
         std::string(reinterpret_cast<const char*>(data.data()), data.size() * sizeof(double));
}

std::string npy_bytes_u8(const std::vector<std::size_t>& shape, std::span<const std::uint8_t> data) {
  if (element_count(shape) != data.size()) throw NpyError("npy: shape does not match data");
  return npy_header("|u1", shape) + std::string(reinterpret_cast<const char*>(data.data()), data.size());
}

void write_npy(const std::filesystem::path& path, const std::vector<std::size_t>& shape,
               std::span<const double> data) {
  write_bytes(path, npy_bytes(shape, data));
}

}  // namespace xbar::sim
