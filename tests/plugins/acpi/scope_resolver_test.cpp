// Scope resolution walks bridges through the host view's PCI config space.
#include <gtest/gtest.h>

#include "host/rooted_host_view.hpp"
#include "scope_resolver.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::acpi {
namespace {

using ptdoctor::testing::TempTree;

std::string bridge_config(std::uint8_t secondary) {
  std::string config(256, '\0');
  config[0x0e] = 1;
  config[0x19] = static_cast<char>(secondary);
  return config;
}

DeviceScope scope(std::uint8_t bus, std::vector<PciHop> path) {
  DeviceScope scope;
  scope.type = 1;
  scope.start_bus = bus;
  scope.path = std::move(path);
  return scope;
}

std::unique_ptr<host::RootedHostView> open_view(const TempTree& tree) {
  auto view = host::RootedHostView::open(tree.path(), host::HostViewOptions{false});
  EXPECT_TRUE(view.ok());
  return std::move(view.value());
}

TEST(ScopeResolver, OneHopIsStartBusDeviceFunction) {
  TempTree tree;
  auto view = open_view(tree);
  const ResolvedScope resolved = resolve_scope(*view, 0, scope(0, {{0x1d, 7}}));
  EXPECT_EQ(resolved.bdf, "0000:00:1d.7");
  EXPECT_TRUE(resolved.note.empty());
}

TEST(ScopeResolver, WalksBridgesThroughSecondaryBus) {
  TempTree tree;
  tree.write("/sys/bus/pci/devices/0001:00:03.0/config", bridge_config(0x08));
  tree.write("/sys/bus/pci/devices/0001:08:00.0/config", bridge_config(0x09));
  auto view = open_view(tree);
  const ResolvedScope resolved = resolve_scope(*view, 1, scope(0, {{3, 0}, {0, 0}, {0, 1}}));
  EXPECT_EQ(resolved.bdf, "0001:09:00.1");
}

TEST(ScopeResolver, UnreadableBridgeKeepsRawPathAndSaysWhy) {
  TempTree tree;
  auto view = open_view(tree);
  const ResolvedScope resolved = resolve_scope(*view, 0, scope(0, {{7, 0}, {0, 0}}));
  EXPECT_FALSE(resolved.bdf.has_value());
  EXPECT_NE(resolved.note.find("cannot read the secondary bus of bridge 0000:00:07.0"), std::string::npos);
  EXPECT_NE(resolved.note.find("kept the raw path"), std::string::npos);
}

TEST(ScopeResolver, ShortConfigSpaceIsUnreadable) {
  TempTree tree;
  tree.write("/sys/bus/pci/devices/0000:00:03.0/config", std::string(0x10, '\0'));
  auto view = open_view(tree);
  const ResolvedScope resolved = resolve_scope(*view, 0, scope(0, {{3, 0}, {0, 0}}));
  EXPECT_FALSE(resolved.bdf.has_value());
  EXPECT_NE(resolved.note.find("0000:00:03.0"), std::string::npos);
}

TEST(ScopeResolver, InvalidDeviceNumberIsNotGuessed) {
  TempTree tree;
  auto view = open_view(tree);
  EXPECT_FALSE(resolve_scope(*view, 0, scope(0, {{0x20, 0}})).bdf.has_value());
  EXPECT_FALSE(resolve_scope(*view, 0, scope(0, {})).bdf.has_value());
}

}  // namespace
}  // namespace ptdoctor::acpi
