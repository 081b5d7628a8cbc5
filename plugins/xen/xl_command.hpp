#pragma once
// Runs (or reads the capture of) an `xl` subcommand and turns failures into the reason an unknown fact carries.
#include <optional>
#include <string>
#include <vector>

#include "ptdoctor/host_view.hpp"

namespace ptdoctor::hostplug {

struct CommandText {
  std::optional<std::string> text;
  std::string reason;  // when text is empty: why, and what to do ("run ptdoctor as root")
};

// argv is {"xl", "<subcommand>", ...}; capture is the file name under <root>/.ptdoctor/capture/.
CommandText xl_output(const HostView& host, const std::string& capture, const std::vector<std::string>& argv);

}  // namespace ptdoctor::hostplug
