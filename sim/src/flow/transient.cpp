#include "xbar/sim/flow/transient.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <stdexcept>

#include "xbar/netlist/crossbar_circuit.hpp"
#include "xbar/netlist/names.hpp"
#include "xbar/netlist/spice_writer.hpp"
#include "xbar/sim/backends/ngspice/ngspice_library.hpp"

namespace xbar::sim {

namespace {

struct Loaded {
  Ngspice& ng;
  ~Loaded() { ng.clear(); }
};

// The DC netlist with each row source stepping from 0 V at t = 0 to its value in `rise`.
std::string step_netlist(const ProgrammedDesign& design, int vector, double rise) {
  const Eigen::VectorXd volts = row_voltages(design).row(vector).transpose();
  const netlist::CrossbarCircuit cc =
      netlist::build_crossbar_circuit(design.crossbar, design.states,
                                      std::span<const double>(volts.data(), static_cast<std::size_t>(volts.size())),
                                      netlist::BankDetail::collapsed);
  netlist::SpiceWriteOptions options;
  options.control_block = false;
  std::string text = netlist::write_spice(cc.circuit, options);
  for (int i = 0; i < design.crossbar.shape.rows; ++i) {
    for (auto p : {models::Polarity::positive, models::Polarity::negative}) {
      const std::string name = netlist::names::row_source(i, p) + " ";
      const std::size_t at = text.find("\n" + name);
      if (at == std::string::npos) throw std::logic_error("transient: no row source " + name);
      const std::size_t end = text.find('\n', at + 1);
      const double v = p == models::Polarity::positive ? volts(i) : -volts(i);
      text.insert(end, " PULSE(0 " + netlist::format_number(v) + " 0 " + netlist::format_number(rise) + " " +
                           netlist::format_number(rise) + " 1e3 2e3)");
    }
  }
  return text;
}

// The amplifier output's waveform for column j, from its current (an ideal amplifier) or its node.
std::vector<double> output_wave(Ngspice& ng, const models::Tia& tia, int j, const std::string& termination) {
  if (!tia.ideal()) return ng.vector(netlist::to_lower(netlist::names::tia_output(j)));
  std::vector<double> wave = ng.vector(netlist::to_lower(termination) + "#branch");
  for (double& i : wave) i = tia.output(i);
  return wave;
}

}  // namespace

TransientResult settle(const ProgrammedDesign& design, int vector) {
  const models::Tia& tia = design.crossbar.tia;
  if (!tia.present() || !design.readout.adc.present()) {
    throw std::invalid_argument("settle: needs readout.tia.rf and readout.adc.bits (settling is measured to the ADC's LSB)");
  }
  TransientResult result;
  result.tolerance = design.readout.adc.lsb() / 2;
  const int cols = design.crossbar.shape.cols;
  const bool amplified = !tia.ideal();
  Ngspice& ng = Ngspice::instance();
  std::lock_guard lock(ng.mutex());
  // From t_int: doubled while some output has not settled within 80 % of the window, narrowed to ten
  // times the settling time while that is under 2 % of it (for resolution: the step is window / 2000).
  double window = design.readout.t_int;
  for (int attempt = 0; attempt < 16; ++attempt) {
    const double rise = window * 1e-4;
    ng.load_circuit(step_netlist(design, vector, rise));
    Loaded loaded{ng};
    ng.command("op");  // the final values: every source at its DC value
    std::vector<double> final_output(static_cast<std::size_t>(cols));
    result.final_currents.assign(static_cast<std::size_t>(cols), 0.0);
    for (int j = 0; j < cols; ++j) {
      const std::string termination = amplified ? netlist::names::tia_amplifier(j) : netlist::names::column_source(j);
      result.final_currents[static_cast<std::size_t>(j)] = ng.vector(netlist::to_lower(termination) + "#branch").front();
      final_output[static_cast<std::size_t>(j)] = output_wave(ng, tia, j, termination).front();
    }
    ng.command("tran " + netlist::format_number(window / 2000) + " " + netlist::format_number(window) + " 0 " +
               netlist::format_number(window / 2000));
    const std::vector<double> time = ng.vector("time");
    result.window = window;
    result.time_points = time.size();
    result.column_settling.assign(static_cast<std::size_t>(cols), 0.0);
    bool settled = true;
    for (int j = 0; j < cols; ++j) {
      const std::string termination = amplified ? netlist::names::tia_amplifier(j) : netlist::names::column_source(j);
      const std::vector<double> wave = output_wave(ng, tia, j, termination);
      const double target = final_output[static_cast<std::size_t>(j)];
      // The last crossing out of the band, interpolated between time points.
      double t_settle = 0.0;
      for (std::size_t k = wave.size(); k-- > 0;) {
        if (std::abs(wave[k] - target) > result.tolerance) {
          if (k + 1 < wave.size()) {
            const double a = std::abs(wave[k] - target), b = std::abs(wave[k + 1] - target);
            t_settle = time[k] + (time[k + 1] - time[k]) * (a - result.tolerance) / (a - b);
          } else {
            t_settle = time[k];
          }
          break;
        }
      }
      result.column_settling[static_cast<std::size_t>(j)] = t_settle;
      settled = settled && t_settle <= 0.8 * window;
    }
    result.settling_time = *std::max_element(result.column_settling.begin(), result.column_settling.end());
    result.settled = settled;
    if (!settled) {
      window *= 2;
    } else if (result.settling_time < 0.02 * window && result.settling_time > 0) {
      window = 10 * result.settling_time;
    } else {
      break;
    }
  }
  return result;
}

}  // namespace xbar::sim
