#include "xlutil_library.hpp"

#include <dlfcn.h>

#include <string>

namespace ptdoctor::domu {
namespace {

// Debian ships libxlutil.so.<version> in libxenmisc<version> (xen-utils-<version> depends on it).
std::string debian_package(const std::string& name) {
  const std::size_t so = name.find(".so.");
  return so == std::string::npos ? "libxenmisc" : "libxenmisc" + name.substr(so + 4);
}

template <class Function>
void bind(void* library, const char* symbol, Function& function, std::string& missing) {
  function = reinterpret_cast<Function>(::dlsym(library, symbol));
  if (function == nullptr) missing += (missing.empty() ? "" : ", ") + std::string(symbol);
}

}  // namespace

Result<XlUtil> load_xlutil(const std::string& name) {
  void* library = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = ::dlerror();
    return make_error(ErrorKind::kNotFound, "cannot load " + name + ", xl's config parser (Debian package " +
                                                debian_package(name) + "): " + (why != nullptr ? why : "dlopen failed"));
  }
  XlUtil xl;
  std::string missing;
  bind(library, "xlu_cfg_init", xl.cfg_init, missing);
  bind(library, "xlu_cfg_readdata", xl.cfg_readdata, missing);
  bind(library, "xlu_cfg_destroy", xl.cfg_destroy, missing);
  bind(library, "xlu_cfg_get_string", xl.cfg_get_string, missing);
  bind(library, "xlu_cfg_get_long", xl.cfg_get_long, missing);
  bind(library, "xlu_cfg_get_list", xl.cfg_get_list, missing);
  bind(library, "xlu_cfg_get_listitem", xl.cfg_get_listitem, missing);
  bind(library, "xlu_pci_parse_spec_string", xl.pci_parse_spec_string, missing);
  bind(library, "xlu_rdm_parse", xl.rdm_parse, missing);
  bind(library, "libxl_device_pci_init", xl.device_pci_init, missing);
  bind(library, "libxl_device_pci_dispose", xl.device_pci_dispose, missing);
  if (!missing.empty()) {
    ::dlclose(library);
    return make_error(ErrorKind::kUnsupported, name + " lacks " + missing + ", which ptdoctor needs to parse xl configs");
  }
  return xl;
}

Result<const XlUtil*> xlutil() {
  static const Result<XlUtil> loaded = load_xlutil(PTDOCTOR_LIBXLUTIL_SONAME);
  if (!loaded) return loaded.error();
  return &loaded.value();
}

}  // namespace ptdoctor::domu
