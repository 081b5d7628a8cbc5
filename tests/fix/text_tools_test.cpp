#include <gtest/gtest.h>

#include <regex>

#include "fix/choices.hpp"
#include "fix/domu_config.hpp"
#include "fix/kconfig_options.hpp"
#include "fix/sha256.hpp"
#include "fix/unified_diff.hpp"
#include "fix/verify.hpp"

namespace ptdoctor::fix {
namespace {

TEST(Sha256, MatchesFips180Vectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(UnifiedDiff, ShowsChangedLineWithContextAndNewFiles) {
  std::string diff = unified_diff("/etc/x", std::string("a\nb\nc\n"), "a\nB\nc\n");
  EXPECT_EQ(diff, "--- a/etc/x\n+++ b/etc/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  EXPECT_EQ(unified_diff("/etc/new", std::nullopt, "x\n"), "--- /dev/null\n+++ b/etc/new\n@@ -0,0 +1 @@\n+x\n");
  EXPECT_EQ(unified_diff("/etc/x", std::string("same\n"), "same\n"), "");
}

TEST(Choices, NormalisesBdfsAndRejectsGarbage) {
  EXPECT_EQ(*normalize_bdf("08:00.0", "--gpu"), "0000:08:00.0");
  EXPECT_EQ(*normalize_bdf("0000:0A:1F.7", "--gpu"), "0000:0a:1f.7");
  auto bad = normalize_bdf("08:00", "--gpu");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("--gpu \"08:00\""), std::string::npos);
}

TEST(Choices, RejectsShellMetacharactersQuotesAndNewlinesInNameAndDisk) {
  for (const char* name : {"win;rm -rf /", "win'", "win\"", "win\nx", "w$x", "a b", "`x`", "-x"}) {
    Choices choices;
    choices.name = name;
    auto checked = validate_choices(choices);
    ASSERT_FALSE(checked) << name;
    EXPECT_NE(checked.error().message.find("--name"), std::string::npos);
  }
  for (const char* disk : {"phy:/dev/vg/lv,hda,w;reboot", "phy:/dev/vg/lv'", "phy:/dev/vg/lv\n", "phy:/dev/$(x)"}) {
    Choices choices;
    choices.disks = {disk};
    auto checked = validate_choices(choices);
    ASSERT_FALSE(checked) << disk;
    EXPECT_NE(checked.error().message.find("--disk"), std::string::npos);
    EXPECT_NE(checked.error().message.find("is not allowed"), std::string::npos);
  }
  Choices good;
  good.name = "win";
  good.disks = {"phy:/dev/vg_ssd/win7system,hda,w"};
  EXPECT_TRUE(validate_choices(good));
}

TEST(Kconfig, MissingOptionsRespectTheKernelVersion) {
  Json config = {{"CONFIG_XEN", "y"}};
  auto recent = missing_kconfig_options("6.1.0", config);
  auto old = missing_kconfig_options("4.9.0", config);
  auto has = [](const auto& list, const std::string& name) {
    for (const auto& [n, v] : list) {
      if (n == name) return true;
    }
    return false;
  };
  EXPECT_TRUE(has(recent, "CONFIG_XEN_PV"));
  EXPECT_FALSE(has(old, "CONFIG_XEN_PV"));  // XEN_PV appeared in 4.11
  EXPECT_FALSE(has(recent, "CONFIG_XEN"));
  EXPECT_TRUE(has(recent, "CONFIG_XEN_PCIDEV_BACKEND"));
  EXPECT_FALSE(has(recent, "CONFIG_XEN_PVHVM"));  // hidden def_bool: never in a fragment
  EXPECT_EQ(compare_versions("4.10", "4.9"), 1);
  EXPECT_EQ(compare_versions("4.17.5", "4.17"), 1);
  EXPECT_EQ(compare_versions("6.1.0-13-amd64", "6.1"), 1);
}

TEST(DomuConfig, KeepsIdentityOnlyOfItsOwnFiles) {
  std::mt19937_64 random(1);
  DomuSpec spec;
  spec.name = "win";
  spec.uuid = random_uuid(random);
  spec.mac = random_xen_mac(random);
  EXPECT_TRUE(std::regex_match(spec.uuid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  EXPECT_TRUE(std::regex_match(spec.mac, std::regex("00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}")));
  auto identity = identity_of_existing(render_domu_config(spec));
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->uuid, spec.uuid);
  EXPECT_EQ(identity->mac, spec.mac);
  EXPECT_FALSE(identity_of_existing("name = \"win\"\nuuid = \"" + spec.uuid + "\"\n"));
}

TEST(XlSyntax, AcceptsGeneratedConfigsAndNamesTheBadLine) {
  DomuSpec spec;
  spec.name = "win";
  spec.uuid = "00000000-0000-4000-8000-000000000000";
  spec.mac = "00:16:3e:00:00:01";
  spec.pci = {{"0000:08:00.0", false}, {"0000:00:1d.0", true}};
  EXPECT_EQ(check_xl_config_syntax(render_domu_config(spec)), "");
  EXPECT_EQ(check_xl_config_syntax("name = \"a\"\npci = [ '0000:08:00.0' \n"), "line 3: expected , or ] in a list");
  EXPECT_EQ(check_xl_config_syntax("a = 1\nb = \"x\nc = 2\n"), "line 2: unterminated string");
}

}  // namespace
}  // namespace ptdoctor::fix
