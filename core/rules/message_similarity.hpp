#pragma once
// How close a pasted message is to a rule, for `ptdoctor explain` when no rule recognises the message: the words
// they share. Words are lower-cased runs of letters of four or more, without common English and log filler, so
// addresses, line numbers and "libxl: error:" prefixes count for nothing.
#include <set>
#include <string>
#include <string_view>

namespace ptdoctor::rules {

std::set<std::string> significant_words(std::string_view text);

// Shared words between the message and the rule's own words (title and recognises patterns count twice: they
// say what the rule is about; why and the fail message once).
int similarity(const std::set<std::string>& message_words, const std::set<std::string>& rule_key_words,
               const std::set<std::string>& rule_other_words);

}  // namespace ptdoctor::rules
