#include "json_writer.hpp"

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
      indent_(indent >= 0 ? static_cast<unsigned>(indent) : 0) {}

JsonWriter::JsonWriter(std::string& text, int indent, Errors errors)
    : sink_(std::make_shared<StringSink>(text)),
      serializer_(std::make_unique<nlohmann::detail::serializer<Json>>(sink_, ' ', errors)),
      pretty_(indent >= 0),
      indent_(indent >= 0 ? static_cast<unsigned>(indent) : 0) {}

JsonWriter::~JsonWriter() = default;

void JsonWriter::write(const char* text, std::size_t length) { sink_->write_characters(text, length); }

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

void JsonWriter::begin(char open, bool object) {
  before_value();
  write(&open, 1);
  levels_.push_back(Level{object, true});
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
  serializer_->dump(value, pretty_, false, indent_, static_cast<unsigned>(levels_.size()) * indent_);
}

JsonWriter& JsonWriter::value(const Json& value) {
  before_value();
  dump(value);
  return *this;
}

void JsonWriter::write_string(std::string_view text) {
  scratch_.get_ref<Json::string_t&>().assign(text);
  dump(scratch_);
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  write_string(text);
  return *this;
}

JsonWriter& JsonWriter::value(std::nullptr_t) { return value(Json()); }
JsonWriter& JsonWriter::value(bool flag) { return value(Json(flag)); }
JsonWriter& JsonWriter::value(std::int64_t number) { return value(Json(number)); }
JsonWriter& JsonWriter::value(double number) { return value(Json(number)); }

JsonWriter& JsonWriter::string_or_null(std::string_view text) {
  return text.empty() ? value(nullptr) : value(text);
}

}  // namespace ptdoctor
