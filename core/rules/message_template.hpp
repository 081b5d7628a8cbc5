#pragma once
// Message templates: "VT-x is enabled on {cpu.brand}", "{item.bdf} has no FLR". Placeholders name a fact path
// or the bound item; `{{` and `}}` write literal braces. Parsed and checked at load, rendered per result.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ptdoctor/json.hpp"
#include "rules/fact_path.hpp"

namespace ptdoctor::rules {

class MessageTemplate {
 public:
  // Returns the problem as text when the template is malformed or names something that is not a fact path or
  // the item in `scope`.
  static std::optional<std::string> parse(const std::string& text, const Scope& scope, MessageTemplate& out);

  // `lookup` resolves a placeholder's path to its value (nullptr when missing). Lists are joined with ", ",
  // strings inserted as they are, missing or null values shown as "?".
  std::string render(const std::function<const Json*(const FactRef&)>& lookup) const;

  const std::string& text() const { return text_; }
  bool empty() const { return text_.empty(); }

 private:
  struct Piece {
    std::string literal;
    std::optional<FactRef> fact;
  };
  std::string text_;
  std::vector<Piece> pieces_;
};

// How a fact value reads inside a sentence.
std::string value_text(const Json* value);

}  // namespace ptdoctor::rules
