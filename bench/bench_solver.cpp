// Closest subset sum: meet-in-the-middle against the brute-force reference on identical random
// differential-cell instances (values of both signs, ±20 % around 1), side by side in one run.
//
//   build/bench/bench_solver [instances]
// Prints: n per bank, instances, brute force us/instance, ours us/instance, ratio, max disagreement.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "xbar/models/random.hpp"
#include "xbar/solver/subset_sum.hpp"

using namespace xbar;

namespace {

struct Instance {
  std::vector<double> values;
  double target;
};

std::vector<Instance> make_instances(int per_bank, int count) {
  models::Rng rng(models::derive_seed(2024, 0, models::StreamPurpose::fabrication, static_cast<std::uint64_t>(per_bank)));
  std::vector<Instance> instances(static_cast<std::size_t>(count));
  for (auto& instance : instances) {
    for (int k = 0; k < 2 * per_bank; ++k) instance.values.push_back((k < per_bank ? 1.0 : -1.0) * rng.uniform(0.8, 1.2));
    instance.target = rng.uniform(-0.5, 0.5) * per_bank;
  }
  return instances;
}

template <typename Solve>
double seconds_per_instance(const std::vector<Instance>& instances, std::vector<double>& errors, Solve solve) {
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t k = 0; k < instances.size(); ++k) errors[k] = solve(instances[k]).error;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
         static_cast<double>(instances.size());
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 200;
  solver::ClosestSumSolver fast;
  std::printf("%8s %10s %16s %16s %10s %16s\n", "n/bank", "instances", "brute us/inst", "ours us/inst", "ratio",
              "max |diff|");
  for (int per_bank : {4, 6, 8, 10}) {
    const auto instances = make_instances(per_bank, count);
    std::vector<double> brute(instances.size()), ours(instances.size());
    const double t_brute = seconds_per_instance(instances, brute, [](const Instance& i) {
      return solver::closest_subset_sum_brute_force(i.values, i.target);
    });
    const double t_ours =
        seconds_per_instance(instances, ours, [&](const Instance& i) { return fast.solve(i.values, i.target); });
    double disagreement = 0.0;
    for (std::size_t k = 0; k < instances.size(); ++k) disagreement = std::max(disagreement, std::abs(brute[k] - ours[k]));
    std::printf("%8d %10d %16.2f %16.2f %10.1f %16.3g\n", per_bank, count, t_brute * 1e6, t_ours * 1e6,
                t_brute / t_ours, disagreement);
  }
  return 0;
}
