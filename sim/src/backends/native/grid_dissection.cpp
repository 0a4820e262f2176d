#include "backends/native/grid_dissection.hpp"

namespace xbar::sim {

namespace {

class Dissection {
 public:
  explicit Dissection(const GridNodes& grid) : m_grid(grid) {
    m_order.reserve(static_cast<std::size_t>(3) * static_cast<std::size_t>(grid.rows) * static_cast<std::size_t>(grid.cols));
  }

  // Cells [i0, i1) x [j0, j1): both halves, then what the cut isolated, then the separator.
  void dissect(int i0, int i1, int j0, int j1) {
    if (i0 >= i1 || j0 >= j1) return;
    const int height = i1 - i0, width = j1 - j0;
    if (height * width <= 16) {  // small enough that the order inside does not matter
      for (int i = i0; i < i1; ++i)
        for (int j = j0; j < j1; ++j) add_cell(i, j);
      return;
    }
    if (width >= 2 * height) {  // a column cut costs two row nodes per row, a row cut one column node per column
      const int mid = j0 + width / 2;
      dissect(i0, i1, j0, mid);
      dissect(i0, i1, mid + 1, j1);
      for (int i = i0; i < i1; ++i) m_order.push_back(m_grid.column(mid, i));
      for (int i = i0; i < i1; ++i) add_rows(i, mid);
    } else {
      const int mid = i0 + height / 2;
      dissect(i0, mid, j0, j1);
      dissect(mid + 1, i1, j0, j1);
      for (int j = j0; j < j1; ++j) add_rows(mid, j);
      for (int j = j0; j < j1; ++j) m_order.push_back(m_grid.column(j, mid));
    }
  }

  std::vector<int> take() { return std::move(m_order); }

 private:
  void add_rows(int i, int j) {
    m_order.push_back(m_grid.row(i, 0, j));
    m_order.push_back(m_grid.row(i, 1, j));
  }
  void add_cell(int i, int j) {
    add_rows(i, j);
    m_order.push_back(m_grid.column(j, i));
  }

  const GridNodes& m_grid;
  std::vector<int> m_order;
};

}  // namespace

std::vector<int> grid_dissection(const GridNodes& grid) {
  Dissection d(grid);
  d.dissect(0, grid.rows, 0, grid.cols);
  return d.take();
}

}  // namespace xbar::sim
