#include "xbar/solver/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace xbar::solver {

unsigned default_jobs() { return std::max(1u, std::thread::hardware_concurrency()); }

void parallel_for(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& body,
                  const Progress& progress) {
  const unsigned wanted = jobs == 0 ? default_jobs() : jobs;
  // Chunks amortise the shared counter; small counts get small chunks so every thread has work.
  const std::size_t chunk = std::clamp<std::size_t>(count / (4 * std::size_t{wanted}), 1, 16);
  std::atomic<std::size_t> next{0}, done{0};
  std::atomic<bool> failed{false};
  std::exception_ptr failure;
  std::mutex mutex;  // guards `failure`; with `finished`, wakes the reporting thread
  std::condition_variable finished;
  unsigned running = 0;
  const auto work = [&] {
    try {
      for (;;) {
        const std::size_t first = next.fetch_add(chunk);
        if (first >= count || failed) return;
        const std::size_t last = std::min(count, first + chunk);
        for (std::size_t i = first; i < last; ++i) body(i);
        done += last - first;
      }
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      failed = true;
    }
  };
  const auto worker = [&] {
    work();
    std::lock_guard lock(mutex);
    --running;
    finished.notify_all();
  };
  const std::size_t chunks = (count + chunk - 1) / chunk;
  const unsigned threads =
      static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(wanted, chunks)));
  std::vector<std::thread> pool;
  running = threads;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  if (progress) {  // the calling thread reports while the pool works, and wakes as soon as it is done
    std::unique_lock lock(mutex);
    while (running > 0) {
      lock.unlock();
      progress(done, count);
      lock.lock();
      finished.wait_for(lock, std::chrono::milliseconds(100), [&] { return running == 0; });
    }
  }
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  if (progress) progress(count, count);
}

}  // namespace xbar::solver
