#include "dpkg_status.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "text_util.hpp"

namespace ptdoctor::hostplug {

// /var/lib/dpkg/status is about 1 MB and 30,000 lines on a desktop; only three fields of a few stanzas matter.
// So the lines are walked in place (no vector of them) and a field line is checked by its start alone: "Package:"
// begins the line exactly when the text before its first ':' is "Package". Blank-only lines end a stanza; other
// lines that begin with a blank continue a multi-line field (deb822(5)).
namespace {

std::optional<std::string_view> field_value(std::string_view line, std::string_view field) {
  if (line.size() <= field.size() || line[field.size()] != ':' || line.substr(0, field.size()) != field) {
    return std::nullopt;
  }
  return trim(line.substr(field.size() + 1));
}

}  // namespace

std::vector<DpkgPackage> installed_packages(std::string_view status, std::string_view prefix) {
  std::vector<DpkgPackage> packages;
  DpkgPackage current;
  bool installed = false;
  auto finish = [&] {
    if (installed && !current.name.empty() && starts_with(current.name, prefix)) packages.push_back(current);
    current = {};
    installed = false;
  };
  for_each_line(status, [&](std::string_view line) {
    if (line.empty() || is_space(line.front())) {
      if (std::all_of(line.begin(), line.end(), is_space)) finish();
      return;  // a blank line, or a continuation of a multi-line field
    }
    // Only the three fields' first letters can start them: other lines (Description, Depends, ...) go at once.
    switch (line.front()) {
      case 'P':
        if (auto value = field_value(line, "Package")) current.name = std::string(*value);
        break;
      case 'V':
        if (auto value = field_value(line, "Version")) current.version = std::string(*value);
        break;
      case 'S':
        if (auto value = field_value(line, "Status")) installed = *value == "install ok installed";
        break;
      default: break;
    }
  });
  finish();
  return packages;
}

std::string upstream_numeric_version(std::string_view version) {
  std::size_t epoch = version.find(':');
  if (epoch != std::string_view::npos) version = version.substr(epoch + 1);
  std::string out;
  for (char c : version) {
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && !out.empty() && out.back() != '.')) {
      out += c;
    } else {
      break;
    }
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

}  // namespace ptdoctor::hostplug
