// Plots people want to look at, drawn by gnuplot (Debian's gnuplot-nox) as PNG and SVG next to the
// data they show. Each plot leaves its data (.dat) and script (.gp) behind, so it can be redrawn or
// restyled by hand. Without gnuplot on the PATH the data and scripts are still written and the
// functions return false. They take plain series, so they know nothing of studies or layers.
// Usage (given const std::vector<double>& errors, const std::vector<double>& n,
//        const std::vector<double>& weight_error, const std::vector<double>& output_error):
//   plot_histogram("study", "output_error", errors, "output error", 0.05, "s.yaml: 100 trials");
//   plot_lines("layer", "error_vs_n", "resistors per bank", n,
//              {{"weight error", weight_error}, {"output error", output_error}}, "layer errors against n");
//   plot_pareto("sweep", "pareto", {{1e-14, 3e-3, "n=8"}, {4e-14, 1e-4, "n=16"}}, "error against energy");
//   // each leaves DIR/NAME.png, .svg, .dat and NAME.gp (`gnuplot NAME.gp` in DIR redraws both)
#pragma once

#include <filesystem>
#include <string>
#include <vector>



namespace xbar::sim {

// Histogram of positive values on a log axis, with the yield threshold marked.
bool plot_histogram(const std::filesystem::path& dir, const std::string& name, const std::vector<double>& values,
                    const std::string& label, double threshold, const std::string& title);

// One curve of a Monte Carlo sweep: its points over the first swept key.
struct SweepCurve {
  std::string label;  // the other swept keys' values; empty when only one key is swept
  std::vector<double> x, error_p5, error_p50, error_p95, yield, weight_error_p50;
  std::vector<std::string> x_text;  // the first key's values as written (words make the axis categorical)
};

// Over the first swept key (`key`): output error median with its 5-95 % band (log scale), and the
// yield; one curve per combination of the other swept keys.
bool plot_sweep(const std::filesystem::path& dir, const std::string& key, const std::vector<SweepCurve>& curves,
                const std::string& title);

// Named series against x on a log y axis of relative error (e.g. a layer's weight and output error
// against n), or, given `linear_y_label`, a linear axis so labelled (e.g. accuracy).
bool plot_lines(const std::filesystem::path& dir, const std::string& name, const std::string& x_label,
                const std::vector<double>& x, const std::vector<std::pair<std::string, std::vector<double>>>& series,
                const std::string& title, const std::string& linear_y_label = "");

// A design-space trade-off: each point's output error against its energy per MAC (both log), labelled
// with its swept values, the Pareto front (no other point has less error for less energy) joined.
struct ParetoPoint {
  double energy = 0.0, error = 0.0;
  std::string label;
};
bool plot_pareto(const std::filesystem::path& dir, const std::string& name, const std::vector<ParetoPoint>& points,
                 const std::string& title);
// The indices of the points on the front, by increasing energy.
std::vector<std::size_t> pareto_front(const std::vector<ParetoPoint>& points);

}  // namespace xbar::sim
