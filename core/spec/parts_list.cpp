#include "spec/parts_list.hpp"

#include <yaml-cpp/yaml.h>

#include <set>

#include "input_file.hpp"

namespace ptdoctor::spec {
namespace {

Error bad(const std::string& path, const YAML::Node& node, const std::string& what) {
  const YAML::Mark mark = node.Mark();
  std::string at = mark.line >= 0 ? ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) : "";
  return make_error(ErrorKind::kInvalidInput,
                    path + at + ": " + what + " (see docs/pre-purchase.md for the parts list format)");
}

Result<std::string> text(const std::string& path, const YAML::Node& node, const char* key) {
  const YAML::Node value = node[key];
  if (!value) return std::string();
  if (!value.IsScalar()) return bad(path, value, std::string(key) + " must be a single value");
  return value.as<std::string>();
}

}  // namespace

Result<PartsList> load_parts_list(const std::string& path) {
  // A parts list is a few hundred bytes; a FIFO or device named with --spec is refused instead of blocking.
  auto contents = read_input_file(path, kPartsListInput);
  if (!contents) return contents.error();
  return parse_parts_list(*contents, path);
}

Result<PartsList> parse_parts_list(const std::string& contents, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(contents);
  } catch (const YAML::Exception& e) {
    return make_error(ErrorKind::kInvalidInput, path + ":" + std::to_string(e.mark.line + 1) + ":" +
                                                    std::to_string(e.mark.column + 1) + ": not valid YAML: " + e.msg);
  }
  if (!root.IsMap()) return bad(path, root, "a parts list is a YAML map");
  static const std::set<std::string> kKeys = {"kind", "schema", "name", "cpu", "chipset", "motherboard",
                                              "gpus", "gpu", "xen", "dom0"};
  for (const auto& item : root) {
    // as<std::string>() throws on a map or list used as a key; that must be this error, not an internal one.
    if (!item.first.IsScalar()) return bad(path, item.first, "a key is a single word (known: name, cpu, chipset, "
                                                             "motherboard, gpus, xen, dom0)");
    std::string key = item.first.as<std::string>();
    if (kKeys.count(key) == 0) {
      return bad(path, item.first, "unknown key '" + key + "' (known: name, cpu, chipset, motherboard, gpus, xen, dom0)");
    }
  }
  if (const YAML::Node kind = root["kind"]; kind && (!kind.IsScalar() || kind.Scalar() != "parts")) {
    return bad(path, kind, "kind must be parts");
  }
  PartsList parts;
  parts.path = path;
  for (auto [field, key] : {std::pair{&parts.name, "name"}, {&parts.cpu, "cpu"}, {&parts.chipset, "chipset"},
                            {&parts.motherboard, "motherboard"}, {&parts.xen, "xen"}}) {
    auto value = text(path, root, key);
    if (!value) return value.error();
    *field = *value;
  }
  for (const char* key : {"gpus", "gpu"}) {
    const YAML::Node gpus = root[key];
    if (!gpus) continue;
    if (gpus.IsScalar()) {
      parts.gpus.push_back(gpus.as<std::string>());
    } else if (gpus.IsSequence()) {
      for (const YAML::Node& gpu : gpus) {
        if (!gpu.IsScalar()) return bad(path, gpu, "a GPU is a model name or a PCI id");
        parts.gpus.push_back(gpu.as<std::string>());
      }
    } else {
      return bad(path, gpus, "gpus is a list of model names or PCI ids");
    }
  }
  if (const YAML::Node dom0 = root["dom0"]) {
    if (!dom0.IsMap()) return bad(path, dom0, "dom0 is a map {distribution: ..., kernel: ...}");
    auto distribution = text(path, dom0, "distribution");
    auto kernel = text(path, dom0, "kernel");
    if (!distribution) return distribution.error();
    if (!kernel) return kernel.error();
    parts.distribution = *distribution;
    parts.kernel = *kernel;
  }
  if (parts.cpu.empty() && parts.chipset.empty() && parts.motherboard.empty() && parts.gpus.empty()) {
    return bad(path, root, "no parts: give at least cpu, chipset or motherboard, or gpus");
  }
  return parts;
}

}  // namespace ptdoctor::spec
