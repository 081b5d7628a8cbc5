#pragma once
// Edits one variable of a shell-style KEY="..." file (/etc/default/grub) as words, leaving every other byte of the
// file alone: the user's other words, their spacing, their quoting, comments and other lines. grub-mkconfig sources
// the file with sh, so what we write must stay valid sh and mean what we intend (the tests source it with bash).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/result.hpp"

namespace ptdoctor::fix {

// The words of one variable's value, editable in place. Words are split on unquoted whitespace of the value as
// written ("$GRUB_CMDLINE_LINUX_DEFAULT" is one word).
class ShellWords {
 public:
  explicit ShellWords(std::string raw) : raw_(std::move(raw)) {}
  std::vector<std::string> words() const;
  bool contains(std::string_view word) const;
  // Appends the word at the end (after one space).
  void add(std::string_view word);
  // Removes every word for which the predicate is true, with the whitespace before it.
  void remove_if(const std::function<bool(std::string_view)>& predicate);
  // Replaces the first word for which the predicate is true; false when none matched.
  bool replace_first(const std::function<bool(std::string_view)>& predicate, std::string_view word);
  const std::string& raw() const { return raw_; }

 private:
  struct Span {
    std::size_t begin, end;
  };
  std::vector<Span> spans() const;
  std::string raw_;
};

// Words we insert: no quotes, no whitespace, no shell expansion. Anything else is refused by the editor.
bool is_safe_shell_word(std::string_view word);

using WordEditor = std::function<void(ShellWords&)>;

// Applies `editor` to the last assignment of `key` in `text` (the one sh ends up with). When there is none, a new
// line `KEY="<initial words>"` is appended (after `comment`, a line starting with '#'), built from `initial` and then
// edited. Refuses (kInvalidInput, naming label:line) a value this editor cannot rewrite safely: command
// substitution, backquotes, a line continuation, or several quoted parts glued together.
Result<std::string> edit_shell_variable(std::string_view text, std::string_view key, const WordEditor& editor,
                                        std::string_view label, std::string_view initial = "",
                                        std::string_view comment = "");

// Whether sh assigns `key` somewhere in `text`: a commented-out line (Debian's xen.cfg:
// #GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT=...) assigns nothing. True also when it cannot tell: an assignment this
// editor cannot parse, or a file sh cannot read.
bool assigns_shell_variable(std::string_view text, std::string_view key);

// The value of the last assignment of `key` as its words, or empty when absent or not parseable.
std::vector<std::string> shell_variable_words(std::string_view text, std::string_view key);

}  // namespace ptdoctor::fix
