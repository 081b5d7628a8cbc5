#pragma once
// The current time in UTC as text, for reports, manifests and journal ids.
#include <string>

namespace ptdoctor {

// strftime format, e.g. "%Y-%m-%dT%H:%M:%SZ" (ISO 8601) or "%Y%m%dT%H%M%SZ" (a file-name-safe id).
std::string utc_now(const char* format = "%Y-%m-%dT%H:%M:%SZ");

}  // namespace ptdoctor
