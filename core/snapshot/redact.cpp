#include "snapshot/redact.hpp"

#include <regex>

namespace ptdoctor::snapshot {
namespace {

bool is_identity_file(std::string_view path) {
  std::string_view name = path.substr(path.rfind('/') + 1);
  return name.find("serial") != std::string_view::npos || name.find("uuid") != std::string_view::npos ||
         name == "machine-id";
}

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Whole-word replacement: a hostname "debian" must not eat "debian-kernel@lists.debian.org" piecemeal.
std::string replace_word(std::string text, std::string_view word, std::string_view with) {
  if (word.empty()) return text;
  std::size_t at = 0;
  while ((at = text.find(word, at)) != std::string::npos) {
    bool left = at == 0 || !word_char(text[at - 1]);
    std::size_t end = at + word.size();
    bool right = end >= text.size() || !word_char(text[end]);
    if (left && right) {
      text.replace(at, word.size(), with);
      at += with.size();
    } else {
      at = end;
    }
  }
  return text;
}

}  // namespace

std::string redact_text(std::string text, std::string_view hostname) {
  static const std::regex kMac(R"(\b([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\b)");
  static const std::regex kUuid(R"(\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b)");
  static const std::regex kSerial(R"(((serial[ _]?(number|no\.?)?)\s*[:=]\s*)\S+)", std::regex::icase);
  // A user's name is in their home directory's path: a disk image under /home/alice names alice.
  static const std::regex kHomeUser(R"((/home/)[^/\s'",:;=]+)");
  text = std::regex_replace(text, kMac, "00:00:00:00:00:00");
  text = std::regex_replace(text, kUuid, "00000000-0000-0000-0000-000000000000");
  text = std::regex_replace(text, kSerial, "$1REDACTED");
  text = std::regex_replace(text, kHomeUser, "$1user");
  return replace_word(std::move(text), hostname, kRedactedHostname);
}

std::string redact(std::string_view path, std::string content, std::string_view hostname) {
  if (is_identity_file(path)) return "REDACTED\n";
  if (content.find('\0') != std::string::npos) return content;
  return redact_text(std::move(content), hostname);
}

}  // namespace ptdoctor::snapshot
