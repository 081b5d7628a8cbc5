#include "fix/planner.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "fix/actions.hpp"
#include "fix/shell_variable.hpp"
#include "fix_test_util.hpp"
#include "guide_machine.hpp"
#include "temp_tree.hpp"
#include "xl_oracle.hpp"

namespace ptdoctor::fix {
namespace {

using testing::guide_choices;
using testing::guide_facts;

const std::set<std::string> kGuideSix = {"0000:08:00.0", "0000:08:00.1", "0000:00:1d.0",
                                         "0000:00:1d.1", "0000:00:1d.2", "0000:00:1d.7"};

const PlanStep* find_step(const Plan& plan, const std::string& id) {
  for (const PlanStep& step : plan.steps) {
    if (step.id == id) return &step;
  }
  return nullptr;
}

// The words of one variable in the planned /etc/default/grub; empty (and a failure) when there is no grub step.
std::vector<std::string> planned_grub_words(const Plan& plan, const std::string& key) {
  const PlanStep* grub = find_step(plan, "grub.defaults");
  if (grub == nullptr) {
    ADD_FAILURE() << "no grub.defaults step";
    return {};
  }
  return shell_variable_words(grub->file->after, key);
}

// A failing rule result with its fixes, as the rule engine hands it to the planner.
RuleResult failed_rule(std::string id, Severity severity, std::string message, std::vector<Fix> fixes,
                       std::string caused_by = "") {
  RuleResult result;
  result.rule_id = std::move(id);
  result.severity = severity;
  result.status = RuleStatus::kFail;
  result.message = std::move(message);
  result.fixes = std::move(fixes);
  result.caused_by = std::move(caused_by);
  return result;
}

class GuidePlan : public ::testing::Test {
 protected:
  void SetUp() override { testing::write_guide_tree(tree); }
  Plan plan(const FactStore& facts, const Choices& choices = guide_choices()) {
    auto host = testing::open_root(tree.path());
    auto made = make_plan(facts, *host, choices);
    EXPECT_TRUE(made) << (made ? "" : made.error().message);
    return made ? std::move(*made) : Plan{};
  }
  testing::TempTree tree;
};

TEST_F(GuidePlan, HidesTheGpuFunctionsAndTheWholeUsbGroup) {
  Plan made = plan(guide_facts());
  EXPECT_EQ(std::set<std::string>(made.hide_list.begin(), made.hide_list.end()), kGuideSix);
  EXPECT_EQ(made.hide_list.size(), 6u);
}

TEST_F(GuidePlan, DomuConfigHasTheSixDevicesAndLibxlutilAcceptsIt) {
  Plan made = plan(guide_facts());
  const PlanStep* domu = find_step(made, "domu.config");
  ASSERT_NE(domu, nullptr);
  EXPECT_EQ(domu->file->path, "/etc/xen/win.cfg");
  testing::XlParsed parsed = testing::parse_with_libxlutil(domu->file->after);
  ASSERT_TRUE(parsed.ok) << parsed.error << "\n" << domu->file->after;
  EXPECT_EQ(std::set<std::string>(parsed.pci_bdf.begin(), parsed.pci_bdf.end()), kGuideSix);
  // Relaxed exactly where the RMRR is shared: the USB functions, not the GPU.
  for (std::size_t i = 0; i < parsed.pci_bdf.size(); ++i) {
    bool usb = parsed.pci_bdf[i].rfind("0000:00:1d.", 0) == 0;
    EXPECT_EQ(parsed.pci_relaxed[i], usb) << parsed.pci[i];
  }
  EXPECT_TRUE(parsed.has("type"));
  for (const char* obsolete : {"builder", "device_model_version", "gfx_passthru", "on_xend_stop", "rdm", "vncpasswd"}) {
    EXPECT_FALSE(parsed.has(obsolete)) << obsolete;
  }
  ASSERT_EQ(parsed.disks.size(), 1u);
  EXPECT_TRUE(parsed.disks_ok[0]) << parsed.disks[0];
  EXPECT_NE(domu->file->after.find("vnclisten = \"127.0.0.1\""), std::string::npos);
  EXPECT_NE(domu->file->after.find("mac=00:16:3e:"), std::string::npos);
  bool warned = false;
  for (const auto& warning : domu->warnings) warned = warned || warning.find("rdm_policy=relaxed") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST_F(GuidePlan, FirstInstallVariantHasNoPciAndBootsTheInstaller) {
  Choices choices = guide_choices();
  choices.cdrom = "/srv/iso/win7.iso";
  Plan made = plan(guide_facts(), choices);
  const PlanStep* install = find_step(made, "domu.install-config");
  ASSERT_NE(install, nullptr);
  testing::XlParsed parsed = testing::parse_with_libxlutil(install->file->after);
  ASSERT_TRUE(parsed.ok) << parsed.error;
  EXPECT_FALSE(parsed.has("pci"));
  ASSERT_EQ(parsed.disks.size(), 2u);
  EXPECT_TRUE(parsed.disks_ok[1]) << parsed.disks[1];
  EXPECT_NE(install->file->after.find("boot = \"dc\""), std::string::npos);
}

TEST_F(GuidePlan, ModulePcibackGetsModprobeOptionsSoftdepsAndTheInitramfs) {
  Plan made = plan(guide_facts());
  const PlanStep* modprobe = find_step(made, "pciback.modprobe");
  ASSERT_NE(modprobe, nullptr);
  EXPECT_EQ(find_step(made, "grub.defaults") != nullptr &&
                find_step(made, "grub.defaults")->file->after.find("pciback.hide") != std::string::npos,
            false);
  const std::string& text = modprobe->file->after;
  // radeon drives the card now; amdgpu could take an AMD card on another kernel, so both wait for pciback.
  for (const char* line : {"softdep radeon pre: xen-pciback\n", "softdep amdgpu pre: xen-pciback\n",
                           "softdep snd_hda_intel pre: xen-pciback\n", "softdep uhci_hcd pre: xen-pciback\n",
                           "softdep ehci_pci pre: xen-pciback\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line;
  }
  ASSERT_NE(find_step(made, "modules.xen-pciback"), nullptr);
  ASSERT_NE(find_step(made, "pciback.initramfs"), nullptr);
  ASSERT_NE(find_step(made, "initramfs.update"), nullptr);
  EXPECT_EQ(find_step(made, "initramfs.update")->argv, (std::vector<std::string>{"update-initramfs", "-u"}));
  // modprobe itself reads the file: the options and softdeps it reports are ours.
  testing::TempTree conf;
  conf.write("/ptdoctor-xen-pciback.conf", text);
  int status = -1;
  std::string out = testing::run_program({"modprobe", "-C", conf.path(), "-c"}, &status);
  ASSERT_EQ(status, 0);
  std::string options_line;
  std::size_t at = out.find("options xen_pciback hide=");
  ASSERT_NE(at, std::string::npos) << out;
  options_line = out.substr(at, out.find('\n', at) - at);
  for (const std::string& bdf : kGuideSix) EXPECT_NE(options_line.find("(" + bdf + ")"), std::string::npos) << bdf;
  EXPECT_NE(out.find("softdep radeon pre: xen-pciback"), std::string::npos) << out;
}

// The kernel line's hide list replaces modprobe.d's (libkmod appends the command line's options; the kernel keeps
// the last value): when the next boot's dom0 line hides something already, the whole list goes there.
TEST_F(GuidePlan, ModulePcibackWithAHideListOnTheKernelLineExtendsThatLine) {
  FactStore facts = guide_facts();
  facts.set("kernel.grub.xen_dom0_pciback_hide", Json::array({"0000:08:00.0"}), "test");
  Plan made = plan(facts);
  std::string hide;
  for (const std::string& word : planned_grub_words(made, "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT")) {
    if (word.rfind("xen-pciback.hide=", 0) == 0) hide = word;
  }
  for (const std::string& bdf : kGuideSix) EXPECT_NE(hide.find("(" + bdf + ")"), std::string::npos) << bdf << hide;
  const PlanStep* modprobe = find_step(made, "pciback.modprobe");
  ASSERT_NE(modprobe, nullptr);  // the module still needs its softdeps
  EXPECT_EQ(modprobe->file->after.find("options xen-pciback hide="), std::string::npos) << modprobe->file->after;
  EXPECT_NE(modprobe->file->after.find("softdep radeon pre: xen-pciback"), std::string::npos);
}

// An entry xen-pciback cannot parse makes its init fail with -EINVAL ("Error parsing pci_devs_to_hide",
// linux:drivers/xen/xen-pciback/pci_stub.c pcistub_init), so pciback hides nothing: merging the user's list must
// drop it (once it was kept, and the fixed list still hid nothing) while keeping good entries and wildcards.
TEST_F(GuidePlan, MergingAnExistingKernelLineHideListDropsWhatPcibackCannotParse) {
  tree.write("/etc/default/grub",
             std::string(testing::kDebianGrub) +
                 "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT=\"quiet xen-pciback.hide=(09:00.0)(zz:00.1)(0000:0a:00.*)\"\n");
  FactStore facts = guide_facts();
  facts.set("kernel.grub.xen_dom0_pciback_hide", Json::array({"0000:09:00.0"}), "test");
  facts.set("kernel.pciback.hide_errors",
            Json::array({"/etc/default/grub GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT: entry 2 \"(zz:00.1)\" is not a "
                         "PCI address"}),
            "test");
  Plan made = plan(facts);
  std::string hide;
  for (const std::string& word : planned_grub_words(made, "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT")) {
    if (word.rfind("xen-pciback.hide=", 0) == 0) hide = word;
  }
  EXPECT_EQ(hide.find("zz"), std::string::npos) << hide;
  EXPECT_NE(hide.find("(0000:09:00.0)"), std::string::npos) << hide;
  EXPECT_NE(hide.find("(0000:0a:00.*)"), std::string::npos) << hide;
  for (const std::string& bdf : kGuideSix) EXPECT_NE(hide.find("(" + bdf + ")"), std::string::npos) << bdf << hide;
  std::string warnings;
  for (const std::string& warning : made.warnings) warnings += warning + "\n";
  EXPECT_NE(warnings.find("a hide list xen-pciback cannot read makes it hide nothing (/etc/default/grub"),
            std::string::npos)
      << warnings;
}

TEST_F(GuidePlan, BuiltinPcibackHidesOnTheXenOnlyDom0LineThatBashSees) {
  FactStore facts = guide_facts();
  facts.set("kernel.pciback.builtin", true, "test");
  facts.set("kernel.pciback.module", false, "test");
  Json config = facts.find("kernel.config")->get<Json>();
  config["CONFIG_XEN_PCIDEV_BACKEND"] = "y";
  facts.set("kernel.config", config, "test");
  Plan made = plan(facts);
  EXPECT_EQ(find_step(made, "pciback.modprobe"), nullptr);
  const PlanStep* grub = find_step(made, "grub.defaults");
  ASSERT_NE(grub, nullptr);
  testing::TempTree out;
  std::string file = out.write("/grub", grub->file->after);
  int status = -1;
  std::string seen = testing::run_program(
      {"bash", "-c",
       "source \"$1\" >/dev/null 2>&1; printf '%s\\n' \"$GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT\" "
       "\"$GRUB_CMDLINE_LINUX_DEFAULT\" \"$GRUB_CMDLINE_LINUX\"",
       "bash", file},
      &status);
  ASSERT_EQ(status, 0);
  std::string hide_line = seen.substr(0, seen.find('\n'));
  EXPECT_EQ(hide_line.rfind("quiet xen-pciback.hide=", 0), 0u) << hide_line;
  for (const std::string& bdf : kGuideSix) EXPECT_NE(hide_line.find("(" + bdf + ")"), std::string::npos);
  // Non-Xen entries keep their lines exactly.
  EXPECT_EQ(seen.substr(seen.find('\n') + 1), "quiet\n\n");
  ASSERT_NE(find_step(made, "grub.update"), nullptr);
  EXPECT_EQ(find_step(made, "grub.update")->argv, std::vector<std::string>{"update-grub"});
}

TEST_F(GuidePlan, RemovesWhatSwitchesXenIommuOffAndSetsDom0MemoryOnTheHypervisorLine) {
  // iommu=1 is never added: Xen's IOMMU is on by default, so it would change nothing.
  tree.write("/etc/default/grub", std::string(testing::kDebianGrub) +
                                      "GRUB_CMDLINE_XEN_DEFAULT=\"iommu=0 loglvl=all no-iommu iommu=verbose\"\n");
  FactStore facts = guide_facts();
  facts.set("xen.iommu_enabled", false, "test");
  Plan made = plan(facts);
  auto words = planned_grub_words(made, "GRUB_CMDLINE_XEN_DEFAULT");
  // The guide's X58 also gets iommu=no-intremap (xen.intremap_errata), without which Xen switches VT-d off.
  EXPECT_EQ(words, (std::vector<std::string>{"loglvl=all", "iommu=verbose", "iommu=no-intremap",
                                             "dom0_mem=2048M,max:2048M"}));
}

TEST_F(GuidePlan, AddsNoIntremapOnTheX58ChipsetAndSaysWhatItCosts) {
  FactStore facts = guide_facts();
  facts.set("xen.iommu_enabled", false, "test");
  facts.set("xen.intremap_errata", true, "test");
  Plan made = plan(facts);
  auto words = planned_grub_words(made, "GRUB_CMDLINE_XEN_DEFAULT");
  EXPECT_NE(std::find(words.begin(), words.end(), "iommu=no-intremap"), words.end());
  EXPECT_EQ(std::find(words.begin(), words.end(), "iommu=1"), words.end());
  const PlanStep* grub = find_step(made, "grub.defaults");
  ASSERT_NE(grub, nullptr);
  EXPECT_NE(grub->why.find("forged interrupts"), std::string::npos) << grub->why;
  // Already there (alone or in a list): nothing is added twice, and nothing asks to remove it.
  tree.write("/etc/default/grub", std::string(testing::kDebianGrub) +
                                      "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M,max:2048M iommu=verbose,no-intremap\"\n");
  facts.set("xen.iommu_enabled", true, "test");
  made = plan(facts);
  EXPECT_EQ(find_step(made, "grub.defaults"), nullptr);
}

TEST_F(GuidePlan, WarnsWhenAGrubSnippetOverridesTheEditedVariable) {
  tree.write("/etc/default/grub.d/xen.cfg", "GRUB_CMDLINE_XEN_DEFAULT=\"$GRUB_CMDLINE_XEN_DEFAULT loglvl=all\"\n");
  Plan made = plan(guide_facts());
  const PlanStep* grub = find_step(made, "grub.defaults");
  ASSERT_NE(grub, nullptr);
  std::string all;
  for (const auto& w : grub->warnings) all += w + "\n";
  ASSERT_EQ(grub->warnings.size(), 1u) << all;
  EXPECT_NE(grub->warnings[0].find("/etc/default/grub.d/xen.cfg also sets GRUB_CMDLINE_XEN_DEFAULT"), std::string::npos);
}

// Debian 12's own xen.cfg (xen-hypervisor-common, as the lab's dom0 has it) names every GRUB_CMDLINE_* variable
// only in comments: it overrides nothing, so the edit gets no warning. A line that does assign still warns.
TEST_F(GuidePlan, DebiansCommentedXenCfgIsNoOverride) {
  std::ifstream in(PTDOCTOR_SOURCE_DIR "/tests/fixtures/hostgen/files/debian12-grub.d-xen.cfg.txt");
  std::stringstream debian;
  debian << in.rdbuf();
  ASSERT_NE(debian.str().find("\n#GRUB_CMDLINE_XEN_DEFAULT=\"\"\n"), std::string::npos);
  tree.write("/etc/default/grub.d/xen.cfg", debian.str());
  Plan made = plan(guide_facts());
  const PlanStep* grub = find_step(made, "grub.defaults");
  ASSERT_NE(grub, nullptr);
  std::string all;
  for (const auto& w : grub->warnings) all += w + "\n";
  EXPECT_TRUE(grub->warnings.empty()) << all;
  tree.write("/etc/default/grub.d/xen.cfg", debian.str() + "GRUB_CMDLINE_XEN_DEFAULT=\"loglvl=all\"\n");
  grub = find_step(made = plan(guide_facts()), "grub.defaults");
  ASSERT_NE(grub, nullptr);
  ASSERT_EQ(grub->warnings.size(), 1u);
  EXPECT_NE(grub->warnings[0].find("also sets GRUB_CMDLINE_XEN_DEFAULT"), std::string::npos);
}

TEST_F(GuidePlan, WarnsWhenTheKeyboardControllerOrTheBootGpuIsChosen) {
  Choices choices = guide_choices();
  choices.usb = {"00:1a.0"};
  Plan made = plan(guide_facts(), choices);
  std::string warnings;
  for (const auto& w : made.warnings) warnings += w + "\n";
  EXPECT_NE(warnings.find("has a keyboard attached"), std::string::npos) << warnings;
  EXPECT_EQ(std::count(made.hide_list.begin(), made.hide_list.end(), "0000:00:1a.7"), 1);
}

TEST_F(GuidePlan, IommuOffOnTheRunningLineButNotInGrubIsAManualStep) {
  FactStore facts = guide_facts();
  facts.set("xen.intremap_errata", false, "test");  // a chipset without the errata: no iommu=no-intremap to add
  facts.set("xen.iommu_enabled", false, "test");
  facts.set("xen.commandline_iommu_off_by", "iommu=no-intremap,off", "test");
  Plan made = plan(facts);
  const PlanStep* elsewhere = find_step(made, "xen.iommu-elsewhere");
  ASSERT_NE(elsewhere, nullptr);
  EXPECT_NE(elsewhere->text.find("iommu=no-intremap,off"), std::string::npos) << elsewhere->text;
  // Off with nothing on any line that switches it off: the plan asks for the cause (iommu=verbose), it does not
  // pretend iommu=1 would help.
  facts.set("xen.commandline_iommu_off_by", Json(), "test");
  made = plan(facts);
  EXPECT_EQ(find_step(made, "xen.iommu-elsewhere"), nullptr);
  const PlanStep* cause = find_step(made, "xen.iommu-cause");
  ASSERT_NE(cause, nullptr);
  EXPECT_NE(cause->text.find("iommu=verbose"), std::string::npos) << cause->text;
  EXPECT_NE(cause->text.find("iommu=required"), std::string::npos) << cause->text;
  auto words = planned_grub_words(made, "GRUB_CMDLINE_XEN_DEFAULT");
  EXPECT_EQ(std::find(words.begin(), words.end(), "iommu=1"), words.end());
}

TEST_F(GuidePlan, EmptyReplaceDefaultStartsFromTheDefaultLine) {
  tree.write("/etc/default/grub", std::string(testing::kDebianGrub) + "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT=\"\"\n");
  FactStore facts = guide_facts();
  facts.set("kernel.pciback.builtin", true, "test");
  Plan made = plan(facts);
  auto words = planned_grub_words(made, "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT");
  ASSERT_EQ(words.size(), 2u);
  EXPECT_EQ(words[0], "$GRUB_CMDLINE_LINUX_DEFAULT");
}

TEST_F(GuidePlan, SizesTheDomuFromTheHostLeavingDom0ItsShare) {
  Plan made = plan(guide_facts());
  EXPECT_EQ(made.choices["dom0_mem_mb"], 2048);
  EXPECT_EQ(made.choices["memory_mb"], 6912);  // (16384 - 2048 - 512) / 2, rounded down to 256
  EXPECT_EQ(made.choices["vcpus"], 4);
  Choices choices = guide_choices();
  choices.memory_mb = 20000;
  Plan too_big = plan(guide_facts(), choices);
  bool warned = false;
  for (const auto& w : too_big.warnings) warned = warned || w.find("--memory 20000") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST_F(GuidePlan, NoKconfigFragmentWhenTheKernelHasEverything) {
  EXPECT_EQ(find_step(plan(guide_facts()), "kernel.fragment"), nullptr);
}

TEST_F(GuidePlan, KconfigFragmentListsOnlyMissingOptionsInMergeConfigFormat) {
  FactStore facts = guide_facts();
  Json config = facts.find("kernel.config")->get<Json>();
  config.erase("CONFIG_XEN_PCIDEV_BACKEND");
  config["CONFIG_XEN_GNTDEV"] = "n";
  facts.set("kernel.config", config, "test");
  Plan made = plan(facts);
  const PlanStep* fragment = find_step(made, "kernel.fragment");
  ASSERT_NE(fragment, nullptr);
  std::vector<std::string> settings;
  std::size_t start = 0;
  const std::string& text = fragment->file->after;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    start = end + 1;
    // merge_config.sh takes CONFIG_X=value and "# CONFIG_X is not set"; other # lines are comments.
    if (line.empty() || line[0] == '#') continue;
    EXPECT_TRUE(std::regex_match(line, std::regex("CONFIG_[A-Z0-9_]+=(y|m|\"[^\"]*\"|[0-9]+)"))) << line;
    settings.push_back(line);
  }
  EXPECT_EQ(settings, (std::vector<std::string>{"CONFIG_XEN_PCIDEV_BACKEND=y", "CONFIG_XEN_GNTDEV=y"}));
  // merge_config.sh finds the options of a fragment with sed 's/^\(# \)\{0,1\}\(CONFIG_[a-zA-Z0-9_]*\)[= ].*/\2/p':
  // exactly our settings must match it, no comment line.
  std::regex merge_config_expression("^(# )?(CONFIG_[a-zA-Z0-9_]*)[= ].*");
  std::size_t seen_by_merge_config = 0;
  start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    seen_by_merge_config += std::regex_match(text.substr(start, end - start), merge_config_expression);
    start = end + 1;
  }
  EXPECT_EQ(seen_by_merge_config, settings.size());
}

TEST_F(GuidePlan, RejectsShellMetacharactersInNameAndDisk) {
  auto host = testing::open_root(tree.path());
  Choices choices = guide_choices();
  choices.name = "win; rm -rf /";
  auto made = make_plan(guide_facts(), *host, choices);
  ASSERT_FALSE(made);
  EXPECT_NE(made.error().message.find("--name"), std::string::npos);
  choices = guide_choices();
  choices.disks = {"phy:/dev/vg/lv,hda,w\nbootloader=\"/bin/sh\""};
  made = make_plan(guide_facts(), *host, choices);
  ASSERT_FALSE(made);
  EXPECT_NE(made.error().message.find("a newline"), std::string::npos);
}

TEST_F(GuidePlan, LeavesAForeignDomuConfigAlone) {
  tree.write("/etc/xen/win.cfg", "name = \"win\"\n");
  Plan made = plan(guide_facts());
  EXPECT_EQ(find_step(made, "domu.config"), nullptr);
  const PlanStep* manual = find_step(made, "domu.exists");
  ASSERT_NE(manual, nullptr);
  EXPECT_EQ(manual->kind, "manual");
}

TEST_F(GuidePlan, PrintsTheLvmSnapshotWorkflowAndNeverRunsIt) {
  Plan made = plan(guide_facts());
  std::string notes;
  for (const auto& note : made.notes) notes += note + "\n";
  EXPECT_NE(notes.find("lvcreate -s -L 10G -n win7system-ptdoctor-snap /dev/vg_ssd/win7system"), std::string::npos);
  EXPECT_NE(notes.find("lvconvert --merge"), std::string::npos);
  for (const PlanStep& step : made.steps) {
    if (step.kind == "command") {
      EXPECT_NE(step.argv[0], "lvcreate");
    }
  }
}

// Under a running Xen, libxl's pci-assignable-add unbinds dom0's driver live (libxl_pci.c
// libxl__device_pci_assignable_add -> sysfs_dev_unbind); each command records its inverse, which rebinds it.
TEST_F(GuidePlan, RunningXenGetsPciAssignableCommands) {
  FactStore facts = guide_facts();
  facts.set("xen.running", true, "test");
  // 08:00.0 is already assignable, so pciback holds it (libxl lists the pciback driver's devices), not radeon.
  facts.set("xen.assignable", Json::array({"0000:08:00.0"}), "test");
  Json devices = *facts.find("pci.devices");
  devices[0]["driver"] = "pciback";
  facts.set("pci.devices", devices, "test");
  facts.set("kernel.pciback.loaded", true, "test");
  Plan made = plan(facts);
  EXPECT_EQ(find_step(made, "pciback.load"), nullptr);  // loaded already: nothing to load
  EXPECT_EQ(find_step(made, "assignable.0000:08:00.0"), nullptr);
  for (const char* bdf : {"0000:08:00.1", "0000:00:1d.0", "0000:00:1d.7"}) {
    const PlanStep* step = find_step(made, std::string("assignable.") + bdf);
    ASSERT_NE(step, nullptr) << bdf;
    EXPECT_EQ(step->argv, (std::vector<std::string>{"xl", "pci-assignable-add", bdf}));
    EXPECT_EQ(step->undo_argv, (std::vector<std::string>{"xl", "pci-assignable-remove", "-r", bdf}));
  }
}

// libxl refuses pci-assignable-add while the pciback driver is not registered ("Looks like pciback driver is not
// loaded", libxl_pci.c pciback_dev_is_assigned): the Xen lab's Debian dom0, with pciback a module listed in
// /etc/modules for the next boot, failed there. The plan loads it first, and rollback names `modprobe -r` after
// the devices' `pci-assignable-remove -r`.
TEST_F(GuidePlan, RunningXenLoadsAModularPcibackBeforeTheAssignableCommands) {
  FactStore facts = guide_facts();
  facts.set("xen.running", true, "test");
  ASSERT_EQ(facts.find("kernel.pciback.loaded")->get<bool>(), false);
  Plan made = plan(facts);
  const PlanStep* load = find_step(made, "pciback.load");
  ASSERT_NE(load, nullptr);
  EXPECT_EQ(load->argv, (std::vector<std::string>{"modprobe", "xen-pciback"}));
  EXPECT_EQ(load->undo_argv, (std::vector<std::string>{"modprobe", "-r", "xen-pciback"}));
  std::vector<std::string> ids;
  for (const PlanStep& step : made.steps) ids.push_back(step.id);
  auto load_at = std::find(ids.begin(), ids.end(), "pciback.load");
  auto first_assignable = std::find_if(ids.begin(), ids.end(), [](const std::string& id) {
    return id.rfind("assignable.", 0) == 0;
  });
  ASSERT_NE(first_assignable, ids.end());
  EXPECT_LT(load_at, first_assignable);
  // The modprobe.d file with the hide list is written before it, so the module loads with the hide list.
  auto modprobe_file = std::find_if(made.steps.begin(), made.steps.end(), [](const PlanStep& step) {
    return step.file && step.file->path == "/etc/modprobe.d/ptdoctor-xen-pciback.conf";
  });
  ASSERT_NE(modprobe_file, made.steps.end());
  EXPECT_LT(modprobe_file - made.steps.begin(), load_at - ids.begin());
}

// Unbinding a graphics driver that drives the card often hangs dom0, and the HDMI audio function of the same card
// is not taken away without it: the reboot with the hide list hands the slot over (domain audit finding 7).
TEST_F(GuidePlan, RunningXenLeavesTheCardRadeonDrivesToTheReboot) {
  FactStore facts = guide_facts();
  facts.set("xen.running", true, "test");
  Plan made = plan(facts);
  EXPECT_EQ(find_step(made, "assignable.0000:08:00.0"), nullptr);
  EXPECT_EQ(find_step(made, "assignable.0000:08:00.1"), nullptr);
  std::string notes;
  for (const auto& note : made.notes) notes += note + "\n";
  EXPECT_NE(notes.find("0000:08:00.0 is not made assignable now: the graphics driver radeon drives it"),
            std::string::npos)
      << notes;
  EXPECT_NE(notes.find("0000:08:00.1 is not made assignable now: the graphics driver radeon drives 0000:08:00.0"),
            std::string::npos)
      << notes;
  // The USB controllers (no keyboard on them) are still made assignable now.
  EXPECT_NE(find_step(made, "assignable.0000:00:1d.0"), nullptr);
}

TEST_F(GuidePlan, RunningXenLeavesDom0sKeyboardControllerToTheReboot) {
  FactStore facts = guide_facts();
  facts.set("xen.running", true, "test");
  Choices choices = guide_choices();
  choices.usb = {"00:1a.0"};
  Plan made = plan(facts, choices);
  ASSERT_EQ(std::count(made.hide_list.begin(), made.hide_list.end(), "0000:00:1a.0"), 1);
  EXPECT_EQ(find_step(made, "assignable.0000:00:1a.0"), nullptr);
  std::string notes;
  for (const auto& note : made.notes) notes += note + "\n";
  EXPECT_NE(notes.find("0000:00:1a.0 is not made assignable now: dom0's keyboard hangs off it"), std::string::npos)
      << notes;
}

TEST_F(GuidePlan, FailingRuleFixesBecomeGeneratorStepsOrManualSteps) {
  RuleResult vtd = failed_rule("iommu.enabled-in-firmware", Severity::kBlocker, "no DMAR table",
                                {{"Enable VT-d in the firmware setup", nullptr},
                                 {"", Json{{"generator", "xen-cmdline"}, {"add", {"iommu=verbose"}}}}});
  // A warning's advice is no change to the host: a note, printed once, not a numbered step.
  RuleResult flr =
      failed_rule("gpu.flr", Severity::kWarning, "no FLR", {{"Reboot the host between guest runs", nullptr}});
  // An info note's advice (the Xen lab's plan printed "usb.selection-expanded: Nothing to do: ...") stays in check.
  RuleResult expanded = failed_rule("usb.selection-expanded", Severity::kInfo, "the selection grew",
                                    {{"Nothing to do: the plan passes the whole group", nullptr}});
  auto host = testing::open_root(tree.path());
  auto made = make_plan(guide_facts(), *host, guide_choices(), {vtd, flr, expanded});
  ASSERT_TRUE(made);
  EXPECT_EQ(find_step(*made, "rule.gpu.flr"), nullptr);
  EXPECT_NE(std::find(made->notes.begin(), made->notes.end(), "gpu.flr: Reboot the host between guest runs"),
            made->notes.end());
  EXPECT_EQ(find_step(*made, "rule.usb.selection-expanded"), nullptr);
  for (const std::string& note : made->notes) EXPECT_EQ(note.find("usb.selection-expanded"), std::string::npos) << note;
  const PlanStep* manual = find_step(*made, "rule.iommu.enabled-in-firmware");
  ASSERT_NE(manual, nullptr);
  EXPECT_EQ(manual->text, "Enable VT-d in the firmware setup");
  const PlanStep* grub = find_step(*made, "grub.defaults");
  ASSERT_NE(grub, nullptr);
  auto words = shell_variable_words(grub->file->after, "GRUB_CMDLINE_XEN_DEFAULT");
  EXPECT_NE(std::find(words.begin(), words.end(), "iommu=verbose"), words.end());
}

// Said once, alternatives together, prerequisites first: a text another rule already gave is not repeated, an "Or"
// text joins the step of the text before it, and a failing blocker others follow from comes before every step.
TEST_F(GuidePlan, ManualFixesAreSaidOnceWithAlternativesTogetherAndPrerequisitesFirst) {
  auto failing = [](std::string id, std::vector<Fix> fixes, std::string caused_by = "") {
    return failed_rule(std::move(id), Severity::kBlocker, "fails", std::move(fixes), std::move(caused_by));
  };
  std::vector<RuleResult> results = {
      failing("kernel.grub-xen-entry", {{"Copy the config", nullptr}}),
      failing("pci.shared-page", {{"Give the BAR a page of its own", nullptr}, {"Or pass its neighbour too", nullptr},
                                  {"Check the result with lspci", nullptr}}),
      failing("xen.running", {{"Install Xen", nullptr}}),
      failing("kernel.pciback-loaded", {{"Install Xen", nullptr}, {"Add the line to /etc/modules",
                                                                    Json{{"generator", "pciback-hide"}}}},
              "xen.running"),
  };
  auto host = testing::open_root(tree.path());
  auto made = make_plan(guide_facts(), *host, guide_choices(), results);
  ASSERT_TRUE(made);
  std::vector<std::string> texts;
  for (const PlanStep& step : made->steps) {
    if (step.kind == "manual") texts.push_back(step.text);
  }
  EXPECT_EQ(std::count(texts.begin(), texts.end(), "Install Xen"), 1);
  EXPECT_EQ(std::count(texts.begin(), texts.end(), "Add the line to /etc/modules"), 0);  // its generator's step
  EXPECT_NE(std::find(texts.begin(), texts.end(),
                      "One of:\n   - Give the BAR a page of its own\n   - Or pass its neighbour too"),
            texts.end());
  EXPECT_NE(std::find(texts.begin(), texts.end(), "Check the result with lspci"), texts.end());
  ASSERT_FALSE(made->steps.empty());
  EXPECT_EQ(made->steps.front().id, "rule.xen.running");
  EXPECT_EQ(made->steps.front().text, "Install Xen");
  std::string warnings;
  for (const std::string& warning : made->warnings) warnings += warning + "\n";
  EXPECT_NE(warnings.find("do the first step(s) first (xen.running: other problems follow from it)"),
            std::string::npos) << warnings;
  // A cause without consequences keeps its place among the manual steps, after the automated ones.
  std::size_t first_automated = made->steps.size(), config = made->steps.size();
  for (std::size_t i = 0; i < made->steps.size(); ++i) {
    if (made->steps[i].kind != "manual" && first_automated == made->steps.size()) first_automated = i;
    if (made->steps[i].id == "rule.kernel.grub-xen-entry") config = i;
  }
  ASSERT_LT(first_automated, made->steps.size());
  ASSERT_LT(config, made->steps.size());
  EXPECT_GT(config, first_automated);
}

TEST_F(GuidePlan, JsonRoundTripKeepsContentsAndChecksums) {
  Plan made = plan(guide_facts());
  auto loaded = plan_from_json(plan_to_json(made), "plan.json");
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_EQ(loaded->steps.size(), made.steps.size());
  for (std::size_t i = 0; i < made.steps.size(); ++i) {
    EXPECT_EQ(loaded->steps[i].id, made.steps[i].id);
    if (made.steps[i].file) {
      EXPECT_EQ(loaded->steps[i].file->after, made.steps[i].file->after);
      EXPECT_EQ(loaded->steps[i].file->before_sha256, made.steps[i].file->before_sha256);
    }
  }
  Json evil = plan_to_json(made);
  evil["steps"].push_back({{"id", "x"}, {"kind", "command"}, {"argv", {"sh", "-c", "reboot"}}});
  EXPECT_FALSE(plan_from_json(evil, "plan.json"));
  Json other_module = plan_to_json(made);
  other_module["steps"].push_back({{"id", "x"}, {"kind", "command"}, {"argv", {"modprobe", "evil"}}});
  EXPECT_FALSE(plan_from_json(other_module, "plan.json"));
}

// Under a running Xen the plan loads pciback and runs xl pci-assignable-add: the journal's copy of that plan must
// load again, or `verify` (and `fix --plan`) lose it. The Xen lab's verify once fell back to "no journal found".
TEST_F(GuidePlan, JsonRoundTripKeepsTheRunningXenCommands) {
  FactStore facts = guide_facts();
  facts.set("xen.running", true, "test");
  Plan made = plan(facts);
  ASSERT_NE(find_step(made, "pciback.load"), nullptr);
  auto loaded = plan_from_json(plan_to_json(made), "plan.json");
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_EQ(loaded->steps.size(), made.steps.size());
  for (std::size_t i = 0; i < made.steps.size(); ++i) {
    EXPECT_EQ(loaded->steps[i].argv, made.steps[i].argv) << made.steps[i].id;
    EXPECT_EQ(loaded->steps[i].undo_argv, made.steps[i].undo_argv) << made.steps[i].id;
  }
}

}  // namespace
}  // namespace ptdoctor::fix
