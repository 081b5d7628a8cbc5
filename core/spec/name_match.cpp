#include "spec/name_match.hpp"

#include <cctype>
#include <regex>
#include <sstream>
#include <vector>

namespace ptdoctor::spec {

std::string part_key(std::string_view name) {
  std::string text;
  for (char c : name) text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Trademark marks, the clock suffix ("@ 2.67GHz") and words that vendors add or drop freely.
  static const std::regex kMarks(R"(\((r|tm|c)\)|®|™)");
  static const std::regex kClock(R"(@.*$)");
  static const std::regex kCoreCount(R"(\b\d+-core\b)");
  text = std::regex_replace(text, kMarks, " ");
  text = std::regex_replace(text, kCoreCount, " ");
  text = std::regex_replace(text, kClock, " ");
  static const std::vector<std::string> kNoise = {"intel", "amd", "ati", "nvidia", "corporation", "core", "cpu",
                                                  "processor", "quad-core", "six-core", "eight-core", "graphics",
                                                  "series", "with", "radeon graphics"};
  std::istringstream words(text);
  std::vector<std::string> kept;
  std::string word;
  while (words >> word) {
    bool noise = false;
    for (const auto& n : kNoise) noise = noise || word == n;
    if (!noise) kept.push_back(word);
  }
  // "i7 920" and "i7-920" are the same part: join a brand token (i3/i5/i7/i9) with the number after it.
  std::string key;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    bool brand = kept[i].size() == 2 && kept[i][0] == 'i' && std::isdigit(static_cast<unsigned char>(kept[i][1]));
    if (brand && i + 1 < kept.size() && std::isdigit(static_cast<unsigned char>(kept[i + 1][0]))) {
      kept[i + 1] = kept[i] + "-" + kept[i + 1];
      continue;
    }
    key += (key.empty() ? "" : " ") + kept[i];
  }
  return key;
}

std::string board_key(std::string_view name) {
  std::string text = part_key(name);
  for (char& c : text) {
    if (c == '-' || c == '_' || c == '/') c = ' ';
  }
  static const std::vector<std::string> kVendors = {"asustek", "asus", "computer", "inc.", "gigabyte", "technology",
                                                    "msi", "micro-star", "international", "co.", "ltd.", "asrock",
                                                    "biostar", "evga", "supermicro", "ga"};
  std::istringstream words(text);
  std::string word, key;
  while (words >> word) {
    bool vendor = false;
    for (const auto& v : kVendors) vendor = vendor || word == v;
    if (!vendor) key += (key.empty() ? "" : " ") + word;
  }
  return key;
}

bool parse_pci_id(std::string_view text, std::string& vendor_id, std::string& device_id) {
  static const std::regex kId(R"(^\s*(?:0x)?([0-9a-fA-F]{4})[: ](?:0x)?([0-9a-fA-F]{4})\s*$)");
  std::cmatch match;
  std::string copy(text);
  if (!std::regex_match(copy.c_str(), match, kId)) return false;
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  vendor_id = "0x" + lower(match[1].str());
  device_id = "0x" + lower(match[2].str());
  return true;
}

}  // namespace ptdoctor::spec
