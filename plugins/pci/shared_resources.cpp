#include "shared_resources.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
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

// Linear in what it writes: the functions on each line are listed once, and each function's list is its line's
// list without itself. (The lists themselves are quadratic when many functions share a line: every one names all
// the others, as the fact says.)
void add_shared_irq(std::vector<DeviceRecord>& records, const std::vector<std::string>& bdfs) {
  std::vector<std::optional<std::uint64_t>> lines;
  lines.reserve(records.size());
  std::map<std::uint64_t, std::vector<std::size_t>> on_line;  // INTx line -> its functions, in record order
  std::vector<std::string> unknown_why;                        // "BDF (why)" of each function whose line is unknown
  for (std::size_t j = 0; j < records.size(); ++j) {
    lines.push_back(intx_line(records[j]));
    if (!lines[j]) unknown_why.push_back(bdfs[j] + " (" + intx_unknown_reason(records[j]) + ")");
    else if (*lines[j] != 0) on_line[*lines[j]].push_back(j);
  }
  // A function on a line cannot be said to share it alone while another's line is unknown: the same reason for all.
  const std::string others_unknown =
      unknown_why.empty() ? "" : "cannot tell which line these functions use: " + join(unknown_why);
  for (std::size_t i = 0; i < records.size(); ++i) {
    Json& facts = records[i].facts;
    if (!lines[i]) {
      facts["shares_irq_with"] = nullptr;
      records[i].unknown["shares_irq_with"] = bdfs[i] + ": " + intx_unknown_reason(records[i]);
      continue;
    }
    if (*lines[i] != 0 && !others_unknown.empty()) {
      facts["shares_irq_with"] = nullptr;
      records[i].unknown["shares_irq_with"] = others_unknown;
      continue;
    }
    Json sharing = Json::array();
    if (*lines[i] != 0) {
      const std::vector<std::size_t>& same_line = on_line[*lines[i]];
      auto& list = sharing.get_ref<Json::array_t&>();
      list.reserve(same_line.size() - 1);
      for (std::size_t j : same_line) {
        if (j != i) list.emplace_back(bdfs[j]);
      }
    }
    facts["shares_irq_with"] = std::move(sharing);
  }
}

// Every placed page range of every function, sorted by first page, with the running maximum of the last pages:
// the ranges that overlap [first, last] are found by a binary search and a walk back that stops where no earlier
// range reaches `first`. Comparing every pair of functions instead was n² (1.1 G instructions at 4,096).
class PageIndex {
 public:
  explicit PageIndex(const std::vector<std::optional<std::vector<PageRange>>>& pages) {
    for (std::size_t owner = 0; owner < pages.size(); ++owner) {
      if (!pages[owner]) continue;
      for (const PageRange& range : *pages[owner]) ranges_.push_back({range.first, range.second, owner});
    }
    std::sort(ranges_.begin(), ranges_.end(),
              [](const Entry& a, const Entry& b) { return a.first < b.first; });
    std::uint64_t reach = 0;
    for (const Entry& entry : ranges_) {
      reach = std::max(reach, entry.last);
      reach_.push_back(reach);
    }
  }

  // The functions but `self` with a range overlapping one of `ranges`, in record order.
  std::vector<std::size_t> sharing(const std::vector<PageRange>& ranges, std::size_t self) const {
    std::vector<std::size_t> owners;
    for (const PageRange& range : ranges) {
      auto end = std::upper_bound(ranges_.begin(), ranges_.end(), range.second,
                                  [](std::uint64_t page, const Entry& entry) { return page < entry.first; });
      for (std::size_t k = static_cast<std::size_t>(end - ranges_.begin()); k > 0 && reach_[k - 1] >= range.first;
           --k) {
        const Entry& entry = ranges_[k - 1];
        if (entry.owner != self && entry.last >= range.first) owners.push_back(entry.owner);
      }
    }
    std::sort(owners.begin(), owners.end());
    owners.erase(std::unique(owners.begin(), owners.end()), owners.end());
    return owners;
  }

 private:
  struct Entry {
    std::uint64_t first;
    std::uint64_t last;
    std::size_t owner;
  };
  std::vector<Entry> ranges_;
  std::vector<std::uint64_t> reach_;  // reach_[k]: the largest `last` of ranges_[0..k]
};

void add_shared_page(std::vector<DeviceRecord>& records, const std::vector<std::string>& bdfs) {
  std::vector<std::optional<std::vector<PageRange>>> pages;
  std::vector<std::string> unknown;  // the functions whose BARs are unknown
  for (std::size_t j = 0; j < records.size(); ++j) {
    pages.push_back(memory_pages(records[j]));
    if (!pages[j]) unknown.push_back(bdfs[j]);
  }
  const std::string others_unknown = unknown.empty() ? "" : "the BARs of " + join(unknown) + " are unknown";
  const PageIndex index(pages);
  for (std::size_t i = 0; i < records.size(); ++i) {
    Json& facts = records[i].facts;
    if (!pages[i]) {
      facts["shares_page_with"] = nullptr;
      records[i].unknown["shares_page_with"] = bdfs[i] + ": its BARs are unknown (sysfs resource unreadable)";
      continue;
    }
    if (!pages[i]->empty() && !others_unknown.empty()) {
      facts["shares_page_with"] = nullptr;
      records[i].unknown["shares_page_with"] = others_unknown;
      continue;
    }
    Json sharing = Json::array();
    for (std::size_t j : index.sharing(*pages[i], i)) sharing.push_back(bdfs[j]);
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
