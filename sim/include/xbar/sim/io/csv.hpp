// Numeric CSV files as the studies write them: one header line of column names, then rows of numbers.
// Usage (given const std::string& text):
//   NumericCsv t = parse_numeric_csv(text, "study/trials.csv");   // InputError naming file:line on a bad cell
//   t.column("output_error_max");                                  // index of a named column
//   csv_line({"trial", "weight_error"}) == "trial,weight_error\n";
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace xbar::sim {

struct NumericCsv {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
  // The index of a named column; std::out_of_range if there is none.
  std::size_t column(const std::string& name) const;
};

// Every row must have as many numbers as the header has names. A last line without its newline is
// taken as cut short and left out (a writer killed mid-line).
NumericCsv parse_numeric_csv(const std::string& text, const std::filesystem::path& file);

std::string csv_line(const std::vector<std::string>& cells);

}  // namespace xbar::sim
