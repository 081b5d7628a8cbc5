// modprobe.d, /etc/modules, modules-load.d and xen-pciback: how pciback is built, loaded and told what to hide.
#include <algorithm>

#include "bdf.hpp"
#include "collectors.hpp"
#include "modprobe_conf.hpp"
#include "pciback_hide.hpp"
#include "text_util.hpp"

namespace ptdoctor::hostplug {
namespace {

constexpr const char* kPciback = "xen_pciback";

// Later directories win for the same file name (libkmod: /etc over /run over /lib), files are read sorted by name.
std::map<std::string, std::string> config_files(const HostView& host, const std::vector<std::string>& dirs,
                                                std::string_view suffix) {
  std::map<std::string, std::string> files;
  for (const std::string& dir : dirs) {
    auto names = host.list_dir(dir);
    if (!names) continue;
    for (const std::string& name : *names) {
      if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
        files[name] = dir + "/" + name;
      }
    }
  }
  return files;
}

std::string unquote(std::string value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') return value.substr(1, value.size() - 2);
  return value;
}

// The value of `name=` among a module's option words, last one winning as the kernel applies them in order.
std::optional<std::string> option_value(const std::vector<std::string>& words, std::string_view name) {
  std::optional<std::string> value;
  for (const std::string& word : words) {
    std::size_t equals = word.find('=');
    if (equals != std::string::npos && underscore_name(word.substr(0, equals)) == name) {
      value = unquote(word.substr(equals + 1));
    }
  }
  return value;
}

bool truthy(const std::string& value) { return value == "1" || value == "y" || value == "Y"; }

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

struct Hide {
  std::vector<std::string> bdfs;
  std::vector<std::string> wildcards;
  std::vector<std::string> sources;
  std::vector<std::string> errors;  // "SOURCE: entry N ...": a list the kernel rejects as a whole
};

void add_hide_list(const std::string& text, const std::string& source, Hide& hide, FactWriter& out) {
  HideList list = parse_hide_list(text);
  if (list.error) {
    // The list is rejected as a whole (see parse_hide_list): it contributes no BDF, and a rule says so.
    out.diagnostic(source + ": xen-pciback hide list " + *list.error);
    hide.errors.push_back(source + ": " + *list.error);
  }
  for (const std::string& bdf : list.bdfs) {
    if (!contains(hide.bdfs, bdf)) hide.bdfs.push_back(bdf);
  }
  for (const std::string& slot : list.wildcards) {
    if (!contains(hide.wildcards, slot)) hide.wildcards.push_back(slot);
  }
  hide.sources.push_back(source);
}

// (BB:SS.*) hides every function of the slot, (BB:*.*) every function on the bus: list the ones present so rules
// can compare BDFs. A wildcard is the BDF prefix it names ("dddd:bb:ss" or "dddd:bb").
void expand_wildcards(const HostView& host, Hide& hide) {
  if (hide.wildcards.empty()) return;
  auto devices = host.list_dir("/sys/bus/pci/devices");
  if (!devices) return;
  for (const std::string& slot : hide.wildcards) {
    for (const std::string& name : *devices) {
      auto bdf = normalize_bdf(name);
      const char next = slot.size() == 7 ? ':' : '.';  // "dddd:bb" names a bus, "dddd:bb:ss" a slot
      if (bdf && bdf->compare(0, slot.size() + 1, slot + next) == 0 && !contains(hide.bdfs, *bdf)) {
        hide.bdfs.push_back(*bdf);
      }
    }
  }
}

Json softdeps_json(const ModprobeConf& conf) {
  Json softdeps = Json::object();
  for (const auto& [module, dep] : conf.softdeps) {
    softdeps[module] = {{"pre", dep.pre}, {"post", dep.post}, {"source", dep.source}};
  }
  return softdeps;
}

void collect_pciback_state(const CollectContext& context, const std::optional<std::string>& release,
                           const std::optional<KernelConfig>& config, FactWriter& out) {
  const HostView& host = context.host;
  // Built in or a module: the kernel config says; without it, modules.builtin of the running release.
  std::optional<std::string> setting;
  if (config) {
    auto found = config->find("CONFIG_XEN_PCIDEV_BACKEND");
    setting = found == config->end() ? "unset" : found->second;
    out.set("pciback.builtin", *setting == "y", "kernel config CONFIG_XEN_PCIDEV_BACKEND");
    out.set("pciback.module", *setting == "m", "kernel config CONFIG_XEN_PCIDEV_BACKEND");
  } else if (release && host.exists("/lib/modules/" + *release + "/modules.builtin")) {
    const std::string path = "/lib/modules/" + *release + "/modules.builtin";
    auto text = host.read_file(path);
    bool builtin = text && text->find("/xen-pciback.ko") != std::string::npos;
    out.set("pciback.builtin", builtin, path);
    out.unknown("pciback.module", "kernel config unknown");
  } else {
    out.unknown("pciback.builtin", "kernel config unknown and no modules.builtin for the running release");
    out.unknown("pciback.module", "kernel config unknown");
  }

  // The driver registers as "pciback" in sysfs; the module (or built-in parameters) as xen_pciback.
  const std::string driver_dir = "/sys/bus/pci/drivers/pciback";
  bool driver = host.exists(driver_dir);
  if (driver || host.exists("/sys/module/xen_pciback")) {
    out.set("pciback.loaded", true, driver ? driver_dir : "/sys/module/xen_pciback");
  } else if (host.exists("/sys/module") || host.exists("/sys/bus/pci/drivers")) {
    out.set("pciback.loaded", false, "/sys/module/xen_pciback, " + driver_dir);
  } else {
    out.unknown("pciback.loaded", "no /sys/module or /sys/bus/pci/drivers in this root");
  }
  if (driver) {
    std::vector<std::string> devices;
    if (auto names = host.list_dir(driver_dir)) {
      for (const std::string& name : *names) {
        if (auto bdf = normalize_bdf(name)) devices.push_back(*bdf);
      }
    }
    out.set("pciback.devices", devices, driver_dir);
  } else {
    out.set("pciback.devices", Json::array(), driver_dir);
  }
}

}  // namespace

void collect_modules(const CollectContext& context, const std::optional<std::string>& release,
                     const std::optional<KernelConfig>& config, const std::optional<Cmdline>& cmdline,
                     FactWriter& out) {
  const HostView& host = context.host;
  ModprobeConf conf;
  std::vector<std::string> files;
  for (const auto& [name, path] :
       config_files(host, {"/lib/modprobe.d", "/usr/lib/modprobe.d", "/run/modprobe.d", "/etc/modprobe.d"}, ".conf")) {
    auto text = host.read_file(path);
    if (!text) {
      out.diagnostic(read_failure(path, text.error()) + "; its modprobe settings are not considered");
      continue;
    }
    parse_modprobe_conf(*text, path, conf);
    files.push_back(path);
  }
  for (const std::string& problem : conf.problems) out.diagnostic(problem);
  if (conf.options.count("pciback")) {
    out.diagnostic(conf.option_sources["pciback"] +
                   ": \"options pciback ...\" names the sysfs driver, not the module; modprobe applies it only to "
                   "a module or alias called pciback. Write \"options xen-pciback ...\"");
  }
  Json options = Json::object();
  for (const auto& [module, words] : conf.options) options[module] = words;
  out.set("modprobe.files", files, "/etc/modprobe.d");
  out.set("modprobe.options", std::move(options), "/etc/modprobe.d");
  out.set("modprobe.softdeps", softdeps_json(conf), "/etc/modprobe.d");
  Json installs = Json::object();
  for (const auto& [module, command] : conf.installs) installs[module] = command;
  out.set("modprobe.installs", std::move(installs), "/etc/modprobe.d");
  out.set("modprobe.blacklist", conf.blacklist, "/etc/modprobe.d");

  std::vector<std::string> load_sources;
  auto modules = host.read_file("/etc/modules");
  if (modules) {
    std::vector<std::string> list = parse_modules_list(*modules);
    if (contains(list, kPciback)) load_sources.push_back("/etc/modules");
    out.set("modules_file", list, "/etc/modules");
  } else if (modules.error().kind == ErrorKind::kNotFound) {
    out.set("modules_file", Json::array(), "/etc/modules (absent)");
  } else {
    out.unknown("modules_file", read_failure("/etc/modules", modules.error()));
  }
  // Debian's initramfs-tools loads these in early boot, before the root file system's /etc/modules.
  const std::string initramfs_path = "/etc/initramfs-tools/modules";
  auto initramfs = host.read_file(initramfs_path);
  if (initramfs) {
    std::vector<std::string> list = parse_modules_list(*initramfs);
    if (contains(list, kPciback)) load_sources.push_back(initramfs_path);
    out.set("initramfs_modules", list, initramfs_path);
  } else {
    out.unknown("initramfs_modules", read_failure(initramfs_path, initramfs.error()) + " (not initramfs-tools?)");
  }
  std::vector<std::string> load_d;
  for (const auto& [name, path] : config_files(
           host, {"/lib/modules-load.d", "/usr/lib/modules-load.d", "/run/modules-load.d", "/etc/modules-load.d"},
           ".conf")) {
    auto text = host.read_file(path);
    if (!text) continue;
    for (const std::string& module : parse_modules_list(*text)) {
      load_d.push_back(module);
      if (module == kPciback) load_sources.push_back(path);
    }
  }
  out.set("modules_load_d", load_d, "/etc/modules-load.d");
  for (const auto& [module, dep] : conf.softdeps) {
    if (contains(dep.pre, kPciback) || contains(dep.post, kPciback)) {
      load_sources.push_back("softdep " + module + " (" + dep.source + ")");
    }
  }
  out.set("pciback.load_sources", load_sources, "/etc/modules, modules-load.d, modprobe.d softdeps");

  // The hide list: from the command line (applies built in, and to the module through libkmod) and from
  // "options xen-pciback hide=..." (applies to the module only). Both at once do not add up: libkmod appends the
  // command line's module options after modprobe.d's (kmod libkmod/libkmod-config.c: kmod_config_new parses the
  // files, then kmod_config_parse_kcmdline), and the kernel keeps the last value of a parameter given twice
  // (kernel/params.c parse_args sets it once per occurrence), so the command line's list wins.
  Hide hide;
  bool hide_on_cmdline = false;
  if (cmdline) {
    auto found = cmdline->params.find("xen_pciback.hide");
    std::vector<std::string> from_cmdline;
    if (found != cmdline->params.end()) {
      add_hide_list(found->second.back(), "/proc/cmdline", hide, out);
      from_cmdline = hide.bdfs;
      hide_on_cmdline = true;
    }
    out.set("pciback.cmdline_hide", from_cmdline, "/proc/cmdline");
  } else {
    out.unknown("pciback.cmdline_hide", "/proc/cmdline could not be read");
  }
  auto pciback_options = conf.options.find(kPciback);
  if (pciback_options != conf.options.end()) {
    if (auto value = option_value(pciback_options->second, "hide")) {
      if (hide_on_cmdline) {
        out.diagnostic(conf.option_sources[kPciback] + ": its xen-pciback hide= list has no effect: the one on the "
                       "kernel command line comes after it and replaces it");
      } else {
        add_hide_list(*value, conf.option_sources[kPciback], hide, out);
      }
    }
  }
  expand_wildcards(host, hide);
  std::string hide_source = cmdline ? "/proc/cmdline, modprobe.d" : "modprobe.d (/proc/cmdline unreadable)";
  out.set("pciback.hide", hide.bdfs, hide_source);
  out.set("pciback.hide_wildcards", hide.wildcards, hide_source);
  out.set("pciback.hide_sources", hide.sources, hide_source);
  out.set("pciback.hide_errors", hide.errors, hide_source);

  // vfio's escape hatch for platforms without interrupt remapping: any device can then forge MSIs.
  std::optional<std::string> unsafe_source;
  auto vfio = conf.options.find("vfio_iommu_type1");
  if (vfio != conf.options.end()) {
    auto value = option_value(vfio->second, "allow_unsafe_interrupts");
    if (value && truthy(*value)) unsafe_source = conf.option_sources["vfio_iommu_type1"];
  }
  if (cmdline) {
    auto found = cmdline->params.find("vfio_iommu_type1.allow_unsafe_interrupts");
    // A bare boolean parameter means "on" (kernel/params.c param_set_bool).
    if (found != cmdline->params.end() && (truthy(found->second.back()) || found->second.back().empty())) {
      unsafe_source = "/proc/cmdline";
    }
  }
  out.set("unsafe_interrupts", unsafe_source.has_value(), "modprobe.d, /proc/cmdline");
  if (unsafe_source) out.set("unsafe_interrupts_source", *unsafe_source, *unsafe_source);

  collect_pciback_state(context, release, config, out);
}

}  // namespace ptdoctor::hostplug
