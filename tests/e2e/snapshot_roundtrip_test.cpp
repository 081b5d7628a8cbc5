// Issue 6 acceptance: snapshot this machine, judge the snapshot, and get the live check's results exactly.
#include <gtest/gtest.h>

#include "e2e_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

TEST(SnapshotRoundTrip, CheckOfASnapshotGivesTheLiveResults) {
  TempTree tree;
  std::string archive = tree.at("/host.tar.gz");
  auto snapshot = run_ptdoctor({"snapshot", "-o", archive});
  ASSERT_EQ(snapshot.exit_code, 0) << snapshot.err;
  auto live = run_ptdoctor({"check", "--format", "json"});
  auto offline = run_ptdoctor({"check", "--snapshot", archive, "--format", "json"});
  EXPECT_EQ(live.exit_code, offline.exit_code);
  Json a = parse_json_output(live), b = parse_json_output(offline);
  EXPECT_EQ(a["verdict"], b["verdict"]);
  EXPECT_EQ(b["host"]["source"], "snapshot");
  ASSERT_EQ(a["results"].size(), b["results"].size());
  for (std::size_t i = 0; i < a["results"].size(); ++i) {
    const Json& x = a["results"][i];
    const Json& y = b["results"][i];
    EXPECT_EQ(x["rule"], y["rule"]);
    EXPECT_EQ(x["status"], y["status"]) << x["rule"] << ": live '" << x["message"] << "' vs snapshot '"
                                        << y["message"] << "'";
    EXPECT_EQ(x["subject"], y["subject"]) << x["rule"];
  }
}

}  // namespace
}  // namespace ptdoctor::testing
