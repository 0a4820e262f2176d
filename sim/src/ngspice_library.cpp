#include "xbar/sim/ngspice_library.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <ngspice/sharedspice.h>

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

// A private directory holding an empty spinit: no code models to load, no user settings to inherit.
std::filesystem::path private_script_dir() {
  const auto dir = std::filesystem::temp_directory_path() / ("xbar-ngspice-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "spinit") << "* xbar: ngspice started with no init scripts\n";
  return dir;
}

bool is_error_line(const std::string& line) {
  std::string lower;
  lower.reserve(line.size());
  for (char c : line) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("error") != std::string::npos || lower.find("singular matrix") != std::string::npos ||
         lower.find("fatal") != std::string::npos || lower.find("unknown subckt") != std::string::npos ||
         lower.find("unable to find definition") != std::string::npos ||
         lower.find("could not find") != std::string::npos;
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
  const auto scripts = private_script_dir();
  ::setenv("SPICE_SCRIPTS", scripts.c_str(), 1);
  m_handle = ::dlopen("libngspice.so.0", RTLD_NOW | RTLD_LOCAL);
  if (!m_handle) {
    throw NgspiceError(std::string("cannot load the ngspice shared library libngspice.so.0: ") + ::dlerror() +
                       " (install Debian's libngspice0)");
  }
  auto* api = new Api{};
  api->init = reinterpret_cast<decltype(api->init)>(::dlsym(m_handle, "ngSpice_Init"));
  api->circ = reinterpret_cast<decltype(api->circ)>(::dlsym(m_handle, "ngSpice_Circ"));
  api->command = reinterpret_cast<decltype(api->command)>(::dlsym(m_handle, "ngSpice_Command"));
  api->vec_info = reinterpret_cast<decltype(api->vec_info)>(::dlsym(m_handle, "ngGet_Vec_Info"));
  if (!api->init || !api->circ || !api->command || !api->vec_info) {
    delete api;
    ::dlclose(m_handle);
    m_handle = nullptr;
    throw NgspiceError("libngspice.so.0 lacks the shared-library API (ngSpice_Init, ngSpice_Circ, ...)");
  }
  m_api = api;
  m_dead = false;
  m_lines.clear();
  // ngspice reads .spiceinit from the working directory and from $HOME: start it from the private
  // directory with HOME pointing there too, then restore both.
  const auto cwd = std::filesystem::current_path();
  const char* home = std::getenv("HOME");
  const std::string saved_home = home ? home : "";
  ::setenv("HOME", scripts.c_str(), 1);
  std::filesystem::current_path(scripts);
  m_api->init(ngspice_send_char, nullptr, ngspice_controlled_exit, nullptr, nullptr, nullptr, this);
  std::filesystem::current_path(cwd);
  if (home) {
    ::setenv("HOME", saved_home.c_str(), 1);
  } else {
    ::unsetenv("HOME");
  }
}

void Ngspice::close() {
  if (m_handle) ::dlclose(m_handle);
  m_handle = nullptr;
  delete m_api;
  m_api = nullptr;
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
