#pragma once
// JSON written as it is produced, byte for byte what nlohmann's dump() prints for the same document: a report or
// fact listing goes out member by member instead of being built as a tree (a copy of every fact) and dumped. The
// brackets, commas and indentation are laid out as dump(indent) lays them out; integers, booleans, null and strings
// of plain printable ASCII are written here, and every other string and number by nlohmann's own serializer, so
// escaping (control characters, invalid UTF-8 under error_handler_t::replace) and float formatting are nlohmann's.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "ptdoctor/json.hpp"

namespace ptdoctor {

class JsonWriter {
 public:
  using Errors = Json::error_handler_t;

  // indent >= 0: as dump(indent) (pretty); < 0: as dump() (compact). errors: as dump()'s error_handler (strict
  // throws Json::type_error on invalid UTF-8, replace writes U+FFFD). Output goes into `out`, or is appended to
  // `text`, which must outlive the writer.
  JsonWriter(std::streambuf& out, int indent, Errors errors = Errors::strict);
  JsonWriter(std::string& text, int indent, Errors errors = Errors::strict);
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  // Containers: begin, then (for an object) key() before each member's value, then end. Empty ones print as
  // {} and [] as dump() prints them.
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  // One value at the current place: a whole tree, printed as dump() prints it nested at this depth.
  JsonWriter& value(const Json& value);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(std::nullptr_t);
  JsonWriter& value(bool flag);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(double number);
  // A string, or null when it is empty (the report's optional fields).
  JsonWriter& string_or_null(std::string_view text);

  // Hands what is written so far to the stream buffer (the destructor does too): call it before writing to the
  // same buffer directly. A writer into a string needs none.
  void flush();

  // The same pair as key(name).value(v), for the common case.
  template <typename Value>
  JsonWriter& member(std::string_view name, const Value& v) {
    key(name);
    return value(v);
  }

 private:
  struct Level {
    bool object = false;
    bool empty = true;
  };
  // Bytes for a stream buffer are gathered and handed over in blocks: one sputn per token (a comma, an indentation,
  // a key) cost more than the copying itself (xsputn was 77 M instructions of a `check` on 1,024 functions).
  static constexpr std::size_t kBlockBytes = 32 * 1024;

  void before_value();  // the separator and indentation a new member or element needs
  // Inline: a report is ~100,000 writes of a few bytes, and the call into std::string::append was most of each.
  void write(const char* text, std::size_t length) {
    if (block_ && length <= kBlockBytes - used_) {
      std::memcpy(block_.get() + used_, text, length);
      used_ += length;
      return;
    }
    write_slow(text, length);
  }
  void write_slow(const char* text, std::size_t length);  // into the string, or past a full block
  void indent_to(std::size_t depth);
  void dump(const Json& value);  // through nlohmann's serializer, nested at the current depth
  void tree(const Json& node);  // a whole value, containers and plain strings written here
  void write_string(std::string_view text);  // quoted and escaped
  template <typename Integer>
  void write_number(Integer number);
  void end(char close);
  void open(char bracket, bool object);   // the bracket and a new level, after before_value()
  void begin(char bracket, bool object);  // before_value(), then open()

  nlohmann::detail::output_adapter_t<char> sink_;
  std::unique_ptr<nlohmann::detail::serializer<Json>> serializer_;
  bool pretty_;
  unsigned indent_;
  std::vector<Level> levels_;
  std::string spaces_;
  bool after_key_ = false;
  Json scratch_ = Json::string_t();  // strings and keys are dumped through it, its buffer reused
  std::string* text_ = nullptr;       // the string written into, or null for a stream buffer
  std::unique_ptr<char[]> block_;     // for a stream buffer: written, not yet handed to it
  std::size_t used_ = 0;              // of block_
};

}  // namespace ptdoctor
