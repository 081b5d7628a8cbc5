#include "xl_parser.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "xlutil_library.hpp"

namespace ptdoctor::domu {

struct XlConfig::Impl {
  const XlUtil* xl = nullptr;  // set when libxlutil could be loaded
  char* report_text = nullptr;
  std::size_t report_size = 0;
  FILE* report = nullptr;
  XLU_Config* config = nullptr;
  std::string refused;  // why the text was not given to libxlutil at all

  ~Impl() {
    if (config) xl->cfg_destroy(config);
    if (report) std::fclose(report);
    std::free(report_text);
  }
  // Anything libxlutil printed so far.
  std::string reported() const {
    if (!report) return "";
    std::fflush(report);
    return report_text ? std::string(report_text, report_size) : std::string();
  }
};

namespace {

// libxlutil 4.17's parse_bdf (tools/libs/util/libxlu_pci.c) counts the colons of the leading [0-9a-f:] run, then
// reads "%x:%x.%n" (or "%x:%x:%x.%n") and advances by n. When the numbers match but no '.' follows, sscanf
// returns 2 (3) and never stores n, so libxlutil advances by an uninitialised int and reads wherever that points:
// "0:2", "0:2@3", "bdf=0:2" read stray memory (valgrind: "Use of uninitialised value"), and may crash or, for
// bdf=, be accepted with a garbage function. Our own sscanf with the same format tells those inputs apart.
bool bdf_lacks_function(const char* text) {
  int colons = 0;
  for (const char* p = text; std::isxdigit(static_cast<unsigned char>(*p)) || *p == ':'; ++p) colons += *p == ':';
  unsigned domain = 0, bus = 0, dev = 0;
  int consumed = -1;
  if (colons == 1) return std::sscanf(text, "%x:%x.%n", &bus, &dev, &consumed) == 2 && consumed < 0;
  if (colons == 2) return std::sscanf(text, "%x:%x:%x.%n", &domain, &bus, &dev, &consumed) == 3 && consumed < 0;
  return false;
}

// The addresses parse_bdf reads in a spec: the spec itself (the positional BDF is tried first) and the value of
// every bdf= key. Returns the first one that would make libxlutil read uninitialised memory.
std::optional<std::string> unsafe_bdf(const std::string& spec) {
  if (bdf_lacks_function(spec.c_str())) return spec.substr(0, spec.find_first_of(",@"));
  for (std::size_t key = 0; key < spec.size(); ++key) {
    if ((key == 0 || spec[key - 1] == ',') && spec.compare(key, 4, "bdf=") == 0) {
      const std::string value = spec.substr(key + 4, spec.find(',', key + 4) - (key + 4));
      if (bdf_lacks_function(value.c_str())) return value;
    }
  }
  return std::nullopt;
}

}  // namespace

XlConfig::XlConfig(std::string_view text, const std::string& name) : impl_(std::make_unique<Impl>()) {
  // libxlutil's lexer takes the length of a quoted string with strlen and asserts it ends with its quote
  // (xen-project/xen:tools/libs/util/libxlu_cfg.c xlu__cfgl_dequote), so a NUL byte inside quotes aborts the
  // whole process, xl's as well as ours. No xl config holds one: refuse the text instead.
  if (std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + nul, '\n'));
    impl_->refused = name + ":" + std::to_string(line) + ": holds a NUL byte (offset " + std::to_string(nul) +
                     "): not a text file, and xl's parser cannot read it";
    return;
  }
  auto library = xlutil();
  if (!library) {
    impl_->refused = name + ": " + library.error().message;
    return;
  }
  impl_->xl = *library;
  impl_->report = ::open_memstream(&impl_->report_text, &impl_->report_size);
  if (!impl_->report) return;
  impl_->config = impl_->xl->cfg_init(impl_->report, name.c_str());
  if (!impl_->config) return;
  // xlu_cfg_readdata takes an int length; the caller caps file sizes far below INT_MAX.
  ok_ = impl_->xl->cfg_readdata(impl_->config, text.data(), static_cast<int>(text.size())) == 0;
}

XlConfig::~XlConfig() = default;

std::string XlConfig::report() const {
  if (!impl_->refused.empty()) return impl_->refused;
  std::string text = impl_->reported();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::optional<std::string> XlConfig::text(const char* key) const {
  const char* value = nullptr;
  if (!ok_ || impl_->xl->cfg_get_string(impl_->config, key, &value, 1) != 0 || !value) return std::nullopt;
  return std::string(value);
}

std::optional<long> XlConfig::number(const char* key) const {
  long value = 0;
  if (!ok_ || impl_->xl->cfg_get_long(impl_->config, key, &value, 1) != 0) return std::nullopt;
  return value;
}

std::optional<std::vector<std::string>> XlConfig::list(const char* key) const {
  XLU_ConfigList* items = nullptr;
  int count = 0;
  if (!ok_ || impl_->xl->cfg_get_list(impl_->config, key, &items, &count, 1) != 0) return std::nullopt;
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    const char* item = impl_->xl->cfg_get_listitem(items, i);
    out.push_back(item ? item : "");
  }
  return out;
}

PciSpec XlConfig::pci(const std::string& spec, const PciDefaults& defaults) const {
  PciSpec out;
  if (!ok_) return out;
  if (auto address = unsafe_bdf(spec)) {
    const std::string where = *address == spec ? "" : " in '" + spec + "'";
    out.error = "PCI address '" + *address + "'" + where +
                " has no function: write [DDDD:]BB:DD.F (xl-pci-configuration(5)); xl's parser misreads it";
    return out;
  }
  const std::string before = impl_->reported();
  libxl_device_pci device;
  impl_->xl->device_pci_init(&device);
  device.msitranslate = defaults.msitranslate;
  device.permissive = defaults.permissive;
  device.seize = defaults.seize;
  device.rdm_policy = LIBXL_RDM_RESERVE_POLICY_INVALID;
  if (impl_->xl->pci_parse_spec_string(impl_->config, &device, spec.c_str()) == 0) {
    out.parsed = true;
    char bdf[32];
    std::snprintf(bdf, sizeof bdf, "%04x:%02x:%02x.%x", static_cast<unsigned>(device.domain), device.bus, device.dev,
                  device.func);
    out.bdf = bdf;
    // A named device (name=) has no BDF until libxl looks the name up on the host.
    if (device.name != nullptr) out.bdf.clear();
    const std::string address = spec.substr(0, spec.find_first_of(",@"));
    out.all_functions = address.size() >= 2 && address.compare(address.size() - 2, 2, ".*") == 0;
    out.rdm_relaxed = device.rdm_policy == LIBXL_RDM_RESERVE_POLICY_RELAXED;
    out.msitranslate = device.msitranslate;
    out.permissive = device.permissive;
    out.seize = device.seize;
  } else {
    out.error = impl_->reported().substr(before.size());
    while (!out.error.empty() && out.error.back() == '\n') out.error.pop_back();
    if (out.error.empty()) out.error = "libxlutil cannot parse the PCI spec '" + spec + "'";
  }
  impl_->xl->device_pci_dispose(&device);
  return out;
}

bool XlConfig::rdm_accepted(const std::string& value) const {
  if (!ok_) return false;
  libxl_rdm_reserve rdm;
  std::memset(&rdm, 0, sizeof rdm);
  return impl_->xl->rdm_parse(impl_->config, &rdm, value.c_str()) == 0;
}

}  // namespace ptdoctor::domu
