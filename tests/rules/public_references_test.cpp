// Everything a rule file shows a user (titles, messages, why, fixes, refs, quirk and hardware-database notes)
// cites only what the user can open: public URLs, man pages, vendor documents, or the docs/ pages installed with
// ptdoctor. The team's REFERENCE.md, ../shared/, and source or test paths belong in YAML comments, which are not
// part of the parsed document and so are not checked here.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

// What a user does not have. Paths are matched as path segments so that a URL such as
// https://docs.kernel.org/.../tests/... would still be caught only when it is a repository path.
const std::regex kNotPublic(
    R"((REFERENCE(\.md)?\s*§|REFERENCE\.md|\.\./shared|(^|[\s("'`])(tests|plugins|core|reports)/|hostgen|\.(cpp|hpp|py)\b))");

std::vector<fs::path> rule_files() {
  std::vector<fs::path> files;
  for (const char* dir : {"rules", "rules/hwdb"}) {
    for (const auto& entry : fs::directory_iterator(source_path(dir))) {
      if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Every scalar value in the document with its path ("rules[3].refs[1]"); keys are names, not text.
void scalars(const YAML::Node& node, const std::string& where, std::vector<std::pair<std::string, std::string>>& out) {
  if (node.IsScalar()) {
    out.emplace_back(where, node.Scalar());
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) scalars(node[i], where + "[" + std::to_string(i) + "]", out);
  } else if (node.IsMap()) {
    for (const auto& pair : node) scalars(pair.second, where + "." + pair.first.as<std::string>(), out);
  }
}

TEST(PublicReferences, PatternCatchesWhatUsersCannotOpen) {
  for (const char* bad : {"REFERENCE.md §4", "REFERENCE §10", "see ../shared/REFERENCE.md",
                          "tests/fixtures/hostgen/xen.py (intel-modern)", "plugins/gpu/gpu_candidate.cpp",
                          "(core/fix/plan_domu.cpp)"}) {
    EXPECT_TRUE(std::regex_search(bad, kNotPublic)) << bad;
  }
  for (const char* good : {"https://xenbits.xen.org/docs/unstable/misc/xen-command-line.html#iommu",
                           "xl.cfg(5)", "https://docs.kernel.org/admin-guide/kernel-parameters.html",
                           "Intel SDM vol. 3C §24.7", "docs/fixing.md", "https://github.com/gnif/vendor-reset"}) {
    EXPECT_FALSE(std::regex_search(good, kNotPublic)) << good;
  }
}

TEST(PublicReferences, NoRuleFileShowsUsersAPathTheyDoNotHave) {
  std::vector<fs::path> files = rule_files();
  ASSERT_GE(files.size(), 9u);
  for (const fs::path& file : files) {
    YAML::Node document = YAML::LoadFile(file.string());
    std::vector<std::pair<std::string, std::string>> values;
    scalars(document, "", values);
    for (const auto& [where, text] : values) {
      EXPECT_FALSE(std::regex_search(text, kNotPublic))
          << file.filename().string() << " " << where << ": \"" << text
          << "\" cites something users do not have; move it to a YAML comment";
    }
  }
}

TEST(PublicReferences, UserDocsDoNotCiteTheTeamsNotes) {
  const std::regex team_notes(R"(REFERENCE(\.md)?\s*§|REFERENCE\.md|\.\./shared)");
  for (const char* page : {"docs/user-guide.md", "docs/fixing.md", "docs/pre-purchase.md", "docs/facts.md",
                           "docs/report-format.md", "docs/snapshots.md"}) {
    std::ifstream in(source_path(page));
    ASSERT_TRUE(in) << page;
    std::stringstream text;
    text << in.rdbuf();
    std::string line;
    int number = 0;
    while (std::getline(text, line)) {
      ++number;
      EXPECT_FALSE(std::regex_search(line, team_notes)) << page << ":" << number << ": " << line;
    }
  }
}

}  // namespace
}  // namespace ptdoctor::testing
