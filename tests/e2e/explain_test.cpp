// `ptdoctor explain` on the messages users paste from xl, libxl, Xen and the kernel (issue 9, domain audit
// finding 13), judged with the SHIPPED rules. Wordings are libxl's/Xen's own (sources in each rule's comment).
#include <gtest/gtest.h>

#include <regex>

#include "e2e_util.hpp"

namespace ptdoctor::testing {
namespace {

struct Pasted {
  const char* message;
  const char* rule;  // one of the rules that must recognise it
};

const Pasted kMessages[] = {
    {"libxl: error: libxl_pci.c:409:libxl_device_pci_assignable_list: Looks like pciback driver not loaded",
     "kernel.pciback-loaded"},
    {"libxl: error: libxl_pci.c:1484: Looks like pciback driver is not loaded", "kernel.pciback-loaded"},
    {"libxl: error: libxl_pci.c:1777:libxl__device_pci_add: Domain 1:PCI device 0000:03:00.0 is not assignable",
     "domu.pci-assignable"},
    {"libxl: error: libxl_pci.c:1777:libxl__device_pci_add: Domain 1:PCI device 0000:03:00.0 is not assignable",
     "gpu.pciback-ready"},
    {"libxl: error: libxl_pci.c:1566:libxl__device_pci_add: Domain 3:PCI device 0000:00:1d.0 already assigned to "
     "a different guest?",
     "domu.pci-assignable"},
    {"(XEN) [VT-D] It's disallowed to assign 0000:00:1a.0 with shared RMRR at db7d7000 for d10.",
     "domu.pci-rmrr-shared"},
    {"(XEN) [VT-D] It's disallowed to assign 0000:00:1a.0 with shared RMRR at db7d7000 for d10.", "usb.rmrr-shared"},
    {"libxl: error: libxl_dm.c:463:libxl__domain_device_construct_rdm: RDM conflict at 0x7ae00000.",
     "domu.pci-rmrr-conflict"},
    {"libxl: error: libxl_pci.c:1480:libxl__device_pci_reset: Domain 2:The kernel doesn't support reset from sysfs "
     "for PCI device 0000:01:00.0",
     "gpu.flr"},
    {"libxl: error: libxl_pci.c:1475:libxl__device_pci_reset: Domain 2:write to "
     "/sys/bus/pci/devices/0000:01:00.0/reset returned -1: Inappropriate ioctl for device",
     "gpu.flr"},
    // The Xen lab's HVM `xl create` on Debian's Xen 4.17.7 under QEMU TCG (no NPT, no shadow paging).
    {"libxl: error: libxl_create.c:46:libxl__domain_create_info_setdefault: neither hap nor shadow paging available",
     "xen.hvm-paging"},
    {"libxl: error: libxl_create.c:1200:domcreate_rebuild_done: Domain 5:IOMMU required for device passthrough but "
     "not supported together with PoD",
     "domu.pod-with-pci"},
    {"libxl: error: libxl_create.c:1156: PCI device assignment for HVM guest failed due to PoD enabled",
     "domu.pod-with-pci"},
    {"libxl: error: libxl_dm.c:1595:libxl__build_device_model_args_new: Domain 4:unable to detect required "
     "gfx_passthru_kind",
     "domu.gfx-passthru-igd"},
    // Xen's Tylersburg quirk (xen/drivers/passthrough/vtd/quirks.c): "errata #62 and #69" or "erratum #69".
    {"(XEN) [VT-D]Disabling IOMMU due to Intel X58 chipset errata #62 and #69", "xen.iommu-intremap-errata"},
    {"(XEN) [VT-D]Disabling IOMMU due to Intel 5500/5520 chipset erratum #69", "xen.iommu-intremap-errata"},
    {"Unknown device_model_version \"qemu-xen-traditional\" specified", "domu.device-model-version"},
    {"(XEN) CPU0: VMX disabled by BIOS.", "xen.hvm"},
    {"[    0.712345] xen_pciback: Error parsing pci_devs_to_hide at \"(08:00.0\"", "kernel.pciback-hide-list-valid"},
    {"unable to parse PCI_SPEC_STRING `08:00.0,foo=1' for passthrough", "domu.config-parses"},
};

TEST(Explain, RecognisesTheMessagesUsersPaste) {
  for (const Pasted& pasted : kMessages) {
    auto result = run_ptdoctor({"explain", "--json", pasted.message});
    EXPECT_EQ(result.exit_code, 0) << pasted.message << "\n" << result.err;
    Json matched = parse_json_output(result);
    bool found = false;
    for (const Json& rule : matched) found = found || rule.value("id", "") == pasted.rule;
    EXPECT_TRUE(found) << pasted.rule << " does not recognise: " << pasted.message << "\n" << matched.dump(1);
  }
}

TEST(Explain, AnUnknownMessageIsNoKnownCauseWithTheClosestRulesNotAUsageError) {
  auto result = run_ptdoctor({"explain", "libxl: error: libxl_pci.c:99: frobnicating the assignable PCI device "
                                         "failed: pciback said no"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("no known cause"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("closest rules: "), std::string::npos) << result.out;
  // The words it shares point at the pciback rules.
  EXPECT_NE(result.out.find("pciback"), std::string::npos) << result.out;
  auto json = run_ptdoctor({"explain", "--json", "zzzz qqqq"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_EQ(parse_json_output(json), Json::array());
}

TEST(Explain, ARuleIdStillExplainsTheRule) {
  auto result = run_ptdoctor({"explain", "domu.pod-with-pci"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("populate-on-demand"), std::string::npos) << result.out;
}

// Without a host, explain shows each value a fix needs as a marked "<...>" (UX review finding 22, issue 15): never a
// raw `{fact.path}` template, a `{file:NAME}`, nor a made-up device such as 08:00.0. The rule's
// expressions show with -v only.
TEST(Explain, EveryRuleReadsWithoutTemplatesOrMadeUpDevices) {
  auto listed = run_ptdoctor({"rules", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const std::regex placeholder(R"(\{(file:)?[a-z_]+(\.[A-Za-z0-9_]+)*(\|[a-z0-9-]+)?\})");
  // A concrete address is made up without a host; the notation BB:DD.F (how to write one) is not.
  const std::regex made_up_device(R"(\b[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]\b)");
  std::size_t marked = 0;
  for (const Json& rule : parse_json_output(listed)) {
    const std::string id = rule.value("id", "");
    auto result = run_ptdoctor({"explain", id});
    ASSERT_EQ(result.exit_code, 0) << id << "\n" << result.err;
    std::string shown = result.out.substr(0, result.out.find("\nRecognises these messages:"));
    EXPECT_FALSE(std::regex_search(shown, placeholder)) << id << "\n" << shown;
    EXPECT_FALSE(std::regex_search(shown, made_up_device)) << id << "\n" << shown;
    EXPECT_EQ(shown.find("Check:\n"), std::string::npos) << id << ": the expression shows with -v only";
    marked += shown.find("<...> stands for a value of the judged host") != std::string::npos;
  }
  EXPECT_GT(marked, 10u) << "the rules whose fixes name host values say what <...> means";

  auto plain = run_ptdoctor({"explain", "kernel.pciback-hide"});
  EXPECT_NE(plain.out.find("`options xen-pciback hide=<xen-pciback hide list of gpu.target_info.functions>` to "
                           "/etc/modprobe.d/ptdoctor-xen-pciback.conf"),
            std::string::npos)
      << "the file the planner writes, the value marked:\n" << plain.out;
  auto verbose = run_ptdoctor({"explain", "-v", "kernel.pciback-hide"});
  EXPECT_NE(verbose.out.find("Check:\n  {gt: [{length: $kernel.pciback.hide}, 0]}"), std::string::npos) << verbose.out;
}

}  // namespace
}  // namespace ptdoctor::testing
