#pragma once
// Shared by the fix tests: a host view over a TempTree, the guide's choices, and running a program on a file.
#include <memory>
#include <string>
#include <vector>

#include "fix/choices.hpp"
#include "host/rooted_host_view.hpp"

namespace ptdoctor::testing {

inline std::unique_ptr<host::RootedHostView> open_root(const std::string& path) {
  host::HostViewOptions options;
  options.live = false;
  auto opened = host::RootedHostView::open(path, options);
  if (!opened) throw std::runtime_error(opened.error().message);
  return std::move(opened.value());
}

// --gpu 08:00.0 --usb 00:1d.7 --name win --disk phy:/dev/vg_ssd/win7system,hda,w (the acceptance line).
inline fix::Choices guide_choices() {
  fix::Choices choices;
  choices.gpu = "08:00.0";
  choices.usb = {"00:1d.7"};
  choices.name = "win";
  choices.disks = {"phy:/dev/vg_ssd/win7system,hda,w"};
  choices.seed = 42;
  return choices;
}

// Runs argv (no shell) and returns stdout; exit status in *status.
std::string run_program(const std::vector<std::string>& argv, int* status);

}  // namespace ptdoctor::testing
