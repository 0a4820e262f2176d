#include "xbar/sim/io/output_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "xbar/sim/io/diagnostics.hpp"

namespace xbar::sim {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& path, const std::string& what) {
  throw std::runtime_error(path.string() + ": cannot write: " + what);
}

// Writes and syncs `content` to a new file `temporary`.
void write_synced(const fs::path& temporary, const fs::path& destination, const std::string& content) {
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(destination, std::strerror(errno) + std::string(" (does the folder exist and is it writable?)"));
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = std::strerror(errno);
      ::close(fd);
      ::unlink(temporary.c_str());
      fail(destination, reason);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temporary.c_str());
    fail(destination, reason);
  }
}

// Fault injection for the roll-back tests: XBAR_FAULT_FAIL_MOVE=K makes the K-th move (from 1) of a
// commit fail as a full disk or a vanished folder would, which no real input can do on demand.
bool injected_move_failure(std::size_t index) {
  const char* text = std::getenv("XBAR_FAULT_FAIL_MOVE");
  return text && std::to_string(index + 1) == text;
}

fs::path sibling(const fs::path& path, const char* tag) {
  fs::path p = path;
  p += std::string(".xbar-") + tag + "-" + std::to_string(::getpid());
  return p;
}

}  // namespace

void write_file_atomic(const fs::path& path, const std::string& content) {
  const fs::path temporary = sibling(path, "tmp");
  write_synced(temporary, path, content);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temporary.c_str());
    fail(path, reason);
  }
}

void OutputFiles::add(fs::path path, std::string content) { m_files.emplace_back(std::move(path), std::move(content)); }

void check_destinations(const std::vector<fs::path>& paths) {
  // A destination the user named that can never be a file is bad input (exit 2), found before anything
  // is written; a missing folder likewise.
  std::vector<Diagnostic> unusable;
  for (const fs::path& path : paths) {
    std::error_code error;
    const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    if (fs::is_directory(path, error)) {
      unusable.push_back({path.string(), 0, 0, "", "is a directory; expected the path of a file to write", ""});
    } else if (!fs::is_directory(folder, error)) {
      unusable.push_back({path.string(), 0, 0, "", "cannot write: the folder " + folder.string() + " does not exist", ""});
    }
  }
  if (!unusable.empty()) throw InputError(std::move(unusable));
}

void OutputFiles::commit() {
  std::vector<fs::path> paths;
  for (const auto& [path, content] : m_files) paths.push_back(path);
  check_destinations(paths);
  // Phase 1: every file staged and synced, nothing visible yet.
  std::vector<fs::path> staged;
  const auto discard_staged = [&] {
    for (const auto& p : staged) ::unlink(p.c_str());
  };
  for (const auto& [path, content] : m_files) {
    try {
      write_synced(sibling(path, "tmp"), path, content);
    } catch (...) {
      discard_staged();
      throw;
    }
    staged.push_back(sibling(path, "tmp"));
  }
  // Phase 2: each destination's old file set aside, the new one moved in; any failure undoes it all.
  std::vector<std::size_t> placed;
  std::vector<bool> had_old(m_files.size(), false);
  const auto roll_back = [&] {
    for (std::size_t k : placed) {
      ::unlink(m_files[k].first.c_str());
      if (had_old[k]) std::rename(sibling(m_files[k].first, "old").c_str(), m_files[k].first.c_str());
    }
    for (std::size_t k = 0; k < m_files.size(); ++k) {
      if (had_old[k] && std::find(placed.begin(), placed.end(), k) == placed.end()) {
        std::rename(sibling(m_files[k].first, "old").c_str(), m_files[k].first.c_str());
      }
    }
    discard_staged();
  };
  for (std::size_t k = 0; k < m_files.size(); ++k) {
    const fs::path& destination = m_files[k].first;
    std::error_code error;
    if (fs::exists(fs::symlink_status(destination, error))) {
      if (fs::is_directory(destination, error)) {
        roll_back();
        fail(destination, "it is a directory");
      }
      if (std::rename(destination.c_str(), sibling(destination, "old").c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        roll_back();
        fail(destination, reason);
      }
      had_old[k] = true;
    }
    if (injected_move_failure(k) || std::rename(staged[k].c_str(), destination.c_str()) != 0) {
      const std::string reason = injected_move_failure(k) ? "injected fault" : std::strerror(errno);
      roll_back();
      fail(destination, reason);
    }
    placed.push_back(k);
  }
  for (std::size_t k = 0; k < m_files.size(); ++k) {
    if (had_old[k]) ::unlink(sibling(m_files[k].first, "old").c_str());
  }
  m_files.clear();
}

}  // namespace xbar::sim
