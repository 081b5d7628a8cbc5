#include <charconv>

#include "ptdoctor/facts.hpp"

namespace ptdoctor {

std::vector<std::string> split_fact_path(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t dot = path.find('.', start);
    if (dot == std::string_view::npos) dot = path.size();
    if (dot > start) parts.emplace_back(path.substr(start, dot - start));
    start = dot + 1;
  }
  return parts;
}

namespace {

std::optional<std::size_t> as_index(std::string_view part) {
  std::size_t index = 0;
  auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
  if (ec != std::errc() || end != part.data() + part.size()) return std::nullopt;
  return index;
}

}  // namespace

// Walks the path's parts in place: the rules look up ~24,000 paths on a host of 1,024 PCI functions, and splitting
// each into a vector of strings first was 44 M of the rules' 300 M. Empty parts are skipped, as split_fact_path does.
const Json& FactStore::tree() const {
  static const Json kEmpty = Json::object();
  return tree_ ? *tree_ : kEmpty;
}

std::shared_ptr<const Json> FactStore::shared_tree() const {
  // A non-const Json even when empty: a report may change the tree it was given once no one else holds it
  // (RunReport::edit_facts).
  return tree_ ? std::shared_ptr<const Json>(tree_) : std::make_shared<Json>(Json::object());
}

Json& FactStore::writable_tree() {
  if (!tree_) tree_ = std::make_shared<Json>(Json::object());
  else if (tree_.use_count() > 1) tree_ = std::make_shared<Json>(*tree_);  // shared: theirs stays as it was
  return *tree_;
}

const Json* FactStore::find(std::string_view path) const {
  const Json* node = &tree();
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t dot = path.find('.', start);
    if (dot == std::string_view::npos) dot = path.size();
    const std::string_view part = path.substr(start, dot - start);
    start = dot + 1;
    if (part.empty()) continue;
    if (node->is_object()) {
      const auto& members = node->get_ref<const Json::object_t&>();
      auto it = members.find(part);
      if (it == members.end()) return nullptr;
      node = &it->second;
    } else if (node->is_array()) {
      auto index = as_index(part);
      if (!index || *index >= node->size()) return nullptr;
      node = &(*node)[*index];
    } else {
      return nullptr;
    }
  }
  return node;
}

std::optional<std::string> FactStore::unknown_reason(std::string_view path) const {
  std::string prefix(path);
  while (true) {
    auto it = unknown_.find(prefix);
    if (it != unknown_.end()) return it->second;
    auto dot = prefix.rfind('.');
    if (dot == std::string::npos) return std::nullopt;
    prefix.resize(dot);
  }
}

Json FactStore::release_tree() {
  Json released = std::move(writable_tree());
  tree_.reset();
  return released;
}

bool FactStore::set(std::string_view path, Json value, std::string_view source) {
  auto parts = split_fact_path(path);
  if (parts.empty()) return false;
  Json* node = &writable_tree();
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (node->is_null()) *node = Json::object();
    if (!node->is_object()) return false;
    node = &(*node)[parts[i]];
  }
  if (node->is_null()) *node = Json::object();
  if (!node->is_object()) return false;
  (*node)[parts.back()] = std::move(value);
  std::string key(path);
  if (!source.empty()) provenance_[key] = std::string(source);
  unknown_.erase(key);
  return true;
}

void FactStore::set_unknown(std::string_view path, std::string_view reason) {
  std::string key(path);
  if (find(path) == nullptr) set(path, nullptr, "");
  unknown_[key] = std::string(reason);
}

}  // namespace ptdoctor
