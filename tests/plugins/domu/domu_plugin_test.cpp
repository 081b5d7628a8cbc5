// The domu plugin on the generated domU-config hosts (tests/fixtures/hostgen/domu.py).
#include <gtest/gtest.h>

#include "plugin_harness.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

const std::vector<std::string> kPlugins = {"pci", "acpi", "kernel", "xen", "domu"};

Json entry_for(const Json& list, const std::string& bdf) {
  for (const Json& entry : list) {
    if (entry.value("bdf", "") == bdf) return entry;
  }
  return nullptr;
}

TEST(DomuPlugin, ReadsTheGuidesConfigWithLinesAndHostFacts) {
  auto facts = run_plugins(kPlugins, fixture_host("guide-domu-rmrr"));
  Json configs = fact(facts, "domu.configs");
  ASSERT_EQ(configs.size(), 1u) << configs.dump(1);
  const Json& win = configs[0];
  EXPECT_EQ(win["file"], "/etc/xen/win");
  EXPECT_EQ(win["parsed"], true);
  EXPECT_EQ(win["type"], "hvm");
  EXPECT_EQ(win["keys"]["builder"]["line"], 2);
  EXPECT_EQ(win["keys"]["on_xend_stop"]["line"], 23);
  EXPECT_EQ(win["keys"]["on_xend_stop"]["value"], "shutdown");
  EXPECT_EQ(win["keys"]["device_model_version"]["value"], "qemu-xen-traditional");
  EXPECT_EQ(win["device_model_override"]["exists"], false);
  EXPECT_EQ(win["pci_count"], 6);
  EXPECT_EQ(fact(facts, "domu.xl_version"), "4.21.0");

  Json pci = fact(facts, "domu.pci");
  Json card = entry_for(pci, "0000:01:00.0");
  EXPECT_EQ(card["line"], 21);
  EXPECT_EQ(card["driver"], "pciback");
  EXPECT_EQ(card["hidden"], true);
  EXPECT_EQ(card["rmrr_shared"], false);
  Json ehci = entry_for(pci, "0000:00:1d.7");
  EXPECT_EQ(ehci["line"], 22);  // the second line of the pci= list
  EXPECT_EQ(ehci["driver"], "ehci-pci");
  EXPECT_EQ(ehci["hidden"], false);
  EXPECT_EQ(ehci["rmrr_shared"], true);
  EXPECT_EQ(ehci["rdm_policy"], "strict");
  // The RMRR is shared with 00:1a.*, which the guide leaves with dom0; its own slot is passed whole.
  EXPECT_EQ(ehci["rmrr_peers_not_passed"],
            (Json{"0000:00:1a.0", "0000:00:1a.1", "0000:00:1a.2", "0000:00:1a.7"}));
  EXPECT_EQ(ehci["slot_functions_not_passed"], Json::array());
  // 0xbf7ec000 is above the default 2048 MiB boundary: libxl moves guest RAM, no conflict.
  EXPECT_EQ(ehci["rmrr_conflict"], false);

  Json vifs = fact(facts, "domu.vifs");
  ASSERT_EQ(vifs.size(), 1u);
  EXPECT_EQ(vifs[0]["bridge"], "xenbr0");
  EXPECT_EQ(vifs[0]["bridge_exists"], true);
}

TEST(DomuPlugin, DebiansOwnFilesInEtcXenAreSkippedWithAReason) {
  auto facts = run_plugins(kPlugins, fixture_host("guide-domu-421"));
  Json configs = fact(facts, "domu.configs");
  ASSERT_EQ(configs.size(), 1u);
  EXPECT_EQ(configs[0]["file"], "/etc/xen/win.cfg");
  std::set<std::string> skipped;
  for (const Json& file : fact(facts, "domu.skipped")) skipped.insert(file["file"].get<std::string>());
  for (const char* path : {"/etc/xen/xl.conf", "/etc/xen/xlexample.hvm", "/etc/xen/scripts", "/etc/xen/auto"}) {
    EXPECT_TRUE(skipped.count(path)) << path;
  }
}

TEST(DomuPlugin, ScenarioSevenFacts) {
  auto facts = run_plugins(kPlugins, fixture_host("guide-domu-421"));
  const Json win = fact(facts, "domu.configs")[0];
  EXPECT_EQ(win["memory"], 4096);
  EXPECT_EQ(win["maxmem"], 8192);
  EXPECT_EQ(win["gfx_passthru"], true);
  EXPECT_EQ(win["passes_intel_igd"], false);
  EXPECT_EQ(win["msitranslate_bdfs"], (Json{"0000:01:00.0", "0000:01:00.1"}));
  EXPECT_EQ(win["msitranslate_nvidia"], false);
  EXPECT_EQ(win["msitranslate_line"], 11);
}

TEST(DomuPlugin, NamedFilesReplaceTheScanAndABrokenOneIsReportedNotFatal) {
  PluginOptions options;
  options["domu"] = {"/srv/domu-cases/syntax-error.cfg", "/srv/domu-cases/usb-relaxed-all.cfg",
                     "/srv/domu-cases/bad-pci.cfg", "/srv/domu-cases/nope.cfg"};
  auto facts = run_plugins(kPlugins, fixture_host("domu-lint"), options);
  Json configs = fact(facts, "domu.configs");
  ASSERT_EQ(configs.size(), 4u);
  EXPECT_EQ(configs[0]["parsed"], false);
  EXPECT_NE(configs[0]["error"].get<std::string>().find("syntax-error.cfg"), std::string::npos) << configs[0].dump();
  EXPECT_EQ(configs[1]["parsed"], true);
  EXPECT_EQ(configs[2]["parsed"], false);
  EXPECT_NE(configs[2]["error"].get<std::string>().find("bad-pci.cfg:5"), std::string::npos) << configs[2].dump();
  EXPECT_EQ(configs[3]["parsed"], false);
  // BB:DD.* takes every function present in the slot.
  Json pci = fact(facts, "domu.pci");
  EXPECT_EQ(pci.size(), 8u);
  EXPECT_EQ(entry_for(pci, "0000:00:1a.7")["rdm_policy"], "relaxed");
  EXPECT_EQ(entry_for(pci, "0000:00:1a.7")["rmrr_peers_not_passed"], Json::array());
}

TEST(DomuPlugin, NothingToReadIsNoConfigsAndUnknownHostFactsStayUnknown) {
  auto empty = run_plugins(kPlugins, fixture_host("empty"));
  EXPECT_EQ(fact(empty, "domu.configs"), Json::array());
  TempTree tree;
  tree.write("/etc/xen/win.cfg", "name = \"w\"\ntype = \"hvm\"\nvif = [ 'bridge=xenbr0' ]\npci = [ '01:00.0' ]\n");
  auto bare = run_plugins(kPlugins, tree.path());
  Json pci = fact(bare, "domu.pci");
  ASSERT_EQ(pci.size(), 1u);
  EXPECT_TRUE(pci[0]["present"].is_null());
  EXPECT_TRUE(fact(bare, "domu.vifs")[0]["bridge_exists"].is_null());
  EXPECT_TRUE(bare.facts.unknown_reason("domu.pci.0.present").has_value());
  EXPECT_TRUE(bare.facts.unknown_reason("domu.vifs.0.bridge_exists").has_value());
}

}  // namespace
}  // namespace ptdoctor::testing
