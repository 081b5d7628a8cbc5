#include "snapshot/redact.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::snapshot {
namespace {

TEST(Redact, ReplacesMacsUuidsSerialsAndTheHostnameAsAWord) {
  std::string text =
      "root=UUID=0a1b2c3d-1111-2222-3333-444455556666 ro\n"
      "ether 52:54:00:12:34:56 on box1\n"
      "Serial Number: ABC123XYZ\n"
      "box1.example.org box10 debian-box1x\n"
      "0000:00:1f.0 stays\n";
  std::string out = redact("/proc/cmdline", text, "box1");
  EXPECT_EQ(out.find("0a1b2c3d"), std::string::npos);
  EXPECT_NE(out.find("00000000-0000-0000-0000-000000000000"), std::string::npos);
  EXPECT_EQ(out.find("52:54:00"), std::string::npos);
  EXPECT_EQ(out.find("ABC123XYZ"), std::string::npos);
  EXPECT_NE(out.find("on redacted-host\n"), std::string::npos);
  EXPECT_NE(out.find("redacted-host.example.org"), std::string::npos);
  EXPECT_NE(out.find("box10"), std::string::npos);  // another word that merely starts with the hostname
  EXPECT_NE(out.find("0000:00:1f.0 stays"), std::string::npos);  // a PCI address is not a MAC
}

TEST(Redact, IdentityFilesAreReplacedWholeAndBinaryDataIsKept) {
  EXPECT_EQ(redact("/sys/class/dmi/id/product_serial", "XYZ\n", "h"), "REDACTED\n");
  EXPECT_EQ(redact("/sys/class/dmi/id/product_uuid", "0a1b...\n", "h"), "REDACTED\n");
  std::string binary("\x86\x80\0\0h", 5);
  EXPECT_EQ(redact("/sys/devices/x/config", binary, "h"), binary);
}

}  // namespace
}  // namespace ptdoctor::snapshot
