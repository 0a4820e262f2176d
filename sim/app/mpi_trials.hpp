// Monte Carlo trials over MPI ranks (`mpirun -n 64 xbar mc ...`): rank 0 owns the study's files and
// runs its share; every other rank runs trials first + rank, first + rank + size, ... and sends each
// row to rank 0, which writes them in trial order. Each rank is its own process, so each has its own
// ngspice instance. Built when CMake finds MPI (Debian's OpenMPI); otherwise launching under mpirun
// is refused, so that ranks never write the same files side by side.
#pragma once

#include <vector>

#include "xbar/sim/studies/montecarlo.hpp"

namespace xbar::app {

// True when this process was started by mpirun (OpenMPI's or a PMI launcher's environment).
bool launched_by_mpirun();

class MpiTrials {
 public:
  MpiTrials();  // MPI_Init; throws if xbar was built without MPI
  ~MpiTrials();
  MpiTrials(const MpiTrials&) = delete;
  MpiTrials& operator=(const MpiTrials&) = delete;

  int rank() const { return m_rank; }
  int size() const { return m_size; }

  // Rank 0: the executor run_study calls for each study.
  sim::TrialExecutor executor(sim::BackendKind backend) const;
  // Other ranks: serve every study in the order rank 0 runs them.
  void serve(const std::vector<sim::Spec>& studies, sim::BackendKind backend) const;
  // Ends every rank at once (an error on one of them).
  [[noreturn]] void abort(int status) const;

 private:
  int m_rank = 0, m_size = 1;
};

}  // namespace xbar::app
