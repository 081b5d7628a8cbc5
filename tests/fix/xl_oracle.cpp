#include "xl_oracle.hpp"

#include <cstdio>
#include <cstdlib>
#include <regex>

extern "C" {
#include <libxl.h>
#include <libxlutil.h>
}

namespace ptdoctor::testing {

bool XlParsed::has(const std::string& key) const {
  for (const auto& k : keys) {
    if (k == key) return true;
  }
  return false;
}

XlParsed parse_with_libxlutil(const std::string& text) {
  XlParsed parsed;
  char* report_text = nullptr;
  std::size_t report_size = 0;
  FILE* report = ::open_memstream(&report_text, &report_size);
  XLU_Config* config = xlu_cfg_init(report, "generated.cfg");
  if (!config) {
    std::fclose(report);
    std::free(report_text);
    parsed.error = "xlu_cfg_init failed";
    return parsed;
  }
  int rc = xlu_cfg_readdata(config, text.data(), static_cast<int>(text.size()));
  if (rc == 0) {
    parsed.ok = true;
    XLU_ConfigList* list = nullptr;
    int count = 0;
    if (xlu_cfg_get_list(config, "pci", &list, &count, 0) == 0) {
      for (int i = 0; i < count; ++i) {
        const char* item = xlu_cfg_get_listitem(list, i);
        parsed.pci.push_back(item ? item : "");
        libxl_device_pci pci;
        libxl_device_pci_init(&pci);
        if (item && xlu_pci_parse_spec_string(config, &pci, item) == 0) {
          char bdf[16];
          std::snprintf(bdf, sizeof bdf, "%04x:%02x:%02x.%x", pci.domain, pci.bus, pci.dev, pci.func);
          parsed.pci_bdf.push_back(bdf);
          parsed.pci_relaxed.push_back(pci.rdm_policy == LIBXL_RDM_RESERVE_POLICY_RELAXED);
        } else {
          parsed.ok = false;
          parsed.error += std::string("pci entry does not parse: ") + (item ? item : "(null)") + "\n";
        }
        libxl_device_pci_dispose(&pci);
      }
    }
    if (xlu_cfg_get_list(config, "disk", &list, &count, 0) == 0) {
      for (int i = 0; i < count; ++i) {
        const char* item = xlu_cfg_get_listitem(list, i);
        parsed.disks.push_back(item ? item : "");
        libxl_device_disk disk;
        libxl_device_disk_init(&disk);
        const char* specs[] = {item};
        parsed.disks_ok.push_back(item && xlu_disk_parse(config, 1, specs, &disk) == 0);
        libxl_device_disk_dispose(&disk);
      }
    }
    // Which keys are set: libxlutil has no iterator, so ask for the names a test cares about.
    for (const char* key : {"name", "type", "builder", "memory", "maxmem", "vcpus", "uuid", "disk", "vif", "pci",
                            "vnc", "vnclisten", "vncpasswd", "gfx_passthru", "device_model_version",
                            "on_xend_stop", "rdm", "boot"}) {
      XLU_ConfigList* any = nullptr;
      const char* string_value = nullptr;
      long number = 0;
      if (xlu_cfg_get_string(config, key, &string_value, 1) == 0 || xlu_cfg_get_long(config, key, &number, 1) == 0 ||
          xlu_cfg_get_list(config, key, &any, nullptr, 1) == 0) {
        parsed.keys.push_back(key);
      }
    }
  }
  xlu_cfg_destroy(config);
  std::fclose(report);
  if (report_text) parsed.error += report_text;
  std::free(report_text);
  return parsed;
}

}  // namespace ptdoctor::testing
