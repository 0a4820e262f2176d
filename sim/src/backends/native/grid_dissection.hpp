// Nested dissection of a crossbar's wire grid, from its layout: the ordering METIS would search for,
// known in advance. Cutting the cell grid between two columns separates the row lines (the separator
// is the row nodes of the middle column; that column's own column line is left a lone chain); cutting
// between two rows does the same with the column lines. Recursing on both halves gives the
// O(n log n) fill of a grid's nested dissection at O(n) cost, where METIS takes seconds on large arrays.
// Usage (given functions row_node(i, p, j) and column_node(j, i) returning node ids):
//   GridNodes grid{rows, cols, row_node, column_node};
//   std::vector<int> order = grid_dissection(grid);   // every grid node once, in elimination order
#pragma once

#include <functional>
#include <vector>

namespace xbar::sim {

struct GridNodes {
  int rows = 0, cols = 0;
  std::function<int(int i, int p, int j)> row;  // line p (0: +, 1: -) of row i, where it meets column j
  std::function<int(int j, int i)> column;      // column j where it meets row i
};

std::vector<int> grid_dissection(const GridNodes& grid);

}  // namespace xbar::sim
