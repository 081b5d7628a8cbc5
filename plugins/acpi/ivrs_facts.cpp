#include <cstdio>

#include "table_facts.hpp"

namespace ptdoctor::acpi {
namespace {

Json range_facts(std::uint16_t segment, const IvhdRange& range) {
  Json item{{"offset", range.offset}, {"kind", range.kind}, {"first", range.first}, {"last", range.last},
            {"first_bdf", device_id_bdf(segment, range.first)}, {"last_bdf", device_id_bdf(segment, range.last)},
            {"data", range.data}};
  if (range.alias) item["alias"] = device_id_bdf(segment, *range.alias);
  if (range.ext_data) item["ext_data"] = *range.ext_data;
  return item;
}

const char* variety_name(std::uint8_t variety) {
  switch (variety) {
    case 1: return "ioapic";
    case 2: return "hpet";
    default: return "unknown";
  }
}

Json ivhd_facts(const Ivhd& ivhd) {
  char type[8];
  std::snprintf(type, sizeof type, "0x%02x", ivhd.type);
  Json item{{"offset", ivhd.offset}, {"type", type}, {"type_id", ivhd.type}, {"flags", ivhd.flags},
            {"iommu_bdf", device_id_bdf(ivhd.segment, ivhd.device_id)},
            {"capability_offset", ivhd.capability_offset}, {"base", ivhd.base}, {"base_hex", hex(ivhd.base)},
            {"segment", ivhd.segment}, {"info", ivhd.info}};
  item[ivhd.type == 0x10 ? "feature_reporting" : "attributes"] = ivhd.feature_reporting;
  item["efr"] = ivhd.efr ? Json(*ivhd.efr) : Json(nullptr);
  item["efr_hex"] = ivhd.efr ? Json(hex(*ivhd.efr)) : Json(nullptr);
  if (ivhd.efr2) item["efr2"] = *ivhd.efr2;
  Json ranges = Json::array();
  for (const IvhdRange& range : ivhd.ranges) ranges.push_back(range_facts(ivhd.segment, range));
  Json special = Json::array();
  for (const IvhdSpecial& entry : ivhd.special) {
    special.push_back(Json{{"offset", entry.offset}, {"variety", variety_name(entry.variety)},
                           {"handle", entry.handle}, {"bdf", device_id_bdf(ivhd.segment, entry.device_id)},
                           {"data", entry.data}});
  }
  Json hid = Json::array();
  for (const IvhdAcpiHid& entry : ivhd.acpi_hid) {
    hid.push_back(Json{{"offset", entry.offset}, {"bdf", device_id_bdf(ivhd.segment, entry.device_id)},
                       {"hid", entry.hid}, {"cid", entry.cid}, {"uid", entry.uid}, {"data", entry.data}});
  }
  item["devices"] = std::move(ranges);
  item["special"] = std::move(special);
  item["acpi_hid"] = std::move(hid);
  return item;
}

}  // namespace

Json ivrs_facts(const IvrsTable& table) {
  Json facts = header_facts(table.prelude);
  if (table.prelude.header_ok) {
    facts["ivinfo"] = table.ivinfo;
    facts["efr_sup"] = table.efr_sup();
    facts["preboot_dma_remap"] = table.preboot_dma_remap();
    facts["pa_size"] = table.pa_size();
    facts["va_size"] = table.va_size();
    facts["gva_size"] = table.gva_size();
  } else {
    for (const char* key : {"ivinfo", "efr_sup", "preboot_dma_remap", "pa_size", "va_size", "gva_size"}) {
      facts[key] = nullptr;
    }
  }
  Json ivhd = Json::array();
  for (const Ivhd& unit : table.ivhd) ivhd.push_back(ivhd_facts(unit));
  Json ivmd = Json::array();
  for (const Ivmd& block : table.ivmd) {
    char type[8];
    std::snprintf(type, sizeof type, "0x%02x", block.type);
    ivmd.push_back(Json{{"offset", block.offset}, {"type", type}, {"type_id", block.type}, {"flags", block.flags},
                        {"unity", (block.flags & 1) != 0}, {"read", (block.flags & 2) != 0},
                        {"write", (block.flags & 4) != 0}, {"exclusion", (block.flags & 8) != 0},
                        {"first_bdf", device_id_bdf(0, block.first)}, {"last_bdf", device_id_bdf(0, block.last)},
                        {"start", block.start}, {"start_hex", hex(block.start)}, {"length", block.length},
                        {"end_hex", hex(block.start + (block.length ? block.length - 1 : 0))}});
  }
  facts["ivhd"] = std::move(ivhd);
  facts["ivmd"] = std::move(ivmd);
  add_findings(facts, table.unknown, table.warnings, table.errors);
  return facts;
}

}  // namespace ptdoctor::acpi
