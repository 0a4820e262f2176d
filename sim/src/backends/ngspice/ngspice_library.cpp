#include "xbar/sim/backends/ngspice/ngspice_library.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include <ngspice/sharedspice.h>

#include "xbar/netlist/circuit.hpp"

namespace xbar::sim {

struct Ngspice::Api {
  int (*init)(SendChar*, SendStat*, ControlledExit*, SendData*, SendInitData*, BGThreadRunning*, void*);
  int (*circ)(char**);
  int (*command)(char*);
  pvector_info (*vec_info)(char*);
};

// Callbacks run inside ngspice: they must not throw.
int ngspice_send_char(char* text, int, void* self) noexcept {
  try {
    static_cast<Ngspice*>(self)->m_lines.emplace_back(text ? text : "");
  } catch (...) {
  }
  return 0;
}

int ngspice_controlled_exit(int, bool, bool, int, void* self) noexcept {
  static_cast<Ngspice*>(self)->m_dead = true;
  return 0;
}

namespace {

// A private folder (mkdtemp: 0700, unpredictable name) holding the one init file xbar writes, an empty
// spinit: no code models to load, no user settings to inherit. It is removed at exit by the process
// that made it (a worker process that used ngspice removes its own, see remove_private_files()).
class ScriptFolder {
 public:
  ~ScriptFolder() { remove(); }

  const std::filesystem::path& path() {
    if (m_path.empty() || m_owner != ::getpid()) create();
    return m_path;
  }

  void remove() {
    if (m_path.empty() || m_owner != ::getpid()) return;
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
    m_path.clear();
  }

 private:
  void create() {
    std::string pattern = (std::filesystem::temp_directory_path() / "xbar-ngspice-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
      throw NgspiceError("cannot create a private folder for ngspice in " +
                         std::filesystem::temp_directory_path().string() + ": " + std::strerror(errno));
    }
    m_path = pattern;
    m_owner = ::getpid();
    std::ofstream spinit(m_path / "spinit");
    spinit << "* xbar: ngspice started with no init scripts\n";
    spinit.close();
    if (!spinit) {
      remove();
      throw NgspiceError("cannot write ngspice's init file in " + pattern);
    }
  }

  std::filesystem::path m_path;
  pid_t m_owner = 0;
};

ScriptFolder& script_folder() {
  static ScriptFolder folder;
  return folder;
}

// Sets an environment variable and the working directory for a scope, and restores both.
class ScopedHomeAndDirectory {
 public:
  explicit ScopedHomeAndDirectory(const std::filesystem::path& dir) : m_cwd(std::filesystem::current_path()) {
    if (const char* home = std::getenv("HOME")) m_home = home;
    ::setenv("HOME", dir.c_str(), 1);
    std::filesystem::current_path(dir);
  }
  ~ScopedHomeAndDirectory() {
    std::error_code ignored;
    std::filesystem::current_path(m_cwd, ignored);
    if (m_home) {
      ::setenv("HOME", m_home->c_str(), 1);
    } else {
      ::unsetenv("HOME");
    }
  }
  ScopedHomeAndDirectory(const ScopedHomeAndDirectory&) = delete;
  ScopedHomeAndDirectory& operator=(const ScopedHomeAndDirectory&) = delete;

 private:
  std::filesystem::path m_cwd;
  std::optional<std::string> m_home;
};

// What ngspice prints when something went wrong. Plain mentions of the word (a node or a title
// called "error_amp", "no errors") are not failures.
bool is_error_line(const std::string& line) {
  const std::string lower = netlist::to_lower(line);
  const auto start = lower.find_first_not_of(" \t");
  const std::string_view text = start == std::string::npos ? std::string_view() : std::string_view(lower).substr(start);
  const auto starts = [&](std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; };
  const auto has = [&](std::string_view part) { return text.find(part) != std::string_view::npos; };
  return starts("error") || has(" error:") || has("error on line") || starts("fatal") ||
         has("singular matrix") || has("unknown subckt") || has("unable to find definition") ||
         has("could not find");
}

std::string strip_stream_prefix(const std::string& line) {
  for (const char* prefix : {"stdout ", "stderr "}) {
    if (line.rfind(prefix, 0) == 0) return line.substr(std::char_traits<char>::length(prefix));
  }
  return line;
}

}  // namespace

Ngspice& Ngspice::instance() {
  static Ngspice* ng = new Ngspice();  // never destroyed: ngspice may still print at exit
  return *ng;
}

Ngspice::~Ngspice() { close(); }

void Ngspice::ensure_open() {
  if (m_dead) close();
  if (m_handle) return;
  std::setlocale(LC_NUMERIC, "C");
  const std::filesystem::path scripts = script_folder().path();
  ::setenv("SPICE_SCRIPTS", scripts.c_str(), 1);
  m_handle = ::dlopen("libngspice.so.0", RTLD_NOW | RTLD_LOCAL);
  if (!m_handle) {
    throw NgspiceError(std::string("cannot load the ngspice shared library libngspice.so.0: ") + ::dlerror() +
                       " (install Debian's libngspice0)");
  }
  auto api = std::make_unique<Api>();
  api->init = reinterpret_cast<decltype(api->init)>(::dlsym(m_handle, "ngSpice_Init"));
  api->circ = reinterpret_cast<decltype(api->circ)>(::dlsym(m_handle, "ngSpice_Circ"));
  api->command = reinterpret_cast<decltype(api->command)>(::dlsym(m_handle, "ngSpice_Command"));
  api->vec_info = reinterpret_cast<decltype(api->vec_info)>(::dlsym(m_handle, "ngGet_Vec_Info"));
  if (!api->init || !api->circ || !api->command || !api->vec_info) {
    ::dlclose(m_handle);
    m_handle = nullptr;
    throw NgspiceError("libngspice.so.0 lacks the shared-library API (ngSpice_Init, ngSpice_Circ, ...)");
  }
  m_api = std::move(api);
  m_dead = false;
  m_lines.clear();
  // ngspice reads .spiceinit from the working directory and from $HOME: start it from the private
  // folder with HOME pointing there too; both are restored however init ends.
  const ScopedHomeAndDirectory inside(scripts);
  m_api->init(ngspice_send_char, nullptr, ngspice_controlled_exit, nullptr, nullptr, nullptr, this);
}

void Ngspice::remove_private_files() { script_folder().remove(); }

void Ngspice::close() {
  if (m_handle) ::dlclose(m_handle);
  m_handle = nullptr;
  m_api.reset();
}

void Ngspice::fail_if_errors(const std::string& what, std::size_t first_line, int rc) {
  std::string messages;
  std::string previous;
  int kept = 0;
  for (std::size_t k = first_line; k < m_lines.size(); ++k) {
    const std::string line = strip_stream_prefix(m_lines[k]);
    // A fatal error's cause is often printed without the word "error": keep every line then.
    if ((m_dead || is_error_line(line)) && line != previous && !line.empty() && ++kept <= 12) {
      messages += "\n  " + line;
    }
    previous = line;
  }
  if (m_dead) {
    close();  // the instance is unusable after a fatal error; the next call reopens it
    m_dead = false;
    throw NgspiceError("ngspice stopped with a fatal error during " + what + messages);
  }
  if (rc != 0 || !messages.empty()) {
    throw NgspiceError("ngspice reported an error during " + what + (messages.empty() ? "" : ":") + messages);
  }
}

void Ngspice::load_circuit(const std::string& netlist) {
  std::lock_guard lock(m_mutex);
  ensure_open();
  m_lines.clear();
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < netlist.size()) {
    std::size_t end = netlist.find('\n', start);
    if (end == std::string::npos) end = netlist.size();
    lines.push_back(netlist.substr(start, end - start));
    start = end + 1;
  }
  std::vector<char*> pointers;
  for (auto& line : lines) pointers.push_back(line.data());
  pointers.push_back(nullptr);
  const int rc = m_api->circ(pointers.data());
  fail_if_errors("circuit loading", 0, rc);
}

void Ngspice::command(const std::string& command) {
  std::lock_guard lock(m_mutex);
  ensure_open();
  const std::size_t first = m_lines.size();
  std::string copy = command;
  const int rc = m_api->command(copy.data());
  fail_if_errors("'" + command + "'", first, rc);
}

std::vector<double> Ngspice::vector(const std::string& name) {
  std::lock_guard lock(m_mutex);
  ensure_open();
  std::string copy = name;
  pvector_info info = m_api->vec_info(copy.data());
  if (!info || !info->v_realdata || info->v_length <= 0) {
    throw NgspiceError("ngspice has no vector '" + name + "' (did the analysis run on this circuit?)");
  }
  return std::vector<double>(info->v_realdata, info->v_realdata + info->v_length);
}

void Ngspice::clear() {
  std::lock_guard lock(m_mutex);
  if (!m_handle || m_dead) return;
  std::string remove_circuit = "remcirc", destroy = "destroy all";
  m_api->command(remove_circuit.data());
  m_api->command(destroy.data());
}

}  // namespace xbar::sim
