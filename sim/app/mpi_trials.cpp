#include "mpi_trials.hpp"

#include <cstdlib>
#include <stdexcept>

#ifdef XBAR_WITH_MPI
#include <mpi.h>
#endif

namespace xbar::app {

bool launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr ||
         std::getenv("PMIX_RANK") != nullptr;
}

#ifdef XBAR_WITH_MPI

namespace {

constexpr int row_tag = 7;

std::size_t trial_of(const std::string& row) { return std::stoull(row.substr(0, row.find(','))); }

}  // namespace

MpiTrials::MpiTrials() {
  MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &m_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &m_size);
}

MpiTrials::~MpiTrials() { MPI_Finalize(); }

void MpiTrials::abort(int status) const {
  MPI_Abort(MPI_COMM_WORLD, status);
  std::exit(status);
}

sim::TrialExecutor MpiTrials::executor(sim::BackendKind backend) const {
  const int size = m_size;
  return [size, backend](const sim::Spec& spec, std::size_t first, std::size_t last, const sim::RowSink& sink) {
    unsigned long long range[2] = {first, last};
    MPI_Bcast(range, 2, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    std::size_t remote = 0;  // rows the other ranks will send
    for (std::size_t k = first; k < last; ++k) remote += (k - first) % static_cast<std::size_t>(size) != 0;
    const auto receive = [&](bool wait) {
      int waiting = 0;
      MPI_Status status;
      if (wait) {
        MPI_Probe(MPI_ANY_SOURCE, row_tag, MPI_COMM_WORLD, &status);
        waiting = 1;
      } else {
        MPI_Iprobe(MPI_ANY_SOURCE, row_tag, MPI_COMM_WORLD, &waiting, &status);
      }
      if (!waiting) return false;
      int length = 0;
      MPI_Get_count(&status, MPI_CHAR, &length);
      std::string row(static_cast<std::size_t>(length), '\0');
      MPI_Recv(row.data(), length, MPI_CHAR, status.MPI_SOURCE, row_tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      const std::size_t trial = trial_of(row);  // before the row is moved away
      sink(trial, std::move(row));
      --remote;
      return true;
    };
    const auto instance = sim::make_backend(backend);
    for (std::size_t k = first; k < last; k += static_cast<std::size_t>(size)) {
      sink(k, sim::trial_row(spec, *instance, k));
      while (remote > 0 && receive(false)) {
      }
    }
    while (remote > 0) receive(true);
  };
}

void MpiTrials::serve(const std::vector<sim::Spec>& studies, sim::BackendKind backend) const {
  const auto instance = sim::make_backend(backend);
  for (const sim::Spec& spec : studies) {
    unsigned long long range[2] = {0, 0};
    MPI_Bcast(range, 2, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    for (std::size_t k = range[0] + static_cast<std::size_t>(m_rank); k < range[1]; k += static_cast<std::size_t>(m_size)) {
      const std::string row = sim::trial_row(spec, *instance, k);
      MPI_Send(row.data(), static_cast<int>(row.size()), MPI_CHAR, 0, row_tag, MPI_COMM_WORLD);
    }
  }
}

#else

MpiTrials::MpiTrials() {
  throw std::runtime_error("this xbar was built without MPI (install libopenmpi-dev and rebuild); "
                           "run it without mpirun, using --jobs for local processes");
}
MpiTrials::~MpiTrials() = default;
void MpiTrials::abort(int status) const { std::exit(status); }
sim::TrialExecutor MpiTrials::executor(sim::BackendKind) const { return {}; }
void MpiTrials::serve(const std::vector<sim::Spec>&, sim::BackendKind) const {}

#endif

}  // namespace xbar::app
