// Reproducible random streams. Every stream is derived from (seed, trial, purpose, index), so a result
// never depends on the order in which cells, trials or threads are processed.
// Usage (given std::uint64_t spec_seed, std::uint64_t trial, std::uint64_t cell):
//   Rng rng(derive_seed(spec_seed, trial, StreamPurpose::fabrication, cell));
//   double u = rng.uniform(-1.0, 1.0);
//   double z = rng.standard_normal();   // own Box–Muller: same bits with every standard library
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace xbar::models {

enum class StreamPurpose : std::uint64_t {
  fabrication = 1,
  inputs = 2,
  measurement = 3,
  pruning = 4,
  operation = 5,  // where and how a die runs (its operating temperature)
};

// SplitMix64-style mixing of the four coordinates into one 64-bit seed.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t trial, StreamPurpose purpose,
                          std::uint64_t index = 0);

// xoshiro256** (Blackman & Vigna), seeded through SplitMix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  std::uint64_t next();
  double uniform01();                    // [0, 1), 53 random bits
  double uniform(double low, double high);
  double standard_normal();              // N(0, 1)

 private:
  std::uint64_t m_state[4];
};

// `count` random inputs uniform in [-1, 1], from the (seed, 0, inputs) stream: the input vectors of
// a spec without an input file, one after the other.
std::vector<double> random_inputs(std::uint64_t seed, std::size_t count);

}  // namespace xbar::models
