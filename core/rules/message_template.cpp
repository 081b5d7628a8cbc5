#include "rules/message_template.hpp"

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
    FactRef ref;
    if (auto bad = parse_fact_path(text.substr(i + 1, close - i - 1), scope, ref)) return "template placeholder " + *bad;
    out.pieces_.push_back({std::move(literal), std::move(ref)});
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

std::string MessageTemplate::render(const std::function<const Json*(const FactRef&)>& lookup) const {
  std::string out;
  for (const Piece& piece : pieces_) {
    out += piece.literal;
    if (piece.fact) out += value_text(lookup(*piece.fact));
  }
  return out;
}

}  // namespace ptdoctor::rules
