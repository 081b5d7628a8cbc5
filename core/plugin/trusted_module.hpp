#pragma once
// Opens one of ptdoctor's own shared libraries (a check plugin, the archive module) with Boost.DLL, after vetting
// it: ptdoctor runs as root, so a module file or directory that someone else could have written is a root exploit.
// The one place the trust checks, the load and the ABI handshake live; each kind of module says only its symbols
// and how to name itself in messages.
#include <memory>
#include <string>

#include <boost/dll/shared_library.hpp>

#include "ptdoctor/result.hpp"

namespace ptdoctor::plugin {

// Owner and mode checks for a module file or directory; `what` is what would be loaded from it.
Status check_trusted(const std::string& path, const std::string& what = "plugins");

struct ModuleKind {
  std::string name;          // in messages: "plugin", "archive module"
  std::string trusted_what;  // in check_trusted's refusal: "refusing to load <trusted_what> from it"
  std::string not_ours;      // when the ABI symbol is missing: "<path>: <not_ours> (no <abi_symbol> symbol)"
  std::string abi_symbol;    // int() giving the module's ABI number
  int abi_version = 0;       // the number this ptdoctor was built for
  std::string abi_advice;    // appended to an ABI mismatch, may be empty
  std::string entry_symbol;  // the module's one entry point, checked to exist
};

// The file is checked before its directory: when it is missing, its name is what to report. Errors name the file
// and what is wrong: kNotFound/kIo/kPermissionDenied from the trust checks, kUnsupported for another ABI number,
// kInvalidInput otherwise.
Result<std::shared_ptr<boost::dll::shared_library>> open_trusted_module(const std::string& path,
                                                                        const ModuleKind& kind);

}  // namespace ptdoctor::plugin
