#include "rules/message_template.hpp"

#include "pciback_hide_list.hpp"

namespace ptdoctor::rules {

std::optional<std::string> MessageTemplate::parse(const std::string& text, const Scope& scope, MessageTemplate& out) {
  out = MessageTemplate();
  out.text_ = text;
  std::string literal;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal += c;
      ++i;
      continue;
    }
    if (c == '}') return "unmatched '}' at character " + std::to_string(i + 1) + " of the template; write }} for a literal brace";
    if (c != '{') {
      literal += c;
      continue;
    }
    std::size_t close = text.find('}', i + 1);
    if (close == std::string::npos) {
      return "unclosed '{' at character " + std::to_string(i + 1) + " of the template; write {{ for a literal brace";
    }
    std::string inside = text.substr(i + 1, close - i - 1);
    Form form = Form::kSentence;
    if (std::size_t bar = inside.find('|'); bar != std::string::npos) {
      std::string name = inside.substr(bar + 1);
      if (name != "pciback-hide") {
        return "template placeholder {" + inside + "}: unknown form '" + name + "' (known: pciback-hide)";
      }
      form = Form::kPcibackHide;
      inside.resize(bar);
    }
    FactRef ref;
    if (auto bad = parse_fact_path(inside, scope, ref)) return "template placeholder " + *bad;
    out.pieces_.push_back({std::move(literal), std::move(ref), form});
    literal.clear();
    i = close;
  }
  if (!literal.empty()) out.pieces_.push_back({std::move(literal), std::nullopt});
  return std::nullopt;
}

std::string value_text(const Json* value) {
  if (value == nullptr || value->is_null()) return "?";
  if (value->is_string()) return value->get<std::string>();
  if (value->is_array()) {
    std::string joined;
    for (const Json& element : *value) joined += (joined.empty() ? "" : ", ") + value_text(&element);
    return joined;
  }
  return value->dump();
}

namespace {

// A BDF or a list of them as xen-pciback's hide list; without one (no target GPU chosen) the syntax with a
// placeholder, so the sentence around it still reads as an instruction.
std::string hide_list_text(const Json* value) {
  std::vector<std::string> bdfs;
  if (value != nullptr && value->is_string()) bdfs.push_back(value->get<std::string>());
  if (value != nullptr && value->is_array()) {
    for (const Json& element : *value) {
      if (element.is_string()) bdfs.push_back(element.get<std::string>());
    }
  }
  return bdfs.empty() ? "(BB:DD.F)" : pciback_hide_list(bdfs);
}

}  // namespace

std::string MessageTemplate::render(const std::function<const Json*(const FactRef&)>& lookup) const {
  std::string out;
  for (const Piece& piece : pieces_) {
    out += piece.literal;
    if (!piece.fact) continue;
    const Json* value = lookup(*piece.fact);
    out += piece.form == Form::kPcibackHide ? hide_list_text(value) : value_text(value);
  }
  return out;
}

std::vector<FactRef> MessageTemplate::placeholders() const {
  std::vector<FactRef> refs;
  for (const Piece& piece : pieces_) {
    if (piece.fact) refs.push_back(*piece.fact);
  }
  return refs;
}

}  // namespace ptdoctor::rules
