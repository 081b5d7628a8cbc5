#include "key_lines.hpp"

#include <cctype>

namespace ptdoctor::domu {
namespace {

bool is_key_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
// xl.conf keys contain dots (vif.default.bridge); domU keys do not, but the lexer accepts both.
bool is_key_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::map<std::string, KeyLines> run() {
    while (pos_ < text_.size()) step();
    return std::move(keys_);
  }

 private:
  void step() {
    const char c = text_[pos_];
    if (c == '\n') {
      ++line_;
      ++pos_;
      if (depth_ == 0) statement_start_ = true;
      return;
    }
    if (c == '#') {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      return;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++pos_;
      return;
    }
    if (c == ';' && depth_ == 0) {
      statement_start_ = true;
      ++pos_;
      return;
    }
    if (statement_start_ && is_key_start(c)) {
      assignment();
      return;
    }
    statement_start_ = false;
    if (c == '[') {
      ++depth_;
      ++pos_;
    } else if (c == ']') {
      if (depth_ > 0) --depth_;
      ++pos_;
    } else if (c == ',') {
      ++pos_;
    } else if (c == '\'' || c == '"') {
      item(line_);
      quoted(c);
    } else {
      // A bare word. Its first character is always taken, so a character that ends words but has no case above
      // (';' inside brackets, '\v', '\f') cannot stop the scan in place.
      item(line_);
      do {
        ++pos_;
      } while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_])) &&
               std::string_view(",;[]#'\"").find(text_[pos_]) == std::string_view::npos);
    }
  }

  void assignment() {
    const std::size_t start = pos_;
    const int line = line_;
    while (pos_ < text_.size() && is_key_char(text_[pos_])) ++pos_;
    std::string key(text_.substr(start, pos_ - start));
    std::size_t after = pos_;
    while (after < text_.size() && (text_[after] == ' ' || text_[after] == '\t')) ++after;
    statement_start_ = false;
    const bool append = text_.substr(after, 2) == "+=";
    if (!append && (after >= text_.size() || text_[after] != '=')) return;  // not an assignment: libxlutil says why
    pos_ = after + (append ? 2 : 1);
    KeyLines& entry = keys_[key];
    if (!append) entry.item_lines.clear();
    if (!append || entry.line == 0) entry.line = line;
    current_ = key;
  }

  // A value token: inside the top-level list of the current assignment it is one list item.
  void item(int line) {
    if (depth_ == 1 && !current_.empty()) keys_[current_].item_lines.push_back(line);
  }

  void quoted(char quote) {
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\n') ++line_;
      // A backslash escapes the next character (xen tools/libs/util/libxlu_cfg.c, xlu__cfgl_dequote).
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
        ++pos_;
        if (text_[pos_] == '\n') ++line_;
      }
      ++pos_;
    }
    if (pos_ < text_.size()) ++pos_;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int depth_ = 0;
  bool statement_start_ = true;
  std::string current_;
  std::map<std::string, KeyLines> keys_;
};

}  // namespace

std::map<std::string, KeyLines> key_lines(std::string_view text) { return Scanner(text).run(); }

}  // namespace ptdoctor::domu
