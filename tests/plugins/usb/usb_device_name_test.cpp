// is_usb_device_name against the regex it replaced, on names as sysfs gives them and on random strings built from
// the characters that matter.
#include <random>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "usb_device_name.hpp"

namespace ptdoctor::usb {
namespace {

const std::regex kOld("[0-9]+-[0-9]+(\\.[0-9]+)*");

TEST(UsbDeviceName, NamesAsSysfsGivesThem) {
  for (const char* name : {"1-1", "3-10", "1-1.4", "2-1.4.2", "12-3.1.1.1"}) EXPECT_TRUE(is_usb_device_name(name)) << name;
  for (const char* name : {"usb1", "1-1:1.0", "1-1.4:1.1", "1-", "-1", "1-1.", "1-.1", "1--1", "", "1", "1-1a", " 1-1"}) {
    EXPECT_FALSE(is_usb_device_name(name)) << name;
  }
}

TEST(UsbDeviceName, AgreesWithTheRegexItReplaced) {
  std::mt19937 random(59);
  const std::string alphabet = "0123456789-.:ub ";
  int matched = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string name;
    const int length = static_cast<int>(random() % 10);
    for (int i = 0; i < length; ++i) name += alphabet[random() % alphabet.size()];
    const bool old = std::regex_match(name, kOld);
    EXPECT_EQ(is_usb_device_name(name), old) << '"' << name << '"';
    matched += old;
  }
  EXPECT_GT(matched, 100) << "too few names that match for the comparison to mean much";
}

}  // namespace
}  // namespace ptdoctor::usb
