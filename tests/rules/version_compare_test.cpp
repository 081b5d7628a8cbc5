// The version order used by version_gt/ge/lt/le/eq.
#include <gtest/gtest.h>

#include "rules/version_compare.hpp"

namespace ptdoctor::rules {
namespace {

struct VersionCase {
  const char* left;
  const char* right;
  int order;
};

class VersionOrder : public ::testing::TestWithParam<VersionCase> {};

TEST_P(VersionOrder, ComparesAsDocumented) {
  const VersionCase& c = GetParam();
  EXPECT_EQ(compare_versions(c.left, c.right), c.order) << c.left << " vs " << c.right;
  EXPECT_EQ(compare_versions(c.right, c.left), -c.order) << c.right << " vs " << c.left;
}

INSTANTIATE_TEST_SUITE_P(
    RuleEngine, VersionOrder,
    ::testing::Values(VersionCase{"4.17.5", "4.10", 1},          // numeric, not text: 17 > 10
                      VersionCase{"4.9", "4.10", -1},            // 9 < 10
                      VersionCase{"4.17", "4.17.0", 0},          // missing components count as 0
                      VersionCase{"4.17", "4.17.0.0", 0},
                      VersionCase{"4.17.1", "4.17", 1},
                      VersionCase{"6.1.0-13-amd64", "6.1.0-9-amd64", 1},   // dash splits too
                      VersionCase{"4.17.2+dfsg", "4.17.2", 1},             // "dfsg" vs "0": text order
                      VersionCase{"4.17.2+1", "4.17.2+1", 0},
                      VersionCase{"4.17-rc1", "4.17-rc2", -1},
                      VersionCase{"4.017", "4.17", 0},                     // leading zeros
                      VersionCase{"5.99999999999999999999", "5.100000000000000000000", -1},  // any length
                      VersionCase{"a", "b", -1},
                      VersionCase{"1.a", "1.0", 1}));

}  // namespace
}  // namespace ptdoctor::rules
