#include "xbar/sim/io/npz.hpp"

#include <array>
#include <cstdint>

#include "xbar/sim/io/npy.hpp"

namespace xbar::sim {

namespace {

std::uint32_t crc32(const std::string& data) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char byte : data) c = table[(c ^ byte) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

}  // namespace

std::string npz_bytes(const std::vector<std::pair<std::string, NpzArray>>& arrays) {
  std::string archive, directory;
  for (const auto& [name, array] : arrays) {
    const std::string file = name + ".npy";
    const std::string data = sim::npy_bytes(array.shape, array.values);
    const std::uint32_t crc = crc32(data), size = static_cast<std::uint32_t>(data.size());
    const auto offset = static_cast<std::uint32_t>(archive.size());
    // Local file header: version 2.0, no flags, stored, DOS time/date 0 (1980-01-00: reproducible).
    put32(archive, 0x04034b50);
    put16(archive, 20);
    put16(archive, 0);
    put16(archive, 0);
    put32(archive, 0);
    put32(archive, crc);
    put32(archive, size);
    put32(archive, size);
    put16(archive, static_cast<std::uint32_t>(file.size()));
    put16(archive, 0);
    archive += file + data;
    // Its central-directory record.
    put32(directory, 0x02014b50);
    put16(directory, 20);
    put16(directory, 20);
    put16(directory, 0);
    put16(directory, 0);
    put32(directory, 0);
    put32(directory, crc);
    put32(directory, size);
    put32(directory, size);
    put16(directory, static_cast<std::uint32_t>(file.size()));
    put16(directory, 0);
    put16(directory, 0);
    put16(directory, 0);
    put16(directory, 0);
    put32(directory, 0);
    put32(directory, offset);
    directory += file;
  }
  const auto directory_offset = static_cast<std::uint32_t>(archive.size());
  archive += directory;
  put32(archive, 0x06054b50);
  put16(archive, 0);
  put16(archive, 0);
  put16(archive, static_cast<std::uint32_t>(arrays.size()));
  put16(archive, static_cast<std::uint32_t>(arrays.size()));
  put32(archive, static_cast<std::uint32_t>(directory.size()));
  put32(archive, directory_offset);
  put16(archive, 0);
  return archive;
}

}  // namespace xbar::sim
