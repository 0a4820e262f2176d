// IDX datasets (MNIST's format), raw and gzip: every element type, big-endian values, and refusals.
#include <doctest/doctest.h>

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "support.hpp"
#include "xbar/sim/io/idx.hpp"
#include "xbar/sim/io/input_file.hpp"

using namespace xbar;

namespace {

// An IDX header: type code, then the dimensions big-endian.
std::string idx_header(unsigned char type, const std::vector<std::uint32_t>& dims) {
  std::string bytes = {'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>((d >> shift) & 0xff);
  }
  return bytes;
}

void write_gzip(const std::filesystem::path& path, const std::string& bytes) {
  gzFile out = gzopen(path.c_str(), "wb");
  REQUIRE(out != nullptr);
  REQUIRE(gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size())) == static_cast<int>(bytes.size()));
  REQUIRE(gzclose(out) == Z_OK);
}

std::string refusal(const std::filesystem::path& path) {
  try {
    sim::read_idx(path);
  } catch (const sim::IdxError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("images and labels, raw and gzip-compressed, read as MNIST writes them") {
  test::ScratchDir dir("idx");
  // Two 2x3 "images", pixel values 0..11, and their labels.
  std::string images = idx_header(0x08, {2, 2, 3});
  for (int k = 0; k < 12; ++k) images += static_cast<char>(k * 20);
  test::write_file(dir / "images.idx", images);
  write_gzip(dir / "images.idx.gz", images);
  for (const char* name : {"images.idx", "images.idx.gz"}) {
    CAPTURE(name);
    const sim::NpyArray a = sim::read_idx(dir / name);
    CHECK(a.shape == std::vector<std::size_t>{2, 2, 3});
    CHECK(a.dtype == "uint8");
    REQUIRE(a.data.size() == 12);
    CHECK(a.data[7] == 140.0);   // image 1, row 0, column 1
    CHECK(a.data[11] == 220.0);  // unsigned: 220, not -36
  }
  // Every other element type, big-endian.
  std::string ints = idx_header(0x0C, {2});
  ints += std::string("\xff\xff\xff\xfe", 4) + std::string("\x00\x01\x00\x00", 4);  // -2, 65536
  test::write_file(dir / "ints.idx", ints);
  CHECK(sim::read_idx(dir / "ints.idx").data == std::vector<double>{-2.0, 65536.0});
  std::string doubles = idx_header(0x0E, {1});
  const double value = -1.25;
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  for (int shift = 56; shift >= 0; shift -= 8) doubles += static_cast<char>((bits >> shift) & 0xff);
  test::write_file(dir / "doubles.idx", doubles);
  CHECK(sim::read_idx(dir / "doubles.idx").data == std::vector<double>{-1.25});
  std::string shorts = idx_header(0x0B, {1}) + std::string("\x80\x00", 2);
  test::write_file(dir / "shorts.idx", shorts);
  CHECK(sim::read_idx(dir / "shorts.idx").data == std::vector<double>{-32768.0});
}

TEST_CASE("bad IDX files are refused with the file and the reason, before allocating") {
  test::ScratchDir dir("idx");
  test::write_file(dir / "text.idx", "hello");
  CHECK(refusal(dir / "text.idx").find("not an IDX file") != std::string::npos);
  test::write_file(dir / "type.idx", idx_header(0x07, {1}) + "x");
  CHECK(refusal(dir / "type.idx").find("unknown IDX element type") != std::string::npos);
  test::write_file(dir / "short.idx", idx_header(0x08, {2, 2}) + "abc");
  CHECK(refusal(dir / "short.idx").find("need 4 bytes of values, the file holds 3") != std::string::npos);
  test::write_file(dir / "long.idx", idx_header(0x08, {2}) + "abc");
  CHECK(refusal(dir / "long.idx").find("need 2 bytes of values, the file holds 3") != std::string::npos);
  test::write_file(dir / "huge.idx", idx_header(0x0E, {0xffffffffu, 0xffffffffu, 0xffffffffu}));
  CHECK(refusal(dir / "huge.idx").find("impossibly large") != std::string::npos);
  test::write_file(dir / "cut.idx.gz", "\x1f\x8b\x08\x00");
  CHECK(refusal(dir / "cut.idx.gz").find("gzip") != std::string::npos);
  CHECK(refusal(dir / "nowhere.idx").find("nowhere.idx: cannot open") != std::string::npos);
  // A small gzip file that inflates past the memory limit is stopped while inflating.
  write_gzip(dir / "bomb.idx.gz", idx_header(0x08, {1u << 24}) + std::string(1u << 24, '\0'));
  sim::set_memory_limit(1u << 20);
  CHECK(refusal(dir / "bomb.idx.gz").find("more than the memory limit") != std::string::npos);
  sim::set_memory_limit(std::uint64_t{1} << 40);
}

// The dataset the thesis' experiment uses, as Debian ships it (dataset-fashion-mnist), when installed.
TEST_CASE("Fashion-MNIST's test set, when installed, reads as 10,000 28x28 images and their labels") {
  const std::filesystem::path root = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(root / "t10k-images-idx3-ubyte.gz")) {
    MESSAGE("not run: dataset-fashion-mnist is not installed");
    return;
  }
  const sim::NpyArray images = sim::read_idx(root / "t10k-images-idx3-ubyte.gz");
  const sim::NpyArray labels = sim::read_idx(root / "t10k-labels-idx1-ubyte.gz");
  CHECK(images.shape == std::vector<std::size_t>{10000, 28, 28});
  CHECK(labels.shape == std::vector<std::size_t>{10000});
  for (double label : labels.data) CHECK((label >= 0 && label <= 9));
}
