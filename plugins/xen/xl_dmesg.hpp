#pragma once
// What `xl dmesg` (Xen's console ring) says about the IOMMU and hardware virtualisation. The ring is small:
// when the boot banner ("Xen version ...") has scrolled out, a missing line proves nothing.
#include <optional>
#include <string>
#include <string_view>

namespace ptdoctor::hostplug {

struct XlDmesg {
  bool truncated = true;                       // no "Xen version" line near the top
  std::optional<std::string> version_line;     // "Xen version 4.17.3 (...)"
  std::optional<bool> io_virtualisation;       // "I/O virtualisation enabled|disabled"
  std::optional<bool> interrupt_remapping;     // "Interrupt remapping enabled|disabled"
  bool vtd = false;                            // "Intel VT-d ... enabled" lines
  bool amd_vi = false;                         // "AMD-Vi: IOMMU N Enabled." / "AMD-Vi: ... enabled"
  bool vmx = false;                            // "HVM: VMX enabled"
  bool svm = false;                            // "HVM: SVM enabled"
  bool vmx_disabled_by_bios = false;           // "CPUn: VMX disabled by BIOS."
  bool hap = false;                            // "HVM: Hardware Assisted Paging (HAP) detected"
  // "[VT-D]Disabling IOMMU due to Intel X58 chipset errata #62 and #69" (or "erratum #69", or "5500/5520 chipset
  // errata #47 and #53"): Xen's Tylersburg quirk switched the IOMMU off (xen/drivers/passthrough/vtd/quirks.c).
  std::optional<std::string> iommu_errata_line;
};

XlDmesg parse_xl_dmesg(std::string_view text);

}  // namespace ptdoctor::hostplug
