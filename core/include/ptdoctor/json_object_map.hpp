#pragma once
// The map behind every JSON object of the fact tree: members kept in one vector sorted by key, instead of
// std::map's node per member.
//
// Why: a PCI function's record has ~35 members; as std::map nodes that is ~35 allocations of 96 bytes with
// malloc's overhead (~3.3 KB), as one vector ~1.7 KB and one allocation. On a host with thousands of functions the
// records are most of what `facts` holds (docs/performance.md). Members stay sorted by key exactly as std::map
// sorted them, so every report prints byte for byte as before.
//
// What it gives up: a reference or iterator to a member is invalidated by inserting into or erasing from the
// same object (as for a std::vector, and as for nlohmann's own ordered_map); members of other objects, nested
// ones included, stay where they are. Inserting keys in sorted order is an append; building a large object from
// keys in random order should collect them first and construct from the range (sorted once), as the kernel
// configuration does.
#include <algorithm>
#if defined(__cpp_impl_three_way_comparison)
#include <compare>
#endif
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ptdoctor {

// The signature nlohmann::basic_json expects of its ObjectType: <Key, T, Compare, Allocator>. The allocator it
// passes is for pair<const Key, T>; members here are pair<Key, T> (a const key could not be moved when a member is
// inserted before it), so it is ignored and std::allocator used.
template <class Key, class T, class Compare = std::less<>, class IgnoredAllocator = void>
class JsonObjectMap {
 public:
  using key_type = Key;
  using mapped_type = T;
  using value_type = std::pair<Key, T>;
  using key_compare = Compare;
  using Container = std::vector<value_type>;
  using size_type = typename Container::size_type;
  using difference_type = typename Container::difference_type;
  using reference = value_type&;
  using const_reference = const value_type&;
  using iterator = typename Container::iterator;
  using const_iterator = typename Container::const_iterator;

  JsonObjectMap() = default;
  template <class It>
  JsonObjectMap(It first, It last) {
    if constexpr (std::is_base_of_v<std::forward_iterator_tag, typename std::iterator_traits<It>::iterator_category>) {
      members_.reserve(static_cast<size_type>(std::distance(first, last)));
    }
    for (; first != last; ++first) members_.emplace_back(*first);
    if (!strictly_sorted()) sort_keeping_first();
  }
  JsonObjectMap(std::initializer_list<value_type> init) : JsonObjectMap(init.begin(), init.end()) {}

  // Takes members in any order; of equal keys the first is kept (as std::map's range constructor does).
  static JsonObjectMap from_members(Container members) {
    JsonObjectMap map;
    map.members_ = std::move(members);
    if (!map.strictly_sorted()) map.sort_keeping_first();
    return map;
  }

  iterator begin() noexcept { return members_.begin(); }
  iterator end() noexcept { return members_.end(); }
  const_iterator begin() const noexcept { return members_.begin(); }
  const_iterator end() const noexcept { return members_.end(); }
  const_iterator cbegin() const noexcept { return members_.cbegin(); }
  const_iterator cend() const noexcept { return members_.cend(); }
  bool empty() const noexcept { return members_.empty(); }
  size_type size() const noexcept { return members_.size(); }
  size_type max_size() const noexcept { return members_.max_size(); }
  void clear() noexcept { members_.clear(); }
  void reserve(size_type count) { members_.reserve(count); }
  size_type capacity() const noexcept { return members_.capacity(); }
  // Gives back the spare capacity the vector's doubling left (a record of 35 members otherwise holds 64).
  void shrink_to_fit() { members_.shrink_to_fit(); }

  template <class K>
  iterator lower_bound(const K& key) {
    return std::lower_bound(members_.begin(), members_.end(), key,
                            [this](const value_type& member, const K& k) { return less(member.first, k); });
  }
  template <class K>
  const_iterator lower_bound(const K& key) const {
    return std::lower_bound(members_.begin(), members_.end(), key,
                            [this](const value_type& member, const K& k) { return less(member.first, k); });
  }
  template <class K>
  iterator find(const K& key) {
    auto it = lower_bound(key);
    return it != members_.end() && !less(key, it->first) ? it : members_.end();
  }
  template <class K>
  const_iterator find(const K& key) const {
    auto it = lower_bound(key);
    return it != members_.end() && !less(key, it->first) ? it : members_.end();
  }
  template <class K>
  size_type count(const K& key) const {
    return find(key) != members_.end() ? 1 : 0;
  }
  template <class K>
  bool contains(const K& key) const {
    return find(key) != members_.end();
  }
  template <class K>
  T& at(const K& key) {
    auto it = find(key);
    if (it == members_.end()) throw std::out_of_range("key not found");
    return it->second;
  }
  template <class K>
  const T& at(const K& key) const {
    auto it = find(key);
    if (it == members_.end()) throw std::out_of_range("key not found");
    return it->second;
  }

  // Inserts when the key is new (T built from args), else leaves the member alone, like std::map::emplace.
  template <class K, class... Args>
  std::pair<iterator, bool> emplace(K&& key, Args&&... args) {
    // Keys arriving in order (a parsed JSON text, a record built field by field) append without a search.
    if (members_.empty() || less(members_.back().first, key)) {
      members_.emplace_back(std::piecewise_construct, std::forward_as_tuple(std::forward<K>(key)),
                            std::forward_as_tuple(std::forward<Args>(args)...));
      return {std::prev(members_.end()), true};
    }
    auto it = lower_bound(key);
    if (it != members_.end() && !less(key, it->first)) return {it, false};
    it = members_.emplace(it, std::piecewise_construct, std::forward_as_tuple(std::forward<K>(key)),
                          std::forward_as_tuple(std::forward<Args>(args)...));
    return {it, true};
  }
  // The hint is only a hint, as for std::map: a wrong one costs a search, never order.
  template <class K, class... Args>
  iterator emplace_hint(const_iterator /*hint*/, K&& key, Args&&... args) {
    return emplace(std::forward<K>(key), std::forward<Args>(args)...).first;
  }
  std::pair<iterator, bool> insert(const value_type& member) { return emplace(member.first, member.second); }
  std::pair<iterator, bool> insert(value_type&& member) {
    return emplace(std::move(member.first), std::move(member.second));
  }
  template <class It>
  void insert(It first, It last) {
    for (; first != last; ++first) emplace(first->first, first->second);
  }
  template <class K>
  T& operator[](K&& key) {
    return emplace(std::forward<K>(key)).first->second;
  }

  iterator erase(const_iterator pos) { return members_.erase(pos); }
  iterator erase(iterator pos) { return members_.erase(pos); }
  iterator erase(const_iterator first, const_iterator last) { return members_.erase(first, last); }
  template <class K, class = std::enable_if_t<!std::is_convertible_v<K, const_iterator>>>
  size_type erase(const K& key) {
    auto it = find(key);
    if (it == members_.end()) return 0;
    members_.erase(it);
    return 1;
  }

  friend bool operator==(const JsonObjectMap& a, const JsonObjectMap& b) { return a.members_ == b.members_; }
  friend bool operator!=(const JsonObjectMap& a, const JsonObjectMap& b) { return !(a == b); }
  friend bool operator<(const JsonObjectMap& a, const JsonObjectMap& b) { return a.members_ < b.members_; }
#if defined(__cpp_impl_three_way_comparison)
  // nlohmann::basic_json orders objects with <=> when built as C++20.
  friend auto operator<=>(const JsonObjectMap& a, const JsonObjectMap& b) { return a.members_ <=> b.members_; }
#endif

 private:
  template <class A, class B>
  bool less(const A& a, const B& b) const {
    return Compare{}(a, b);
  }
  auto by_key() const {
    return [this](const value_type& a, const value_type& b) { return less(a.first, b.first); };
  }
  bool strictly_sorted() const {
    return std::adjacent_find(members_.begin(), members_.end(), [this](const value_type& a, const value_type& b) {
             return !less(a.first, b.first);
           }) == members_.end();
  }
  void sort_keeping_first() {
    std::stable_sort(members_.begin(), members_.end(), by_key());
    members_.erase(std::unique(members_.begin(), members_.end(),
                               [this](const value_type& a, const value_type& b) { return !less(a.first, b.first); }),
                   members_.end());
  }

  Container members_;
};

}  // namespace ptdoctor
