// The examples in docs/rules.md are part of the contract: every one of them must load.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "rule_test_support.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {
namespace {

std::vector<std::string> yaml_blocks(const std::string& markdown) {
  std::vector<std::string> blocks;
  std::istringstream in(markdown);
  std::string line, block;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!inside && line == "```yaml") {
      inside = true;
      block.clear();
    } else if (inside && line == "```") {
      inside = false;
      blocks.push_back(block);
    } else if (inside) {
      block += line + "\n";
    }
  }
  return blocks;
}

TEST(RuleDocs, EveryExampleInTheAuthoringGuideLoads) {
  std::ifstream in(source_path("docs/rules.md"));
  ASSERT_TRUE(in) << "docs/rules.md missing";
  std::stringstream text;
  text << in.rdbuf();
  int checked = 0;
  for (const std::string& block : yaml_blocks(text.str())) {
    std::vector<std::string> files;
    if (block.rfind("kind: rules", 0) == 0) {
      files.push_back(block);
    } else if (block.rfind("  - id:", 0) == 0) {
      files.push_back("kind: rules\nrules:\n" + block);
    } else {
      std::istringstream lines(block);
      std::string line;
      while (std::getline(lines, line)) {
        if (line.rfind("check: ", 0) == 0) files.push_back(one_rule(line.substr(7)));
      }
    }
    for (const std::string& file : files) {
      for (const std::string& error : load_errors(file, "docs/rules.md example")) ADD_FAILURE() << error << "\n" << file;
      ++checked;
    }
  }
  EXPECT_GE(checked, 15);
}

}  // namespace
}  // namespace ptdoctor::testing
