// The graph executor's tensor: a shape and its values as doubles in C (row-major) order. Integer
// tensors (shapes, indices) are held as doubles too: exact up to 2^53, far past any extent.
// Usage (given NpyArray array):
//   Tensor t = Tensor::zeros({2, 3});
//   t.at({1, 2}) = 5.0;   t.size() == 6;   t.shape_text() == "(2, 3)";
//   Tensor u = Tensor::from(std::move(array));
#pragma once

#include <cstddef>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include "xbar/sim/io/npy.hpp"

namespace xbar::sim {

// A graph that cannot run: an op outside the list, shapes that do not fit, a tensor past the memory limit.
class GraphError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Tensor {
  std::vector<std::size_t> shape;
  std::vector<double> data;

  // GraphError when the shape's size overflows or passes the memory limit (io/input_file.hpp).
  static Tensor zeros(std::vector<std::size_t> shape);
  static Tensor from(NpyArray array);
  std::size_t size() const { return data.size(); }
  std::size_t rank() const { return shape.size(); }
  std::size_t extent(long axis) const;  // negative axes count from the end
  std::vector<std::size_t> strides() const;
  double& at(std::initializer_list<std::size_t> index);
  std::string shape_text() const { return sim::shape_text(shape); }
};

std::size_t element_count(const std::vector<std::size_t>& shape);

// GraphError unless `values` doubles fit the memory limit; `what` names them in the message.
void require_memory(double values, const std::string& what);

}  // namespace xbar::sim
