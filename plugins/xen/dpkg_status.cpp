#include "dpkg_status.hpp"

#include <cctype>

#include "text_util.hpp"

namespace ptdoctor::hostplug {

std::vector<DpkgPackage> installed_packages(std::string_view status, std::string_view prefix) {
  std::vector<DpkgPackage> packages;
  DpkgPackage current;
  bool installed = false;
  auto finish = [&] {
    if (installed && !current.name.empty() && starts_with(current.name, prefix)) packages.push_back(current);
    current = {};
    installed = false;
  };
  for (std::string_view line : split_lines(status)) {
    if (trim(line).empty()) {
      finish();
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') continue;  // continuation of a multi-line field
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view field = line.substr(0, colon);
    std::string_view value = trim(line.substr(colon + 1));
    if (field == "Package") {
      current.name = std::string(value);
    } else if (field == "Version") {
      current.version = std::string(value);
    } else if (field == "Status") {
      installed = value == "install ok installed";
    }
  }
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
