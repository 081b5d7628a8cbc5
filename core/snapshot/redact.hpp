#pragma once
// `ptdoctor snapshot --redact`: what identifies the machine or its owner is replaced before it is archived
// (hostname, serial numbers, MAC addresses, UUIDs). Nothing a rule judges depends on these values.
#include <string>
#include <string_view>

namespace ptdoctor::snapshot {

inline constexpr const char* kRedactedHostname = "redacted-host";

// Redacts text: the hostname (as a whole word) -> kRedactedHostname, MAC addresses -> zeros, UUIDs -> zeros,
// "Serial Number: X" values -> REDACTED, and the user name in /home/NAME paths -> "user". Shared by snapshots and by
// the --redact of reports and `facts`.
std::string redact_text(std::string text, std::string_view hostname);

// Redacts the contents of the file at host path `path`. Binary contents (with NUL bytes) are kept unless the file
// itself is a serial number or UUID (/sys/class/dmi/id/product_serial, .../product_uuid).
std::string redact(std::string_view path, std::string content, std::string_view hostname);

}  // namespace ptdoctor::snapshot
