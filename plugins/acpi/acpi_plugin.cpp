// The acpi plugin: reads the IOMMU description tables the firmware publishes (DMAR on Intel, IVRS on AMD) and
// reports what they say as facts, with every malformation as an error entry and a diagnostic. It never judges:
// rules/iommu.yaml does.
#include <optional>
#include <string>

#include "ivrs_parser.hpp"
#include "ptdoctor/plugin_api.hpp"
#include "table_facts.hpp"
#include "table_lookup.hpp"

namespace ptdoctor::acpi {
namespace {

// Sets the table's facts, marks the fields a too-short header left null as unknown (with the first error as the
// reason), and repeats every error as a diagnostic naming the file the user can inspect.
void publish(const char* key, Json facts, const TableFile& file, const std::vector<std::string>& errors,
             FactWriter& out) {
  facts["present"] = true;
  facts["source"] = file.path;
  std::vector<std::string> unread;
  for (const auto& [name, value] : facts.items()) {
    if (value.is_null()) unread.push_back(name);
  }
  out.set(key, std::move(facts), file.path);
  for (const std::string& name : unread) {
    out.unknown(std::string(key) + "." + name, errors.empty() ? "the table header could not be read" : errors[0]);
  }
  for (const std::string& error : capped(errors)) {
    // Errors name the table ("DMAR: offset 0x58: ..."); diagnostics name the file.
    if (error.rfind(file.name + ":", 0) == 0) {
      out.diagnostic(file.path + error.substr(file.name.size()) + " (inspect a copy with `iasl -d`)");
    } else {
      out.diagnostic(file.path + ": " + error);
    }
  }
}

class AcpiPlugin final : public Plugin {
 public:
  PluginInfo info() const override {
    return PluginInfo{
        "acpi", "1.0.0", "acpi",
        "IOMMU firmware tables: DMAR (Intel VT-d) and IVRS (AMD-Vi), parsed and validated",
        {},  // provides: declared once in plugins/acpi/facts.yaml, filled in by the core
        {}};
  }

  void collect(const CollectContext& context, FactWriter& out) override {
    const HostView& host = context.host;
    const Lookup dmar = find_table(host, kDmarNames);
    const Lookup ivrs = find_table(host, kIvrsNames);
    if (dmar.table) {
      DmarTable table = parse_dmar(dmar.table->bytes, dmar.table->name);
      validate_dmar(table, dmar.table->name);
      publish("dmar", dmar_facts(table, host, dmar.table->name), *dmar.table, table.errors, out);
    } else {
      not_found("dmar", dmar.unknown_reason, out);
    }
    if (ivrs.table) {
      const IvrsTable table = parse_ivrs(ivrs.table->bytes, ivrs.table->name);
      publish("ivrs", ivrs_facts(table), *ivrs.table, table.errors, out);
    } else {
      not_found("ivrs", ivrs.unknown_reason, out);
    }
    // Which IOMMU description the firmware gives; a DMAR wins on the (odd) machine that has both.
    if (dmar.table) {
      out.set("iommu_table", "DMAR", dmar.table->path);
    } else if (ivrs.table) {
      out.set("iommu_table", "IVRS", ivrs.table->path);
    } else if (dmar.unknown_reason.empty() && ivrs.unknown_reason.empty()) {
      out.set("iommu_table", nullptr, kTablesDir);
    } else {
      out.unknown("iommu_table", dmar.unknown_reason.empty() ? ivrs.unknown_reason : dmar.unknown_reason);
    }
  }

 private:
  // Known absent (empty reason) or unknown with the reason.
  static void not_found(const char* key, const std::string& unknown_reason, FactWriter& out) {
    if (!unknown_reason.empty()) {
      out.unknown(key, unknown_reason);
    } else {
      out.set(std::string(key) + ".present", false, kTablesDir);
    }
  }
};

}  // namespace
}  // namespace ptdoctor::acpi

PTDOCTOR_PLUGIN(ptdoctor::acpi::AcpiPlugin)
