#include "facts/fact_catalog.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include <yaml-cpp/yaml.h>

#include "input_file.hpp"

namespace ptdoctor::facts {
namespace {

// A facts file lists a plugin's facts: a few hundred lines.
constexpr InputKind kFactsFileInput{"facts declaration file", 1u << 20};

struct TypeName {
  FactType type;
  const char* name;
};
constexpr TypeName kTypes[] = {{FactType::kBoolean, "boolean"}, {FactType::kInteger, "integer"},
                               {FactType::kNumber, "number"},   {FactType::kString, "string"},
                               {FactType::kList, "list"},       {FactType::kMap, "map"},
                               {FactType::kAny, "any"}};

std::string at(const std::string& origin, const YAML::Mark& mark) {
  return origin + (mark.line >= 0 ? ":" + std::to_string(mark.line + 1) : "");
}

bool is_index(const std::string& part) {
  return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "usb.controllers[].bdf" -> parent "usb.controllers[]"; "usb.controllers[]" -> "usb.controllers".
std::string parent_of(const std::string& path) {
  if (path.size() > 2 && path.compare(path.size() - 2, 2, "[]") == 0) return path.substr(0, path.size() - 2);
  auto dot = path.rfind('.');
  return dot == std::string::npos ? "" : path.substr(0, dot);
}

bool valid_path(const std::string& path) {
  if (path.empty() || path.front() == '.' || path.back() == '.') return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ||
              (c == '[' && i + 1 < path.size() && path[i + 1] == ']') || (c == ']' && i > 0 && path[i - 1] == '[') ||
              (c == '*' && i > 0 && path[i - 1] == '.' && (i + 1 == path.size() || path[i + 1] == '.'));
    if (!ok) return false;
  }
  return path.find("..") == std::string::npos;
}

}  // namespace

const char* to_string(FactType type) {
  for (const TypeName& entry : kTypes) {
    if (entry.type == type) return entry.name;
  }
  return "any";
}

std::optional<FactType> fact_type_from(std::string_view name) {
  for (const TypeName& entry : kTypes) {
    if (name == entry.name) return entry.type;
  }
  return std::nullopt;
}

bool value_fits(const Json& value, FactType type) {
  switch (type) {
    case FactType::kBoolean: return value.is_null() || value.is_boolean();
    case FactType::kInteger: return value.is_null() || value.is_number_integer();
    case FactType::kNumber: return value.is_null() || value.is_number();
    case FactType::kString: return value.is_null() || value.is_string();
    case FactType::kList: return value.is_null() || value.is_array();
    case FactType::kMap: return value.is_null() || value.is_object();
    case FactType::kAny: return true;
  }
  return true;
}

std::vector<Error> FactCatalog::load_file(const std::string& path) {
  auto text = read_input_file(path, kFactsFileInput);
  if (!text) return {text.error()};
  return load_text(*text, path);
}

std::vector<Error> FactCatalog::load_text(const std::string& text, const std::string& origin) {
  std::vector<Error> errors;
  auto problem = [&](const YAML::Mark& mark, const std::string& what) {
    errors.push_back(make_error(ErrorKind::kInvalidInput, at(origin, mark) + ": " + what));
  };
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    problem(e.mark, "not valid YAML: " + e.msg);
    return errors;
  }
  if (!root.IsMap() || !root["kind"] || !root["kind"].IsScalar() || root["kind"].Scalar() != "facts") {
    problem(root.Mark(), "a facts file is a map starting with `kind: facts`");
    return errors;
  }
  const YAML::Node plugin = root["plugin"];
  const YAML::Node facts = root["facts"];
  if (!plugin || !plugin.IsScalar() || plugin.Scalar().empty()) {
    problem(root.Mark(), "missing `plugin: NAME` (the plugin that writes these facts)");
    return errors;
  }
  if (!facts || !facts.IsMap()) {
    problem(root.Mark(), "facts: must be a map of PATH: {type: TYPE, doc: ONE LINE}");
    return errors;
  }
  std::vector<FactDecl> added;
  std::set<std::string> seen;
  for (const FactDecl& decl : decls_) seen.insert(decl.path);
  for (const auto& entry : facts) {
    const YAML::Mark mark = entry.first.Mark();
    const std::string path = entry.first.IsScalar() ? entry.first.Scalar() : "";
    const std::string where = at(origin, mark);
    if (!valid_path(path)) {
      problem(mark, "'" + path + "' is not a fact path (name.name, list[] and map.* parts)");
      continue;
    }
    if (path.rfind(plugin.Scalar() + ".", 0) != 0) {
      problem(mark, path + ": outside the plugin's namespace '" + plugin.Scalar() + ".'");
      continue;
    }
    if (!seen.insert(path).second) {
      problem(mark, path + ": declared twice");
      continue;
    }
    const YAML::Node body = entry.second;
    if (!body.IsMap() || !body["type"] || !body["type"].IsScalar() || !body["doc"] || !body["doc"].IsScalar()) {
      problem(mark, path + ": give {type: TYPE, doc: ONE LINE}");
      continue;
    }
    for (const auto& key : body) {
      const std::string name = key.first.Scalar();
      if (name != "type" && name != "doc") problem(key.first.Mark(), path + ": unknown key '" + name + "'");
    }
    auto type = fact_type_from(body["type"].Scalar());
    if (!type) {
      problem(body["type"].Mark(), path + ": unknown type '" + body["type"].Scalar() +
                                       "' (boolean, integer, number, string, list, map, any)");
      continue;
    }
    const std::string doc = body["doc"].Scalar();
    if (doc.empty() || doc.find('\n') != std::string::npos) {
      problem(body["doc"].Mark(), path + ": doc must be one line");
      continue;
    }
    // A child needs its parent declared first, as a list ("[]") or a map (".name", ".*").
    const std::string parent = parent_of(path);
    if (parent.find('.') != std::string::npos || parent.find("[]") != std::string::npos) {
      auto parent_decl = std::find_if(added.begin(), added.end(), [&](const FactDecl& d) { return d.path == parent; });
      const FactDecl* found = parent_decl != added.end() ? &*parent_decl : find(parent);
      const bool list_child = path.size() > 2 && path.compare(path.size() - 2, 2, "[]") == 0;
      if (found == nullptr) {
        problem(mark, path + ": declare " + parent + " before it");
        continue;
      }
      if (found->type != (list_child ? FactType::kList : FactType::kMap) && found->type != FactType::kAny) {
        problem(mark, path + ": " + parent + " is declared " + to_string(found->type) + ", not " +
                          (list_child ? "list" : "map"));
        continue;
      }
    }
    added.push_back(FactDecl{path, *type, doc, plugin.Scalar(), where});
  }
  if (!errors.empty()) return errors;
  decls_.insert(decls_.end(), added.begin(), added.end());
  return errors;
}

std::vector<Error> FactCatalog::load_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".yaml") files.push_back(it->path().string());
  }
  if (ec) return {make_error(ErrorKind::kNotFound, dir + ": cannot list the facts directory: " + ec.message())};
  std::sort(files.begin(), files.end());
  std::vector<Error> errors;
  for (const std::string& file : files) {
    for (Error& error : load_file(file)) errors.push_back(std::move(error));
  }
  return errors;
}

const FactDecl* FactCatalog::find(std::string_view canonical) const {
  for (const FactDecl& decl : decls_) {
    if (decl.path == canonical) return &decl;
  }
  return nullptr;
}

std::vector<const FactDecl*> FactCatalog::of_plugin(std::string_view plugin) const {
  std::vector<const FactDecl*> out;
  for (const FactDecl& decl : decls_) {
    if (decl.plugin == plugin) out.push_back(&decl);
  }
  return out;
}

std::vector<std::string> FactCatalog::provides(std::string_view plugin) const {
  std::vector<std::string> out;
  for (const FactDecl* decl : of_plugin(plugin)) {
    if (decl->path.find("[]") == std::string::npos && decl->path.find(".*") == std::string::npos) {
      out.push_back(decl->path);
    }
  }
  return out;
}

std::vector<std::string> FactCatalog::plugins() const {
  std::vector<std::string> out;
  for (const FactDecl& decl : decls_) {
    if (std::find(out.begin(), out.end(), decl.plugin) == out.end()) out.push_back(decl.plugin);
  }
  return out;
}

const FactDecl* FactCatalog::child(const std::string& canonical, const std::string& part) const {
  if (canonical.empty()) return find(part);
  const FactDecl* parent = find(canonical);
  if (parent != nullptr && parent->type == FactType::kList && (part == "[]" || is_index(part))) {
    return find(canonical + "[]");
  }
  if (const FactDecl* named = find(canonical + "." + part)) return named;
  return find(canonical + ".*");
}

const FactDecl* FactCatalog::resolve(const std::vector<std::string>& parts) const {
  std::string canonical;
  const FactDecl* decl = nullptr;
  for (const std::string& part : parts) {
    if (canonical.empty()) {
      canonical = part;  // the namespace: not itself declared
      continue;
    }
    decl = child(canonical, part);
    if (decl == nullptr) return nullptr;
    canonical = decl->path;
  }
  return decl;
}

namespace {

void check_node(const FactCatalog& catalog, const Json& value, const FactDecl& decl, const std::string& shown,
                std::vector<std::string>& problems) {
  if (!value_fits(value, decl.type)) {
    problems.push_back(shown + ": is " + value.type_name() + ", declared " + to_string(decl.type) + " (" +
                       decl.origin + ")");
    return;
  }
  if (value.is_array()) {
    const FactDecl* element = catalog.find(decl.path + "[]");
    if (element == nullptr) return;  // a list of anything: its elements are not described further
    for (std::size_t i = 0; i < value.size(); ++i) {
      check_node(catalog, value[i], *element, shown + "." + std::to_string(i), problems);
    }
  } else if (value.is_object() && decl.type != FactType::kAny) {
    for (const auto& [key, member] : value.items()) {
      const FactDecl* child = catalog.child(decl.path, key);
      if (child == nullptr) {
        // A map whose members are not declared at all is opaque (e.g. a parsed table passed through).
        bool described = false;
        for (const FactDecl& d : catalog.all()) {
          if (d.path.rfind(decl.path + ".", 0) == 0) described = true;
        }
        if (described) problems.push_back(shown + "." + key + ": not declared (add it to the plugin's facts.yaml)");
        continue;
      }
      check_node(catalog, member, *child, shown + "." + key, problems);
    }
  }
}

}  // namespace

std::vector<std::string> FactCatalog::check_tree(const Json& tree) const {
  std::vector<std::string> problems;
  if (!tree.is_object()) return problems;
  const std::vector<std::string> namespaces = plugins();
  for (const auto& [ns, facts] : tree.items()) {
    if (std::find(namespaces.begin(), namespaces.end(), ns) == namespaces.end() || !facts.is_object()) continue;
    for (const auto& [name, value] : facts.items()) {
      const FactDecl* decl = find(ns + "." + name);
      if (decl == nullptr) {
        problems.push_back(ns + "." + name + ": not declared (add it to the plugin's facts.yaml)");
        continue;
      }
      check_node(*this, value, *decl, decl->path, problems);
    }
  }
  return problems;
}

std::string render_fact_reference(const FactCatalog& catalog) {
  std::string text =
      "# Fact reference\n\n"
      "<!-- Generated from plugins/*/facts.yaml by `ptdoctor plugins --facts-reference`; a test keeps it in step. -->\n\n"
      "Fact paths are stable public names: rules, the planner and other tools read them. A rename is an API change\n"
      "and is noted here. `ptdoctor facts` prints them for a host, with provenance and reasons for unknowns;\n"
      "`ptdoctor plugins` lists which plugin provides which. Any fact may be unknown (null, with a reason): every rule\n"
      "and plan step handles that. `list[]` means each element of a list, `.*` each value of a map keyed by data.\n"
      "Rule ids start with the namespace of the facts they judge first (`cpu.hvm-visible` reads `cpu.*`).\n";
  for (const std::string& plugin : catalog.plugins()) {
    text += "\n## " + plugin + "\n\n| fact | type | description |\n|---|---|---|\n";
    for (const FactDecl* decl : catalog.of_plugin(plugin)) {
      std::string doc = decl->description;
      std::string escaped;
      for (char c : doc) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
      text += "| `" + decl->path + "` | " + to_string(decl->type) + " | " + escaped + " |\n";
    }
  }
  return text;
}

}  // namespace ptdoctor::facts
