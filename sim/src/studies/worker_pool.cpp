#include "xbar/sim/studies/worker_pool.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "xbar/netlist/spice_number.hpp"
#include "xbar/sim/backends/ngspice/ngspice_library.hpp"

namespace xbar::sim {

namespace {

struct Worker {
  pid_t pid = -1;
  int fd = -1;
  std::string buffer;
};

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The child: rows of indices first + w, first + w + workers, ...; "error MESSAGE" on failure.
[[noreturn]] void serve(int fd, std::size_t first, std::size_t last, unsigned w, unsigned workers,
                        const std::function<RowJob()>& make_job) {
  int status = 0;
  try {
    const RowJob job = make_job();
    for (std::size_t k = first + w; k < last; k += workers) {
      if (!write_all(fd, job(k))) {
        status = 3;
        break;
      }
    }
  } catch (const std::exception& e) {
    std::string message = e.what();
    std::replace(message.begin(), message.end(), '\n', ' ');
    (void)write_all(fd, "error " + message + "\n");
    status = 1;
  }
  ::close(fd);
  Ngspice::remove_private_files();  // _exit runs no destructors
  ::_exit(status);
}

}  // namespace

void run_worker_processes(std::size_t first, std::size_t last, unsigned workers,
                          const std::function<RowJob()>& make_job, const RowSink& sink) {
  if (first >= last) return;
  workers = std::max(1u, std::min<unsigned>(workers, static_cast<unsigned>(last - first)));
  std::vector<Worker> pool;
  for (unsigned w = 0; w < workers; ++w) {
    int channel[2];
    if (::pipe(channel) != 0) throw std::runtime_error(std::string("cannot create a pipe: ") + std::strerror(errno));
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("cannot start a worker process: ") + std::strerror(errno));
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::close(channel[0]);
      serve(channel[1], first, last, w, workers, make_job);
    }
    ::close(channel[1]);
    pool.push_back({pid, channel[0], {}});
  }
  std::string failure;
  std::size_t open_pipes = pool.size();
  while (open_pipes > 0) {
    std::vector<pollfd> fds;
    for (const auto& w : pool) fds.push_back({w.fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), 200) < 0 && errno != EINTR) {
      throw std::runtime_error(std::string("waiting for worker processes: ") + std::strerror(errno));
    }
    for (std::size_t k = 0; k < pool.size(); ++k) {
      if (pool[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char chunk[4096];
      const ssize_t got = ::read(pool[k].fd, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        ::close(pool[k].fd);
        pool[k].fd = -1;
        --open_pipes;
        continue;
      }
      pool[k].buffer.append(chunk, static_cast<std::size_t>(got));
      for (auto end = pool[k].buffer.find('\n'); end != std::string::npos; end = pool[k].buffer.find('\n')) {
        std::string line = pool[k].buffer.substr(0, end + 1);
        pool[k].buffer.erase(0, end + 1);
        if (line.rfind("error ", 0) == 0) {
          failure = line.substr(6, line.size() - 7);
          continue;
        }
        const auto index = netlist::parse_integer(line.substr(0, line.find(',')));
        if (!index || *index < 0) throw std::runtime_error("a worker process sent a malformed row: " + line);
        sink(static_cast<std::size_t>(*index), std::move(line));
      }
    }
  }
  std::string died;
  for (auto& w : pool) {
    int status = 0;
    while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status)) {
      died = "a worker process was killed by signal " + std::to_string(WTERMSIG(status));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && failure.empty()) {
      died = "a worker process ended with status " + std::to_string(WEXITSTATUS(status));
    }
  }
  if (!failure.empty()) throw std::runtime_error("a trial failed: " + failure);
  if (!died.empty()) throw std::runtime_error(died);
}

}  // namespace xbar::sim
