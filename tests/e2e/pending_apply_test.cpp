// `fix --apply` and then `check` before the reboot: the check says the applied changes are configured but not yet
// in effect, in the words `verify` uses, instead of a verdict that seems to contradict `verify`. Once the host has
// booted since the apply (/proc/stat btime), or the apply was rolled back, the check says nothing of it.
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <regex>

#include "e2e_util.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// "FAIL <message>" lines of `ptdoctor verify`.
std::vector<std::string> verify_failures(const std::string& root) {
  auto result = run_ptdoctor({"verify", "--root", root});
  std::vector<std::string> failures;
  std::size_t start = 0;
  while (start < result.out.size()) {
    std::size_t end = result.out.find('\n', start);
    if (end == std::string::npos) end = result.out.size();
    const std::string line = result.out.substr(start, end - start);
    if (line.rfind("FAIL ", 0) == 0) failures.push_back(line.substr(5));
    start = end + 1;
  }
  return failures;
}

// dual-gpu: Xen runs, amdgpu drives the Radeon at 03:00.0; the plan hides it for the next boot.
TEST(PendingApply, CheckBeforeTheRebootSaysConfiguredButNotYetInEffect) {
  TempTree tree;
  const std::string root = copy_fixture_host("dual-gpu", tree);
  EXPECT_FALSE(check_json({"--root", root}).contains("pending_apply"));

  auto applied = run_ptdoctor({"fix", "--apply", "--yes", "--root", root});
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  std::smatch journal;
  ASSERT_TRUE(std::regex_search(applied.out, journal, std::regex("Journal ([0-9TZ-]+);"))) << applied.out;

  auto checked = run_ptdoctor({"check", "--format", "json", "--root", root});
  EXPECT_EQ(schema_problems(checked.out), "");
  Json report = parse_json_output(checked);
  ASSERT_TRUE(report.contains("pending_apply")) << report.value("verdict_reason", "");
  EXPECT_EQ(report["pending_apply"]["journal"], journal[1].str());
  // The same steps, in the same words, as verify.
  const std::vector<std::string> failures = verify_failures(root);
  ASSERT_FALSE(failures.empty());
  EXPECT_EQ(report["pending_apply"]["not_in_effect"], Json(failures));
  EXPECT_TRUE(has(failures.front(), "0000:03:00.0 is not held by pciback")) << failures.front();
  const std::string reason = report.value("verdict_reason", "");
  EXPECT_TRUE(has(reason, "(journal " + journal[1].str() + ") configured changes that are not in effect yet: " +
                              failures.front()))
      << reason;
  EXPECT_TRUE(has(reason, "Reboot into the Xen entry, then run `ptdoctor verify`")) << reason;
  // Still not ready: the card is not assignable until the reboot. The headline says why.
  EXPECT_EQ(report["verdict"], "not-ready");
  auto text = run_ptdoctor({"check", "--no-color", "--root", root});
  EXPECT_TRUE(has(text.out, "Verdict: NOT READY, configured but not yet in effect:")) << text.out.substr(0, 800);
  auto markdown = run_ptdoctor({"check", "--format", "markdown", "--root", root});
  EXPECT_TRUE(has(markdown.out, "# ptdoctor: NOT READY, configured but not yet in effect")) << markdown.out.substr(0, 400);

  // Booted since the apply: whatever is still not in effect failed, it is not waiting (verify says why).
  tree.write("/host/proc/stat", "cpu  1 2 3 4\nbtime " + std::to_string(std::time(nullptr) + 3600) + "\n");
  EXPECT_FALSE(check_json({"--root", root}).contains("pending_apply"));
  // Booted before it: still pending.
  tree.write("/host/proc/stat", "cpu  1 2 3 4\nbtime 1000000000\n");
  EXPECT_TRUE(check_json({"--root", root}).contains("pending_apply"));
  std::filesystem::remove(tree.at("/host/proc/stat"));

  auto rolled_back = run_ptdoctor({"rollback", "--yes", "--root", root});
  ASSERT_EQ(rolled_back.exit_code, 0) << rolled_back.out << rolled_back.err;
  Json after_rollback = check_json({"--root", root});
  EXPECT_FALSE(after_rollback.contains("pending_apply"));
  EXPECT_FALSE(has(after_rollback.value("verdict_reason", ""), "not in effect"));
}

}  // namespace
}  // namespace ptdoctor::testing
