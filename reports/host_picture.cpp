#include "host_picture.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "html_escape.hpp"

namespace ptdoctor::reports {
namespace {

const Json* at(const Json& tree, std::initializer_list<const char*> path) {
  const Json* node = &tree;
  for (const char* key : path) {
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
  }
  return node;
}

std::string string_of(const Json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return "";
  return object[key].get<std::string>();
}

std::vector<std::string> strings_of(const Json* list) {
  std::vector<std::string> out;
  if (list == nullptr || !list->is_array()) return out;
  for (const Json& item : *list) {
    if (item.is_string()) out.push_back(full_bdf(item.get<std::string>()));
  }
  return out;
}

Readiness readiness_of(const RuleResult& result) {
  switch (result.status) {
    case RuleStatus::kPass: return Readiness::kReady;
    case RuleStatus::kSkip: return Readiness::kNotJudged;
    case RuleStatus::kUnknown: return Readiness::kUnknown;
    case RuleStatus::kError: return Readiness::kBlocked;
    case RuleStatus::kFail: break;
  }
  return result.severity == Severity::kBlocker ? Readiness::kBlocked
         : result.severity == Severity::kWarning ? Readiness::kWarning
                                                  : Readiness::kReady;  // a failed info note is no problem
}

void judge(PictureDevice& device, const RuleResult& result) {
  Readiness seen = readiness_of(result);
  if (static_cast<int>(seen) < static_cast<int>(device.readiness)) device.readiness = seen;
  if (is_problem(result) && result.severity != Severity::kInfo) {
    device.problems.push_back(result.rule_id + ": " + (result.message.empty() ? result.title : result.message));
  }
}

// Depth-first from the devices without a parent bridge, children in BDF order: the order `lspci -t` reads in.
std::vector<PictureDevice> tree_order(std::map<std::string, PictureDevice>& by_bdf,
                                      const std::map<std::string, std::string>& parent_of) {
  std::map<std::string, std::vector<std::string>> children;
  std::vector<std::string> roots;
  for (const auto& [bdf, device] : by_bdf) {
    auto parent = parent_of.find(bdf);
    if (parent != parent_of.end() && by_bdf.count(parent->second) && parent->second != bdf) {
      children[parent->second].push_back(bdf);
    } else {
      roots.push_back(bdf);
    }
  }
  std::vector<PictureDevice> ordered;
  std::set<std::string> placed;
  auto visit = [&](auto& self, const std::string& bdf, int depth) -> void {
    if (!placed.insert(bdf).second) return;  // a parent loop in bad input: place each device once
    PictureDevice device = by_bdf[bdf];
    device.depth = depth;
    ordered.push_back(device);
    for (const std::string& child : children[bdf]) self(self, child, depth + 1);
  };
  for (const std::string& root : roots) visit(visit, root, 0);
  for (const auto& [bdf, device] : by_bdf) visit(visit, bdf, 0);  // anything left in a cycle
  return ordered;
}

void add_xen_groups(const Json& facts, HostPicture& picture) {
  const Json* controllers = at(facts, {"usb", "controllers"});
  if (controllers == nullptr || !controllers->is_array()) return;
  std::set<std::vector<std::string>> seen;
  for (const Json& controller : *controllers) {
    std::string bdf = full_bdf(string_of(controller, "bdf"));
    std::vector<std::string> companions = strings_of(controller.is_object() && controller.contains("companions")
                                                         ? &controller["companions"] : nullptr);
    if (!companions.empty()) {
      companions.push_back(bdf);
      std::sort(companions.begin(), companions.end());
      if (seen.insert(companions).second) {
        picture.groups.push_back({"usb-" + bdf, "USB controller and companions (" + bdf + ")", companions});
      }
    }
    std::vector<std::string> shared = strings_of(controller.is_object() && controller.contains("rmrr_shared_with")
                                                     ? &controller["rmrr_shared_with"] : nullptr);
    if (!shared.empty()) {
      shared.push_back(bdf);
      std::sort(shared.begin(), shared.end());
      shared.erase(std::unique(shared.begin(), shared.end()), shared.end());
      if (seen.insert(shared).second) {
        picture.groups.push_back({"rmrr-" + bdf, "devices sharing an RMRR (" + bdf + ")", shared});
      }
    }
  }
}

}  // namespace

std::string full_bdf(const std::string& bdf) {
  return std::count(bdf.begin(), bdf.end(), ':') == 1 ? "0000:" + bdf : bdf;
}

const char* readiness_name(Readiness readiness) {
  switch (readiness) {
    case Readiness::kBlocked: return "blocked";
    case Readiness::kWarning: return "warning";
    case Readiness::kUnknown: return "unknown";
    case Readiness::kReady: return "ready";
    case Readiness::kNotJudged: return "not-judged";
  }
  return "not-judged";
}

HostPicture host_picture(const RunReport& report) {
  HostPicture picture;
  const Json* devices = at(report.facts(), {"pci", "devices"});
  std::map<std::string, PictureDevice> by_bdf;
  std::map<std::string, std::string> parent_of;
  if (devices != nullptr && devices->is_array()) {
    for (const Json& record : *devices) {
      std::string bdf = full_bdf(string_of(record, "bdf"));
      if (bdf.empty()) continue;
      PictureDevice device;
      device.bdf = bdf;
      std::string names = string_of(record, "vendor_name") + " " + string_of(record, "device_name");
      device.label = string_of(record, "class");
      if (names != " ") device.label += (device.label.empty() ? "" : ": ") + names;
      device.driver = string_of(record, "driver");
      by_bdf[bdf] = device;
      if (std::string parent = string_of(record, "parent_bridge"); !parent.empty()) parent_of[bdf] = full_bdf(parent);
    }
  }
  std::set<std::string> target_functions;
  if (const Json* target = at(report.facts(), {"gpu", "target"}); target && target->is_string()) {
    target_functions.insert(full_bdf(target->get<std::string>()));
  }
  for (const std::string& function : strings_of(at(report.facts(), {"gpu", "target_info", "functions"}))) {
    target_functions.insert(function);
  }
  for (auto& [bdf, device] : by_bdf) device.target = target_functions.count(bdf) > 0;
  for (const RuleResult& result : report.results) {
    if (!result.subject.empty()) {
      if (auto found = by_bdf.find(full_bdf(result.subject)); found != by_bdf.end()) judge(found->second, result);
    } else if (result.rule_id.rfind("gpu.", 0) == 0) {
      // Host-wide GPU rules judge the target GPU.
      for (const std::string& function : target_functions) {
        if (auto found = by_bdf.find(function); found != by_bdf.end()) judge(found->second, result);
      }
    }
  }
  picture.devices = tree_order(by_bdf, parent_of);

  const Json* groups = at(report.facts(), {"pci", "iommu_groups"});
  if (groups != nullptr && groups->is_object() && !groups->empty()) {
    picture.grouping = "iommu";
    picture.caption = "IOMMU groups: the functions of one group can only go to a guest together";
    for (const auto& [id, members] : groups->items()) {
      picture.groups.push_back({id, "IOMMU group " + id, strings_of(&members)});
    }
    std::sort(picture.groups.begin(), picture.groups.end(), [](const PictureGroup& a, const PictureGroup& b) {
      return a.id.size() != b.id.size() ? a.id.size() < b.id.size() : a.id < b.id;
    });
  } else {
    add_xen_groups(report.facts(), picture);
    picture.grouping = picture.groups.empty() ? "none" : "xen";
    picture.caption = picture.groups.empty()
                          ? "No IOMMU groups and no USB companion or RMRR sets were collected"
                          : "No IOMMU groups (Xen owns the IOMMU, or it is off): USB controllers that move with "
                            "their companions, and devices sharing an RMRR";
  }
  return picture;
}

namespace {

constexpr int kRow = 26;
constexpr int kTop = 12;
constexpr int kIndent = 22;
constexpr int kBoxWidth = 560;
constexpr int kLane = 18;

const char* fill_of(Readiness readiness) {
  switch (readiness) {
    case Readiness::kBlocked: return "#f3c4c0";
    case Readiness::kWarning: return "#f7dfae";
    case Readiness::kUnknown: return "#d9dee6";
    case Readiness::kReady: return "#c9e9d2";
    case Readiness::kNotJudged: return "#f6f6f6";
  }
  return "#f6f6f6";
}

// Distinct hues per lane so neighbouring groups can be told apart.
std::string lane_colour(std::size_t lane) {
  static const char* kColours[] = {"#6a4c93", "#1982c4", "#8ac926", "#ff595e", "#ffca3a", "#4d908e", "#f3722c"};
  return kColours[lane % 7];
}

}  // namespace

std::string host_picture_svg(const HostPicture& picture) {
  if (picture.devices.empty()) {
    return "<p class=\"no-picture\">No PCI devices were collected, so there is no picture of this host.</p>\n";
  }
  std::map<std::string, int> row_of;
  for (std::size_t i = 0; i < picture.devices.size(); ++i) row_of[picture.devices[i].bdf] = static_cast<int>(i);
  std::vector<const PictureGroup*> lanes;  // only sets of two or more present functions get a lane
  std::map<std::string, std::string> group_of;
  for (const PictureGroup& group : picture.groups) {
    int present = 0;
    for (const std::string& member : group.members) {
      if (row_of.count(member)) {
        ++present;
        if (!group_of.count(member)) group_of[member] = group.id;
      }
    }
    if (present >= 2) lanes.push_back(&group);
  }
  int width = kBoxWidth + 40 + static_cast<int>(lanes.size()) * kLane + 20;
  int height = kTop * 2 + static_cast<int>(picture.devices.size()) * kRow;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"host-picture\" role=\"img\" width=\"" +
                    std::to_string(width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(height) + "\" data-grouping=\"" +
                    picture.grouping + "\">\n<title>" + html_text(picture.caption) + "</title>\n";
  for (std::size_t i = 0; i < picture.devices.size(); ++i) {
    const PictureDevice& device = picture.devices[i];
    int y = kTop + static_cast<int>(i) * kRow;
    int x = 8 + device.depth * kIndent;
    std::string classes = std::string("device readiness-") + readiness_name(device.readiness) +
                          (device.target ? " target" : "");
    std::string tooltip = device.bdf + " " + device.label + (device.driver.empty() ? "" : " [" + device.driver + "]");
    for (const std::string& problem : device.problems) tooltip += "\n" + problem;
    svg += "<g class=\"" + classes + "\" data-bdf=\"" + html_text(device.bdf) + "\" data-readiness=\"" +
           readiness_name(device.readiness) + "\"" +
           (group_of.count(device.bdf) ? " data-group=\"" + html_text(group_of[device.bdf]) + "\"" : "") + ">";
    svg += "<title>" + html_block(tooltip) + "</title>";
    if (device.depth > 0) {  // the branch from the bridge above
      int bx = x - kIndent / 2;
      svg += "<path d=\"M" + std::to_string(bx) + " " + std::to_string(y - kRow / 2 + 2) + " V" +
             std::to_string(y + kRow / 2 - 2) + " H" + std::to_string(x) + "\" class=\"branch\"/>";
    }
    svg += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
           std::to_string(kBoxWidth - x) + "\" height=\"" + std::to_string(kRow - 6) + "\" rx=\"4\" fill=\"" +
           fill_of(device.readiness) + "\"" + (device.target ? " stroke=\"#1f5fbf\" stroke-width=\"3\"" : " stroke=\"#9aa\"") +
           "/>";
    std::string text = device.bdf.substr(device.bdf.size() > 7 ? device.bdf.size() - 7 : 0) + "  " + device.label;
    if (text.size() > 72) text = text.substr(0, 70) + "…";
    svg += "<text x=\"" + std::to_string(x + 6) + "\" y=\"" + std::to_string(y + 14) + "\">" + html_text(text) +
           (device.target ? " <tspan class=\"target-label\">target GPU</tspan>" : "") + "</text></g>\n";
  }
  for (std::size_t lane = 0; lane < lanes.size(); ++lane) {
    const PictureGroup& group = *lanes[lane];
    int x = kBoxWidth + 30 + static_cast<int>(lane) * kLane;
    int first = -1, last = -1;
    std::string dots;
    for (const std::string& member : group.members) {
      auto row = row_of.find(member);
      if (row == row_of.end()) continue;
      int y = kTop + row->second * kRow + (kRow - 6) / 2;
      first = first < 0 ? y : std::min(first, y);
      last = std::max(last, y);
      dots += "<circle cx=\"" + std::to_string(x) + "\" cy=\"" + std::to_string(y) + "\" r=\"4\"/>" +
              "<path d=\"M" + std::to_string(kBoxWidth) + " " + std::to_string(y) + " H" + std::to_string(x) +
              "\" class=\"tie\"/>";
    }
    std::string members;
    for (const std::string& member : group.members) members += (members.empty() ? "" : " ") + member;
    svg += "<g class=\"group\" data-group=\"" + html_text(group.id) + "\" data-members=\"" + html_text(members) +
           "\" stroke=\"" + lane_colour(lane) + "\" fill=\"" + lane_colour(lane) + "\"><title>" +
           html_text(group.label + ": " + members) + "</title><path d=\"M" + std::to_string(x) + " " +
           std::to_string(first) + " V" + std::to_string(last) + "\" stroke-width=\"3\"/>" + dots + "</g>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace ptdoctor::reports
