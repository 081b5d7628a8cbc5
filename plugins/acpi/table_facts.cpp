#include "table_facts.hpp"

namespace ptdoctor::acpi {

Json header_facts(const TablePrelude& prelude) {
  const AcpiHeader& header = prelude.header;
  if (!prelude.header_read) {
    Json facts = Json::object();
    for (const char* key : {"signature", "length", "revision", "oem_id", "oem_table_id", "oem_revision",
                            "creator_id", "creator_revision"}) {
      facts[key] = nullptr;
    }
    facts["checksum_ok"] = false;
    return facts;
  }
  return Json{{"signature", header.signature}, {"length", header.length}, {"revision", header.revision},
              {"oem_id", header.oem_id}, {"oem_table_id", header.oem_table_id},
              {"oem_revision", header.oem_revision}, {"creator_id", header.creator_id},
              {"creator_revision", header.creator_revision}, {"checksum_ok", prelude.checksum_ok}};
}

void add_findings(Json& facts, const std::vector<UnknownSubtable>& unknown, const std::vector<std::string>& warnings,
                  const std::vector<std::string>& errors) {
  Json list = Json::array();
  for (const UnknownSubtable& subtable : unknown) {
    list.push_back(Json{{"offset", subtable.offset}, {"type", subtable.type}, {"length", subtable.length}});
  }
  facts["unknown_subtables"] = std::move(list);
  facts["warnings"] = capped(warnings);
  facts["errors"] = capped(errors);
}

std::vector<std::string> capped(const std::vector<std::string>& messages) {
  if (messages.size() <= kMaxListed) return messages;
  std::vector<std::string> first(messages.begin(), messages.begin() + kMaxListed);
  first.push_back("... and " + std::to_string(messages.size() - kMaxListed) +
                  " more like these (disassemble the table with `iasl -d` to see them all)");
  return first;
}

}  // namespace ptdoctor::acpi
