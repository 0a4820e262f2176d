#include "xbar/models/random.hpp"

#include <cmath>
#include <initializer_list>
#include <numbers>

namespace xbar::models {

namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t trial, StreamPurpose purpose,
                          std::uint64_t index) {
  std::uint64_t state = seed;
  std::uint64_t mixed = splitmix64(state);
  for (std::uint64_t coordinate : {trial, static_cast<std::uint64_t>(purpose), index}) {
    state = mixed ^ coordinate;
    mixed = splitmix64(state);
  }
  return mixed;
}

Rng::Rng(std::uint64_t seed) {
  for (auto& word : m_state) word = splitmix64(seed);
}

std::uint64_t Rng::next() {
  const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
  const std::uint64_t t = m_state[1] << 17;
  m_state[2] ^= m_state[0];
  m_state[3] ^= m_state[1];
  m_state[1] ^= m_state[2];
  m_state[0] ^= m_state[3];
  m_state[2] ^= t;
  m_state[3] = rotl(m_state[3], 45);
  return result;
}

double Rng::uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Rng::uniform(double low, double high) { return low + (high - low) * uniform01(); }

double Rng::standard_normal() {
  // Box–Muller; u1 in (0, 1] keeps the logarithm finite. The second deviate is dropped so that the
  // stream has no hidden state beyond the generator.
  const double u1 = 1.0 - uniform01();
  const double u2 = uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::vector<double> random_inputs(std::uint64_t seed, std::size_t count) {
  Rng rng(derive_seed(seed, 0, StreamPurpose::inputs));
  std::vector<double> values(count);
  for (double& v : values) v = rng.uniform(-1.0, 1.0);
  return values;
}

}  // namespace xbar::models
