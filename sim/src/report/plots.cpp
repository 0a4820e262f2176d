#include "xbar/sim/report/plots.hpp"

#include <limits>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>

#include "xbar/netlist/spice_number.hpp"
#include "xbar/netlist/spice_writer.hpp"
#include "xbar/sim/io/output_files.hpp"

namespace xbar::sim {

namespace fs = std::filesystem;

namespace {

// Text in gnuplot's single quotes.
std::string gnuplot_text(const std::string& text) {
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

// Writes NAME.gp, which draws NAME.png and NAME.svg from the data next to it, and runs it; the script
// stays, so `cd DIR && gnuplot NAME.gp` redraws both (after a hand edit, say). False without gnuplot.
bool render(const fs::path& dir, const std::string& name, const std::string& title, const std::string& body) {
  const std::string script = "# cd to this folder, then: gnuplot " + name + ".gp   (writes " + name + ".png and " +
                             name + ".svg)\nset title " + gnuplot_text(title) + " noenhanced\n" +
                             "set terminal pngcairo size 900,560\nset output '" + name + ".png'\n" + body +
                             "set terminal svg size 900,560\nset output '" + name + ".svg'\nreplot\n";
  write_file_atomic(dir / (name + ".gp"), script);
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) return false;
  const std::string command = "cd '" + dir.string() + "' && gnuplot '" + name + ".gp' 2>/dev/null";
  return std::system(command.c_str()) == 0;
}

std::string number(double v) { return netlist::format_number(v); }

}  // namespace

bool plot_histogram(const fs::path& dir, const std::string& name, const std::vector<double>& values,
                    const std::string& label, double threshold, const std::string& title) {
  std::vector<double> positive;
  for (double v : values) {
    if (v > 0.0 && std::isfinite(v)) positive.push_back(v);
  }
  if (positive.empty()) return false;
  const double smallest = *std::min_element(positive.begin(), positive.end());
  const double largest = *std::max_element(positive.begin(), positive.end());
  // Bins fit the values (a fixed grid of decades makes a narrow spread one spike): on a log axis when
  // they span a decade or more, else on a linear one; the threshold is always in view.
  const bool logarithmic = largest >= 10.0 * smallest;
  const auto axis = [&](double v) { return logarithmic ? std::log10(v) : v; };
  const auto value = [&](double a) { return logarithmic ? std::pow(10.0, a) : a; };
  double low = axis(smallest), high = axis(largest);
  if (threshold > 0.0) {
    low = std::min(low, axis(threshold));
    high = std::max(high, axis(threshold));
  }
  const double pad = 0.02 * std::max(high - low, logarithmic ? 0.1 : 1e-3 * std::abs(high) + 1e-300);
  low -= pad;
  high += pad;
  const int bins = std::clamp(static_cast<int>(std::sqrt(static_cast<double>(positive.size()))) * 2, 5, 60);
  const double width = (high - low) / bins;
  std::vector<int> counts(static_cast<std::size_t>(bins), 0);
  for (double v : positive) {
    ++counts[static_cast<std::size_t>(std::clamp(static_cast<int>((axis(v) - low) / width), 0, bins - 1))];
  }
  std::string data = "# bin_low bin_high count (values: " + label + ")\n";
  for (int k = 0; k < bins; ++k) {
    data += number(value(low + k * width)) + " " + number(value(low + (k + 1) * width)) + " " +
            std::to_string(counts[static_cast<std::size_t>(k)]) + "\n";
  }
  write_file_atomic(dir / (name + ".dat"), data);
  // A log axis marked at 1, 2 and 5 of every decade: a spread of a decade or two shows more than one tic.
  std::string tics;
  if (logarithmic) {
    for (double decade = std::floor(low); decade <= std::ceil(high); ++decade) {
      for (double m : {1.0, 2.0, 5.0}) {
        const double t = m * std::pow(10.0, decade);
        if (std::log10(t) < low || std::log10(t) > high) continue;
        char text[32];
        std::snprintf(text, sizeof text, "%g", t);
        tics += std::string(tics.empty() ? "set xtics (" : ", ") + "'" + text + "' " + number(t);
      }
    }
    if (!tics.empty()) tics += ")\n";
  }
  const int tallest = *std::max_element(counts.begin(), counts.end());
  const auto passing = std::count_if(values.begin(), values.end(), [&](double v) { return v <= threshold; });
  char pass_text[160];
  std::snprintf(pass_text, sizeof pass_text, "threshold %s: %ld of %zu trials pass (%.1f %%)", number(threshold).c_str(),
                static_cast<long>(passing), values.size(), 100.0 * static_cast<double>(passing) / values.size());
  const std::string body =
      std::string(logarithmic ? "set logscale x\n" + tics : "set format x '%.3g'\n") +
      "set xrange [" + number(value(low)) + ":" + number(value(high)) + "]\nset xlabel " + gnuplot_text(label) +
      " noenhanced\nset ylabel 'trials'\n"
      // head room above the tallest bar for the legend and the pass fraction
      "set yrange [0:" + std::to_string(tallest + std::max(2, tallest / 3)) + "]\n"
      "set style fill solid 0.6 border -1\nset grid\n"
      "set key top right\nset label 1 " + gnuplot_text(pass_text) + " at graph 0.02, graph 0.95 left noenhanced\n"
      "set arrow from " + number(threshold) + ", graph 0 to " + number(threshold) +
      ", graph 1 nohead dt 2 lw 2 lc rgb '#c0392b'\n"
      "plot '" + name + ".dat' using " + (logarithmic ? "(sqrt($1*$2))" : "(($1+$2)/2)") +
      ":3:($2-$1) with boxes lc rgb '#2e86c1' title 'trials', "
      "NaN with lines dt 2 lw 2 lc rgb '#c0392b' title 'yield threshold'\n";
  return render(dir, name, title, body);
}

bool plot_sweep(const fs::path& dir, const std::string& key, const std::vector<SweepCurve>& curves,
                const std::string& title) {
  if (curves.empty()) return false;
  // A key whose values are words (uniform, normal) is categorical: its values are placed 0, 1, ... in
  // the order first met and named on the axis, instead of the point index standing in for them.
  std::vector<std::string> categories;
  for (const SweepCurve& curve : curves) {
    for (const std::string& text : curve.x_text) {
      if (!netlist::parse_spice_number(text) && std::find(categories.begin(), categories.end(), text) == categories.end()) {
        categories.push_back(text);
      }
    }
  }
  const auto x_of = [&](const SweepCurve& curve, std::size_t k) {
    if (categories.empty()) return curve.x[k];
    return static_cast<double>(std::find(categories.begin(), categories.end(), curve.x_text[k]) - categories.begin());
  };
  std::string axis;
  if (!categories.empty()) {
    axis = "set xtics (";
    for (std::size_t c = 0; c < categories.size(); ++c) axis += (c ? ", " : "") + gnuplot_text(categories[c]) + " " + std::to_string(c);
    axis += ")\nset xrange [-0.5:" + std::to_string(categories.size()) + "-0.5]\n";
  }
  std::string data, error_plot, yield_plot;
  int index = 0;
  const char* colours[] = {"#2e86c1", "#c0392b", "#27ae60", "#8e44ad", "#d68910", "#17a589"};
  for (const SweepCurve& curve : curves) {
    data += "# " + (curve.label.empty() ? std::string("all") : curve.label) + "\n# " + key +
            " output_error_max_p5 p50 p95 yield weight_error_p50\n";
    for (std::size_t k = 0; k < curve.x.size(); ++k) {
      data += number(x_of(curve, k)) + " " + number(curve.error_p5[k]) + " " + number(curve.error_p50[k]) + " " +
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
  const std::string x_axis = axis + "set grid\nset xlabel " + gnuplot_text(key) + " noenhanced\n";
  const bool error_ok = render(dir, "sweep_output_error", title,
                               "set logscale y\nset format y '10^{%L}'\n" + x_axis +
                                   "set ylabel 'output error (max over outputs; band: 5-95 %)'\n" + error_plot + "\n");
  // The yield axis reaches a little past 0 and 1, so a curve lying on either is not hidden by the frame.
  const bool yield_ok = render(dir, "sweep_yield", title,
                               x_axis + "set yrange [-0.05:1.05]\nset ylabel 'yield'\n" + yield_plot + "\n");
  return error_ok && yield_ok;
}

bool plot_lines(const fs::path& dir, const std::string& name, const std::string& x_label, const std::vector<double>& x,
                const std::vector<std::pair<std::string, std::vector<double>>>& series, const std::string& title,
                const std::string& linear_y_label) {
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
            " with linespoints lw 2 title " + gnuplot_text(series[s].first) + " noenhanced";
  }
  const std::string y_axis = linear_y_label.empty() ? "set logscale y\nset format y '10^{%L}'\nset ylabel 'relative error'\n"
                                                    : "set ylabel " + gnuplot_text(linear_y_label) + " noenhanced\n";
  return render(dir, name, title, y_axis + "set grid\nset xlabel " + gnuplot_text(x_label) + " noenhanced\n" + plot + "\n");
}

std::vector<std::size_t> pareto_front(const std::vector<ParetoPoint>& points) {
  std::vector<std::size_t> order(points.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return points[a].energy != points[b].energy ? points[a].energy < points[b].energy : points[a].error < points[b].error;
  });
  std::vector<std::size_t> front;
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t k : order) {
    if (points[k].error < best) {
      front.push_back(k);
      best = points[k].error;
    }
  }
  return front;
}

bool plot_pareto(const fs::path& dir, const std::string& name, const std::vector<ParetoPoint>& points,
                 const std::string& title) {
  std::string data = "# energy_per_mac_j output_error_max label\n";
  for (const ParetoPoint& p : points) data += number(p.energy) + " " + number(p.error) + " \"" + p.label + "\"\n";
  data += "\n\n# the Pareto front\n";
  for (std::size_t k : pareto_front(points)) data += number(points[k].energy) + " " + number(points[k].error) + "\n";
  write_file_atomic(dir / (name + ".dat"), data);
  return render(dir, name, title,
                "set logscale xy\nset format x '10^{%L}'\nset format y '10^{%L}'\nset grid\n"
                "set xlabel 'energy per MAC (J)'\nset ylabel 'output error max (relative)'\nset key top right\n"
                "plot '" + name + ".dat' index 0 using 1:2 with points pt 7 ps 1.2 title 'designs', "
                "'' index 0 using 1:2:3 with labels offset 0.8,0.6 font ',8' left noenhanced notitle, "
                "'' index 1 using 1:2 with lines lw 2 title 'Pareto front'\n");
}

}  // namespace xbar::sim
