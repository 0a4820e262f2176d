#include "xbar/sim/io/csv.hpp"

#include <sstream>
#include <stdexcept>

#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/io/diagnostics.hpp"

namespace xbar::sim {

namespace {

std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream stream(line);
  for (std::string cell; std::getline(stream, cell, ',');) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

}  // namespace

std::size_t NumericCsv::column(const std::string& name) const {
  for (std::size_t k = 0; k < header.size(); ++k) {
    if (header[k] == name) return k;
  }
  throw std::out_of_range("no column '" + name + "'");
}

NumericCsv parse_numeric_csv(const std::string& text, const std::filesystem::path& file) {
  const auto bad = [&](int line, const std::string& message) {
    throw InputError({{file.string(), line, 0, "", message, ""}});
  };
  const std::string complete = text.empty() || text.back() == '\n' ? text : text.substr(0, text.find_last_of('\n') + 1);
  std::istringstream lines(complete);
  NumericCsv table;
  std::string line;
  if (!std::getline(lines, line) || line.empty()) bad(1, "no header line");
  table.header = cells_of(line);
  for (int number = 2; std::getline(lines, line); ++number) {
    const auto cells = cells_of(line);
    if (cells.size() != table.header.size()) {
      bad(number, "expected " + std::to_string(table.header.size()) + " cells, got " + std::to_string(cells.size()));
    }
    std::vector<double> row;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const auto value = netlist::parse_spice_number(cells[c]);
      if (!value || cells[c].find_first_not_of("0123456789+-.eE") != std::string::npos) {
        bad(number, "column " + table.header[c] + ": '" + cells[c] + "' is not a number");
      }
      row.push_back(*value);
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string text;
  for (std::size_t k = 0; k < cells.size(); ++k) text += (k ? "," : "") + cells[k];
  return text + "\n";
}

}  // namespace xbar::sim
