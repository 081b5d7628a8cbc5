#include "rules/message_similarity.hpp"

#include <cctype>

namespace ptdoctor::rules {
namespace {

bool is_filler(const std::string& word) {
  static const std::set<std::string> kFiller = {
      "that", "this", "with", "from", "have", "been", "into", "will", "when", "does", "than", "then", "there",
      "their", "they", "what", "which", "your", "only", "also", "each", "some", "more", "most", "other",
      "error", "warning", "libxl", "domain", "failed", "fail", "cannot", "unable", "device", "devices",
      "config", "guest", "here", "must", "like", "make", "makes", "used", "uses", "over", "under"};
  return kFiller.count(word) > 0;
}

}  // namespace

std::set<std::string> significant_words(std::string_view text) {
  std::set<std::string> words;
  std::string word;
  auto flush = [&] {
    if (word.size() >= 4 && !is_filler(word)) words.insert(word);
    word.clear();
  };
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

int similarity(const std::set<std::string>& message_words, const std::set<std::string>& rule_key_words,
               const std::set<std::string>& rule_other_words) {
  int score = 0;
  for (const std::string& word : message_words) {
    if (rule_key_words.count(word)) {
      score += 2;
    } else if (rule_other_words.count(word)) {
      score += 1;
    }
  }
  return score;
}

}  // namespace ptdoctor::rules
