#include "modprobe_conf.hpp"

#include "text_util.hpp"

namespace ptdoctor::hostplug {
namespace {

struct LogicalLine {
  std::size_t number;  // line the logical line starts on
  std::string text;
};

// Joins "\"-continued lines and drops comments, as libkmod's config reader does.
std::vector<LogicalLine> logical_lines(std::string_view text) {
  std::vector<LogicalLine> lines;
  std::string pending;
  std::size_t start = 0, number = 0;
  for (std::string_view line : split_lines(text)) {
    ++number;
    if (pending.empty()) start = number;
    if (!line.empty() && line.back() == '\\') {
      pending += std::string(line.substr(0, line.size() - 1)) + " ";
      continue;
    }
    pending += std::string(line);
    std::string_view body = trim(pending);
    if (!body.empty() && body.front() != '#') lines.push_back({start, std::string(body)});
    pending.clear();
  }
  if (!trim(pending).empty() && trim(pending).front() != '#') lines.push_back({start, std::string(trim(pending))});
  return lines;
}

}  // namespace

void parse_modprobe_conf(std::string_view text, const std::string& file, ModprobeConf& conf) {
  for (const LogicalLine& line : logical_lines(text)) {
    std::vector<std::string> words = split_words(line.text);
    std::string where = file + ":" + std::to_string(line.number);
    const std::string& command = words[0];
    if (words.size() < 2) {
      conf.problems.push_back(where + ": \"" + line.text + "\" has no module name");
      continue;
    }
    std::string module = underscore_name(words[1]);
    if (command == "options") {
      auto& list = conf.options[module];
      list.insert(list.end(), words.begin() + 2, words.end());
      conf.option_sources[module] = where;
    } else if (command == "softdep") {
      Softdep& dep = conf.softdeps[module];
      dep.source = where;
      std::vector<std::string>* target = nullptr;
      for (std::size_t i = 2; i < words.size(); ++i) {
        if (words[i] == "pre:") {
          target = &dep.pre;
        } else if (words[i] == "post:") {
          target = &dep.post;
        } else if (target) {
          target->push_back(underscore_name(words[i]));
        } else {
          conf.problems.push_back(where + ": softdep \"" + words[i] + "\" comes before \"pre:\" or \"post:\"");
        }
      }
    } else if (command == "install") {
      std::string_view rest = line.text;
      // The command is everything after the module name (searched past "install" itself).
      rest = trim(rest.substr(rest.find(words[1], command.size()) + words[1].size()));
      conf.installs[module] = std::string(rest);
    } else if (command == "blacklist") {
      conf.blacklist.push_back(module);
    } else if (command != "alias" && command != "remove" && command != "include") {
      conf.problems.push_back(where + ": unknown command \"" + command + "\"; modprobe ignores this line");
    }
  }
}

std::vector<std::string> parse_modules_list(std::string_view text) {
  std::vector<std::string> modules;
  for (std::string_view line : split_lines(text)) {
    line = trim(line);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    modules.push_back(underscore_name(split_words(line).front()));
  }
  return modules;
}

}  // namespace ptdoctor::hostplug
