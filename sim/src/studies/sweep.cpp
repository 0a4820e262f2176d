#include "xbar/sim/studies/sweep.hpp"

#include <sstream>

#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/io/csv.hpp"
#include "xbar/sim/io/diagnostics.hpp"

namespace xbar::sim {

SweepGrid sweep_grid(const SweepGrid& from_spec, const std::vector<std::string>& arguments) {
  SweepGrid grid = from_spec;
  for (const std::string& arg : arguments) {
    const auto equals = arg.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == arg.size()) {
      throw InputError({{"--sweep " + arg, 0, 0, "", "expected KEY=v1,v2,... (e.g. cell.resistors=4,8,12)", ""}});
    }
    std::vector<std::string> values;
    std::stringstream list(arg.substr(equals + 1));
    for (std::string v; std::getline(list, v, ',');) values.push_back(v);
    const std::string key = arg.substr(0, equals);
    std::erase_if(grid, [&](const auto& entry) { return entry.first == key; });
    grid.emplace_back(key, std::move(values));
  }
  return grid;
}

std::vector<SweepPoint> sweep_points(const std::filesystem::path& spec_path, const std::vector<std::string>& overrides,
                                     const SweepGrid& grid) {
  std::vector<SweepPoint> points(1);
  for (const auto& [key, values] : grid) {
    std::vector<SweepPoint> next;
    for (const auto& point : points) {
      for (const auto& v : values) {
        SweepPoint p = point;
        p.values.emplace_back(key, v);
        next.push_back(std::move(p));
      }
    }
    points = std::move(next);
  }
  std::vector<Diagnostic> problems;
  for (auto& point : points) {
    std::vector<std::string> sets = overrides;
    for (const auto& [key, value] : point.values) sets.push_back(key + "=" + value);
    try {
      point.spec = load_spec(spec_path, sets);
    } catch (const InputError& e) {
      for (const auto& d : e.diagnostics()) problems.push_back(d);
    }
  }
  if (!problems.empty()) throw InputError(problems);
  return points;
}

double sweep_x(const SweepPoint& point, std::size_t index) {
  const auto parsed = point.values.empty() ? std::nullopt : netlist::parse_spice_number(point.values.front().second);
  return parsed ? *parsed : static_cast<double>(index);
}

std::string sweep_csv(const std::vector<SweepPoint>& points, const std::vector<std::string>& columns,
                      const std::vector<std::vector<std::string>>& rows, const std::string& first_column) {
  std::vector<std::string> header;
  if (!first_column.empty()) header.push_back(first_column);
  if (!points.empty()) {
    for (const auto& [key, value] : points.front().values) header.push_back(key);
  }
  header.insert(header.end(), columns.begin(), columns.end());
  std::string csv = csv_line(header);
  for (std::size_t k = 0; k < points.size(); ++k) {
    std::vector<std::string> cells;
    if (!first_column.empty()) cells.push_back(std::to_string(k));
    for (const auto& [key, value] : points[k].values) cells.push_back(value);
    cells.insert(cells.end(), rows[k].begin(), rows[k].end());
    csv += csv_line(cells);
  }
  return csv;
}

}  // namespace xbar::sim
