#include "xbar/sim/nn/tile.hpp"

#include <algorithm>
#include <stdexcept>

namespace xbar::sim {

ProgrammedDesign program_tile(const Spec& spec, const DesignProblem& problem, std::uint64_t stream,
                              const RunOptions& options) {
  ProgrammedDesign design = program_design(spec, problem, stream, options);
  const auto& shape = design.crossbar.shape;
  bool opened = false;
  for (int i = 0; i < shape.rows; ++i)
    for (int j = 0; j < shape.cols; ++j) {
      if (problem.weights(i, j) != 0.0) continue;
      const std::size_t first = shape.branch(i, j, models::Polarity::positive, 0);
      std::fill_n(design.states.on.begin() + static_cast<std::ptrdiff_t>(first), shape.branches_per_cell(), 0);
      opened = true;
    }
  if (opened) design.programmed_weights = programmed_weights(design);
  return design;
}

TileResponse tile_response(const ProgrammedDesign& tile, Backend& backend) {
  const models::Crossbar& x = tile.crossbar;
  const auto rows = static_cast<Eigen::Index>(x.shape.rows);
  const SourceCurrents unit = backend.unit_responses(x, tile.states);
  TileResponse r;
  r.amperes = unit.columns;
  r.matrix = unit.columns * (tile.scale.w_fs / tile.scale.g_fs);  // v = x v_fs / x_fs, y = I x_fs w_fs / (v_fs g_fs)
  // Row i's + source delivers -v_i I+ and its - source v_i I-; with one volt on row m those currents are
  // unit.rows(m, 2i) and unit.rows(m, 2i + 1), so P = sum_m,i v_m v_i Q(m, i).
  r.power_form.resize(rows, rows);
  for (Eigen::Index i = 0; i < rows; ++i) r.power_form.col(i) = unit.rows.col(2 * i + 1) - unit.rows.col(2 * i);
  const models::Tia& tia = x.tia;
  if (tia.present() && !tia.ideal()) r.output_kappa = tia.rf * tia.gain / (1.0 + tia.gain);
  if (tia.present() && tia.offset != 0.0) {
    // The same terms at zero input: the currents the offset drives, and the termination's own voltage.
    const SourceCurrents zero = backend.source_currents(x, tile.states, Eigen::MatrixXd::Zero(1, rows));
    r.offset_amperes = zero.columns.row(0);
    r.power_linear.resize(rows);
    for (Eigen::Index i = 0; i < rows; ++i) r.power_linear(i) = zero.rows(0, 2 * i + 1) - zero.rows(0, 2 * i);
    r.termination_volts = tia.held(0.0);
  }
  return r;
}

Eigen::MatrixXd TileResponse::column_currents(const Eigen::MatrixXd& volts) const {
  Eigen::MatrixXd i = volts * amperes;
  if (offset_amperes.size() > 0) i.rowwise() += offset_amperes;
  return i;
}

double TileResponse::total_power(const Eigen::MatrixXd& volts, const Eigen::MatrixXd& currents) const {
  double power = (volts * power_form).cwiseProduct(volts).sum();
  if (output_kappa != 0.0) power += output_kappa * currents.squaredNorm();
  if (power_linear.size() > 0) power += (volts * power_linear.transpose()).sum() - termination_volts * currents.sum();
  return power;
}

}  // namespace xbar::sim
