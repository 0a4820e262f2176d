#include "xbar/sim/studies/montecarlo.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/flow/design.hpp"
#include "xbar/sim/flow/error_budget.hpp"
#include "xbar/sim/io/csv.hpp"
#include "xbar/sim/io/diagnostics.hpp"
#include "xbar/sim/io/output_files.hpp"
#include "xbar/sim/nn/network.hpp"
#include "xbar/sim/report/plots.hpp"

namespace xbar::sim {

namespace fs = std::filesystem;

namespace {

constexpr const char* budget_parts[] = {"budget_gap",        "budget_measurement",   "budget_temperature",
                                        "budget_wires",      "budget_switch_spread", "budget_interaction",
                                        "budget_wires_uncompensated", "budget_temperature_uncompensated",
                                        "budget_amplifier", "budget_adc",   "budget_dac"};

// A network's model and dataset, read once per process (worker processes inherit it from the parent,
// MPI ranks read their own) for every trial of the spec; only the latest spec's is kept (a sweep's
// points run one after another), so a dataset is held once.
const NetworkModel& network_of(const Spec& spec) {
  static std::mutex mutex;
  static std::string cached_key;
  static std::shared_ptr<const NetworkModel> cached;
  std::string key = spec.path.string() + "\n" + spec.text;
  for (const std::string& o : spec.overrides) key += "\n" + o;
  const std::lock_guard lock(mutex);
  if (!cached || key != cached_key) {
    cached.reset();
    cached = std::make_shared<const NetworkModel>(load_network(spec));
    cached_key = key;
  }
  return *cached;
}

// A network trial: every tile fabricated anew (trial k's streams), the dataset run through it.
std::vector<double> network_trial(const Spec& spec, Backend& backend, std::uint64_t trial) {
  Spec chosen = spec;
  chosen.backend = backend.kind();
  NetworkOptions options{1, {}, trial};
  const NetworkResult r = run_network(chosen, network_of(spec), options);
  std::vector<double> row = {static_cast<double>(trial), r.weight_error, r.tensors.front().max, *r.accuracy_float,
                             *r.accuracy_ideal, *r.accuracy_simulated, r.agreement};
  for (const std::string& name : spec.network.compare) {
    const auto it = std::find_if(r.tensors.begin(), r.tensors.end(), [&](const TensorReport& t) { return t.name == name; });
    row.push_back(it->max);
    row.push_back(it->median);
  }
  return row;
}

}  // namespace

std::vector<std::string> trial_columns(const Spec& spec) {
  if (spec.network.present) {
    std::vector<std::string> columns = {"trial",          "weight_error",       "output_error_max", "accuracy_float",
                                        "accuracy_ideal", "accuracy_simulated", "agreement"};
    for (std::size_t k = 0; k < spec.network.compare.size(); ++k) {
      columns.push_back("compare" + std::to_string(k) + "_error_max");
      columns.push_back("compare" + std::to_string(k) + "_error_median");
    }
    return columns;
  }
  std::vector<std::string> columns = {"trial", "weight_error", "output_error_max", "output_error_rms", "energy_per_mac_j"};
  if (spec.study.error_budget) {
    for (const char* name : budget_parts) columns.push_back(std::string("output_error_max_") + name);
  }
  return columns;
}

std::vector<double> run_trial(const Spec& spec, Backend& backend, std::uint64_t trial) {
  if (spec.network.present) return network_trial(spec, backend, trial);
  const RunOptions quiet{1, {}};
  const ProgrammedDesign design = program_design(spec, quiet, trial);
  const DesignResult result = simulate_design(design, backend, quiet);
  std::vector<double> row = {static_cast<double>(trial), result.weight_error, result.output.max, result.output.rms,
                             result.energy.energy_per_mac_j};
  if (spec.study.error_budget) {
    const ErrorBudget b = error_budget(spec, design, result, backend, trial, quiet);
    for (double v : {b.gap, b.measurement, b.temperature, b.wires, b.switch_spread, b.interaction,
                     b.wires_uncompensated, b.temperature_uncompensated, b.amplifier, b.adc, b.dac}) {
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

namespace {

[[noreturn]] void study_error(const fs::path& file, const std::string& message) {
  throw InputError({{file.string(), 0, 0, "", message, ""}});
}

std::string file_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot read: " + std::strerror(errno));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The rows already in DIR/trials.csv, in trial order from 0. A last line cut short by a kill is dropped
// and the file rewritten without it (atomically), so appends continue cleanly.
std::vector<std::vector<double>> read_trials(const fs::path& file, const std::vector<std::string>& columns) {
  const std::string text = file_text(file);
  const NumericCsv table = parse_numeric_csv(text, file);
  if (table.header != columns) {
    study_error(file, "its header is not '" + csv_line(columns).substr(0, csv_line(columns).size() - 1) +
                          "': made by another spec or version; use a new --out");
  }
  for (std::size_t k = 0; k < table.rows.size(); ++k) {
    if (table.rows[k][0] != static_cast<double>(k)) {
      study_error(file, "row " + std::to_string(k + 2) + " is not trial " + std::to_string(k));
    }
  }
  if (!text.empty() && text.back() != '\n') write_file_atomic(file, text.substr(0, text.find_last_of('\n') + 1));
  return table.rows;
}

// One run at a time per study folder: an exclusive flock on DIR/.lock, held while the study runs (worker
// processes inherit it and die with the run; the kernel drops it when the run ends, however it ends).
// The holder writes its PID into the file, so a refused run can say who holds the study.
class StudyLock {
 public:
  explicit StudyLock(const fs::path& dir) {
    fs::create_directories(dir);
    const fs::path file = dir / ".lock";
    m_fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0) throw std::runtime_error(file.string() + ": cannot open: " + std::strerror(errno));
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
      char holder[32] = {};
      const ssize_t got = ::pread(m_fd, holder, sizeof holder - 1, 0);
      ::close(m_fd);
      const std::string pid = got > 0 ? std::string(holder, static_cast<std::size_t>(got)) : "unknown";
      study_error(dir, "another xbar run (pid " + pid.substr(0, pid.find('\n')) +
                           ") is working on this study; wait for it to end, or use another --out");
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(m_fd, 0) != 0 || ::pwrite(m_fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
      ::close(m_fd);
      throw std::runtime_error(file.string() + ": cannot write: " + std::strerror(errno));
    }
  }
  ~StudyLock() { ::close(m_fd); }
  StudyLock(const StudyLock&) = delete;
  StudyLock& operator=(const StudyLock&) = delete;

 private:
  int m_fd = -1;
};

// Fault injection for the kill-and-resume tests: XBAR_FAULT_KILL_AT_ROWS=N kills the study with SIGKILL
// (as `kill -9` would) the moment trials.csv holds N rows, so an interruption is exact, not a race.
std::optional<std::size_t> kill_at_rows() {
  const char* text = std::getenv("XBAR_FAULT_KILL_AT_ROWS");
  if (!text) return std::nullopt;
  const auto rows = netlist::parse_integer(text);
  if (!rows || *rows < 0) throw std::runtime_error("XBAR_FAULT_KILL_AT_ROWS: expected a whole number of rows");
  return static_cast<std::size_t>(*rows);
}

// Appends rows in trial order: a trial finished early waits until every earlier one is written.
class OrderedWriter {
 public:
  OrderedWriter(const fs::path& file, std::size_t next)
      : m_file(file), m_out(std::fopen(file.c_str(), "a")), m_next(next), m_kill_at(kill_at_rows()) {
    if (!m_out) throw std::runtime_error(file.string() + ": cannot open for appending: " + std::strerror(errno));
  }
  ~OrderedWriter() { std::fclose(m_out); }
  OrderedWriter(const OrderedWriter&) = delete;
  OrderedWriter& operator=(const OrderedWriter&) = delete;

  void add(std::size_t trial, std::string line) {
    m_pending.emplace(trial, std::move(line));
    for (auto it = m_pending.find(m_next); it != m_pending.end(); it = m_pending.find(m_next)) {
      if (std::fputs(it->second.c_str(), m_out) == EOF || std::fflush(m_out) != 0) {
        throw std::runtime_error(m_file.string() + ": cannot write: " + std::strerror(errno));
      }
      m_pending.erase(it);
      ++m_next;
      if (m_kill_at == m_next) std::raise(SIGKILL);
    }
  }
  std::size_t written() const { return m_next; }

 private:
  fs::path m_file;
  std::FILE* m_out;
  std::size_t m_next;
  std::optional<std::size_t> m_kill_at;
  std::map<std::size_t, std::string> m_pending;
};

std::string summary_json(const Spec& spec, const StudySummary& s) {
  nlohmann::ordered_json j;
  j["trials"] = s.trials;
  if (spec.network.present) {
    j["accuracy_threshold"] = s.threshold;
    for (std::size_t k = 0; k < spec.network.compare.size(); ++k) j["compare"]["compare" + std::to_string(k)] = spec.network.compare[k];
  } else {
    j["yield_threshold"] = spec.study.yield_threshold;
  }
  j["yield"] = s.yield;
  for (const auto& [name, m] : s.metrics) {
    j["metrics"][name] = {{"mean", m.mean}, {"std", m.std}, {"min", m.min}, {"p5", m.p5},
                          {"p50", m.p50},   {"p95", m.p95}, {"max", m.max}};
  }
  return j.dump(1) + "\n";
}

// Opens the study folder: a new study's files, or a resumed one's rows after checking it is the same study.
std::vector<std::vector<double>> open_study(const Spec& spec, const StudyOptions& options) {
  const fs::path trials_file = options.out / "trials.csv", study_file = options.out / "study.json";
  const auto columns = trial_columns(spec);
  fs::create_directories(options.out);
  if (fs::exists(trials_file)) {
    if (!options.resume) study_error(trials_file, "already exists: pass --resume to complete it, or use a new --out");
    const auto study = nlohmann::json::parse(fs::exists(study_file) ? file_text(study_file) : "", nullptr, false);
    if (study.is_discarded() || study.value("signature", "") != options.signature) {
      study_error(study_file, "this folder holds a study of another spec, overrides or backend; use a new --out");
    }
    return read_trials(trials_file, columns);
  }
  nlohmann::ordered_json study;
  study["signature"] = options.signature;
  study["spec"] = spec.path.string();
  study["backend"] = std::string(to_string(options.backend));
  study["columns"] = columns;
  write_file_atomic(study_file, study.dump(1) + "\n");
  write_file_atomic(trials_file, csv_line(columns));
  return {};
}

void run_trials(const Spec& spec, const StudyOptions& options, std::size_t first, std::size_t total) {
  OrderedWriter writer(options.out / "trials.csv", first);
  const solver::Progress step = begin_stage(options.progress, "trials", total - first);
  const RowSink sink = [&](std::size_t trial, std::string row) {
    writer.add(trial, std::move(row));
    step(writer.written() - first, total - first);
  };
  if (options.executor) {
    options.executor(spec, first, total, sink);
    if (writer.written() < total) throw std::runtime_error("mc: the trial executor left trials undone");
  } else if (options.jobs <= 1) {
    const auto backend = make_backend(options.backend, backend_options(spec));
    for (std::size_t trial = first; trial < total; ++trial) sink(trial, trial_row(spec, *backend, trial));
  } else {
    const auto make_job = [&]() -> RowJob {
      std::shared_ptr<Backend> backend = make_backend(options.backend, backend_options(spec));
      return [&spec, backend](std::size_t trial) { return trial_row(spec, *backend, trial); };
    };
    run_worker_processes(first, total, options.jobs, make_job, sink);
    if (writer.written() != total) throw std::runtime_error("mc: a worker process died before finishing its trials");
  }
}

// What a plot says it shows: the spec, the trials and what was fixed that a reader would ask about.
std::string study_title(const Spec& spec, int trials) {
  const models::CellTechnology& cell = spec.design.cell;
  const std::string what = spec.network.present ? spec.network.onnx.filename().string()
                                                : std::to_string(spec.design.weights.rows()) + "x" + std::to_string(spec.design.weights.cols());
  return "Monte Carlo: " + spec.path.filename().string() + ", " + std::to_string(trials) + " trials; " + what + ", n = " +
         std::to_string(cell.resistors) + ", variation " + netlist::format_number(cell.variation) + ", wire " +
         netlist::format_number(spec.design.wires.segment) + " ohm";
}

// The points grouped by the values of every key but the first; x is the first key's value.
std::vector<SweepCurve> sweep_curves(const std::vector<SweepPoint>& points, const std::vector<StudySummary>& summaries) {
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t k = 0; k < points.size(); ++k) {
    std::string label;
    for (std::size_t v = 1; v < points[k].values.size(); ++v) {
      label += (label.empty() ? "" : ", ") + points[k].values[v].first + " = " + points[k].values[v].second;
    }
    groups[label].push_back(k);
  }
  const auto metric = [&](std::size_t k, const std::string& name) {
    for (const auto& [n, m] : summaries[k].metrics) {
      if (n == name) return m;
    }
    return MetricSummary{};
  };
  std::vector<SweepCurve> curves;
  for (const auto& [label, members] : groups) {
    SweepCurve curve{label, {}, {}, {}, {}, {}, {}, {}};
    for (std::size_t k : members) {
      const MetricSummary e = metric(k, "output_error_max");
      curve.x.push_back(sweep_x(points[k], k));
      curve.x_text.push_back(points[k].values.front().second);
      curve.error_p5.push_back(e.p5);
      curve.error_p50.push_back(e.p50);
      curve.error_p95.push_back(e.p95);
      curve.yield.push_back(summaries[k].yield);
      curve.weight_error_p50.push_back(metric(k, "weight_error").p50);
    }
    curves.push_back(std::move(curve));
  }
  return curves;
}

}  // namespace

namespace {

// A network study needs labels (its yield is an accuracy) and a readable model and dataset, all found
// before the study folder is made.
void check_study_input(const Spec& spec) {
  if (!spec.network.present) return require_weights(spec);
  if (spec.dataset.labels.empty()) {
    throw InputError({{spec.path.string(), 0, 0, "dataset.labels", "a Monte Carlo study of a network needs dataset.labels: its yield is an accuracy", ""}});
  }
  network_of(spec);
}

}  // namespace

StudySummary run_study(const Spec& spec, const StudyOptions& options) {
  check_study_input(spec);  // before the study folder is made: a refused study leaves nothing behind
  const StudyLock lock(options.out);
  std::vector<std::vector<double>> rows = open_study(spec, options);
  const auto total = static_cast<std::size_t>(options.trials);
  // An executor is always called, even with nothing left to do: remote workers wait for each study.
  if (rows.size() < total || options.executor) run_trials(spec, options, std::min(rows.size(), total), total);
  rows = read_trials(options.out / "trials.csv", trial_columns(spec));
  rows.resize(std::min(rows.size(), total));

  StudySummary summary;
  summary.trials = static_cast<int>(rows.size());
  const auto columns = trial_columns(spec);
  // The yield and the histogram are of the output error, found by its name in the study's columns.
  const auto output_error =
      static_cast<std::size_t>(std::find(columns.begin(), columns.end(), "output_error_max") - columns.begin());
  int passing = 0;
  if (spec.network.present) {  // a chip passes on accuracy
    const auto column = [&](const char* name) { return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin()); };
    const double float_accuracy = rows.empty() ? 0.0 : rows.front()[column("accuracy_float")];
    summary.threshold = spec.study.accuracy_threshold.value_or(float_accuracy - 0.01);
    for (const auto& row : rows) passing += row[column("accuracy_simulated")] >= summary.threshold;
  } else {
    summary.threshold = spec.study.yield_threshold;
    for (const auto& row : rows) passing += row[output_error] <= spec.study.yield_threshold;
  }
  summary.yield = rows.empty() ? 0.0 : static_cast<double>(passing) / static_cast<double>(rows.size());
  for (std::size_t c = 1; c < columns.size(); ++c) {
    std::vector<double> values;
    for (const auto& row : rows) values.push_back(row[c]);
    summary.metrics.emplace_back(columns[c], summarise(values));
  }
  write_file_atomic(options.out / "summary.json", summary_json(spec, summary));
  std::vector<double> errors;
  for (const auto& row : rows) errors.push_back(row[output_error]);
  plot_histogram(options.out, "output_error_histogram", errors,
                 spec.network.present ? "model output error (worst image)" : "output error (max over outputs, of full scale)",
                 spec.network.present ? 0.0 : spec.study.yield_threshold, study_title(spec, summary.trials));
  return summary;
}

std::vector<StudySummary> run_sweep(const std::vector<SweepPoint>& points, const StudyOptions& options) {
  if (points.empty()) throw std::invalid_argument("run_sweep: no points");
  for (const SweepPoint& point : points) check_study_input(point.spec);
  std::vector<StudySummary> summaries;
  for (std::size_t k = 0; k < points.size(); ++k) {
    StudyOptions point = options;
    point.out = options.out / ("point_" + std::to_string(k));
    point.signature = options.signature + " point " + std::to_string(k);
    if (options.progress) {  // "point 2/6 trials": where the sweep is, not only the point's own trials
      const std::string where = "point " + std::to_string(k + 1) + "/" + std::to_string(points.size()) + " ";
      point.progress = [&options, where](std::string_view stage, std::size_t total) {
        return options.progress(where + std::string(stage), total);
      };
    }
    summaries.push_back(run_study(points[k].spec, point));
  }
  std::vector<std::string> columns = {"trials", "yield"};
  for (const auto& [name, m] : summaries.front().metrics) {
    for (const char* stat : {"mean", "p5", "p50", "p95", "max"}) columns.push_back(name + "_" + stat);
  }
  std::vector<std::vector<std::string>> rows;
  for (const StudySummary& s : summaries) {
    std::vector<std::string> row = {std::to_string(s.trials), netlist::format_number(s.yield)};
    for (const auto& [name, m] : s.metrics) {
      for (double v : {m.mean, m.p5, m.p50, m.p95, m.max}) row.push_back(netlist::format_number(v));
    }
    rows.push_back(std::move(row));
  }
  write_file_atomic(options.out / "sweep.csv", sweep_csv(points, columns, rows, "point"));
  std::string swept;
  for (const auto& [key, value] : points.front().values) swept += (swept.empty() ? "" : ", ") + key;
  plot_sweep(options.out, points.front().values.front().first, sweep_curves(points, summaries),
             "Monte Carlo sweep over " + swept + ": " + points.front().spec.path.filename().string() + ", " +
                 std::to_string(summaries.front().trials) + " trials per point");
  return summaries;
}

}  // namespace xbar::sim
