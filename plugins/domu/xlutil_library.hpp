#pragma once
// libxlutil, Xen's xl config parser, opened with dlopen when a config is first parsed. Linking it would load it
// and the 16 libraries it pulls in (libxenlight, libxenctrl, libxenguest and 9 more of Xen's, libyajl, ...) into
// every ptdoctor run, about 2 ms, while most runs have no domU config to parse. The function types are taken from
// Xen's own headers, so a prototype that changes between Xen versions is a compile error here, not a crash.
extern "C" {
#include <libxl.h>
#include <libxlutil.h>
}

#include <string>

#include "ptdoctor/result.hpp"

namespace ptdoctor::domu {

struct XlUtil {
  decltype(&::xlu_cfg_init) cfg_init = nullptr;
  decltype(&::xlu_cfg_readdata) cfg_readdata = nullptr;
  decltype(&::xlu_cfg_destroy) cfg_destroy = nullptr;
  decltype(&::xlu_cfg_get_string) cfg_get_string = nullptr;
  decltype(&::xlu_cfg_get_long) cfg_get_long = nullptr;
  decltype(&::xlu_cfg_get_list) cfg_get_list = nullptr;
  decltype(&::xlu_cfg_get_listitem) cfg_get_listitem = nullptr;
  decltype(&::xlu_pci_parse_spec_string) pci_parse_spec_string = nullptr;
  decltype(&::xlu_rdm_parse) rdm_parse = nullptr;
  // libxenlight's, found through libxlutil (which needs it): the PCI spec parser fills a libxl_device_pci.
  decltype(&::libxl_device_pci_init) device_pci_init = nullptr;
  decltype(&::libxl_device_pci_dispose) device_pci_dispose = nullptr;
};

// Opens the library `name` and looks its functions up; the error names the library and the Debian package that
// ships it. Never unloaded once loaded.
Result<XlUtil> load_xlutil(const std::string& name);

// libxlutil (the SONAME of the library built against), loaded on the first call and kept; later calls give the
// same functions, or the same error.
Result<const XlUtil*> xlutil();

}  // namespace ptdoctor::domu
