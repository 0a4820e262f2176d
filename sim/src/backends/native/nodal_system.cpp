#include "xbar/sim/backends/native/nodal_system.hpp"

#include "backends/native/large_blocks.hpp"

#include <Eigen/CholmodSupport>
#include <Eigen/SparseCholesky>

#include <algorithm>
#include <new>
#include <numeric>
#include <stdexcept>

namespace xbar::sim {

namespace {

// Before anything allocates through CHOLMOD: its factor in huge pages (large_blocks.hpp).
const bool suitesparse_allocator = (use_large_blocks_for_suitesparse(), true);

// Eigen's supernodal CHOLMOD wrapper. Ordered by the network's own elimination order where it gives one
// (a crossbar's nested dissection, grid_dissection.hpp), else by METIS alone: CHOLMOD would otherwise try
// AMD first and keep whichever fills less, and on grid-like circuits nested dissection wins. The
// factor's permutation and failing column name a failed node.
class SupernodalCholesky : public Eigen::CholmodSupernodalLLT<Eigen::SparseMatrix<double>, Eigen::Lower> {
 public:
  SupernodalCholesky() {
    cholmod().nmethods = 1;
    cholmod().method[0].ordering = CHOLMOD_METIS;
    cholmod().postorder = 1;
    // Supernodal where the factor has dense blocks worth BLAS (CHOLMOD's flops-per-entry rule),
    // simplicial for small arrays, where the supernodal set-up costs more than it saves.
    cholmod().supernodal = CHOLMOD_AUTO;
    cholmod().print = 0;  // CHOLMOD reports failures through `minor` and status, not on stderr
    cholmod().error_handler = nullptr;
  }
  // analyzePattern with the caller's fill-reducing permutation (CHOLMOD still postorders it).
  void analyze_with(const Eigen::SparseMatrix<double>& a, std::vector<int> permutation) {
    if (m_cholmodFactor != nullptr) cholmod_free_factor(&m_cholmodFactor, &cholmod());
    cholmod_sparse view = Eigen::viewAsCholmod(a.selfadjointView<Eigen::Lower>());
    const int methods = cholmod().nmethods, ordering = cholmod().method[0].ordering;
    cholmod().nmethods = 1;
    cholmod().method[0].ordering = CHOLMOD_GIVEN;
    m_cholmodFactor = cholmod_analyze_p(&view, permutation.data(), nullptr, 0, &cholmod());
    cholmod().nmethods = methods;
    cholmod().method[0].ordering = ordering;
    m_isInitialized = true;
    m_info = m_cholmodFactor != nullptr ? Eigen::Success : Eigen::NumericalIssue;
    m_analysisIsOk = m_cholmodFactor != nullptr;
    m_factorizationIsOk = false;
  }
  // The weighted postorder of the elimination tree of `a` as numbered, as CHOLMOD follows an ordering
  // with (it groups columns into larger supernodes): position -> row of `a`.
  std::vector<int> postorder(const Eigen::SparseMatrix<double>& a) {
    const int postorder = cholmod().postorder, supernodal = cholmod().supernodal, ordering = cholmod().method[0].ordering;
    cholmod().postorder = 1;
    cholmod().supernodal = CHOLMOD_SIMPLICIAL;  // the symbolic factor's supernodes are not needed
    cholmod().method[0].ordering = CHOLMOD_NATURAL;
    cholmod_sparse view = Eigen::viewAsCholmod(a.selfadjointView<Eigen::Lower>());
    cholmod_factor* symbolic = cholmod_analyze(&view, &cholmod());
    cholmod().postorder = postorder;
    cholmod().supernodal = supernodal;
    cholmod().method[0].ordering = ordering;
    std::vector<int> order(static_cast<std::size_t>(a.rows()));
    std::iota(order.begin(), order.end(), 0);
    if (symbolic != nullptr) {
      const auto* perm = static_cast<const int*>(symbolic->Perm);
      if (perm != nullptr) order.assign(perm, perm + a.rows());
      cholmod_free_factor(&symbolic, &cholmod());
    }
    return order;
  }
  // analyzePattern for a matrix already numbered in elimination order, its trailing rows to stay last
  // (the source nodes): no permutation and no postorder, which could move them, and supernodal whatever
  // the size, so that last_block() reads one layout. False where CHOLMOD moved a row all the same.
  // CHOLMOD's natural ordering also spares the factorization two transposes of the matrix.
  bool analyze_in_place(const Eigen::SparseMatrix<double>& a) {
    if (m_cholmodFactor != nullptr) cholmod_free_factor(&m_cholmodFactor, &cholmod());
    const int postorder = cholmod().postorder, supernodal = cholmod().supernodal, ordering = cholmod().method[0].ordering;
    cholmod().postorder = 0;
    cholmod().supernodal = CHOLMOD_SUPERNODAL;
    cholmod().method[0].ordering = CHOLMOD_NATURAL;
    cholmod_sparse view = Eigen::viewAsCholmod(a.selfadjointView<Eigen::Lower>());
    m_cholmodFactor = cholmod_analyze(&view, &cholmod());
    cholmod().postorder = postorder;
    cholmod().supernodal = supernodal;
    cholmod().method[0].ordering = ordering;
    m_isInitialized = true;
    m_analysisIsOk = m_cholmodFactor != nullptr;
    m_info = m_analysisIsOk ? Eigen::Success : Eigen::NumericalIssue;
    m_factorizationIsOk = false;
    if (m_cholmodFactor == nullptr || !m_cholmodFactor->is_super || m_cholmodFactor->ordering != CHOLMOD_NATURAL) return false;
    const auto* perm = static_cast<const int*>(m_cholmodFactor->Perm);
    for (std::size_t k = 0; perm != nullptr && k < m_cholmodFactor->n; ++k) {
      if (perm[k] != static_cast<int>(k)) return false;
    }
    return true;
  }
  // L's trailing size x size block times its transpose (LL^T: the Schur complement of the rows before it,
  // as a dense symmetric matrix), read from the supernodes that hold those columns. After analyze_in_place.
  Eigen::MatrixXd last_block(Eigen::Index size) const {
    const cholmod_factor& f = *m_cholmodFactor;
    const auto first = static_cast<Eigen::Index>(f.n) - size;
    const auto* super = static_cast<const int*>(f.super);
    const auto* pi = static_cast<const int*>(f.pi);
    const auto* px = static_cast<const int*>(f.px);
    const auto* rows = static_cast<const int*>(f.s);
    const auto* x = static_cast<const double*>(f.x);
    Eigen::MatrixXd l22 = Eigen::MatrixXd::Zero(size, size);
    for (std::size_t k = 0; k < f.nsuper; ++k) {
      if (super[k + 1] <= first) continue;
      const int height = pi[k + 1] - pi[k];  // the supernode's rows, its own columns first
      for (int c = std::max<int>(super[k], static_cast<int>(first)); c < super[k + 1]; ++c) {
        const double* column = x + px[k] + static_cast<std::ptrdiff_t>(c - super[k]) * height;
        for (int q = c - super[k]; q < height; ++q) l22(rows[pi[k] + q] - first, c - first) = column[q];
      }
    }
    Eigen::MatrixXd s = Eigen::MatrixXd::Zero(size, size);
    s.selfadjointView<Eigen::Lower>().rankUpdate(l22);
    return s.selfadjointView<Eigen::Lower>();
  }
  // A x = b, A the leading block of the factored matrix before its last `skip` rows (analyze_in_place):
  // L y = b with b's tail zero, then L^T x = y with y's tail zeroed, which leaves the leading block's own
  // solution in x's head.
  Eigen::MatrixXd solve_leading(const Eigen::MatrixXd& b, Eigen::Index skip) const {
    const Eigen::Index n = b.rows();
    Eigen::MatrixXd padded = Eigen::MatrixXd::Zero(n + skip, b.cols());
    padded.topRows(n) = b;
    cholmod_common& common = const_cast<SupernodalCholesky*>(this)->cholmod();  // workspace only, as Eigen's solve
    cholmod_dense view = Eigen::viewAsCholmod(padded);
    cholmod_dense* y = cholmod_solve(CHOLMOD_L, m_cholmodFactor, &view, &common);
    if (y == nullptr) throw std::bad_alloc();
    Eigen::Map<Eigen::MatrixXd> forward(static_cast<double*>(y->x), n + skip, b.cols());
    forward.bottomRows(skip).setZero();
    cholmod_dense* x = cholmod_solve(CHOLMOD_Lt, m_cholmodFactor, y, &common);
    if (x == nullptr) {
      cholmod_free_dense(&y, &common);
      throw std::bad_alloc();
    }
    Eigen::MatrixXd result = Eigen::Map<Eigen::MatrixXd>(static_cast<double*>(x->x), n + skip, b.cols()).topRows(n);
    cholmod_free_dense(&y, &common);
    cholmod_free_dense(&x, &common);
    return result;
  }
  // The original index of the unknown whose pivot failed, or -1.
  int failed_unknown() const {
    if (m_cholmodFactor == nullptr || m_cholmodFactor->minor >= m_cholmodFactor->n) return -1;
    const auto* perm = static_cast<const int*>(m_cholmodFactor->Perm);
    return perm != nullptr ? perm[m_cholmodFactor->minor] : static_cast<int>(m_cholmodFactor->minor);
  }
};

}  // namespace

struct NodalSystem::Factor {
  // The unknowns are numbered in elimination order (NodalSystem::fill_reducing_order), so no ordering here.
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>, Eigen::Lower, Eigen::NaturalOrdering<int>> ldlt;
  SupernodalCholesky cholmod;
};

namespace {

// A x = b for many right-hand sides at once, A the leading n x n block of L D L^T (the unknowns come
// first, the sources after them: their rows of L are skipped, so this is A's own factor). Eigen's
// solve streams the whole factor once per right-hand side; here a block of them is carried along each
// column of L (row-major, `block` wide), so the factor is read once per block, several times faster
// for a transfer matrix's hundreds of inputs, with the same operations in the same order per
// right-hand side.
template <typename Ldlt>
Eigen::MatrixXd solve_in_blocks(const Ldlt& ldlt, const Eigen::MatrixXd& b) {
  constexpr Eigen::Index block = 16;
  using Rows = Eigen::Matrix<double, Eigen::Dynamic, block, Eigen::RowMajor>;
  const auto& l = ldlt.matrixL().nestedExpression();  // strictly lower, column-major, rows ascending
  const Eigen::Index n = b.rows();
  const Eigen::VectorXd inverse_d = ldlt.vectorD().head(n).cwiseInverse();
  Eigen::MatrixXd x(n, b.cols());
  Rows y(n, block);
  const int* outer = l.outerIndexPtr();
  const int* inner = l.innerIndexPtr();
  const double* value = l.valuePtr();
  for (Eigen::Index first = 0; first < b.cols(); first += block) {
    const Eigen::Index width = std::min(block, b.cols() - first);
    y.setZero();
    y.leftCols(width) = b.middleCols(first, width);
    for (Eigen::Index k = 0; k < n; ++k) {  // L y = b
      const Eigen::Matrix<double, 1, block> yk = y.row(k);
      for (int q = outer[k]; q < outer[k + 1] && inner[q] < n; ++q) y.row(inner[q]) -= value[q] * yk;
    }
    for (Eigen::Index k = 0; k < n; ++k) y.row(k) *= inverse_d(k);
    for (Eigen::Index k = n - 1; k >= 0; --k) {  // L^T y = D^-1 y
      Eigen::Matrix<double, 1, block> yk = y.row(k);
      for (int q = outer[k]; q < outer[k + 1] && inner[q] < n; ++q) yk -= value[q] * y.row(inner[q]);
      y.row(k) = yk;
    }
    x.middleCols(first, width) = y.leftCols(width);
  }
  return x;
}

// L22 D2 L22^T, the trailing size x size block of the factored matrix's Schur complement (the rows before
// it eliminated), from L's last columns.
template <typename Ldlt>
Eigen::MatrixXd last_block_ldlt(const Ldlt& ldlt, Eigen::Index size) {
  const auto& l = ldlt.matrixL().nestedExpression();  // strictly lower, column-major
  const Eigen::Index first = l.cols() - size;
  Eigen::MatrixXd l22 = Eigen::MatrixXd::Identity(size, size);
  for (Eigen::Index c = first; c < l.cols(); ++c)
    for (typename std::decay_t<decltype(l)>::InnerIterator it(l, c); it; ++it) l22(it.row() - first, c - first) = it.value();
  const Eigen::VectorXd d2 = ldlt.vectorD().tail(size);
  const Eigen::MatrixXd upper = d2.asDiagonal() * l22.transpose();
  return l22.triangularView<Eigen::UnitLower>() * upper;
}

}  // namespace

ConductanceNetwork network_of(const netlist::Circuit& circuit) {
  ConductanceNetwork network;
  network.nodes = circuit.node_count();
  std::vector<std::size_t> resistor_elements, source_elements;
  for (std::size_t e = 0; e < circuit.elements().size(); ++e) {
    const netlist::Element& el = circuit.elements()[e];
    if (el.kind == netlist::ElementKind::resistor || el.kind == netlist::ElementKind::switch_device) {
      network.resistors.push_back({el.positive, el.negative, el.conductance()});
      resistor_elements.push_back(e);
      continue;
    }
    if (el.kind == netlist::ElementKind::capacitor) continue;  // open at DC
    if (el.kind == netlist::ElementKind::vcvs) {
      throw NodalError("voltage-controlled source " + el.name + ": the native solver takes resistors and grounded "
                       "voltage sources only; use ngspice");
    }
    if (el.positive == el.negative) {
      throw NodalError("voltage source " + el.name + " is shorted: both terminals on node " + circuit.node_name(el.positive));
    }
    if (el.positive != netlist::Circuit::ground && el.negative != netlist::Circuit::ground) {
      throw NodalError("voltage source " + el.name + " (nodes " + circuit.node_name(el.positive) + ", " +
                       circuit.node_name(el.negative) +
                       ") is not referenced to ground: the native solver takes grounded sources only; use ngspice");
    }
    const bool reversed = el.positive == netlist::Circuit::ground;
    network.sources.push_back({reversed ? el.negative : el.positive, reversed ? -1.0 : 1.0});
    source_elements.push_back(e);
  }
  // Names are copied: the network may outlive the circuit.
  std::vector<std::string> nodes, resistors, sources;
  for (std::size_t n = 0; n < circuit.node_count(); ++n) nodes.push_back(circuit.node_name(static_cast<netlist::NodeId>(n)));
  for (std::size_t e : resistor_elements) resistors.push_back(circuit.elements()[e].name);
  for (std::size_t e : source_elements) sources.push_back(circuit.elements()[e].name);
  network.node_name = [nodes = std::move(nodes)](int n) { return nodes[static_cast<std::size_t>(n)]; };
  network.resistor_name = [resistors = std::move(resistors)](std::size_t k) { return resistors[k]; };
  network.source_name = [sources = std::move(sources)](std::size_t k) { return sources[k]; };
  return network;
}

// Two sources on one node are refused here by name; a floating part shows up as a zero pivot in
// factorize(), reported with its node and elements (`xbar check` gives the full picture first).
NodalSystem::NodalSystem(ConductanceNetwork network, Factorization factorization, SourceConductance conductance)
    : m_factorization(factorization), m_factor(std::make_unique<Factor>()) {
  analyse(std::move(network), conductance);
}

NodalSystem::NodalSystem(const netlist::Circuit& circuit, Factorization factorization, SourceConductance conductance)
    : m_factorization(factorization), m_factor(std::make_unique<Factor>()) {
  try {
    analyse(network_of(circuit), conductance);
  } catch (const NodalError& e) {
    fail(NodalStatus::invalid_network, e.what());
  }
}

NodalStatus NodalSystem::fail(NodalStatus status, std::string message) {
  m_status = status;
  m_error = std::move(message);
  return status;
}

void NodalSystem::analyse(ConductanceNetwork network, SourceConductance conductance) {
  m_node_index.assign(network.nodes, -1);
  m_node_source.assign(network.nodes, -1);
  for (std::size_t k = 0; k < network.sources.size(); ++k) {
    const auto node = static_cast<std::size_t>(network.sources[k].node);
    if (const int other = m_node_source[node]; other >= 0) {
      fail(NodalStatus::invalid_network, "voltage source " + network.source_name(k) +
                                             " closes a loop of voltage sources: node " +
                                             network.node_name(static_cast<int>(node)) + " is already driven by " +
                                             network.source_name(static_cast<std::size_t>(other)));
      return;
    }
    m_node_source[node] = static_cast<int>(k);
  }
  for (std::size_t n = 1; n < network.nodes; ++n) {
    if (m_node_source[n] >= 0) continue;
    m_node_index[n] = static_cast<int>(m_unknown_nodes.size());
    m_unknown_nodes.push_back(static_cast<int>(n));
  }
  m_network = std::move(network);
  std::vector<int> permutation = layout_order();
  const bool few_sources = m_network.sources.size() <= max_sources_last;
  // CHOLMOD puts the sources last only in the layout's order.
  const bool cholmod_last = few_sources && !permutation.empty() && conductance == SourceConductance::wanted;
  if (m_factorization == Factorization::automatic) {
    const std::size_t from = cholmod_last ? automatic_cholmod_transfer_unknowns : automatic_cholmod_unknowns;
    m_factorization = m_unknown_nodes.size() >= from ? Factorization::cholmod : Factorization::eigen;
  }
  if (m_unknown_nodes.empty()) {
    stamp(m_network);
    return;
  }
  if (m_factorization == Factorization::eigen) {
    renumber(fill_reducing_order(std::move(permutation)));
    m_sources_last = few_sources;
    stamp(m_network);
    m_factor->ldlt.analyzePattern(m_a);
    return;
  }
  m_floating = floating_node();
  if (cholmod_last) {
    // Numbered in the layout's order, postordered as CHOLMOD would (on the unknowns alone, where the
    // sources cannot move), with the sources after; CHOLMOD keeps it.
    renumber(permutation);
    stamp(m_network);
    renumber(m_factor->cholmod.postorder(m_a));  // larger supernodes: 37 -> 31 ms a 128 x 128 tile
    m_sources_last = true;  // renumber() dropped the pattern: stamp() builds it with the source rows
    stamp(m_network);
    if (m_factor->cholmod.analyze_in_place(m_a)) return;
    m_sources_last = false;  // CHOLMOD reordered: factor the unknowns alone
    m_resistor_slot.clear();
    std::iota(permutation.begin(), permutation.end(), 0);
  }
  stamp(m_network);
  if (!permutation.empty()) {
    m_factor->cholmod.analyze_with(m_a, std::move(permutation));
  } else {
    m_factor->cholmod.analyzePattern(m_a);  // METIS
  }
}

// Unknown indices in the layout's elimination order, or empty when it does not name each unknown once.
std::vector<int> NodalSystem::layout_order() const {
  std::vector<int> order;
  for (int node : m_network.elimination_order) {
    if (node > 0 && static_cast<std::size_t>(node) < m_network.nodes && m_node_index[static_cast<std::size_t>(node)] >= 0) {
      order.push_back(m_node_index[static_cast<std::size_t>(node)]);
    }
  }
  std::vector<char> seen(m_unknown_nodes.size(), 0);
  bool complete = order.size() == m_unknown_nodes.size();
  for (int u : order) complete = complete && !seen[static_cast<std::size_t>(u)]++;
  if (!complete) order.clear();
  return order;
}

// The layout's order (layout_order()), else AMD's on the unknowns' pattern.
std::vector<int> NodalSystem::fill_reducing_order(std::vector<int> order) {
  if (order.empty()) {
    stamp(m_network);  // AMD reads the pattern
    const Eigen::SparseMatrix<double> symmetric = m_a.selfadjointView<Eigen::Lower>();
    Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic, int> elimination;  // position -> unknown
    Eigen::AMDOrdering<int>()(symmetric, elimination);
    order.assign(elimination.indices().data(), elimination.indices().data() + elimination.size());
  }
  return order;
}

// Numbers the unknowns in `order` (unknown indices, first eliminated first); stamp() after.
void NodalSystem::renumber(const std::vector<int>& order) {
  std::vector<int> nodes(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) nodes[k] = m_unknown_nodes[static_cast<std::size_t>(order[k])];
  m_unknown_nodes = std::move(nodes);
  for (std::size_t k = 0; k < m_unknown_nodes.size(); ++k) m_node_index[static_cast<std::size_t>(m_unknown_nodes[k])] = static_cast<int>(k);
  m_resistor_slot.clear();  // the pattern is built again for this numbering
}

// A node's row in the factored matrix: its unknown index, then (sources last) n + its source index.
int NodalSystem::matrix_index(int node) const {
  const auto k = static_cast<std::size_t>(node);
  if (m_node_index[k] >= 0) return m_node_index[k];
  if (m_sources_last && m_node_source[k] >= 0) return static_cast<int>(m_unknown_nodes.size()) + m_node_source[k];
  return -1;
}

std::size_t NodalSystem::matrix_size() const { return m_unknown_nodes.size() + (m_sources_last ? m_network.sources.size() : 0); }

// The first unknown node no path of resistors joins to a source: the matrix is singular there. Every
// conductance is positive, so this is a property of the topology alone.
std::optional<int> NodalSystem::floating_node() const {
  // Adjacency in compressed rows: a 1024x1024 array has millions of resistors.
  const std::size_t nodes = m_network.nodes;
  std::vector<std::size_t> first(nodes + 1, 0);
  for (const auto& r : m_network.resistors) {
    ++first[static_cast<std::size_t>(r.a) + 1];
    ++first[static_cast<std::size_t>(r.b) + 1];
  }
  for (std::size_t n = 0; n < nodes; ++n) first[n + 1] += first[n];
  std::vector<int> neighbour(first[nodes]);
  std::vector<std::size_t> fill(first.begin(), first.end() - 1);
  for (const auto& r : m_network.resistors) {
    neighbour[fill[static_cast<std::size_t>(r.a)]++] = r.b;
    neighbour[fill[static_cast<std::size_t>(r.b)]++] = r.a;
  }
  std::vector<char> reached(nodes, 0);
  std::vector<int> stack;
  for (std::size_t n = 0; n < nodes; ++n) {
    if (n == 0 || m_node_source[n] >= 0) {
      reached[n] = 1;
      stack.push_back(static_cast<int>(n));
    }
  }
  while (!stack.empty()) {
    const auto n = static_cast<std::size_t>(stack.back());
    stack.pop_back();
    for (std::size_t q = first[n]; q < first[n + 1]; ++q) {
      const auto m = static_cast<std::size_t>(neighbour[q]);
      if (!reached[m]) {
        reached[m] = 1;
        stack.push_back(neighbour[q]);
      }
    }
  }
  for (int n : m_unknown_nodes) {
    if (!reached[static_cast<std::size_t>(n)]) return n;
  }
  return std::nullopt;
}

NodalStatus NodalSystem::singular_at(int node, const ConductanceNetwork& network) {
  std::string elements;
  for (std::size_t k = 0; k < network.resistors.size(); ++k) {
    if (network.resistors[k].a == node || network.resistors[k].b == node) {
      elements += (elements.empty() ? "" : ", ") + m_network.resistor_name(k);
    }
  }
  return fail(NodalStatus::singular, "the nodal matrix is singular at node " + m_network.node_name(node) +
                                         " connected to [" + elements +
                                         "]: part of the circuit has no DC path to a source or ground");
}

NodalSystem::~NodalSystem() = default;

// A's lower triangle in compressed columns, each column's diagonal first, and the slot of each resistor's
// off-diagonal entry (-1: not between two unknowns). Built once per numbering of the unknowns; stamp()
// then only adds values. Parallel resistors share a slot.
void NodalSystem::build_pattern(const ConductanceNetwork& network) {
  const std::size_t n = matrix_size();
  const auto unknown_of = [&](int node) { return matrix_index(node); };
  std::vector<int> start(n + 1, 0);
  for (const auto& r : network.resistors) {
    const int u = unknown_of(r.a), v = unknown_of(r.b);
    if (u >= 0 && v >= 0 && u != v) ++start[static_cast<std::size_t>(std::min(u, v)) + 1];
  }
  for (std::size_t c = 0; c < n; ++c) start[c + 1] += start[c] + 1;  // + the diagonal
  // Each column's rows with the resistor that put them there, then sorted and merged into place.
  std::vector<std::pair<int, std::size_t>> rows(static_cast<std::size_t>(start[n]));
  std::vector<int> fill(start.begin(), start.end() - 1);
  for (std::size_t k = 0; k < network.resistors.size(); ++k) {
    const int u = unknown_of(network.resistors[k].a), v = unknown_of(network.resistors[k].b);
    if (u >= 0 && v >= 0 && u != v) rows[static_cast<std::size_t>(++fill[static_cast<std::size_t>(std::min(u, v))])] = {std::max(u, v), k};
  }
  m_resistor_slot.assign(network.resistors.size(), -1);
  m_a.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  m_a.resizeNonZeros(start[n]);
  int* outer = m_a.outerIndexPtr();
  int* inner = m_a.innerIndexPtr();
  int used = 0;
  for (std::size_t c = 0; c < n; ++c) {
    outer[c] = used;
    inner[used++] = static_cast<int>(c);
    const auto first = rows.begin() + start[c] + 1, last = rows.begin() + start[c + 1];
    std::sort(first, last);
    for (auto it = first; it != last; ++it) {
      if (it == first || it->first != (it - 1)->first) inner[used++] = it->first;
      m_resistor_slot[it->second] = used - 1;
    }
  }
  outer[n] = used;
  m_a.resizeNonZeros(used);
}

// A resistor g between nodes a and b adds to A where both are unknown, moves known potentials to the
// right-hand side (B), and adds to the currents of the sources at known nodes (C and D). A holds its
// lower triangle (both factorizations read no more).
void NodalSystem::stamp(const ConductanceNetwork& network) {
  if (m_resistor_slot.size() != network.resistors.size()) build_pattern(network);
  const auto n = static_cast<Eigen::Index>(m_unknown_nodes.size());
  const auto s = static_cast<Eigen::Index>(network.sources.size());
  double* value = m_a.valuePtr();
  const int* outer = m_a.outerIndexPtr();
  std::fill(value, value + m_a.nonZeros(), 0.0);
  std::vector<Eigen::Triplet<double>> b, c, d;
  for (std::size_t k = 0; k < network.resistors.size(); ++k) {
    const auto& r = network.resistors[k];
    if (r.a == r.b) continue;  // adds g and takes it away again
    const double g = r.conductance;
    if (m_resistor_slot[k] >= 0) value[m_resistor_slot[k]] -= g;
    const int ends[2] = {r.a, r.b};
    for (int side = 0; side < 2; ++side) {
      const auto here = static_cast<std::size_t>(ends[side]), there = static_cast<std::size_t>(ends[1 - side]);
      const int unknown = m_node_index[here], source = m_node_source[here];
      if (const int row = matrix_index(ends[side]); row >= 0) value[outer[row]] += g;
      if (unknown >= 0) {  // KCL row of an unknown node
        if (m_node_source[there] >= 0) {
          b.emplace_back(unknown, m_node_source[there], g * network.sources[static_cast<std::size_t>(m_node_source[there])].sign);
        }
      } else if (source >= 0) {  // current into the source at a known node: sign * sum g (v_there - v_here)
        const double sign = network.sources[static_cast<std::size_t>(source)].sign;
        d.emplace_back(source, source, -g);
        if (m_node_index[there] >= 0) c.emplace_back(source, m_node_index[there], sign * g);
        if (m_node_source[there] >= 0) {
          d.emplace_back(source, m_node_source[there],
                         sign * g * network.sources[static_cast<std::size_t>(m_node_source[there])].sign);
        }
      }
    }
  }
  if (m_sources_last) {
    // Each source node's diagonal once more (or 1 S where it has none): the last block is then the
    // sources' Schur complement plus this shunt, positive definite although the network alone may float.
    m_source_shunt.resize(s);
    for (Eigen::Index k = 0; k < s; ++k) {
      double& diagonal = value[outer[n + k]];
      m_source_shunt(k) = diagonal > 0.0 ? diagonal : 1.0;
      diagonal += m_source_shunt(k);
    }
  }
  m_b.resize(n, s);
  m_b.setFromTriplets(b.begin(), b.end());
  m_c.resize(s, n);
  m_c.setFromTriplets(c.begin(), c.end());
  m_d.resize(s, s);
  m_d.setFromTriplets(d.begin(), d.end());
}

NodalStatus NodalSystem::factorize(const netlist::Circuit& circuit) {
  if (m_status == NodalStatus::invalid_network) return m_status;
  try {
    return factorize(network_of(circuit));
  } catch (const NodalError& e) {
    return fail(NodalStatus::invalid_network, e.what());
  }
}

NodalStatus NodalSystem::factorize(const ConductanceNetwork& network) {
  if (m_status == NodalStatus::invalid_network) return m_status;
  const bool same_topology = network.nodes == m_network.nodes && network.resistors.size() == m_network.resistors.size() &&
                             network.sources.size() == m_network.sources.size();
  if (!same_topology) return fail(NodalStatus::invalid_network, "factorize: the network's topology differs from the one analysed");
  // Re-stamp only when a conductance changed since the last stamp (construction stamps once already).
  bool same = true;
  for (std::size_t k = 0; k < network.resistors.size() && same; ++k) {
    same = network.resistors[k].conductance == m_network.resistors[k].conductance;
  }
  if (same && m_factored && m_status == NodalStatus::success) return m_status;  // this very matrix is factored
  if (!same) {
    stamp(network);
    for (std::size_t k = 0; k < network.resistors.size(); ++k) m_network.resistors[k].conductance = network.resistors[k].conductance;
  }
  m_factored = false;
  m_conductance.reset();
  m_status = NodalStatus::success;
  m_error.clear();
  if (m_unknown_nodes.empty()) return m_status;  // every node known: the currents are closed form
  if (m_factorization == Factorization::cholmod) {
    // LL^T fails at the first pivot that is not positive; a floating part may instead leave a pivot of
    // rounding size, so the topology was checked when it was analysed.
    if (m_floating) return singular_at(*m_floating, network);
    m_factor->cholmod.factorize(m_a);
    if (m_factor->cholmod.info() != Eigen::Success) {
      const int unknown = m_factor->cholmod.failed_unknown();
      if (unknown >= 0 && static_cast<std::size_t>(unknown) < m_unknown_nodes.size()) return singular_at(m_unknown_nodes[static_cast<std::size_t>(unknown)], network);
      return fail(NodalStatus::singular, "CHOLMOD could not factor the nodal matrix (status " +
                                             std::to_string(m_factor->cholmod.cholmod().status) + ")");
    }
    m_factored = true;
    return m_status;
  }
  m_factor->ldlt.factorize(m_a);
  // A pivot that vanishes against its own diagonal entry means a node with no path to a source. The
  // unknowns are numbered in elimination order, before any source rows.
  const Eigen::VectorXd pivots = m_factor->ldlt.vectorD();
  const auto n = static_cast<Eigen::Index>(m_unknown_nodes.size());
  for (Eigen::Index p = 0; p < n; ++p) {
    if (!(pivots(p) > 1e-12 * m_a.valuePtr()[m_a.outerIndexPtr()[p]])) {
      return singular_at(m_unknown_nodes[static_cast<std::size_t>(p)], network);
    }
  }
  if (m_factor->ldlt.info() != Eigen::Success) {
    return singular_at(m_unknown_nodes[static_cast<std::size_t>(n - 1)], network);
  }
  m_factored = true;
  return m_status;
}

// Y = D + C A^-1 B, the sources' Schur complement: with the source nodes numbered after the unknowns
// (the matrix K of every node but ground, sources included), it is the last block of K's factor,
// S = L22 D2 L22^T less the shunt stamp() added, and Y = -P S P (P: each source's sign; a current is
// positive into the source's + terminal, K's rows count it leaving the node). The rest of the factor
// is never read. Otherwise one solve per source.
const Eigen::MatrixXd& NodalSystem::source_conductance() const {
  if (m_status != NodalStatus::success) throw std::logic_error("source_conductance: the system failed: " + m_error);
  if (m_conductance) return *m_conductance;
  const auto s = static_cast<Eigen::Index>(m_network.sources.size());
  Eigen::MatrixXd y;
  if (m_unknown_nodes.empty()) {
    y = m_d;  // every node is known
  } else if (m_sources_last) {
    y = m_factorization == Factorization::eigen ? last_block_ldlt(m_factor->ldlt, s) : m_factor->cholmod.last_block(s);
    y.diagonal() -= m_source_shunt;
    for (Eigen::Index b = 0; b < s; ++b)
      for (Eigen::Index a = 0; a < s; ++a) {
        y(a, b) *= -m_network.sources[static_cast<std::size_t>(a)].sign * m_network.sources[static_cast<std::size_t>(b)].sign;
      }
  } else {
    y = m_d;
    constexpr Eigen::Index block = 64;  // sources per solve: keeps the unknowns' block small at any size
    for (Eigen::Index first = 0; first < s; first += block) {
      const Eigen::Index width = std::min(block, s - first);
      y.middleCols(first, width) += m_c * solve_unknowns(Eigen::MatrixXd::Identity(s, s).middleCols(first, width));
    }
  }
  m_conductance = std::move(y);
  return *m_conductance;
}

Eigen::MatrixXd NodalSystem::source_currents(const Eigen::MatrixXd& source_values) const {
  if (m_status != NodalStatus::success) throw std::logic_error("source_currents: the system failed: " + m_error);
  if (source_values.rows() != static_cast<Eigen::Index>(m_network.sources.size())) {
    throw NodalError("source_currents: one row of values per voltage source expected");
  }
  Eigen::MatrixXd currents = m_d * source_values;
  if (!m_unknown_nodes.empty()) currents += m_c * solve_unknowns(source_values);
  return currents;
}

Eigen::MatrixXd NodalSystem::solve_unknowns(const Eigen::MatrixXd& source_values) const {
  const Eigen::MatrixXd rhs = m_b * source_values;
  if (m_factorization == Factorization::eigen) return solve_in_blocks(m_factor->ldlt, rhs);
  const auto skip = static_cast<Eigen::Index>(m_sources_last ? m_network.sources.size() : 0);
  // In blocks of columns, as the Eigen path: a block's right-hand sides stay in cache through the factor.
  constexpr Eigen::Index block = 16;
  const auto solve = [&](const Eigen::MatrixXd& b) -> Eigen::MatrixXd {
    return m_sources_last ? m_factor->cholmod.solve_leading(b, skip) : Eigen::MatrixXd(m_factor->cholmod.solve(b));
  };
  if (rhs.cols() <= block) return solve(rhs);
  Eigen::MatrixXd x(rhs.rows(), rhs.cols());
  for (Eigen::Index first = 0; first < rhs.cols(); first += block) {
    const Eigen::Index width = std::min(block, rhs.cols() - first);
    x.middleCols(first, width) = solve(rhs.middleCols(first, width));
  }
  return x;
}

Eigen::MatrixXd NodalSystem::node_voltages(const Eigen::MatrixXd& source_values) const {
  if (m_status != NodalStatus::success) throw std::logic_error("node_voltages: the system failed: " + m_error);
  if (source_values.rows() != static_cast<Eigen::Index>(m_network.sources.size())) {
    throw NodalError("node_voltages: one row of values per voltage source expected");
  }
  Eigen::MatrixXd voltages = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(m_network.nodes), source_values.cols());
  for (std::size_t k = 0; k < m_network.sources.size(); ++k) {
    voltages.row(m_network.sources[k].node) = m_network.sources[k].sign * source_values.row(static_cast<Eigen::Index>(k));
  }
  if (!m_unknown_nodes.empty()) {
    const Eigen::MatrixXd unknown = solve_unknowns(source_values);
    for (std::size_t u = 0; u < m_unknown_nodes.size(); ++u) voltages.row(m_unknown_nodes[u]) = unknown.row(static_cast<Eigen::Index>(u));
  }
  return voltages;
}

}  // namespace xbar::sim
