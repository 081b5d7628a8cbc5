#include "fix/unified_diff.hpp"

#include <algorithm>
#include <vector>

namespace ptdoctor::fix {
namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start + 1));
    start = end + 1;
  }
  return lines;
}

struct Edit {
  char op;  // ' ', '-', '+'
  std::string line;
};

// Longest common subsequence by dynamic programming: configuration files are small; past the cap the whole file is
// shown as replaced, which is still a correct diff.
std::vector<Edit> edit_script(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  constexpr std::size_t kCap = 4000;
  std::vector<Edit> out;
  if (a.size() > kCap || b.size() > kCap) {
    for (const auto& line : a) out.push_back({'-', line});
    for (const auto& line : b) out.push_back({'+', line});
    return out;
  }
  std::vector<std::vector<unsigned>> lcs(a.size() + 1, std::vector<unsigned>(b.size() + 1, 0));
  for (std::size_t i = a.size(); i-- > 0;) {
    for (std::size_t j = b.size(); j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      out.push_back({' ', a[i++]});
      ++j;
    } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push_back({'-', a[i++]});  // removals first, as diff -u prints them
    } else {
      out.push_back({'+', b[j++]});
    }
  }
  return out;
}

std::string range(std::size_t start, std::size_t count) {
  // diff -u numbers an empty range by the line before it.
  std::size_t shown = count == 0 ? start : start + 1;
  return std::to_string(shown) + (count == 1 ? "" : "," + std::to_string(count));
}

}  // namespace

std::string unified_diff(const std::string& path, const std::optional<std::string>& before, const std::string& after,
                         int context) {
  if (before && *before == after) return "";
  std::vector<Edit> edits = edit_script(before ? split_lines(*before) : std::vector<std::string>{}, split_lines(after));
  std::string out = "--- " + (before ? "a" + path : std::string("/dev/null")) + "\n+++ b" + path + "\n";
  std::size_t k = 0;
  std::size_t old_line = 0, new_line = 0;  // lines consumed before edits[k]
  std::size_t ctx = static_cast<std::size_t>(std::max(context, 0));
  while (k < edits.size()) {
    // Next change.
    std::size_t change = k;
    std::size_t o = old_line, n = new_line;
    while (change < edits.size() && edits[change].op == ' ') {
      ++change;
      ++o;
      ++n;
    }
    if (change == edits.size()) break;
    std::size_t lead = std::min(ctx, change - k);
    std::size_t hunk_begin = change - lead;
    std::size_t hunk_old = o - lead, hunk_new = n - lead;
    // Extend the hunk while changes are within 2*context of each other.
    std::size_t end = change;
    std::size_t last_change = change;
    while (end < edits.size()) {
      if (edits[end].op != ' ') last_change = end;
      else if (end - last_change > 2 * ctx) break;
      ++end;
    }
    std::size_t hunk_end = std::min(edits.size(), last_change + 1 + ctx);
    std::size_t old_count = 0, new_count = 0;
    std::string body;
    for (std::size_t e = hunk_begin; e < hunk_end; ++e) {
      if (edits[e].op != '+') ++old_count;
      if (edits[e].op != '-') ++new_count;
      body += edits[e].op + edits[e].line;
      if (body.back() != '\n') body += "\n\\ No newline at end of file\n";
    }
    out += "@@ -" + range(hunk_old, old_count) + " +" + range(hunk_new, new_count) + " @@\n" + body;
    // Advance the line counters to hunk_end.
    old_line = hunk_old + old_count;
    new_line = hunk_new + new_count;
    k = hunk_end;
  }
  return out;
}

}  // namespace ptdoctor::fix
