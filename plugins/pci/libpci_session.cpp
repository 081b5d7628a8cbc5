#include "libpci_session.hpp"

#include <csetjmp>
#include <cstdarg>
#include <cstdio>
#include <string>

namespace ptdoctor::pci {
namespace {

// libpci's handlers take no context pointer: the session being called is kept per thread while a guarded call
// runs. Only plain data lives here so that longjmp skips no destructor.
struct HandlerState {
  std::jmp_buf* jump = nullptr;
  char error[512] = {};
  char warning[512] = {};
  std::vector<std::string>* warnings = nullptr;
};
thread_local HandlerState g_state;

[[noreturn]] void on_error(char* format, ...) {
  va_list args;
  va_start(args, format);
  std::vsnprintf(g_state.error, sizeof g_state.error, format, args);
  va_end(args);
  // Every libpci call is made inside guarded(), so jump is set; the fallback keeps the contract "never exit".
  if (g_state.jump) std::longjmp(*g_state.jump, 1);
  std::abort();
}

void on_warning(char* format, ...) {
  va_list args;
  va_start(args, format);
  std::vsnprintf(g_state.warning, sizeof g_state.warning, format, args);
  va_end(args);
  if (g_state.warnings) g_state.warnings->emplace_back(g_state.warning);
}

void on_debug(char*, ...) {}

}  // namespace

template <class Fn>
bool LibpciSession::guarded(Fn&& fn) {
  if (broken_) return false;
  std::jmp_buf jump;
  std::jmp_buf* previous = g_state.jump;
  std::vector<std::string>* previous_warnings = g_state.warnings;
  g_state.jump = &jump;
  g_state.warnings = &warnings_;
  if (setjmp(jump) != 0) {
    g_state.jump = previous;
    g_state.warnings = previous_warnings;
    broken_ = true;
    errors_.emplace_back(g_state.error);
    return false;
  }
  fn();
  g_state.jump = previous;
  g_state.warnings = previous_warnings;
  return true;
}

LibpciSession::LibpciSession(Method method, const std::string& path) : sysfs_(method == Method::kSysfs) {
  access_ = pci_alloc();  // pci_alloc cannot call the error handler except on out-of-memory
  access_->error = on_error;
  access_->warning = on_warning;
  access_->debug = on_debug;
  access_->debugging = 0;
  // The names database is the tool's, never the host root's; no DNS or udev hwdb so results are reproducible.
  access_->id_lookup_mode = PCI_LOOKUP_NO_HWDB;
  access_->method = method == Method::kSysfs ? PCI_ACCESS_SYS_BUS_PCI : PCI_ACCESS_DUMP;
  const char* param = method == Method::kSysfs ? "sysfs.path" : "dump.name";
  guarded([&] { pci_set_param(access_, const_cast<char*>(param), const_cast<char*>(path.c_str())); });
}

LibpciSession::~LibpciSession() {
  if (!access_) return;
  broken_ = false;  // cleanup is attempted even after an error; a second error just leaks
  guarded([&] { pci_cleanup(access_); });
}

bool LibpciSession::scan() {
  return guarded([&] {
    pci_init(access_);
    initialised_ = true;
    pci_scan_bus(access_);
  });
}

pci_dev* LibpciSession::release_first() {
  pci_dev* first = devices();
  if (!first) return nullptr;
  access_->devices = first->next;
  guarded([&] { pci_free_dev(first); });
  return devices();
}

bool LibpciSession::fill(pci_dev* dev, int flags) {
  return guarded([&] { pci_fill_info(dev, flags); });
}

bool LibpciSession::read(pci_dev* dev, int offset, unsigned char* buffer, int length) {
  bool read = false;
  guarded([&] { read = pci_read_block(dev, offset, buffer, length) != 0; });
  return read;
}

void LibpciSession::read_names(const std::vector<std::uint32_t>* devices) {
  // id_file_name is what libpci's own loader would open (Debian: /usr/share/misc/pci.ids.gz, then pci.ids).
  if (!names_) names_ = access_->id_file_name ? PciIds::open(access_->id_file_name, devices) : PciIds::unsure();
}

const PciIds& LibpciSession::names() {
  read_names(nullptr);
  return *names_;
}

std::string LibpciSession::lookup_vendor(unsigned vendor) {
  // PciIds answers without the session, so a session broken after its records were read still names them.
  if (names().state() != PciIds::State::kUnsure) return names().vendor(vendor);
  if (broken_) return "";
  char buffer[256] = {};
  const char* name = nullptr;
  guarded([&] { name = pci_lookup_name(access_, buffer, sizeof buffer, PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_NUMBERS,
                                       vendor); });
  return name ? name : "";
}

std::string LibpciSession::lookup_device(unsigned vendor, unsigned device) {
  if (names().state() != PciIds::State::kUnsure) return names().device(vendor, device);
  if (broken_) return "";
  char buffer[256] = {};
  const char* name = nullptr;
  guarded([&] { name = pci_lookup_name(access_, buffer, sizeof buffer, PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS,
                                       vendor, device); });
  return name ? name : "";
}

const char* LibpciSession::string_property(pci_dev* dev, unsigned property) {
  const char* value = nullptr;
  guarded([&] { value = pci_get_string_property(dev, property); });
  return value;
}

}  // namespace ptdoctor::pci
