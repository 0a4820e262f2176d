#include "xbar/sim/report/plots.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>

#include "xbar/netlist/spice_number.hpp"
#include "xbar/netlist/spice_writer.hpp"
#include "xbar/sim/io/output_files.hpp"

namespace xbar::sim {

namespace fs = std::filesystem;

namespace {

// Runs the script for both terminals; false if gnuplot is missing or fails.
bool render(const fs::path& dir, const std::string& name, const std::string& body) {
  for (const auto& [terminal, extension] : {std::pair{"pngcairo size 900,560", "png"}, std::pair{"svg size 900,560", "svg"}}) {
    const std::string script = "set terminal " + std::string(terminal) + "\nset output '" + name + "." + extension + "'\n" + body;
    write_file_atomic(dir / (name + "." + extension + ".gp"), script);
  }
  write_file_atomic(dir / (name + ".gp"), "# gnuplot " + name + ".png.gp (or .svg.gp) redraws the plot\n" + body);
  bool ok = std::system("command -v gnuplot >/dev/null 2>&1") == 0;
  for (const char* extension : {"png", "svg"}) {
    if (!ok) break;
    const std::string command = "cd '" + dir.string() + "' && gnuplot '" + name + "." + extension + ".gp' 2>/dev/null";
    ok = std::system(command.c_str()) == 0;
    fs::remove(dir / (name + "." + extension + ".gp"));
  }
  return ok;
}

std::string number(double v) { return netlist::format_number(v); }

}  // namespace

bool plot_histogram(const fs::path& dir, const std::string& name, const std::vector<double>& values,
                    const std::string& label, double threshold) {
  std::vector<double> logs;
  for (double v : values) {
    if (v > 0.0) logs.push_back(std::log10(v));
  }
  if (logs.empty()) return false;
  const double low = std::floor(*std::min_element(logs.begin(), logs.end()) * 4.0) / 4.0;
  const double high = std::ceil(*std::max_element(logs.begin(), logs.end()) * 4.0) / 4.0 + 0.25;
  const int bins = std::clamp(static_cast<int>(std::sqrt(static_cast<double>(logs.size()))) * 2, 5, 60);
  const double width = (high - low) / bins;
  std::vector<int> counts(static_cast<std::size_t>(bins), 0);
  for (double l : logs) ++counts[static_cast<std::size_t>(std::clamp(static_cast<int>((l - low) / width), 0, bins - 1))];
  std::string data = "# bin_low bin_high count (values " + label + ")\n";
  for (int k = 0; k < bins; ++k) {
    data += number(std::pow(10.0, low + k * width)) + " " + number(std::pow(10.0, low + (k + 1) * width)) + " " +
            std::to_string(counts[static_cast<std::size_t>(k)]) + "\n";
  }
  write_file_atomic(dir / (name + ".dat"), data);
  const std::string body =
      "set logscale x\nset format x '10^{%L}'\nset xlabel '" + label + "'\nset ylabel 'trials'\n"
      "set style fill solid 0.6 border -1\nset grid\nset key top right\n"
      "set arrow from " + number(threshold) + ", graph 0 to " + number(threshold) +
      ", graph 1 nohead dt 2 lw 2 lc rgb '#c0392b'\n"
      "plot '" + name + ".dat' using (sqrt($1*$2)):3:($2-$1) with boxes lc rgb '#2e86c1' title 'trials', "
      "NaN with lines dt 2 lw 2 lc rgb '#c0392b' title 'yield threshold'\n";
  return render(dir, name, body);
}

bool plot_sweep(const fs::path& dir, const std::string& key, const std::vector<SweepCurve>& curves) {
  if (curves.empty()) return false;
  std::string data, error_plot, yield_plot;
  int index = 0;
  const char* colours[] = {"#2e86c1", "#c0392b", "#27ae60", "#8e44ad", "#d68910", "#17a589"};
  for (const SweepCurve& curve : curves) {
    data += "# " + (curve.label.empty() ? std::string("all") : curve.label) + "\n# " + key +
            " output_error_max_p5 p50 p95 yield weight_error_p50\n";
    for (std::size_t k = 0; k < curve.x.size(); ++k) {
      data += number(curve.x[k]) + " " + number(curve.error_p5[k]) + " " + number(curve.error_p50[k]) + " " +
              number(curve.error_p95[k]) + " " + number(curve.yield[k]) + " " + number(curve.weight_error_p50[k]) + "\n";
    }
    data += "\n\n";
    const std::string colour = colours[index % 6];
    const std::string title = curve.label.empty() ? "" : " (" + curve.label + ")";
    error_plot += std::string(error_plot.empty() ? "plot " : ", ") + "'sweep_plot.dat' index " + std::to_string(index) +
                  " using 1:2:4 with filledcurves lc rgb '" + colour + "' fs transparent solid 0.2 notitle, '' index " +
                  std::to_string(index) + " using 1:3 with linespoints lw 2 lc rgb '" + colour + "' title 'median" +
                  title + "'";
    yield_plot += std::string(yield_plot.empty() ? "plot " : ", ") + "'sweep_plot.dat' index " + std::to_string(index) +
                  " using 1:5 with linespoints lw 2 lc rgb '" + colour + "' title 'yield" + title + "'";
    ++index;
  }
  write_file_atomic(dir / "sweep_plot.dat", data);
  const bool error_ok = render(dir, "sweep_output_error",
                               "set logscale y\nset format y '10^{%L}'\nset grid\nset xlabel '" + key +
                                   "'\nset ylabel 'output error (max over outputs; band: 5-95 %)'\n" + error_plot + "\n");
  const bool yield_ok = render(dir, "sweep_yield",
                               "set grid\nset yrange [0:1.05]\nset xlabel '" + key + "'\nset ylabel 'yield'\n" +
                                   yield_plot + "\n");
  return error_ok && yield_ok;
}

bool plot_lines(const fs::path& dir, const std::string& name, const std::string& x_label, const std::vector<double>& x,
                const std::vector<std::pair<std::string, std::vector<double>>>& series) {
  std::string data = "# " + x_label;
  for (const auto& [label, values] : series) data += " " + label;
  data += "\n";
  for (std::size_t k = 0; k < x.size(); ++k) {
    data += number(x[k]);
    for (const auto& [label, values] : series) data += " " + number(values[k]);
    data += "\n";
  }
  write_file_atomic(dir / (name + ".dat"), data);
  std::string plot;
  for (std::size_t s = 0; s < series.size(); ++s) {
    plot += std::string(s ? ", " : "plot ") + "'" + name + ".dat' using 1:" + std::to_string(s + 2) +
            " with linespoints lw 2 title '" + series[s].first + "'";
  }
  return render(dir, name, "set logscale y\nset format y '10^{%L}'\nset grid\nset xlabel '" + x_label +
                               "'\nset ylabel 'relative error'\n" + plot + "\n");
}

}  // namespace xbar::sim
