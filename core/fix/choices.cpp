#include "fix/choices.hpp"

#include <cctype>
#include <cstdio>
#include <regex>

namespace ptdoctor::fix {
namespace {

std::string shown_char(char c) {
  if (c == '\n') return "a newline";
  if (c == '\t') return "a tab";
  if (c == ' ') return "a space";
  if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "byte 0x%02x", static_cast<unsigned char>(c));
    return buffer;
  }
  return std::string("'") + c + "'";
}

// First character of `value` outside `allowed` (letters and digits are always allowed).
std::optional<char> bad_char(const std::string& value, std::string_view allowed) {
  for (char c : value) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && allowed.find(c) == std::string_view::npos) return c;
  }
  return std::nullopt;
}

Status check_text(const std::string& option, const std::string& value, std::string_view allowed,
                  const std::string& form) {
  if (value.empty()) return make_error(ErrorKind::kInvalidInput, option + " is empty; expected " + form);
  if (auto c = bad_char(value, allowed)) {
    return make_error(ErrorKind::kInvalidInput,
                      option + " \"" + value + "\": " + shown_char(*c) +
                          " is not allowed (the value goes into files that xl and sh parse, so quotes, shell "
                          "metacharacters, spaces and newlines are refused); expected " + form);
  }
  return Ok{};
}

}  // namespace

Result<std::string> normalize_bdf(const std::string& text, const std::string& option) {
  static const std::regex kBdf("^(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-1][0-9a-fA-F])\\.([0-7])$");
  std::smatch m;
  if (!std::regex_match(text, m, kBdf)) {
    return make_error(ErrorKind::kInvalidInput,
                      option + " \"" + text + "\" is not a PCI address; expected [DDDD:]BB:DD.F as lspci prints it, "
                                              "e.g. 08:00.0");
  }
  std::string out = (m[1].matched ? m[1].str() : "0000") + ":" + m[2].str() + ":" + m[3].str() + "." + m[4].str();
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status validate_choices(const Choices& choices) {
  if (!choices.name.empty()) {
    if (auto ok = check_text("--name", choices.name, "_.-", "a domain name of letters, digits, _ . -"); !ok) return ok;
    if (choices.name.size() > 64 || choices.name[0] == '-' || choices.name[0] == '.') {
      return make_error(ErrorKind::kInvalidInput, "--name \"" + choices.name +
                                                      "\": must start with a letter or digit and be at most 64 "
                                                      "characters");
    }
  }
  for (const std::string& disk : choices.disks) {
    if (auto ok = check_text("--disk", disk, "_./:,=+@-",
                             "an xl disk spec such as phy:/dev/vg/lv,hda,w (letters, digits and _ . / : , = + @ -)");
        !ok) {
      return ok;
    }
  }
  if (!choices.cdrom.empty()) {
    if (auto ok = check_text("--cdrom", choices.cdrom, "_./+@-", "the absolute path of an installer image"); !ok) {
      return ok;
    }
    if (choices.cdrom[0] != '/') {
      return make_error(ErrorKind::kInvalidInput, "--cdrom \"" + choices.cdrom + "\": give an absolute path");
    }
  }
  if (!choices.bridge.empty()) {
    if (auto ok = check_text("--bridge", choices.bridge, "_.-", "a bridge interface name such as xenbr0"); !ok) {
      return ok;
    }
    if (choices.bridge.size() > 15) {
      return make_error(ErrorKind::kInvalidInput, "--bridge \"" + choices.bridge + "\": interface names are at most "
                                                                                   "15 characters");
    }
  }
  if (choices.memory_mb && (*choices.memory_mb < 512 || *choices.memory_mb > (1L << 24))) {
    return make_error(ErrorKind::kInvalidInput, "--memory " + std::to_string(*choices.memory_mb) +
                                                    ": give the domU memory in MiB, at least 512");
  }
  if (choices.vcpus && (*choices.vcpus < 1 || *choices.vcpus > 512)) {
    return make_error(ErrorKind::kInvalidInput, "--vcpus " + std::to_string(*choices.vcpus) + ": give 1 to 512");
  }
  return Ok{};
}

}  // namespace ptdoctor::fix
