#pragma once
// Reads one rules file: YAML syntax, `kind: rules`, the top-level keys, then each rule's fields, validating all
// of it. A file with any problem yields no rules (half a rule file would judge with half the rules).
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "ptdoctor/result.hpp"
#include "rules/rule.hpp"

namespace ptdoctor::rules {

struct LoadedFile {
  std::vector<Rule> rules;
  std::vector<std::string> problems;  // "file:line:column: what; what to do"
  bool data_file = false;             // kind: gpu-quirks | hwdb, skipped when loading a directory
  std::optional<ErrorKind> read_error;  // the file could not be read at all (missing, a FIFO, too large)
};

// `in_directory`: the file was found by listing a directory, so data files are skipped silently.
LoadedFile load_rule_text(const std::string& text, const std::string& origin, bool in_directory);
LoadedFile load_rule_file(const std::string& path, bool in_directory);

// The rules files of a directory: its regular *.yaml and *.yml files, not recursive, sorted so the order of
// results never depends on the file system.
std::vector<std::string> rule_files_in(const std::string& dir, std::error_code& ec);

// At most this many problems are listed per file; the rest are counted.
inline constexpr std::size_t kMaxProblemsPerFile = 50;

}  // namespace ptdoctor::rules
