// The ngspice shared library (libngspice.so.0), loaded at run time, one instance per process.
// Usage (given const std::string& spice_text):
//   auto& ng = Ngspice::instance();       // dlopen + ngSpice_Init on first use
//   ng.load_circuit(spice_text);           // throws NgspiceError with ngspice's own messages
//   ng.command("op");
//   std::vector<double> i = ng.vector("v_c0#branch");
//   ng.clear();                            // remcirc + destroy all: memory stays flat
//
// What this wrapper guards against (measured on Debian's ngspice 39; docs/circuits.md):
// - most errors return 0: every call scans ngspice's output for error lines;
// - a fatal error calls ControlledExit and leaves the instance unusable: the library is closed and
//   reopened before the next call, so the host process never terminates;
// - the library keeps global state: calls are serialised by a mutex, and numbers are parsed in the
//   "C" locale; the only init file ngspice reads is the empty one xbar writes in a private mkdtemp
//   folder (0700), not the user's, so results do not depend on where xbar runs; the folder is removed
//   at exit.
#pragma once

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace xbar::sim {

class NgspiceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Ngspice {
 public:
  static Ngspice& instance();

  Ngspice(const Ngspice&) = delete;
  Ngspice& operator=(const Ngspice&) = delete;

  void load_circuit(const std::string& netlist);
  void command(const std::string& command);
  std::vector<double> vector(const std::string& name);
  void clear();

  // Removes this process's private init folder now (a worker process that ends with _exit calls it).
  static void remove_private_files();

  // The mutex callers hold across a sequence of calls that must not interleave.
  std::recursive_mutex& mutex() { return m_mutex; }

  struct Api;  // resolved entry points of the library

 private:
  Ngspice() = default;
  ~Ngspice();
  void ensure_open();
  void close();
  void fail_if_errors(const std::string& what, std::size_t first_line, int rc);

  mutable std::recursive_mutex m_mutex;
  void* m_handle = nullptr;
  std::unique_ptr<Api> m_api;
  bool m_dead = false;  // set by ControlledExit
  std::vector<std::string> m_lines;

  friend int ngspice_send_char(char*, int, void*) noexcept;
  friend int ngspice_controlled_exit(int, bool, bool, int, void*) noexcept;
};

}  // namespace xbar::sim
