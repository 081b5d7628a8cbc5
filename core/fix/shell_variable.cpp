#include "fix/shell_variable.hpp"

#include <cctype>
#include <optional>
#include <vector>

namespace ptdoctor::fix {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

// A blank that separates words: not one a backslash escapes (an odd run of backslashes before it), which spans()
// keeps inside its word. Trimming such a blank would move the word's end past the backslash, so the next blank
// (the separator an edit adds) becomes the escaped one and joins two words (found by the grub_default fuzz target:
// "a\<TAB>" plus "iommu=1" read back as one word "a\ iommu=1").
bool is_separator(std::string_view raw, std::size_t pos) {
  if (!is_space(raw[pos])) return false;
  std::size_t backslashes = 0;
  while (backslashes < pos && raw[pos - 1 - backslashes] == '\\') ++backslashes;
  return backslashes % 2 == 0;
}

struct Assignment {
  std::size_t line_begin = 0;   // offset of the line in the text
  std::size_t line_number = 0;  // 1-based, for messages
  std::size_t value_begin = 0;  // offset of the raw value (inside the quotes, when quoted)
  std::size_t value_end = 0;
  char quote = 0;               // '"', '\'' or 0 for an unquoted value
};

// Finds where a quoted or bare value ends, starting at `pos` (just after '='); nullopt when the value is not one
// plain part we can edit.
std::optional<Assignment> parse_value(std::string_view line, std::size_t pos) {
  Assignment found;
  if (pos < line.size() && (line[pos] == '"' || line[pos] == '\'')) {
    char quote = line[pos];
    std::size_t i = pos + 1;
    while (i < line.size() && line[i] != quote) {
      if (quote == '"' && line[i] == '\\') ++i;
      ++i;
    }
    if (i >= line.size()) return std::nullopt;  // unterminated: spans lines, or broken
    found.quote = quote;
    found.value_begin = pos + 1;
    found.value_end = i;
    std::size_t after = i + 1;
    // Anything glued to the closing quote ("a"'b', "a"$X, and "a"#b too: '#' starts a comment only at the start of
    // a word) would be part of the value: not ours to edit.
    if (after < line.size() && !is_space(line[after]) && line[after] != ';') return std::nullopt;
  } else {
    // A bare word runs to a blank or ';'. '#' inside it is part of it (K=a#b assigns "a#b"), and sh's operators
    // ( ) < > & | would end it or make the line a syntax error: such a value is not ours to edit.
    std::size_t i = pos;
    while (i < line.size() && !is_space(line[i]) && line[i] != ';') {
      if (std::string_view("\"'\\()<>&|").find(line[i]) != std::string_view::npos) return std::nullopt;
      ++i;
    }
    found.value_begin = pos;
    found.value_end = i;
  }
  std::string_view raw = line.substr(found.value_begin, found.value_end - found.value_begin);
  if (raw.find("$(") != std::string_view::npos || raw.find('`') != std::string_view::npos) return std::nullopt;
  if (found.quote == '"' && !raw.empty() && raw.back() == '\\') return std::nullopt;
  return found;
}

// sh's quoting over the whole file, for what a line-by-line reading misses: a line that begins inside a quoted string
// or after a backslash-newline of an earlier line continues that line (it is no assignment of its own), and a quote
// that never closes makes sh fail on the whole file. grub-mkconfig sources /etc/default/grub with sh, so then
// nothing in it takes effect, and a line appended after the open quote would only become part of the broken string.
struct QuoteScan {
  std::vector<bool> continues;              // per line, 0-based: true when it does not start a new command
  std::optional<std::size_t> unclosed_line;  // 1-based line where a quote opens and never closes
};

QuoteScan scan_quotes(std::string_view text) {
  QuoteScan scan;
  scan.continues.push_back(false);
  char quote = 0;
  std::size_t line = 1, opened = 0;
  bool word_start = true;
  auto newline = [&](bool continued) {
    ++line;
    scan.continues.push_back(continued);
    word_start = true;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && quote != '\'' && i + 1 < text.size()) {  // an escaped character, or a line continuation
      if (text[++i] == '\n') {
        newline(true);
      } else {
        word_start = false;
      }
      continue;
    }
    if (c == '\n') {
      newline(quote != 0);
      continue;
    }
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '#' && word_start) {  // a comment runs to the end of the line
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      opened = line;
    }
    word_start = is_space(c) || c == ';' || c == '&' || c == '|' || c == '(' || c == ')';
  }
  if (quote != 0) scan.unclosed_line = opened;
  return scan;
}

// The last line assigning `key` (optionally after `export`). Error when that line cannot be edited safely, or when
// sh cannot read the file at all.
Result<std::optional<Assignment>> find_assignment(std::string_view text, std::string_view key, std::string_view label) {
  const QuoteScan quotes = scan_quotes(text);
  if (quotes.unclosed_line) {
    return make_error(ErrorKind::kInvalidInput,
                      std::string(label) + ":" + std::to_string(*quotes.unclosed_line) +
                          ": a quote opened on this line is never closed, so sh cannot read the file (update-grub "
                          "sources it and fails); correct that line by hand before changing anything else in it");
  }
  std::optional<Assignment> last;
  std::optional<std::size_t> bad_line;
  std::size_t line_begin = 0, number = 0;
  while (line_begin < text.size()) {
    ++number;
    std::size_t line_end = text.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = text.size();
    std::string_view line = text.substr(line_begin, line_end - line_begin);
    if (number <= quotes.continues.size() && quotes.continues[number - 1]) {  // inside an earlier line's value
      line_begin = line_end + 1;
      continue;
    }
    std::size_t i = 0;
    while (i < line.size() && is_space(line[i])) ++i;
    if (line.substr(i, 7) == "export ") {
      i += 7;
      while (i < line.size() && is_space(line[i])) ++i;
    }
    if (line.substr(i, key.size()) == key && i + key.size() < line.size() && line[i + key.size()] == '=') {
      auto parsed = parse_value(line, i + key.size() + 1);
      if (parsed) {
        parsed->line_begin = line_begin;
        parsed->line_number = number;
        parsed->value_begin += line_begin;
        parsed->value_end += line_begin;
        last = parsed;
        bad_line.reset();
      } else {
        bad_line = number;
        last.reset();
      }
    }
    line_begin = line_end + 1;
  }
  if (bad_line) {
    return make_error(ErrorKind::kInvalidInput,
                      std::string(label) + ":" + std::to_string(*bad_line) + ": the value of " + std::string(key) +
                          " uses quoting or expansion ptdoctor does not rewrite (command substitution, a line "
                          "continuation or glued quotes); edit that line by hand as the plan describes");
  }
  return last;
}

}  // namespace

bool is_safe_shell_word(std::string_view word) {
  if (word.empty()) return false;
  for (char c : word) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_.,:=()-+/@%").find(c) != std::string_view::npos)) {
      return false;
    }
  }
  return true;
}

std::vector<ShellWords::Span> ShellWords::spans() const {
  std::vector<Span> out;
  std::size_t i = 0;
  while (i < raw_.size()) {
    while (i < raw_.size() && is_space(raw_[i])) ++i;
    if (i >= raw_.size()) break;
    std::size_t begin = i;
    while (i < raw_.size() && !is_space(raw_[i])) {
      if (raw_[i] == '\\') ++i;
      ++i;
    }
    out.push_back({begin, std::min(i, raw_.size())});
  }
  return out;
}

std::vector<std::string> ShellWords::words() const {
  std::vector<std::string> out;
  for (const Span& span : spans()) out.push_back(raw_.substr(span.begin, span.end - span.begin));
  return out;
}

bool ShellWords::contains(std::string_view word) const {
  for (const std::string& w : words()) {
    if (w == word) return true;
  }
  return false;
}

void ShellWords::add(std::string_view word) {
  std::size_t end = raw_.size();
  while (end > 0 && is_separator(raw_, end - 1)) --end;  // keep trailing spaces after the new word
  std::string insert = (end == 0 ? "" : " ") + std::string(word);
  raw_.insert(end, insert);
}

void ShellWords::remove_if(const std::function<bool(std::string_view)>& predicate) {
  std::vector<Span> all = spans();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (!predicate(std::string_view(raw_).substr(it->begin, it->end - it->begin))) continue;
    std::size_t begin = it->begin;
    std::size_t end = it->end;
    if (begin > 0) {
      while (begin > 0 && is_separator(raw_, begin - 1)) --begin;  // take the separator before it
    } else {
      while (end < raw_.size() && is_space(raw_[end])) ++end;  // first word: take the one after
    }
    raw_.erase(begin, end - begin);
  }
}

bool ShellWords::replace_first(const std::function<bool(std::string_view)>& predicate, std::string_view word) {
  for (const Span& span : spans()) {
    if (predicate(std::string_view(raw_).substr(span.begin, span.end - span.begin))) {
      raw_.replace(span.begin, span.end - span.begin, word);
      return true;
    }
  }
  return false;
}

Result<std::string> edit_shell_variable(std::string_view text, std::string_view key, const WordEditor& editor,
                                        std::string_view label, std::string_view initial, std::string_view comment) {
  auto found = find_assignment(text, key, label);
  if (!found) return found.error();
  if (!*found) {
    ShellWords words{std::string(initial)};
    editor(words);
    std::string out(text);
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (!comment.empty()) out += std::string(comment) + "\n";
    out += std::string(key) + "=\"" + words.raw() + "\"\n";
    return out;
  }
  const Assignment& at = **found;
  std::string raw(text.substr(at.value_begin, at.value_end - at.value_begin));
  ShellWords words{raw};
  editor(words);
  if (words.raw() == raw) return std::string(text);
  std::string replacement;
  if (at.quote == 0) {
    replacement = "\"" + words.raw() + "\"";  // a bare value that grew a second word needs quotes
  } else if (at.quote == '\'' && words.raw().find('\'') != std::string::npos) {
    return make_error(ErrorKind::kInvalidInput, std::string(label) + ":" + std::to_string(at.line_number) +
                                                    ": cannot put a quote inside the single-quoted " +
                                                    std::string(key));
  } else {
    replacement = words.raw();
  }
  std::string out(text);
  out.replace(at.value_begin, at.value_end - at.value_begin, replacement);
  return out;
}

bool assigns_shell_variable(std::string_view text, std::string_view key) {
  auto found = find_assignment(text, key, "");
  return !found || found->has_value();
}

std::vector<std::string> shell_variable_words(std::string_view text, std::string_view key) {
  auto found = find_assignment(text, key, "");
  if (!found || !*found) return {};
  const Assignment& at = **found;
  return ShellWords{std::string(text.substr(at.value_begin, at.value_end - at.value_begin))}.words();
}

}  // namespace ptdoctor::fix
