#pragma once
// Where the installed plugins and rules are, found from the running binary's own location so that an install
// under any prefix (/usr, /usr/local, a build tree's stage/) works without configuration.
#include <string>

namespace ptdoctor::engine {

struct InstallPaths {
  std::string prefix;
  std::string plugin_dir;
  std::string rules_dir;
  std::string facts_dir;  // the plugins' fact declarations
  std::string archive_module;  // ptdoctor-archive.so, which reads and writes snapshot archives
};

// From /proc/self/exe: <prefix>/<bindir>/ptdoctor -> <prefix>/<plugin reldir>, <prefix>/<rules reldir>.
InstallPaths install_paths();
// The same computation for a given executable path (testable).
InstallPaths install_paths_for(const std::string& executable);

}  // namespace ptdoctor::engine
