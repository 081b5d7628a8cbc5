#pragma once
// Parsed tables as facts (the acpi.dmar.* and acpi.ivrs.* trees documented in docs/ and PluginInfo::provides).
// Numbers stay integers; addresses are also given as "0x..." strings for people reading the JSON.
#include <string_view>

#include "dmar_parser.hpp"
#include "ivrs_parser.hpp"
#include "ptdoctor/host_view.hpp"
#include "ptdoctor/json.hpp"

namespace ptdoctor::acpi {

// The common ACPI header fields: signature, length, revision, OEM ids, creator; and checksum_ok.
Json header_facts(const TablePrelude& prelude);
// At most this many warnings or errors are listed; a hostile table could otherwise produce one per structure.
inline constexpr std::size_t kMaxListed = 100;
// The first kMaxListed messages, and a last line saying how many more there were.
std::vector<std::string> capped(const std::vector<std::string>& messages);

// Adds unknown_subtables[], warnings[] and errors[] (capped), the same for both tables.
void add_findings(Json& facts, const std::vector<UnknownSubtable>& unknown, const std::vector<std::string>& warnings,
                  const std::vector<std::string>& errors);

// Resolves device scopes against the host and appends the host-dependent validation warnings (scope devices not
// present, or not of the kind the scope says) to table.warnings before building the tree.
Json dmar_facts(DmarTable& table, const HostView& host, std::string_view label);
Json ivrs_facts(const IvrsTable& table);

}  // namespace ptdoctor::acpi
