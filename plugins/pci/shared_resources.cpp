#include "shared_resources.hpp"

#include <cstdint>
#include <string>
#include <utility>

namespace ptdoctor::pci {
namespace {

// libxl grants a passed device's memory BARs to the guest in whole pages: start >> XC_PAGE_SHIFT for
// (size + XC_PAGE_SIZE - 1) >> XC_PAGE_SHIFT pages (xen-project/xen:tools/libs/light/libxl_pci.c pci_add_dm_done,
// xc_domain_iomem_permission), so a BAR smaller than 4 KiB hands over whatever else lies in its page.
constexpr unsigned kPageShift = 12;

using PageRange = std::pair<std::uint64_t, std::uint64_t>;  // first and last 4 KiB page frame, inclusive

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

// Every record's BDF, read from its facts once: the pairs below are n², and a lookup in a record's facts map per
// pair was most of the time of `facts` on a 4,096-function host.
std::vector<std::string> bdfs_of(const std::vector<DeviceRecord>& records) {
  std::vector<std::string> bdfs;
  bdfs.reserve(records.size());
  for (const DeviceRecord& record : records) bdfs.push_back(record.facts.at("bdf").get<std::string>());
  return bdfs;
}

std::string reason_or(const DeviceRecord& record, const char* field, const std::string& fallback) {
  auto found = record.unknown.find(field);
  return found != record.unknown.end() ? found->second : fallback;
}

// The INTx line a function signals on now, 0 for none; nullopt when unknown. The sysfs `irq` of a function with
// MSI enabled is its first MSI vector (linux:drivers/pci/pci-sysfs.c irq_show), which intx_in_use rules out. In a
// Xen dom0 Linux numbers a GSI's IRQ as the GSI itself (linux:drivers/xen/events/events_base.c
// xen_allocate_irq_gsi), so equal numbers are the same IO-APIC line, as libxl reads it (libxl_pci.c maps the
// `irq` file's value with xc_physdev_map_pirq).
std::optional<std::uint64_t> intx_line(const DeviceRecord& record) {
  if (!record.intx_in_use) return std::nullopt;
  if (!*record.intx_in_use) return 0;
  const Json& irq = record.facts["irq"];
  if (!irq.is_number_unsigned()) return std::nullopt;
  return irq.get<std::uint64_t>();
}

std::string intx_unknown_reason(const DeviceRecord& record) {
  if (!record.intx_in_use) {
    return reason_or(record, "interrupt_pin",
                     reason_or(record, "msi", "its interrupt pin or MSI state is not in the readable config space"));
  }
  return reason_or(record, "irq", "its sysfs irq is unknown");
}

// Page ranges of the memory BARs with an address; nullopt when the BAR list is unknown.
std::optional<std::vector<PageRange>> memory_pages(const DeviceRecord& record) {
  const Json& bars = record.facts["bars"];
  if (!bars.is_array()) return std::nullopt;
  std::vector<PageRange> pages;
  for (const Json& bar : bars) {
    if (bar.value("type", "") != "mem") continue;
    const std::uint64_t start = bar.value("start", std::uint64_t{0});
    const std::uint64_t size = bar.value("size", std::uint64_t{0});
    if (start == 0 || size == 0) continue;  // not placed: nothing is granted
    pages.emplace_back(start >> kPageShift, (start + size - 1) >> kPageShift);
  }
  return pages;
}

bool overlap(const std::vector<PageRange>& a, const std::vector<PageRange>& b) {
  for (const PageRange& x : a) {
    for (const PageRange& y : b) {
      if (x.first <= y.second && y.first <= x.second) return true;
    }
  }
  return false;
}

void add_shared_irq(std::vector<DeviceRecord>& records, const std::vector<std::string>& bdfs) {
  std::vector<std::optional<std::uint64_t>> lines;
  std::vector<std::string> unknown_why(records.size());  // "BDF (why)" of each function whose line is unknown
  for (std::size_t j = 0; j < records.size(); ++j) {
    lines.push_back(intx_line(records[j]));
    if (!lines[j]) unknown_why[j] = bdfs[j] + " (" + intx_unknown_reason(records[j]) + ")";
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    Json& facts = records[i].facts;
    if (!lines[i]) {
      facts["shares_irq_with"] = nullptr;
      records[i].unknown["shares_irq_with"] = bdfs[i] + ": " + intx_unknown_reason(records[i]);
      continue;
    }
    Json sharing = Json::array();
    std::vector<std::string> unknown;
    for (std::size_t j = 0; j < records.size() && *lines[i] != 0; ++j) {
      if (j == i) continue;
      if (!lines[j]) {
        unknown.push_back(unknown_why[j]);
      } else if (unknown.empty() && *lines[j] == *lines[i]) {
        sharing.push_back(bdfs[j]);
      }
    }
    if (!unknown.empty()) {
      facts["shares_irq_with"] = nullptr;
      records[i].unknown["shares_irq_with"] = "cannot tell which line these functions use: " + join(unknown);
      continue;
    }
    facts["shares_irq_with"] = std::move(sharing);
  }
}

void add_shared_page(std::vector<DeviceRecord>& records, const std::vector<std::string>& bdfs) {
  std::vector<std::optional<std::vector<PageRange>>> pages;
  for (const DeviceRecord& record : records) pages.push_back(memory_pages(record));
  for (std::size_t i = 0; i < records.size(); ++i) {
    Json& facts = records[i].facts;
    if (!pages[i]) {
      facts["shares_page_with"] = nullptr;
      records[i].unknown["shares_page_with"] = bdfs[i] + ": its BARs are unknown (sysfs resource unreadable)";
      continue;
    }
    Json sharing = Json::array();
    std::vector<std::string> unknown;
    for (std::size_t j = 0; j < records.size() && !pages[i]->empty(); ++j) {
      if (j == i) continue;
      if (!pages[j]) {
        unknown.push_back(bdfs[j]);
      } else if (unknown.empty() && overlap(*pages[i], *pages[j])) {
        sharing.push_back(bdfs[j]);
      }
    }
    if (!unknown.empty()) {
      facts["shares_page_with"] = nullptr;
      records[i].unknown["shares_page_with"] = "the BARs of " + join(unknown) + " are unknown";
      continue;
    }
    facts["shares_page_with"] = std::move(sharing);
  }
}

}  // namespace

void add_shared_resources(std::vector<DeviceRecord>& records) {
  const std::vector<std::string> bdfs = bdfs_of(records);
  add_shared_irq(records, bdfs);
  add_shared_page(records, bdfs);
}

}  // namespace ptdoctor::pci
