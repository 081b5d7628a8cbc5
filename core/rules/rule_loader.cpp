#include "rules/rule_loader.hpp"

#include <algorithm>
#include <filesystem>

#include <yaml-cpp/eventhandler.h>

#include <set>
#include <sstream>

#include "input_file.hpp"
#include "rules/rule_fields.hpp"
#include "rules/yaml_util.hpp"

namespace ptdoctor::rules {
namespace {

// Files in the rules directory that hold data for plugins rather than rules.
const std::set<std::string> kDataKinds = {"gpu-quirks", "hwdb"};
const std::set<std::string> kTopKeys = {"kind", "schema", "rules"};

void add_problem(LoadedFile& loaded, const std::string& origin, const YAML::Mark& mark, const std::string& message) {
  loaded.problems.push_back(where(origin, mark) + ": " + message);
}

void load_document(const YAML::Node& root, const std::string& origin, bool in_directory, LoadedFile& loaded) {
  if (!root.IsMap()) {
    add_problem(loaded, origin, root.Mark(), "a rules file is a map starting with `kind: rules`");
    return;
  }
  const YAML::Node kind = root["kind"];
  if (!kind || !kind.IsScalar()) {
    add_problem(loaded, origin, root.Mark(), "missing `kind: rules` (data files say kind: gpu-quirks or hwdb)");
    return;
  }
  if (kDataKinds.count(kind.Scalar())) {
    loaded.data_file = true;
    if (!in_directory) {
      add_problem(loaded, origin, kind.Mark(), "this is a " + kind.Scalar() + " data file, not a rules file; "
                  "pass the directory holding it, or a file with kind: rules");
    }
    return;
  }
  if (kind.Scalar() != "rules") {
    add_problem(loaded, origin, kind.Mark(), "unknown kind '" + kind.Scalar() + "'; a rules file says kind: rules");
    return;
  }
  std::set<std::string> seen;
  for (const auto& pair : root) {
    std::string key = pair.first.IsScalar() ? pair.first.Scalar() : "?";
    if (!kTopKeys.count(key)) {
      add_problem(loaded, origin, pair.first.Mark(), "unknown key '" + key + "' (allowed: kind, schema, rules)");
    } else if (!seen.insert(key).second) {
      add_problem(loaded, origin, pair.first.Mark(), "key '" + key + "' appears twice");
    }
  }
  if (const YAML::Node schema = root["schema"]) {
    if (!schema.IsScalar() || schema.Scalar() != "1") {
      add_problem(loaded, origin, schema.Mark(), "unsupported schema; this ptdoctor reads schema: 1");
    }
  }
  const YAML::Node rules = root["rules"];
  if (!rules || !rules.IsSequence()) {
    add_problem(loaded, origin, rules ? rules.Mark() : root.Mark(), "rules: must be a list of rules");
    return;
  }
  std::map<std::string, std::string> ids;  // id -> where first defined
  for (const YAML::Node& node : rules) {
    auto rule = parse_rule(node, origin, loaded.problems);
    if (!rule) continue;
    auto [it, fresh] = ids.emplace(rule->id, where(origin, node.Mark()));
    if (!fresh) {
      add_problem(loaded, origin, node.Mark(), "rule id '" + rule->id + "' is already defined at " + it->second);
      continue;
    }
    loaded.rules.push_back(std::move(*rule));
  }
}

// Counts document starts and ignores everything else.
class DocumentCounter : public YAML::EventHandler {
 public:
  std::size_t documents = 0;
  void OnDocumentStart(const YAML::Mark&) override { ++documents; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// How many YAML documents the text holds: 0, 1, or 2 for "more than one".
// Not YAML::LoadAll: on some malformed text (a quoted scalar followed by a stray ',', such as "\"a\",\n") yaml-cpp
// 0.7's parser reports an empty document after the last one without consuming anything, forever, and LoadAll
// collects them until memory runs out. Found by the rule_yaml fuzz target (tests/fuzz). Counting stops at two.
// Only text with a line starting with "---" or "..." can hold another document, so only that text is parsed twice.
std::size_t count_documents(const std::string& text) {
  const bool markers = text.rfind("---", 0) == 0 || text.rfind("...", 0) == 0 ||
                       text.find("\n---") != std::string::npos || text.find("\n...") != std::string::npos;
  if (!markers) return text.find_first_not_of(" \t\r\n") == std::string::npos ? 0 : 1;
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentCounter counter;
  while (counter.documents < 2 && parser.HandleNextDocument(counter)) {
  }
  return counter.documents;
}

}  // namespace

LoadedFile load_rule_text(const std::string& text, const std::string& origin, bool in_directory) {
  LoadedFile loaded;
  if (text.size() > kRulesFileInput.max_bytes) {
    loaded.problems.push_back(origin + ": larger than the " +
                              std::to_string(kRulesFileInput.max_bytes >> 20) + " MiB limit for a rules file; split it");
    return loaded;
  }
  try {
    const std::size_t documents = count_documents(text);
    if (documents != 1) {
      loaded.problems.push_back(origin + ": a rules file holds exactly one YAML document, found " +
                                (documents == 0 ? std::string("none") : std::string("more than one")));
      return loaded;
    }
    load_document(YAML::Load(text), origin, in_directory, loaded);
  } catch (const YAML::ParserException& error) {
    loaded.problems.push_back(where(origin, error.mark) + ": YAML syntax error: " + error.msg);
  } catch (const YAML::Exception& error) {
    loaded.problems.push_back(where(origin, error.mark) + ": cannot read the YAML: " + error.msg);
  } catch (const std::exception& error) {
    loaded.problems.push_back(origin + ": cannot read the YAML: " + error.what());
  }
  if (!loaded.problems.empty()) loaded.rules.clear();
  if (loaded.problems.size() > kMaxProblemsPerFile) {
    std::size_t more = loaded.problems.size() - kMaxProblemsPerFile;
    loaded.problems.resize(kMaxProblemsPerFile);
    loaded.problems.push_back(origin + ": ... and " + std::to_string(more) + " more problems");
  }
  return loaded;
}

LoadedFile load_rule_file(const std::string& path, bool in_directory) {
  // A FIFO or device named with --rules is refused instead of blocking; an oversized file without reading it all.
  auto text = read_input_file(path, kRulesFileInput);
  if (!text) {
    LoadedFile loaded;
    loaded.problems.push_back(text.error().message);
    // Missing, a device, too large: the input is unusable (exit 66); a failed read is an I/O error (74).
    loaded.read_error = text.error().kind == ErrorKind::kIo ? ErrorKind::kIo : ErrorKind::kNotFound;
    return loaded;
  }
  return load_rule_text(*text, path, in_directory);
}

std::vector<std::string> rule_files_in(const std::string& dir, std::error_code& ec) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  fs::directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string ext = it->path().extension().string();
    std::error_code file_ec;
    if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(file_ec)) files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace ptdoctor::rules
