#pragma once
// The fact declarations: every fact a plugin writes, declared once in the plugin's facts.yaml (path, type, one line of
// description), the way osquery declares its tables in specs/*.table. Everything else is made from them:
// `ptdoctor plugins` (what each plugin provides), docs/facts.md, the rule lint and the unknown-injection tests.
//
// Paths: "usb.controllers" a fact; "usb.controllers[]" the elements of a list fact; "usb.controllers[].bdf" a field of
// each element; "kernel.config.*" the values of a map fact keyed by data (CONFIG_XEN, ...).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/json.hpp"
#include "ptdoctor/result.hpp"

namespace ptdoctor::facts {

enum class FactType { kBoolean, kInteger, kNumber, kString, kList, kMap, kAny };

const char* to_string(FactType type);
std::optional<FactType> fact_type_from(std::string_view name);
// Whether a collected value is of the declared type (null always is: it means unknown).
bool value_fits(const Json& value, FactType type);

struct FactDecl {
  std::string path;         // canonical, as written in facts.yaml
  FactType type = FactType::kAny;
  std::string description;  // one line
  std::string plugin;       // which plugin writes it
  std::string origin;       // "plugins/usb/facts.yaml:12" or the installed path
};

class FactCatalog {
 public:
  // Adds one facts.yaml. Errors name file:line and what is wrong; a bad file adds nothing.
  std::vector<Error> load_file(const std::string& path);
  std::vector<Error> load_text(const std::string& text, const std::string& origin);
  // Every *.yaml in a directory (the installed facts directory), sorted.
  std::vector<Error> load_dir(const std::string& dir);

  const std::vector<FactDecl>& all() const { return decls_; }
  bool empty() const { return decls_.empty(); }
  const FactDecl* find(std::string_view canonical) const;
  // Declarations written by one plugin, in file order; the top-level ones (no "[]" or ".*") are its `provides`.
  std::vector<const FactDecl*> of_plugin(std::string_view plugin) const;
  std::vector<std::string> provides(std::string_view plugin) const;
  std::vector<std::string> plugins() const;

  // The declaration a concrete path of a fact tree falls under: "usb.controllers.3.bdf" -> "usb.controllers[].bdf",
  // "kernel.config.CONFIG_XEN" -> "kernel.config.*". nullptr when undeclared.
  const FactDecl* resolve(const std::vector<std::string>& parts) const;
  // Child of a canonical path: "usb.controllers" + "[]", "usb.controllers[]" + "bdf", or the ".*" member of a map.
  const FactDecl* child(const std::string& canonical, const std::string& part) const;

  // Walks a collected fact tree: every value under a declared namespace that is undeclared or of another type than
  // declared, as "path: problem". For the test that keeps declarations and plugins in step.
  std::vector<std::string> check_tree(const Json& tree) const;

 private:
  std::vector<FactDecl> decls_;
};

// docs/facts.md, made from the declarations: one section per plugin, one table row per fact.
std::string render_fact_reference(const FactCatalog& catalog);

}  // namespace ptdoctor::facts
