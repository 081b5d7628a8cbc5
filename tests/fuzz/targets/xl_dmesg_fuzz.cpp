// libFuzzer target: `xl dmesg` (Xen's console ring) through parse_xl_dmesg.
#include "fuzz_check.hpp"
#include "xl_dmesg.hpp"

using ptdoctor::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ptdoctor::fuzz::as_text(data, size);
  const ptdoctor::hostplug::XlDmesg dmesg = ptdoctor::hostplug::parse_xl_dmesg(text);
  if (dmesg.version_line) check(dmesg.version_line->size() <= text.size(), "the version line comes from the input");
  if (dmesg.iommu_errata_line) check(dmesg.iommu_errata_line->size() <= text.size(), "the errata line comes from the input");
  return 0;
}
