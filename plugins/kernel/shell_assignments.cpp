#include "shell_assignments.hpp"

#include <cctype>

#include "text_util.hpp"

namespace ptdoctor::hostplug {
namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

class Scanner {
 public:
  Scanner(std::string_view text, std::map<std::string, std::string>& variables)
      : text_(text), variables_(variables) {}

  std::vector<ShellProblem> run() {
    while (pos_ < text_.size()) statement();
    return std::move(problems_);
  }

 private:
  char peek(std::size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  bool at_end() const { return pos_ >= text_.size(); }
  void advance() {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  void skip_blanks() {
    while (!at_end()) {
      if (is_blank(peek())) {
        advance();
      } else if (peek() == '\\' && peek(1) == '\n') {
        advance();
        advance();
      } else {
        break;
      }
    }
  }
  void skip_to_line_end() {
    while (!at_end() && peek() != '\n') advance();
  }
  void problem(std::size_t line, std::string message) {
    problems_.push_back({line, current_name_, std::move(message)});
  }

  void statement() {
    skip_blanks();
    if (at_end()) return;
    if (peek() == '\n' || peek() == ';') {
      advance();
      return;
    }
    if (peek() == '#') {
      skip_to_line_end();
      return;
    }
    std::size_t line = line_;
    std::size_t start = pos_;
    if (text_.substr(pos_, 7) == "export " || text_.substr(pos_, 7) == "export\t") {
      pos_ += 7;
      skip_blanks();
      start = pos_;
    }
    std::string name;
    while (!at_end() && is_name_char(peek()) && (!name.empty() || is_name_start(peek()))) {
      name += peek();
      advance();
    }
    if (name.empty() || peek() != '=') {
      pos_ = start;
      std::size_t end = text_.find('\n', pos_);
      std::string shown(text_.substr(pos_, std::min<std::size_t>(end - pos_, 60)));
      problem(line, "\"" + shown + "\" is not a NAME=value assignment; shell code is not run, line skipped");
      skip_to_line_end();
      return;
    }
    advance();  // '='
    current_name_ = name;
    std::string value;
    bool ok = word(value);
    skip_blanks();
    if (!at_end() && peek() != '\n' && peek() != ';' && peek() != '#') {
      problem(line, name + ": text after the value (a command with an environment?) is not run, skipped");
      skip_to_line_end();
    }
    current_name_.clear();
    if (ok) {
      variables_[name] = value;
    } else {
      variables_.erase(name);
    }
  }

  // One shell word (the assignment's value). Returns false when it needs shell code we do not run.
  bool word(std::string& out) {
    bool ok = true;
    std::size_t line = line_;
    while (!at_end()) {
      char c = peek();
      if (is_blank(c) || c == '\n' || c == ';') break;
      if (c == '\'') {
        advance();
        while (!at_end() && peek() != '\'') {
          out += peek();
          advance();
        }
        if (at_end()) {
          problem(line, "unterminated ' quote");
          return false;
        }
        advance();
      } else if (c == '"') {
        advance();
        while (!at_end() && peek() != '"') {
          if (peek() == '\\' && (peek(1) == '$' || peek(1) == '`' || peek(1) == '"' || peek(1) == '\\')) {
            advance();
            out += peek();
            advance();
          } else if (peek() == '\\' && peek(1) == '\n') {
            advance();
            advance();
          } else if (peek() == '$' || peek() == '`') {
            ok = expand(out) && ok;
          } else {
            out += peek();
            advance();
          }
        }
        if (at_end()) {
          problem(line, "unterminated \" quote");
          return false;
        }
        advance();
      } else if (c == '\\') {
        advance();
        if (at_end()) break;
        if (peek() != '\n') out += peek();
        advance();
      } else if (c == '$' || c == '`') {
        ok = expand(out) && ok;
      } else {
        out += c;
        advance();
      }
    }
    return ok;
  }

  // $NAME or ${NAME} from earlier assignments (unset -> ""), as the shell would. $(...) and `...` are refused.
  bool expand(std::string& out) {
    std::size_t line = line_;
    if (peek() == '`' || (peek() == '$' && peek(1) == '(')) {
      problem(line, "command substitution is not run; this variable is left unset");
      char close = peek() == '`' ? '`' : ')';
      advance();
      if (close == ')') advance();
      while (!at_end() && peek() != close) advance();
      if (!at_end()) advance();
      return false;
    }
    advance();  // '$'
    bool braced = peek() == '{';
    if (braced) advance();
    std::string name;
    while (!at_end() && is_name_char(peek()) && (!name.empty() || is_name_start(peek()))) {
      name += peek();
      advance();
    }
    if (braced) {
      if (peek() != '}') {
        problem(line, "${" + name + "...}: only plain ${NAME} is read; this variable is left unset");
        while (!at_end() && peek() != '}' && peek() != '\n') advance();
        if (!at_end() && peek() == '}') advance();
        return false;
      }
      advance();
    }
    if (name.empty()) {
      out += '$';  // a lone '$' is literal
      return true;
    }
    auto found = variables_.find(name);
    if (found != variables_.end()) out += found->second;
    return true;
  }

  std::string_view text_;
  std::map<std::string, std::string>& variables_;
  std::vector<ShellProblem> problems_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::string current_name_;
};

}  // namespace

std::vector<ShellProblem> read_shell_assignments(std::string_view text,
                                                 std::map<std::string, std::string>& variables) {
  return Scanner(text, variables).run();
}

}  // namespace ptdoctor::hostplug
