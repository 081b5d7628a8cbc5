// The gpu plugin's pieces on hand-made facts: RMRR coverage, ACS-path isolation, quirk data, target choice.
#include <gtest/gtest.h>

#include "binding.hpp"
#include "gpu_candidate.hpp"
#include "pci_facts_view.hpp"
#include "quirk_db.hpp"
#include "target_selection.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::gpu {
namespace {

Json device(const std::string& bdf, const std::string& cls, Json parent, Json extra = Json::object()) {
  Json d = {{"bdf", bdf}, {"class", cls}, {"vendor_id", "0x1002"}, {"device_id", "0x67df"},
            {"parent_bridge", parent}, {"is_bridge", cls == "0x0604"}, {"driver", nullptr}, {"boot_vga", false}};
  for (auto& [key, value] : extra.items()) d[key] = value;
  return d;
}

Json acs(bool enabled) { return {{"present", enabled}, {"enabled", enabled}}; }

// A switch: root port 00:01.0 -> upstream 01:00.0 -> downstream 02:00.0 (GPU 03:00.*), 02:01.0 (NIC 04:00.0).
FactStore switch_host(bool downstream_acs) {
  FactStore facts;
  facts.set("pci.devices",
            Json::array({device("0000:00:01.0", "0x0604", nullptr, {{"acs", acs(true)}, {"port_type", "root_port"}}),
                         device("0000:01:00.0", "0x0604", "0000:00:01.0",
                                {{"acs", acs(false)}, {"port_type", "upstream_port"}}),
                         device("0000:02:00.0", "0x0604", "0000:01:00.0",
                                {{"acs", acs(downstream_acs)}, {"port_type", "downstream_port"}}),
                         device("0000:02:01.0", "0x0604", "0000:01:00.0",
                                {{"acs", acs(downstream_acs)}, {"port_type", "downstream_port"}}),
                         device("0000:03:00.0", "0x0300", "0000:02:00.0"),
                         device("0000:03:00.1", "0x0403", "0000:02:00.0"),
                         device("0000:04:00.0", "0x0200", "0000:02:01.0")}),
            "test");
  return facts;
}

TEST(GpuIsolation, DownstreamPortWithoutAcsExposesTheWholeSwitch) {
  FactStore facts = switch_host(false);
  pci::PciFactsView pci(facts);
  Json candidate = build_candidate(pci, facts, *pci.device("0000:03:00.0"), nullptr);
  EXPECT_EQ(candidate["isolation_source"], "acs_path");
  EXPECT_EQ(candidate["isolation_peers"], Json::array({"0000:04:00.0"}));
  EXPECT_EQ(candidate["functions"], Json::array({"0000:03:00.0", "0000:03:00.1"}));
  EXPECT_TRUE(candidate["quirks"].is_null());  // no quirk data: unknown, not "none"
}

TEST(GpuIsolation, AcsOnTheDownstreamPortsIsolates) {
  FactStore facts = switch_host(true);
  pci::PciFactsView pci(facts);
  Json candidate = build_candidate(pci, facts, *pci.device("0000:03:00.0"), nullptr);
  EXPECT_EQ(candidate["isolation_peers"], Json::array());
  EXPECT_EQ(candidate["bus_peers"], Json::array());
  EXPECT_EQ(candidate["acs_path"].size(), 2u);  // the upstream port is not judged
}

TEST(GpuIsolation, UnknownAcsMakesPeersUnknown) {
  FactStore facts = switch_host(true);
  Json devices = *facts.find("pci.devices");
  devices[2]["acs"] = nullptr;  // the GPU's downstream port  // config space beyond 256 bytes unreadable
  facts.set("pci.devices", devices, "test");
  pci::PciFactsView pci(facts);
  Json candidate = build_candidate(pci, facts, *pci.device("0000:03:00.0"), nullptr);
  EXPECT_TRUE(candidate["isolation_peers"].is_null());
}

TEST(GpuRmrr, RegionsCoveringTheSlotAreListedWithWhoShares) {
  FactStore facts = switch_host(true);
  facts.set("acpi.dmar.present", true, "test");
  facts.set("acpi.dmar.rmrr",
            Json::array({{{"base", 0xbf7ec000}, {"limit", 0xbf7fffff}, {"base_hex", "0xbf7ec000"},
                          {"limit_hex", "0xbf7fffff"}, {"devices", Json::array({"0000:03:00.1", "0000:04:00.0"})}}}),
            "test");
  pci::PciFactsView pci(facts);
  Json candidate = build_candidate(pci, facts, *pci.device("0000:03:00.0"), nullptr);
  ASSERT_EQ(candidate["rmrr"].size(), 1u);
  EXPECT_EQ(candidate["rmrr"][0]["device"], "0000:03:00.1");
  EXPECT_EQ(candidate["rmrr"][0]["shared_with"], Json::array({"0000:04:00.0"}));
  EXPECT_EQ(candidate["rmrr_shared_with"], Json::array({"0000:04:00.0"}));
}

TEST(GpuIsolation, IommuUnitIsTheDrhdScopingTheGpuOrItsBridgeElseTheCatchAll) {
  FactStore facts = switch_host(true);
  facts.set("acpi.dmar.drhd",
            Json::array({{{"segment", 0}, {"base_hex", "0xfed90000"}, {"include_pci_all", false},
                          {"devices", Json::array({"0000:00:02.0"})}},
                         {{"segment", 0}, {"base_hex", "0xfed91000"}, {"include_pci_all", true},
                          {"devices", Json::array()}}}),
            "test");
  pci::PciFactsView pci(facts);
  Json unit = build_candidate(pci, facts, *pci.device("0000:03:00.0"), nullptr)["iommu_unit"];
  EXPECT_EQ(unit["index"], 1);
  EXPECT_EQ(unit["include_pci_all"], true);
  Json scoped = *facts.find("acpi.dmar.drhd");
  scoped[0]["devices"].push_back("0000:00:01.0");  // the root port above the GPU
  facts.set("acpi.dmar.drhd", scoped, "test");
  pci::PciFactsView again(facts);
  EXPECT_EQ(build_candidate(again, facts, *again.device("0000:03:00.0"), nullptr)["iommu_unit"]["index"], 0);
}

TEST(GpuRmrr, NoDmarTableMeansNoRmrr) {
  FactStore facts = switch_host(true);
  facts.set("acpi.dmar.present", false, "test");
  pci::PciFactsView pci(facts);
  EXPECT_EQ(build_candidate(pci, facts, *pci.device("0000:03:00.0"), nullptr)["rmrr"], Json::array());
}

// Linux probes function 0's reset methods before function 1 is on the bus (probe.c pci_device_add), so its
// reset_method may list "bus" that pci_parent_bus_reset refuses once the sibling is there.
TEST(GpuReset, ListedBusResetIsRefusedWhenTheFunctionSharesItsBus) {
  FactStore facts = switch_host(true);
  Json devices = *facts.find("pci.devices");
  devices[4]["reset_methods"] = Json::array({"bus"});
  devices[4]["sysfs_path"] = "/sys/devices/pci0000:00/0000:03:00.0";
  facts.set("pci.devices", devices, "test");
  pci::PciFactsView pci(facts);
  const std::string alone_with_audio =
      build_candidate(pci, facts, *pci.device("0000:03:00.0"), nullptr)["reset_summary"];
  EXPECT_EQ(alone_with_audio.rfind("no reset possible at all under Xen", 0), 0u) << alone_with_audio;
  EXPECT_NE(alone_with_audio.find("since 0000:03:00.1 shares its bus"), std::string::npos) << alone_with_audio;

  devices[4]["reset_methods"] = Json::array({"pm", "bus"});
  facts.set("pci.devices", devices, "test");
  pci::PciFactsView with_pm(facts);
  const std::string pm = build_candidate(with_pm, facts, *with_pm.device("0000:03:00.0"), nullptr)["reset_summary"];
  EXPECT_EQ(pm.rfind("dom0 Linux can reset it with: pm (its reset_method); the bus reset", 0), 0u) << pm;

  devices.erase(5);  // no audio function: alone on its bus, the bus reset is real
  facts.set("pci.devices", devices, "test");
  pci::PciFactsView alone(facts);
  EXPECT_EQ(build_candidate(alone, facts, *alone.device("0000:03:00.0"), nullptr)["reset_summary"],
            "dom0 Linux can reset it with: pm, bus (its reset_method)");
}

// vendor-reset's device table (gnif/vendor-reset src/device-db.h, master 084881c) is the list; 0x1681 is a
// Rembrandt APU that is not in it, and RDNA2 (Navi 21/23) is not either: absent means "not known to need it".
TEST(GpuQuirks, AmdResetListIsVendorResetsTableOnly) {
  auto db = QuirkDb::load({testing::source_path("rules")});
  ASSERT_TRUE(db) << db.error().message;
  for (const char* id : {"0x1681", "0x73bf", "0x73ff", "0x6865"}) {
    EXPECT_EQ(db->match(device("0000:03:00.0", "0x0300", nullptr, {{"device_id", id}})), Json::array()) << id;
  }
  for (const char* id : {"0x67df", "0x687f", "0x66af", "0x731f", "0x7340", "0x738c"}) {
    const Json matched = db->match(device("0000:03:00.0", "0x0300", nullptr, {{"device_id", id}}));
    ASSERT_FALSE(matched.empty()) << id;
    EXPECT_EQ(matched[0]["id"], "amd-reset-bug") << id;
  }
}

TEST(GpuQuirks, ShippedDataLoadsAndMatchesRangesAndNames) {
  auto db = QuirkDb::load({testing::source_path("rules")});
  ASSERT_TRUE(db) << db.error().message;
  // Vega 10: vendor-reset lists 0x6860-0x6864 and 0x6867-0x686f, not 0x6865.
  EXPECT_EQ(db->match(device("0000:03:00.0", "0x0300", nullptr, {{"device_id", "0x6868"}}))[0]["id"],
            "amd-reset-bug");
  EXPECT_EQ(db->match(device("0000:03:00.0", "0x0300", nullptr, {{"device_id", "0x6865"}})), Json::array());
  Json geforce = device("0000:01:00.0", "0x0300", nullptr,
                        {{"vendor_id", "0x10de"}, {"device_id", "0x1c03"}, {"device_name", "GP106 [GeForce GTX 1060 6GB]"}});
  EXPECT_EQ(db->match(geforce)[0]["id"], "nvidia-geforce-code43");
  Json laptop = device("0000:01:00.0", "0x0302", nullptr, {{"vendor_id", "0x10de"}, {"device_name", "TU117M"}});
  EXPECT_EQ(db->match(laptop)[0]["id"], "display-without-outputs");
}

TEST(GpuQuirks, MalformedDataIsAnErrorNamingTheFileAndLine) {
  auto db = QuirkDb::parse("kind: gpu-quirks\nquirks:\n  - id: x\n    title: t\n    severity: fatal\n", "q.yaml");
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().message.find("q.yaml:3"), std::string::npos);
  EXPECT_FALSE(QuirkDb::parse("kind: rules\n", "r.yaml"));
  EXPECT_FALSE(QuirkDb::parse("kind: [\n", "broken.yaml"));
}

// A name pattern goes through the rules' guard: std::regex's compiler overflows a long on a count of more than
// nine digits (undefined behaviour, found by the quirk_cache fuzz target), and a nested repetition can take
// exponential time on a long device name. Both are errors naming the file and line, never compiled.
TEST(GpuQuirks, ANamePatternTheRulesWouldRefuseIsAnErrorNamingTheFileAndLine) {
  const std::string head =
      "kind: gpu-quirks\nquirks:\n  - id: x\n    title: t\n    severity: info\n    explanation: e\n"
      "    workaround: w\n    match:\n      vendor: '10de'\n      name_matches: ";
  for (const char* pattern : {"'GeForce{99999999999999999999}'", "'a{1,4444444444444444444}'",
                              "'(x)\\12345678901234567890'", "'(a+)+b'"}) {
    auto db = QuirkDb::parse(head + pattern + "\n", "q.yaml");
    ASSERT_FALSE(db) << pattern;
    EXPECT_NE(db.error().message.find("q.yaml:3: name_matches: "), std::string::npos) << db.error().message;
  }
  auto fine = QuirkDb::parse(head + "'GeForce [0-9]{3,4}'\n", "q.yaml");
  ASSERT_TRUE(fine) << fine.error().message;
  EXPECT_TRUE(std::regex_search("GeForce 1060", *fine->quirks().at(0).name_matches));
}

TEST(GpuTarget, SeveralSecondaryGpusNeedGpuOption) {
  Json candidates = Json::array({{{"bdf", "0000:01:00.0"}, {"boot_vga", false}, {"name", "A"}},
                                 {{"bdf", "0000:02:00.0"}, {"boot_vga", false}, {"name", "B"}},
                                 {{"bdf", "0000:00:02.0"}, {"boot_vga", true}, {"name", "IGD"}}});
  TargetChoice choice = choose_target(candidates, {});
  EXPECT_TRUE(choice.target.is_null());
  EXPECT_EQ(choice.reason, "several GPUs could be passed: 0000:01:00.0 (A), 0000:02:00.0 (B); choose one with --gpu");
  EXPECT_EQ(choose_target(candidates, {"0000:02:00.0"}).target, "0000:02:00.0");
}

// A binding fact holds what the host says or nothing: an unbound function, a stub and pciback name no driver a
// softdep could order (it once held the placeholder "DRIVER" there, which `ptdoctor facts` showed as a value).
TEST(GpuBinding, HoldsOnlyRealValues) {
  FactStore facts;
  facts.set("kernel.pciback.hide", Json::array({"0000:03:00.0"}), "test");
  facts.set("kernel.pciback.loaded", true, "test");
  const std::string bdf = "0000:03:00.0";
  const std::vector<std::pair<Json, std::string>> cases = {
      {nullptr, "unbound"}, {"pciback", "pciback"}, {"vfio-pci", "stub"}, {"amdgpu", "hidden-but-held"}};
  for (const auto& [driver, state] : cases) {
    Json binding = describe_binding(facts, bdf, driver);
    EXPECT_EQ(binding["state"], state) << driver;
    EXPECT_EQ(binding["driver"], driver) << "the bound driver, null for none";
    std::vector<std::string> keys;
    for (const auto& item : binding.items()) keys.push_back(item.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"driver", "state", "text"})) << driver;
    EXPECT_EQ(binding.dump().find("DRIVER"), std::string::npos) << binding.dump();
  }
  EXPECT_EQ(describe_binding(FactStore(), bdf, "radeon")["state"], "held");
  EXPECT_TRUE(describe_binding(facts, bdf, 7).is_null()) << "a driver fact that is not text is unknown";
}

}  // namespace
}  // namespace ptdoctor::gpu
