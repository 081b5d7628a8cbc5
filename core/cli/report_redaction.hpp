#pragma once
// --redact for `check` (every format) and `facts`: the machine's identity is replaced in every value a report or
// the fact dump shows (facts, messages, fixes, paths, diagnostics, the host line) with the redaction snapshots use
// (snapshot/redact.hpp): hostname, MAC addresses, UUIDs, serial numbers, user names in /home paths. Rule ids and
// fact paths (JSON keys) are names, not values, and are kept, so a redacted report reads and parses like any other.
#include <string_view>

#include "ptdoctor/json.hpp"
#include "ptdoctor/report.hpp"

namespace ptdoctor::cli {

// Every string value in `value`, recursively; a value whose key names a serial number or UUID is REDACTED whole.
// In place: a redacted copy held beside the original was the whole fact tree twice (`facts --redact` on the 4k
// sriov host: 62.9 MiB peak RSS, 36.5 MiB in place).
void redact_values(Json& value, std::string_view hostname);

// Every value a result looked at, as redact_values(); the values it does not change stay shared with the fact tree.
void redact_evidence(ResultFacts& facts, std::string_view hostname);

void redact_report(RunReport& report, std::string_view hostname);

}  // namespace ptdoctor::cli
