#include "cpuid_dump.hpp"

#include "text_lines.hpp"

#include <charconv>
#include <cstdio>
#include <variant>
#include <cctype>

namespace ptdoctor::cpu {

std::optional<CpuidRegisters> CpuidDump::get(std::uint32_t leaf, std::uint32_t subleaf) const {
  auto it = leaves_.find({leaf, subleaf});
  if (it == leaves_.end()) return std::nullopt;
  return it->second;
}

bool CpuidDump::put(std::uint32_t leaf, std::uint32_t subleaf, CpuidRegisters registers) {
  return leaves_.emplace(std::pair{leaf, subleaf}, registers).second;
}

namespace {

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

// "0x0000001f" -> 0x1f. Exactly the whole word must be a 0x-prefixed hex number of at most 32 bits.
std::optional<std::uint32_t> parse_hex32(std::string_view word) {
  if (word.size() < 3 || word[0] != '0' || (word[1] != 'x' && word[1] != 'X')) return std::nullopt;
  word.remove_prefix(2);
  std::uint32_t value = 0;
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value, 16);
  if (ec != std::errc() || end != word.data() + word.size()) return std::nullopt;
  return value;
}

// "CPU 3:" -> 3.
std::optional<int> parse_heading(std::string_view line) {
  if (line.size() < 5 || line.substr(0, 4) != "CPU " || line.back() != ':') return std::nullopt;
  std::string_view digits = line.substr(4, line.size() - 5);
  int cpu = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cpu);
  if (ec != std::errc() || end != digits.data() + digits.size() || cpu < 0) return std::nullopt;
  return cpu;
}

struct LeafLine {
  std::uint32_t leaf = 0;
  std::uint32_t subleaf = 0;
  CpuidRegisters registers;
};

// Parses "0x00000001 0x00: eax=0x... ebx=0x... ecx=0x... edx=0x..."; on failure says what is wrong.
std::variant<LeafLine, std::string> parse_leaf_line(std::string_view line) {
  auto words = split_words(line);
  LeafLine out;
  auto leaf = parse_hex32(words[0]);
  if (!leaf) return "expected a leaf number like 0x00000001, found '" + excerpt(words[0]) + "'";
  out.leaf = *leaf;
  if (words.size() < 2 || words[1].empty() || words[1].back() != ':') {
    return "expected a subleaf like 0x00: after the leaf (line truncated?)";
  }
  auto subleaf = parse_hex32(words[1].substr(0, words[1].size() - 1));
  if (!subleaf) return "expected a subleaf like 0x00:, found '" + excerpt(words[1]) + "'";
  out.subleaf = *subleaf;
  static constexpr std::string_view kNames[] = {"eax=", "ebx=", "ecx=", "edx="};
  std::uint32_t* targets[] = {&out.registers.eax, &out.registers.ebx, &out.registers.ecx, &out.registers.edx};
  if (words.size() < 6) {
    return "expected 4 registers eax= ebx= ecx= edx=, found " + std::to_string(words.size() - 2) +
           " (line truncated?)";
  }
  if (words.size() > 6) return "unexpected text after edx=: '" + excerpt(words[6]) + "'";
  for (std::size_t i = 0; i < 4; ++i) {
    std::string_view word = words[2 + i];
    std::optional<std::uint32_t> value;
    if (word.substr(0, 4) == kNames[i]) value = parse_hex32(word.substr(4));
    if (!value) {
      return "expected " + std::string(kNames[i]) + "0x<8 hex digits>, found '" + excerpt(word) + "'";
    }
    *targets[i] = *value;
  }
  return out;
}

}  // namespace

ParsedCapture parse_cpuid_capture(std::string_view text, std::string_view origin) {
  ParsedCapture parsed;
  std::size_t dropped = 0;
  auto problem = [&](std::size_t line_number, const std::string& what) {
    if (parsed.problems.size() < kMaxProblems) {
      parsed.problems.push_back(std::string(origin) + ": line " + std::to_string(line_number) + ": " + what);
    } else {
      ++dropped;
    }
  };
  bool in_first_section = true;  // leaves before any heading count as the first (only) CPU
  bool seen_heading = false;
  for_each_line(text, [&](std::size_t line_number, std::string_view raw) {
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') return true;
    if (line.substr(0, 3) == "CPU") {
      auto cpu = parse_heading(line);
      if (!cpu) {
        problem(line_number, "expected a heading like 'CPU 0:', found '" + excerpt(line) + "'");
        return true;
      }
      // `cpuid -r` prints every CPU; the first section (CPU 0) is the one judged, the rest are skipped.
      if (seen_heading) in_first_section = false;
      if (!seen_heading) parsed.cpu = *cpu;
      seen_heading = true;
      return true;
    }
    if (!in_first_section) return true;
    if (line.find('\0') != std::string_view::npos || line.substr(0, 2) != "0x") {
      problem(line_number, "not a `cpuid -r` leaf line: '" + excerpt(line) + "'");
      return true;
    }
    auto result = parse_leaf_line(line);
    if (auto* message = std::get_if<std::string>(&result)) {
      problem(line_number, *message);
      return true;
    }
    const auto& leaf = std::get<LeafLine>(result);
    if (!parsed.dump.put(leaf.leaf, leaf.subleaf, leaf.registers)) {
      char name[32];
      std::snprintf(name, sizeof name, "0x%08x 0x%02x", leaf.leaf, leaf.subleaf);
      problem(line_number, std::string("leaf ") + name + " appears twice in one CPU section; the first is used");
    }
    return true;
  });
  if (dropped > 0) {
    parsed.problems.push_back(std::string(origin) + ": " + std::to_string(dropped) +
                              " more bad lines not listed");
  }
  return parsed;
}

}  // namespace ptdoctor::cpu
