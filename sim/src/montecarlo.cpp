#include "xbar/sim/montecarlo.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "xbar/netlist/spice_writer.hpp"
#include "xbar/sim/design.hpp"
#include "xbar/sim/diagnostics.hpp"
#include "xbar/sim/plots.hpp"
#include "xbar/sim/progress.hpp"

namespace xbar::sim {

namespace fs = std::filesystem;

std::vector<std::string> trial_columns(const Spec& spec) {
  std::vector<std::string> columns = {"trial", "weight_error", "output_error_max", "output_error_rms"};
  if (spec.error_budget) {
    for (const char* name : {"without_measurement", "without_temperature", "without_wires", "without_switch_spread",
                             "gap_only"}) {
      columns.push_back(std::string("output_error_max_") + name);
    }
  }
  return columns;
}

std::vector<double> run_trial(const Spec& spec, Backend& backend, std::uint64_t trial) {
  const RunOptions quiet{false, 1};
  const ProgrammedDesign design = program_design(spec, quiet, trial);
  const DesignResult result = simulate_design(design, backend, quiet);
  std::vector<double> row = {static_cast<double>(trial), result.weight_error, result.output.max, result.output.rms};
  if (spec.error_budget) {
    const ErrorBudget b = error_budget(spec, backend, trial, quiet);
    for (double v : {b.without_measurement, b.without_temperature, b.without_wires, b.without_switch_spread, b.gap_only}) {
      row.push_back(v);
    }
  }
  return row;
}

std::string trial_row(const Spec& spec, Backend& backend, std::uint64_t trial) {
  const std::vector<double> row = run_trial(spec, backend, trial);
  std::string line = std::to_string(trial);
  for (std::size_t k = 1; k < row.size(); ++k) line += "," + netlist::format_number(row[k]);
  return line + "\n";
}

MetricSummary summarise(std::vector<double> values) {
  MetricSummary s;
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  const double n = static_cast<double>(values.size());
  for (double v : values) s.mean += v / n;
  for (double v : values) s.std += (v - s.mean) * (v - s.mean);
  s.std = values.size() > 1 ? std::sqrt(s.std / (n - 1.0)) : 0.0;
  const auto rank = [&](double q) { return values[static_cast<std::size_t>(std::ceil(q * n)) - (q > 0 ? 1 : 0)]; };
  s.min = values.front();
  s.p5 = rank(0.05);
  s.p50 = rank(0.5);
  s.p95 = rank(0.95);
  s.max = values.back();
  return s;
}

namespace {

std::string join(const std::vector<std::string>& parts) {
  std::string text;
  for (std::size_t k = 0; k < parts.size(); ++k) text += (k ? "," : "") + parts[k];
  return text;
}

[[noreturn]] void study_error(const fs::path& file, const std::string& message) {
  throw InputError({{file.string(), 0, 0, "", message, ""}});
}

// The rows already in DIR/trials.csv (a resumed study). A last line cut short by a kill is dropped.
std::vector<std::vector<double>> read_trials(const fs::path& file, const std::string& header) {
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!text.empty() && text.back() != '\n') text.erase(text.find_last_of('\n') + 1);
  std::istringstream lines(text);
  std::string line;
  if (!std::getline(lines, line) || line != header) {
    study_error(file, "its header is not '" + header + "': made by another spec or version; use a new --out");
  }
  std::vector<std::vector<double>> rows;
  while (std::getline(lines, line)) {
    std::vector<double> row;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) row.push_back(std::stod(cell));
    if (row.empty() || row[0] != static_cast<double>(rows.size())) {
      study_error(file, "row " + std::to_string(rows.size() + 2) + " is not trial " + std::to_string(rows.size()));
    }
    rows.push_back(std::move(row));
  }
  // Rewrite without the torn line, so appends continue cleanly.
  std::ofstream(file, std::ios::trunc) << text;
  return rows;
}

// Appends rows in trial order: a trial finished early waits until every earlier one is written.
class OrderedWriter {
 public:
  OrderedWriter(const fs::path& file, std::size_t next) : m_out(std::fopen(file.c_str(), "a")), m_next(next) {
    if (!m_out) study_error(file, "cannot open for appending");
  }
  ~OrderedWriter() { std::fclose(m_out); }
  void add(std::size_t trial, std::string line) {
    m_pending.emplace(trial, std::move(line));
    for (auto it = m_pending.find(m_next); it != m_pending.end(); it = m_pending.find(m_next)) {
      std::fputs(it->second.c_str(), m_out);
      std::fflush(m_out);
      m_pending.erase(it);
      ++m_next;
    }
  }
  std::size_t written() const { return m_next; }

 private:
  std::FILE* m_out;
  std::size_t m_next;
  std::map<std::size_t, std::string> m_pending;
};

// Trials [first, last) over `jobs` worker processes; each sends "trial row\n" lines up a pipe. A
// worker dies with its parent (PR_SET_PDEATHSIG), so a killed study leaves no orphans.
void run_in_workers(const Spec& spec, const StudyOptions& options, std::size_t first, std::size_t last,
                    OrderedWriter& writer, ProgressBar& bar) {
  struct Worker {
    pid_t pid;
    int fd;
    std::string buffer;
  };
  std::vector<Worker> workers;
  const unsigned jobs = std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(last - first)));
  for (unsigned w = 0; w < jobs; ++w) {
    int channel[2];
    if (pipe(channel) != 0) throw std::runtime_error("mc: cannot create a pipe");
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("mc: cannot start a worker process");
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      close(channel[0]);
      int status = 0;
      try {
        const auto backend = make_backend(options.backend);
        for (std::size_t trial = first + w; trial < last; trial += jobs) {
          const std::string line = trial_row(spec, *backend, trial);
          if (write(channel[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(3);
        }
      } catch (const std::exception& e) {
        const std::string line = std::string("error ") + e.what() + "\n";
        (void)!write(channel[1], line.data(), line.size());
        status = 1;
      }
      close(channel[1]);
      _exit(status);
    }
    close(channel[1]);
    workers.push_back({pid, channel[0], {}});
  }
  std::string failure;
  std::size_t open_pipes = workers.size();
  while (open_pipes > 0) {
    std::vector<pollfd> fds;
    for (const auto& w : workers) fds.push_back({w.fd, POLLIN, 0});
    poll(fds.data(), fds.size(), 200);
    for (std::size_t k = 0; k < workers.size(); ++k) {
      if (workers[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP))) continue;
      char chunk[4096];
      const ssize_t got = read(workers[k].fd, chunk, sizeof chunk);
      if (got <= 0) {
        close(workers[k].fd);
        workers[k].fd = -1;
        --open_pipes;
        continue;
      }
      workers[k].buffer.append(chunk, static_cast<std::size_t>(got));
      for (auto end = workers[k].buffer.find('\n'); end != std::string::npos; end = workers[k].buffer.find('\n')) {
        std::string line = workers[k].buffer.substr(0, end + 1);
        workers[k].buffer.erase(0, end + 1);
        if (line.rfind("error ", 0) == 0) {
          failure = line.substr(6, line.size() - 7);
          continue;
        }
        const auto trial = std::stoull(line.substr(0, line.find(',')));
        writer.add(trial, std::move(line));
      }
    }
    bar.update(writer.written() - first);
  }
  for (auto& w : workers) waitpid(w.pid, nullptr, 0);
  if (!failure.empty()) throw std::runtime_error("mc: a trial failed: " + failure);
  if (writer.written() != last) throw std::runtime_error("mc: a worker process died before finishing its trials");
}

std::string summary_json(const Spec& spec, const StudySummary& s) {
  nlohmann::ordered_json j;
  j["trials"] = s.trials;
  j["yield_threshold"] = spec.yield_threshold;
  j["yield"] = s.yield;
  for (const auto& [name, m] : s.metrics) {
    j["metrics"][name] = {{"mean", m.mean}, {"std", m.std}, {"min", m.min}, {"p5", m.p5},
                          {"p50", m.p50},   {"p95", m.p95}, {"max", m.max}};
  }
  return j.dump(1) + "\n";
}

}  // namespace

StudySummary run_study(const Spec& spec, const StudyOptions& options) {
  const fs::path trials_file = options.out / "trials.csv", study_file = options.out / "study.json";
  const std::string header = join(trial_columns(spec));
  fs::create_directories(options.out);
  std::vector<std::vector<double>> rows;
  if (fs::exists(trials_file)) {
    if (!options.resume) study_error(trials_file, "already exists: pass --resume to complete it, or use a new --out");
    std::ifstream in(study_file);
    const auto study = nlohmann::json::parse(in, nullptr, false);
    if (study.is_discarded() || study.value("signature", "") != options.signature) {
      study_error(study_file, "this folder holds a study of another spec, overrides or backend; use a new --out");
    }
    rows = read_trials(trials_file, header);
  } else {
    nlohmann::ordered_json study;
    study["signature"] = options.signature;
    study["spec"] = spec.path.string();
    study["backend"] = std::string(to_string(options.backend));
    study["columns"] = trial_columns(spec);
    std::ofstream(study_file) << study.dump(1) << "\n";
    std::ofstream(trials_file) << header << "\n";
  }
  const auto total = static_cast<std::size_t>(options.trials);
  // An executor is always called, even with nothing left to do: remote workers wait for each study.
  if (rows.size() < total || options.executor) {
    OrderedWriter writer(trials_file, rows.size());
    ProgressBar bar("trials", total - rows.size(), options.show_progress && ProgressBar::stderr_is_terminal());
    const std::size_t first = rows.size();
    if (options.executor) {
      options.executor(spec, first, total, [&](std::size_t trial, std::string row) {
        writer.add(trial, std::move(row));
        bar.update(writer.written() - first);
      });
      if (writer.written() < total) throw std::runtime_error("mc: the trial executor left trials undone");
    } else if (options.jobs <= 1) {
      const auto backend = make_backend(options.backend);
      for (std::size_t trial = first; trial < total; ++trial) {
        writer.add(trial, trial_row(spec, *backend, trial));
        bar.update(trial + 1 - first);
      }
    } else {
      run_in_workers(spec, options, rows.size(), total, writer, bar);
    }
    bar.finish();
  }
  rows = read_trials(trials_file, header);
  rows.resize(std::min(rows.size(), total));

  StudySummary summary;
  summary.trials = static_cast<int>(rows.size());
  const auto columns = trial_columns(spec);
  int passing = 0;
  for (const auto& row : rows) passing += row[2] <= spec.yield_threshold;
  summary.yield = rows.empty() ? 0.0 : static_cast<double>(passing) / static_cast<double>(rows.size());
  for (std::size_t c = 1; c < columns.size(); ++c) {
    std::vector<double> values;
    for (const auto& row : rows) values.push_back(row[c]);
    summary.metrics.emplace_back(columns[c], summarise(values));
  }
  std::ofstream(options.out / "summary.json") << summary_json(spec, summary);
  std::vector<double> errors;
  for (const auto& row : rows) errors.push_back(row[2]);
  plot_histogram(options.out, "output_error_histogram", errors, "output error (max over outputs, of full scale)",
                 spec.yield_threshold);
  return summary;
}

void run_sweep(const std::vector<SweepPoint>& points, const StudyOptions& options) {
  std::vector<StudySummary> summaries;
  for (std::size_t k = 0; k < points.size(); ++k) {
    StudyOptions point = options;
    point.out = options.out / ("point_" + std::to_string(k));
    point.signature = options.signature + " point " + std::to_string(k);
    point.trials = options.trials;
    summaries.push_back(run_study(points[k].spec, point));
  }
  std::string csv = "point";
  for (const auto& [key, value] : points.front().values) csv += "," + key;
  csv += ",trials,yield";
  for (const auto& [name, m] : summaries.front().metrics) {
    for (const char* stat : {"mean", "p5", "p50", "p95", "max"}) csv += "," + name + "_" + stat;
  }
  csv += "\n";
  for (std::size_t k = 0; k < points.size(); ++k) {
    csv += std::to_string(k);
    for (const auto& [key, value] : points[k].values) csv += "," + value;
    csv += "," + std::to_string(summaries[k].trials) + "," + netlist::format_number(summaries[k].yield);
    for (const auto& [name, m] : summaries[k].metrics) {
      for (double v : {m.mean, m.p5, m.p50, m.p95, m.max}) csv += "," + netlist::format_number(v);
    }
    csv += "\n";
  }
  std::ofstream(options.out / "sweep.csv") << csv;
  plot_sweep(options.out, points, summaries);
}

}  // namespace xbar::sim
