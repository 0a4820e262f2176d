#include "xbar/sim/nn/tensor.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "xbar/sim/io/input_file.hpp"

namespace xbar::sim {

std::size_t element_count(const std::vector<std::size_t>& shape) {
  std::size_t n = 1;
  for (std::size_t d : shape) n *= d;
  return n;
}

void require_memory(double values, const std::string& what) {
  const double bytes = values * sizeof(double);
  if (bytes > static_cast<double>(memory_limit())) {
    throw GraphError(what + " needs " + format_bytes(static_cast<std::uint64_t>(std::min(bytes, 1.8e19))) +
                     ", more than the memory limit of " + format_bytes(memory_limit()));
  }
}

Tensor Tensor::zeros(std::vector<std::size_t> shape) {
  double values = 1.0;  // in doubles: the product of the extents may not fit an integer
  for (std::size_t d : shape) values *= static_cast<double>(d);
  require_memory(values, "a tensor of shape " + sim::shape_text(shape));
  Tensor t;
  t.data.assign(element_count(shape), 0.0);
  t.shape = std::move(shape);
  return t;
}

Tensor Tensor::from(NpyArray array) {
  Tensor t;
  t.shape = std::move(array.shape);
  t.data = std::move(array.data);
  return t;
}

std::size_t Tensor::extent(long axis) const {
  const long r = static_cast<long>(rank());
  if (axis < -r || axis >= r) throw std::invalid_argument("axis " + std::to_string(axis) + " outside a rank-" + std::to_string(r) + " tensor");
  return shape[static_cast<std::size_t>(axis < 0 ? axis + r : axis)];
}

std::vector<std::size_t> Tensor::strides() const {
  std::vector<std::size_t> s(rank(), 1);
  for (std::size_t k = rank(); k-- > 1;) s[k - 1] = s[k] * shape[k];
  return s;
}

double& Tensor::at(std::initializer_list<std::size_t> index) {
  const auto s = strides();
  std::size_t offset = 0, k = 0;
  for (std::size_t i : index) offset += i * s[k++];
  return data[offset];
}

}  // namespace xbar::sim
