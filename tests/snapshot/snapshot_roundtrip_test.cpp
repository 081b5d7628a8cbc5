// Snapshot of a host tree, then the same plugins on the extracted snapshot: the facts must be the same.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "snapshot/snapshot_collector.hpp"
#include "snapshot/snapshot_reader.hpp"
#include "snapshot/snapshot_writer.hpp"
#include "snapshot_test_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::snapshot {
namespace {

using ptdoctor::testing::TempTree;

std::string config_bytes(const char* ids) {
  std::string bytes(256, '\0');
  for (int i = 0; i < 4; ++i) bytes[static_cast<std::size_t>(i)] = ids[i];
  return bytes;
}

// A small machine: two PCI devices (one reached through an absolute link), a driver and IOMMU group links,
// /proc files, /etc configuration, captures, and files that must never leave the machine.
void make_host(const TempTree& tree) {
  tree.write("/proc/cmdline", "BOOT_IMAGE=/vmlinuz root=UUID=0a1b2c3d-1111-2222-3333-444455556666 intel_iommu=on\n");
  tree.write("/proc/cpuinfo", "processor\t: 0\nmodel name\t: Intel(R) Core(TM) i7 CPU 920 @ 2.67GHz\n"
                              "flags\t\t: fpu vme vmx ssse3\n");
  tree.write("/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
  tree.write("/proc/sys/kernel/hostname", "box1\n");
  tree.write("/etc/default/grub", "GRUB_CMDLINE_LINUX=\"intel_iommu=on\"\n");
  tree.write("/etc/modprobe.d/xen-pciback.conf", "options xen-pciback hide=(08:00.0)(08:00.1)\n");
  tree.write("/etc/shadow", "root:$6$secret:19000:0:99999:7:::\n", 0600);
  tree.write("/etc/ssh/ssh_host_ed25519_key", "-----BEGIN OPENSSH PRIVATE KEY-----\n");
  tree.write("/home/user/notes.txt", "private\n");
  tree.write("/sys/firmware/acpi/tables/DMAR", std::string("DMAR\x30\0\0\0", 8));
  tree.write("/sys/firmware/acpi/tables/FACP", "FACP");
  const std::string gpu = "/sys/devices/pci0000:00/0000:00:03.0/0000:08:00.0";
  tree.write(gpu + "/vendor", "0x1002\n");
  tree.write(gpu + "/device", "0x6718\n");
  tree.write(gpu + "/class", "0x030000\n");
  tree.write(gpu + "/boot_vga", "0\n");
  tree.write(gpu + "/config", config_bytes("\x02\x10\x18\x67"));
  tree.write(gpu + "/reset", "", 0200);
  tree.write(gpu + "/rom", "option ROM bytes that must not be read", 0600);
  tree.write(gpu + "/resource0", "BAR contents that must not be read");
  tree.symlink(gpu + "/driver", "../../../../bus/pci/drivers/pciback");
  tree.symlink(gpu + "/iommu_group", "../../../../kernel/iommu_groups/12");
  tree.mkdir("/sys/bus/pci/drivers/pciback");
  tree.symlink("/sys/kernel/iommu_groups/12/devices/0000:08:00.0", "../../../../devices/pci0000:00/0000:00:03.0/0000:08:00.0");
  tree.symlink("/sys/bus/pci/devices/0000:08:00.0", "../../../devices/pci0000:00/0000:00:03.0/0000:08:00.0");
  const std::string isa = "/sys/devices/pci0000:00/0000:00:1f.0";
  tree.write(isa + "/vendor", "0x8086\n");
  tree.write(isa + "/device", "0x3a16\n");
  tree.write(isa + "/class", "0x060100\n");
  tree.write(isa + "/config", config_bytes("\x86\x80\x16\x3a"));
  tree.symlink("/sys/bus/pci/devices/0000:00:1f.0", isa);  // absolute: must be stored relative
  tree.mkdir("/sys/bus/xen-backend");  // only ever stat()ed
  tree.write("/.ptdoctor/capture/xl-info.txt", "host : box1\nrelease : 6.1.0\nxen_version : 4.17.5\n");
  tree.write("/.ptdoctor/capture/cpuid.txt",
             "CPU 0:\n   0x00000000 0x00: eax=0x0000000b ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
             "   0x00000001 0x00: eax=0x000106a5 ebx=0x00100800 ecx=0x0098e3bd edx=0xbfebfbff\n");
}

struct Snapshotted {
  engine::Collection direct;
  SnapshotContents contents;
};

Snapshotted snapshot_of(const TempTree& tree, const std::string& archive, bool redact = false) {
  auto plugins = ptdoctor::testing::load_probe_plugin();
  EXPECT_EQ(plugins.size(), 1u) << "probe plugin missing: " << PTDOCTOR_PROBE_PLUGIN;
  auto view = ptdoctor::testing::open_view(tree.path(), false);
  Snapshotted out;
  out.direct = engine::collect_facts(*view, plugins, {});
  // The secrets are read on purpose here: even a path a plugin read must not be archived.
  (void)view->read_file("/etc/shadow", 4096);
  (void)view->read_file("/etc/ssh/ssh_host_ed25519_key", 4096);
  (void)view->list_dir("/home/user");
  CollectOptions options;
  options.redact = redact;
  options.plugins = {"probe"};
  out.contents = collect_snapshot(*view, options);
  auto written = write_archive(archive, out.contents.entries);
  EXPECT_TRUE(written) << (written ? "" : written.error().message);
  return out;
}

class SnapshotRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override { make_host(tree_); }
  std::string archive() const { return out_.path() + "/host.tar.gz"; }

  TempTree tree_;
  TempTree out_;
};

engine::Collection facts_of_snapshot(const std::string& archive) {
  auto extracted = extract_snapshot(archive);
  EXPECT_TRUE(extracted) << (extracted ? "" : extracted.error().message);
  if (!extracted) return {};
  auto plugins = ptdoctor::testing::load_probe_plugin();
  auto view = ptdoctor::testing::open_view((*extracted)->root(), false);
  return engine::collect_facts(*view, plugins, {});
}

TEST_F(SnapshotRoundTrip, FactsFromTheSnapshotEqualFactsFromTheRoot) {
  Snapshotted taken = snapshot_of(tree_, archive());
  engine::Collection again = facts_of_snapshot(archive());
  EXPECT_EQ(again.facts.tree(), taken.direct.facts.tree());
  EXPECT_EQ(ptdoctor::testing::unknown_paths(again), ptdoctor::testing::unknown_paths(taken.direct));
  // The probe really saw the devices, links and captures (so the equality above is not between two empties).
  const Json& pci = taken.direct.facts.tree()["probe"]["pci"];
  ASSERT_EQ(pci.size(), 2u);
  EXPECT_EQ(pci[1]["driver"], "pciback");
  EXPECT_EQ(pci[1]["iommu_group"], "12");
  EXPECT_EQ(pci[1]["has_reset"], true);
  EXPECT_EQ(pci[1]["config_ids"], "02101867");
  EXPECT_EQ(taken.direct.facts.tree()["probe"]["cpuid"]["vmx"], true);
  EXPECT_EQ(taken.direct.facts.tree()["probe"]["xen_backend_bus"], true);
  EXPECT_EQ(taken.direct.facts.tree()["probe"]["xl_info_lines"], 3);
}

TEST_F(SnapshotRoundTrip, SecretsAndUnreadBarsAreNeverArchived) {
  Snapshotted taken = snapshot_of(tree_, archive());
  const auto& entries = taken.contents.entries;
  EXPECT_EQ(entries.count("etc/shadow"), 0u);
  EXPECT_EQ(entries.count("etc/ssh/ssh_host_ed25519_key"), 0u);
  EXPECT_EQ(entries.count("home/user"), 0u);
  EXPECT_EQ(entries.count("home/user/notes.txt"), 0u);
  EXPECT_EQ(entries.count("sys/devices/pci0000:00/0000:00:03.0/0000:08:00.0/resource0"), 0u);
  std::string excluded = taken.contents.manifest["excluded"].dump();
  EXPECT_NE(excluded.find("/etc/shadow"), std::string::npos);
  EXPECT_NE(excluded.find("ssh_host_ed25519_key"), std::string::npos);
  EXPECT_NE(excluded.find("/home/user"), std::string::npos);
  // Allowed configuration is in, and the absolute link was rewritten relative to itself.
  EXPECT_EQ(entries.at("etc/modprobe.d/xen-pciback.conf").content, "options xen-pciback hide=(08:00.0)(08:00.1)\n");
  EXPECT_EQ(entries.at("sys/bus/pci/devices/0000:00:1f.0").target, "../../../devices/pci0000:00/0000:00:1f.0");
  EXPECT_EQ(entries.at("sys/devices/pci0000:00/0000:00:03.0/0000:08:00.0/reset").content, "");
  // `rom` was stat()ed by a plugin, so it is in the accessed set: still archived empty, never read.
  EXPECT_EQ(entries.at("sys/devices/pci0000:00/0000:00:03.0/0000:08:00.0/rom").content, "");
  EXPECT_EQ(taken.contents.manifest.dump().find("option ROM bytes"), std::string::npos);
}

TEST_F(SnapshotRoundTrip, ManifestRecordsToolHostAndCaptures) {
  Snapshotted taken = snapshot_of(tree_, archive());
  auto extracted = extract_snapshot(archive());
  ASSERT_TRUE(extracted);
  const Json& manifest = (*extracted)->manifest();
  EXPECT_EQ(manifest["format"], "ptdoctor-snapshot");
  EXPECT_EQ(manifest["hostname"], "box1");
  EXPECT_EQ(manifest["plugins"], Json::array({"probe"}));
  EXPECT_TRUE(manifest.contains("tool_version"));
  EXPECT_TRUE(manifest.contains("created"));
  // Offline roots keep their own captures; commands that were not captured are listed with the reason.
  EXPECT_TRUE(std::filesystem::exists((*extracted)->root() + "/.ptdoctor/capture/cpuid.txt"));
  EXPECT_NE(manifest["unreadable"].dump().find("xl dmesg"), std::string::npos);
  // The archive is private to its owner.
  struct stat st {};
  ASSERT_EQ(::stat(archive().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(SnapshotRoundTrip, RedactedSnapshotHidesIdentityButKeepsFacts) {
  Snapshotted taken = snapshot_of(tree_, archive(), true);
  EXPECT_EQ(taken.contents.manifest["hostname"], "redacted-host");
  EXPECT_EQ(taken.contents.entries.at("proc/sys/kernel/hostname").content, "redacted-host\n");
  std::string cmdline = taken.contents.entries.at("proc/cmdline").content;
  EXPECT_EQ(cmdline.find("0a1b2c3d"), std::string::npos);
  EXPECT_NE(cmdline.find("intel_iommu=on"), std::string::npos);
  engine::Collection again = facts_of_snapshot(archive());
  EXPECT_EQ(again.facts.tree()["probe"]["pci"], taken.direct.facts.tree()["probe"]["pci"]);
}

TEST_F(SnapshotRoundTrip, ExtractionDirectoryIsPrivateAndRemoved) {
  snapshot_of(tree_, archive());
  std::string root;
  {
    auto extracted = extract_snapshot(archive(), {}, out_.path());
    ASSERT_TRUE(extracted) << extracted.error().message;
    root = (*extracted)->root();
    struct stat st {};
    ASSERT_EQ(::stat(root.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    EXPECT_EQ(root.rfind(out_.path(), 0), 0u);
  }
  EXPECT_FALSE(std::filesystem::exists(root));
}

}  // namespace
}  // namespace ptdoctor::snapshot
