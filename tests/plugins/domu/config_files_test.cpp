// Which files in /etc/xen are judged as domU configs, read through the host view.
#include "config_files.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <gtest/gtest.h>

#include "host/rooted_host_view.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::domu {
namespace {

std::unique_ptr<host::RootedHostView> view_of(const testing::TempTree& tree) {
  host::HostViewOptions options;
  options.live = false;
  auto opened = host::RootedHostView::open(tree.path(), options);
  if (!opened) throw std::runtime_error(opened.error().message);
  return std::move(opened.value());
}

std::vector<std::string> judged(const ConfigSelection& selection) {
  std::vector<std::string> paths;
  for (const ConfigFile& file : selection.files) paths.push_back(file.path);
  return paths;
}

bool skipped(const ConfigSelection& selection, const std::string& path) {
  return std::any_of(selection.skipped.begin(), selection.skipped.end(),
                     [&](const SkippedFile& file) { return file.path == path; });
}

TEST(ConfigFiles, JudgesCfgFilesAndExtensionlessConfigsButNotToolstackFiles) {
  testing::TempTree tree;
  tree.write("/etc/xen/win", "kernel = '/usr/lib/xen/boot/hvmloader'\nbuilder='hvm'\nname = \"win\"\n");
  tree.write("/etc/xen/debian.cfg", "# anything named .cfg is a config, even a broken one\nvcpus = = 1\n");
  tree.write("/etc/xen/xl.conf", "autoballoon=\"off\"\n");
  tree.write("/etc/xen/xlexample.hvm", "type = \"hvm\"\nname = \"example.hvm\"\n");
  tree.write("/etc/xen/xend-config.sxp", "(xend-relocation-server no)\n");
  tree.write("/etc/xen/cpupool", "name = \"Pool-0\"\n");
  tree.write("/etc/xen/win.cfg~", "name = \"old\"\n");
  tree.write("/etc/xen/win.cfg.dpkg-old", "name = \"old\"\n");
  tree.write("/etc/xen/notes", "remember to buy a second monitor\n");
  tree.write("/etc/xen/scripts/vif-bridge", "#!/bin/sh\n");
  tree.symlink("/etc/xen/auto/win", "../win");
  auto view = view_of(tree);
  ConfigSelection selection = select_configs(*view, {});
  EXPECT_EQ(judged(selection), (std::vector<std::string>{"/etc/xen/debian.cfg", "/etc/xen/win"}));
  for (const char* path : {"/etc/xen/xl.conf", "/etc/xen/xlexample.hvm", "/etc/xen/xend-config.sxp",
                           "/etc/xen/cpupool", "/etc/xen/win.cfg~", "/etc/xen/win.cfg.dpkg-old", "/etc/xen/notes",
                           "/etc/xen/scripts", "/etc/xen/auto"}) {
    EXPECT_TRUE(skipped(selection, path)) << path;
  }
  EXPECT_FALSE(selection.unknown.has_value());
}

TEST(ConfigFiles, NoEtcXenIsNoConfigsNotAnError) {
  testing::TempTree tree;
  auto view = view_of(tree);
  ConfigSelection selection = select_configs(*view, {});
  EXPECT_TRUE(selection.files.empty());
  EXPECT_FALSE(selection.unknown.has_value());
}

TEST(ConfigFiles, NamedFilesAreReadThroughTheRootAndFailuresNameTheFile) {
  testing::TempTree tree;
  tree.write("/srv/win.cfg", "name = \"win\"\n");
  tree.write("/srv/huge.cfg", std::string(kMaxConfigBytes + 1, '#'));
  ASSERT_EQ(::mkfifo(tree.at("/srv/fifo.cfg").c_str(), 0644), 0);
  auto view = view_of(tree);
  ConfigSelection selection =
      select_configs(*view, {"/srv/win.cfg", "/srv/missing.cfg", "/srv/huge.cfg", "/srv/fifo.cfg", "relative.cfg",
                             "/../../etc/passwd"});
  ASSERT_EQ(selection.files.size(), 6u);
  EXPECT_TRUE(selection.files[0].error.empty());
  EXPECT_EQ(selection.files[0].text, "name = \"win\"\n");
  EXPECT_EQ(selection.files[0].origin, "--domu");
  for (std::size_t i = 1; i < selection.files.size(); ++i) {
    EXPECT_FALSE(selection.files[i].error.empty()) << selection.files[i].path;
    EXPECT_TRUE(selection.files[i].text.empty()) << selection.files[i].path;
  }
}

TEST(ConfigFiles, DomainConfigsAreRecognisedByTheirTopLevelKeys) {
  EXPECT_TRUE(looks_like_domain_config("# guest\n  name = \"w\"\n"));
  EXPECT_TRUE(looks_like_domain_config("builder='hvm'"));
  EXPECT_FALSE(looks_like_domain_config("Some notes: the name = of the guest\n"));
  EXPECT_FALSE(looks_like_domain_config(""));
}

}  // namespace
}  // namespace ptdoctor::domu
