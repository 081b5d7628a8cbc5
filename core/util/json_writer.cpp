#include "json_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>

namespace ptdoctor {
namespace {

// nlohmann's serializer writing straight into a stream buffer (through an std::ostream, each character would pay
// for a sentry: 90 M more instructions for `facts` on 1,024 functions).
class StreamBufSink final : public nlohmann::detail::output_adapter_protocol<char> {
 public:
  explicit StreamBufSink(std::streambuf& buffer) : buffer_(buffer) {}
  void write_character(char c) override { buffer_.sputc(c); }
  void write_characters(const char* text, std::size_t length) override {
    buffer_.sputn(text, static_cast<std::streamsize>(length));
  }

 private:
  std::streambuf& buffer_;
};

using StringSink = nlohmann::detail::output_string_adapter<char, std::string>;

}  // namespace

JsonWriter::JsonWriter(std::streambuf& out, int indent, Errors errors)
    : sink_(std::make_shared<StreamBufSink>(out)),
      // ' ' and the error handler as dump(indent, ' ', false, errors) passes them.
      serializer_(std::make_unique<nlohmann::detail::serializer<Json>>(sink_, ' ', errors)),
      pretty_(indent >= 0),
      indent_(indent >= 0 ? static_cast<unsigned>(indent) : 0),
      block_(std::make_unique_for_overwrite<char[]>(kBlockBytes)) {}

JsonWriter::JsonWriter(std::string& text, int indent, Errors errors)
    : sink_(std::make_shared<StringSink>(text)),
      serializer_(std::make_unique<nlohmann::detail::serializer<Json>>(sink_, ' ', errors)),
      pretty_(indent >= 0),
      indent_(indent >= 0 ? static_cast<unsigned>(indent) : 0),
      text_(&text) {}

JsonWriter::~JsonWriter() { flush(); }

void JsonWriter::write_slow(const char* text, std::size_t length) {
  if (text_ != nullptr) {  // a string is its own buffer
    text_->append(text, length);
    return;
  }
  flush();
  if (length >= kBlockBytes) {
    sink_->write_characters(text, length);
    return;
  }
  std::memcpy(block_.get(), text, length);
  used_ = length;
}

void JsonWriter::flush() {
  if (used_ == 0) return;
  sink_->write_characters(block_.get(), used_);
  used_ = 0;
}

void JsonWriter::indent_to(std::size_t depth) {
  const std::size_t width = depth * indent_;
  if (spaces_.size() < width) spaces_.resize(width, ' ');
  write(spaces_.data(), width);
}

// dump() prints a container's members as "{\n" + (indent + member) joined by ",\n" + "\n" + indent + "}" when
// pretty, "{" + members joined by "," + "}" when compact: the separator goes before each member but the first.
void JsonWriter::before_value() {
  if (after_key_) {  // the value of the member whose key was just written
    after_key_ = false;
    return;
  }
  if (levels_.empty()) return;  // the document itself
  Level& level = levels_.back();
  if (level.object) throw std::logic_error("JsonWriter: a value inside an object needs its key first");
  if (!level.empty) write(",", 1);
  level.empty = false;
  if (pretty_) {
    write("\n", 1);
    indent_to(levels_.size());
  }
}

JsonWriter& JsonWriter::key(std::string_view name) {
  if (levels_.empty() || !levels_.back().object || after_key_) {
    throw std::logic_error("JsonWriter: a key outside an object, or two keys in a row");
  }
  Level& level = levels_.back();
  if (!level.empty) write(",", 1);
  level.empty = false;
  if (pretty_) {
    write("\n", 1);
    indent_to(levels_.size());
  }
  write_string(name);  // dump() escapes keys with the same dump_escaped as strings
  if (pretty_) write(": ", 2);
  else write(":", 1);
  after_key_ = true;
  return *this;
}

void JsonWriter::open(char bracket, bool object) {
  write(&bracket, 1);
  levels_.push_back(Level{object, true});
}

void JsonWriter::begin(char bracket, bool object) {
  before_value();
  open(bracket, object);
}

// A tree printed by the writer's own containers and keys, down to its scalars, instead of nlohmann's serializer
// for the whole: the serializer escapes every string one character at a time (dump_escaped), which was most of
// the cost of printing `facts` and the report; write_string copies a plain string at once. Containers print as
// begin/key/end print them, which the tests hold to dump()'s layout; numbers other than integers, binary values
// and any string that needs escaping or UTF-8 checking still go through the serializer. Called after
// before_value().
void JsonWriter::tree(const Json& node) {
  switch (node.type()) {
    case Json::value_t::object:
      open('{', true);
      for (const auto& [name, member] : node.get_ref<const Json::object_t&>()) key(name).value(member);
      end('}');
      return;
    case Json::value_t::array:
      open('[', false);
      for (const Json& element : node.get_ref<const Json::array_t&>()) value(element);
      end(']');
      return;
    case Json::value_t::string:
      write_string(node.get_ref<const Json::string_t&>());
      return;
    case Json::value_t::boolean:
      if (node.get<bool>()) write("true", 4);
      else write("false", 5);
      return;
    case Json::value_t::null:
      write("null", 4);
      return;
    case Json::value_t::number_integer:
      write_number(node.get<std::int64_t>());
      return;
    case Json::value_t::number_unsigned:
      write_number(node.get<std::uint64_t>());
      return;
    default:  // floats (nlohmann's shortest round-trip form), binary, discarded
      dump(node);
      return;
  }
}

template <typename Integer>
void JsonWriter::write_number(Integer number) {
  char digits[24];
  const auto printed = std::to_chars(digits, digits + sizeof digits, number);
  write(digits, static_cast<std::size_t>(printed.ptr - digits));
}

void JsonWriter::end(char close) {
  if (levels_.empty() || after_key_) throw std::logic_error("JsonWriter: nothing to close, or a key without value");
  const bool was_empty = levels_.back().empty;
  levels_.pop_back();
  if (!was_empty && pretty_) {
    write("\n", 1);
    indent_to(levels_.size());
  }
  write(&close, 1);
}

JsonWriter& JsonWriter::begin_object() {
  begin('{', true);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  if (!levels_.empty() && !levels_.back().object) throw std::logic_error("JsonWriter: end_object inside an array");
  end('}');
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  begin('[', false);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  if (!levels_.empty() && levels_.back().object) throw std::logic_error("JsonWriter: end_array inside an object");
  end(']');
  return *this;
}

void JsonWriter::dump(const Json& value) {
  flush();  // the serializer writes to the sink itself
  serializer_->dump(value, pretty_, false, indent_, static_cast<unsigned>(levels_.size()) * indent_);
}

JsonWriter& JsonWriter::value(const Json& value) {
  before_value();
  tree(value);
  return *this;
}

// dump() copies a byte from ' ' to '~' unchanged but for '"' and '\\' (dump_escaped, ensure_ascii false); a string
// of only such bytes is written at once. Anything else (control characters, DEL, quotes, backslashes, UTF-8, valid
// or not) is left to the serializer, whose escaping and error handling are the reference.
void JsonWriter::write_string(std::string_view text) {
  static constexpr auto kPlain = [] {
    std::array<bool, 256> plain{};
    for (int c = ' '; c <= '~'; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    return plain;
  }();
  // One table look-up a byte: the four comparisons a byte were a tenth of writing a report.
  const bool plain = std::all_of(text.begin(), text.end(),
                                 [](char byte) { return kPlain[static_cast<unsigned char>(byte)]; });
  if (plain) {
    write("\"", 1);
    write(text.data(), text.size());
    write("\"", 1);
    return;
  }
  scratch_.get_ref<Json::string_t&>().assign(text);
  dump(scratch_);
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  write_string(text);
  return *this;
}

JsonWriter& JsonWriter::value(std::nullptr_t) { return value(Json()); }
JsonWriter& JsonWriter::value(bool flag) {
  before_value();
  if (flag) write("true", 4);
  else write("false", 5);
  return *this;
}
JsonWriter& JsonWriter::value(std::int64_t number) {
  before_value();
  write_number(number);
  return *this;
}
JsonWriter& JsonWriter::value(double number) { return value(Json(number)); }

JsonWriter& JsonWriter::string_or_null(std::string_view text) {
  return text.empty() ? value(nullptr) : value(text);
}

}  // namespace ptdoctor
