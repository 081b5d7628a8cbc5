#pragma once
// GPU quirks for pre-purchase checks, from the same rules/gpu-quirks.yaml (kind: gpu-quirks) the devices plugin
// uses. Each quirk names the devices it applies to: vendor_id plus device ids or ranges ("0x67df",
// "0x67c0-0x67cf"), at the quirk's top level or under `match:`.
#include <string>
#include <vector>

#include "ptdoctor/json.hpp"

namespace ptdoctor::spec {

struct QuirkTable {
  bool loaded = false;    // a gpu-quirks.yaml was found and understood
  std::string problem;    // why not, when a file was found but could not be used
  Json quirks = Json::array();  // [{id, severity, title, workaround, vendor_id, ranges: [[lo, hi]...]}]
};

QuirkTable load_gpu_quirks(const std::vector<std::string>& data_dirs);
// The quirks for one device, as gpu.candidates[].quirks entries {id, severity, title, workaround}.
Json quirks_for(const QuirkTable& table, const std::string& vendor_id, const std::string& device_id);

}  // namespace ptdoctor::spec
