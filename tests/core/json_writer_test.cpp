// JsonWriter must print exactly what nlohmann's dump() prints for the same document: the JSON report and `facts`
// are written with it, and their bytes (goldens, diffs between runs, the documented layout) must not change.
#include "json_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace ptdoctor {
namespace {

using Errors = JsonWriter::Errors;

// Strings a host file can hand a plugin: control characters, quotes, valid UTF-8 of every length, and invalid
// UTF-8 of every kind nlohmann's decoder rejects (a lone continuation byte, bytes never valid, an overlong form, a
// UTF-16 surrogate, a code point past U+10FFFF, a sequence cut short in the middle and at the end).
std::vector<std::string> odd_strings() {
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls += static_cast<char>(c);
  controls += '\x7f';
  return {
      "",
      controls,
      "quote \" backslash \\ slash / tab\tnew\nline",
      "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",  // é € 😀
      "lone continuation \x80 here",
      "never valid \xff\xfe",
      "overlong \xc0\xaf slash",
      "surrogate \xed\xa0\x80 half",
      "past U+10FFFF \xf4\x90\x80\x80",
      "cut \xe2\x82 short",
      "cut at the end \xf0\x9f\x98",
      "\x1b[31mred\x1b[0m",
  };
}

Json odd_document() {
  Json document = Json::object();
  Json strings = Json::array();
  Json keyed = Json::object();
  for (const std::string& text : odd_strings()) {
    strings.push_back(text);
    keyed[text] = {{"value", text}, {"list", {text, text}}};
  }
  document["strings"] = strings;
  document["keyed"] = keyed;
  document["numbers"] = {0,
                         -1,
                         std::numeric_limits<std::int64_t>::min(),
                         std::numeric_limits<std::uint64_t>::max(),
                         1.5,
                         1e300,
                         -0.0,
                         0.1,
                         std::nan("")};
  document["flags"] = {true, false, nullptr};
  document["empties"] = {{"object", Json::object()}, {"array", Json::array()}, {"nested", {Json::array(), Json::object()}}};
  document["deep"] = {{"a", {{"b", {{"c", {{"d", Json::array({Json::array({1})})}}}}}}}};
  return document;
}

// Writes `value` through the writer's containers and keys, down to every scalar: the layout is the writer's own.
void write_piecewise(JsonWriter& out, const Json& value) {
  if (value.is_object()) {
    out.begin_object();
    for (const auto& [key, member] : value.items()) {
      out.key(key);
      write_piecewise(out, member);
    }
    out.end_object();
  } else if (value.is_array()) {
    out.begin_array();
    for (const Json& element : value) write_piecewise(out, element);
    out.end_array();
  } else if (value.is_string()) {
    out.value(value.get_ref<const std::string&>());
  } else {
    out.value(value);
  }
}

std::string piecewise(const Json& value, int indent, Errors errors) {
  std::string text;
  JsonWriter out(text, indent, errors);
  write_piecewise(out, value);
  return text;
}

std::string whole(const Json& value, int indent, Errors errors) {
  std::string text;
  JsonWriter(text, indent, errors).value(value);
  return text;
}

TEST(JsonWriter, PrintsOddStringsAsDumpDoes) {
  const Json document = odd_document();
  for (int indent : {2, 0, 4, -1}) {
    for (Errors errors : {Errors::replace, Errors::ignore}) {
      const std::string expected = document.dump(indent, ' ', false, errors);
      EXPECT_EQ(whole(document, indent, errors), expected) << "indent " << indent;
      EXPECT_EQ(piecewise(document, indent, errors), expected) << "indent " << indent;
    }
  }
}

// Random documents mixing the plain strings the writer copies itself with every kind the serializer must escape,
// and integers at their limits, floats, empty and nested containers: whole and piece by piece, as dump() prints.
Json random_value(std::mt19937& random, int depth) {
  static const std::vector<std::string> strings = [] {
    std::vector<std::string> all = odd_strings();
    // Plain strings, and strings one byte away from plain: each byte the copy must leave to the serializer alone.
    for (const char* plain : {"plain", "0000:01:00.0", "CONFIG_XEN_DOM0", "a/b c~d", " ", "{}[],:", "'single'",
                              "back\\slash", "del\x7f", "quote\"", "tab\t", "\xc3\xa9", "\xff", "nul\x01"}) {
      all.push_back(plain);
    }
    return all;
  }();
  const int kind = static_cast<int>(random() % (depth > 3 ? 6 : 8));
  switch (kind) {
    case 0: return strings[random() % strings.size()];
    case 1: return static_cast<std::int64_t>(random()) - static_cast<std::int64_t>(random()) * 65536;
    case 2: return random() % 2 ? std::numeric_limits<std::uint64_t>::max() - random() : std::uint64_t{random()};
    case 3: return static_cast<double>(random()) / 7.0;
    case 4: return random() % 2 == 0;
    case 5: return nullptr;
    case 6: {
      Json array = Json::array();
      for (unsigned i = random() % 4; i > 0; --i) array.push_back(random_value(random, depth + 1));
      return array;
    }
    default: {
      Json object = Json::object();
      for (unsigned i = random() % 4; i > 0; --i) object[strings[random() % strings.size()]] = random_value(random, depth + 1);
      return object;
    }
  }
}

TEST(JsonWriter, RandomDocumentsPrintAsDumpDoes) {
  std::mt19937 random(7);
  for (int round = 0; round < 600; ++round) {
    const Json document = random_value(random, 0);
    for (int indent : {2, -1, 0, 3}) {
      const std::string expected = document.dump(indent, ' ', false, Errors::replace);
      ASSERT_EQ(whole(document, indent, Errors::replace), expected) << "indent " << indent;
      ASSERT_EQ(piecewise(document, indent, Errors::replace), expected) << "indent " << indent;
    }
  }
}

TEST(JsonWriter, ReplacesInvalidUtf8AsDumpDoes) {
  // Checked on its own, so that a change in how many U+FFFD an invalid sequence becomes shows here by name.
  for (const std::string& text : odd_strings()) {
    const Json value = text;
    EXPECT_EQ(whole(value, 2, Errors::replace), value.dump(2, ' ', false, Errors::replace));
    EXPECT_EQ(piecewise(Json{{text, text}}, 2, Errors::replace),
              Json({{text, text}}).dump(2, ' ', false, Errors::replace));
  }
  EXPECT_EQ(whole(Json("a\xff" "b"), -1, Errors::replace), "\"a\xEF\xBF\xBD" "b\"");
}

TEST(JsonWriter, StrictThrowsOnInvalidUtf8AsDumpDoes) {
  const Json value = {{"key", "bad \xff byte"}};
  EXPECT_THROW((void)value.dump(2), Json::type_error);
  EXPECT_THROW(whole(value, 2, Errors::strict), Json::type_error);
  EXPECT_THROW(piecewise(value, 2, Errors::strict), Json::type_error);
  const Json valid = {{"key", "\xc3\xa9 \x01"}};
  EXPECT_EQ(whole(valid, 2, Errors::strict), valid.dump(2));
}

TEST(JsonWriter, ATreeWrittenInsideWrittenContainersIsIndentedAtItsDepth) {
  const Json inner = odd_document();
  std::string text;
  JsonWriter out(text, 2, Errors::replace);
  out.begin_object().member("first", 1).key("list").begin_array().begin_object().member("empty", Json::object());
  out.member("tree", inner).end_object().value(inner).end_array().end_object();
  const Json expected = {{"first", 1}, {"list", {{{"empty", Json::object()}, {"tree", inner}}, inner}}};
  EXPECT_EQ(text, expected.dump(2, ' ', false, Errors::replace));
}

TEST(JsonWriter, WritesIntoAStreamBufferTheSameBytes) {
  const Json document = odd_document();
  std::stringbuf buffer;
  {
    JsonWriter out(buffer, 2, Errors::replace);
    write_piecewise(out, document);
  }
  EXPECT_EQ(buffer.str(), document.dump(2, ' ', false, Errors::replace));
}

// The writer hands a stream buffer its bytes in blocks: a document larger than a block, with serializer-printed
// strings between the writer's own bytes, must come out whole and in order, and flush() must put everything
// before what the caller writes to the buffer next.
TEST(JsonWriter, ABigDocumentReachesTheStreamBufferInOrder) {
  Json document = Json::object();
  for (int i = 0; i < 4000; ++i) {
    document["device " + std::to_string(i)] = {{"name", "plain"}, {"odd", "tab\there"}, {"number", i}, {"float", i / 3.0}};
  }
  std::stringbuf buffer;
  JsonWriter out(buffer, 2, Errors::replace);
  write_piecewise(out, document);
  out.flush();
  buffer.sputc('\n');
  out.begin_array().value(document).end_array();
  out.flush();
  const std::string expected = document.dump(2, ' ', false, Errors::replace);
  EXPECT_GT(expected.size(), 100000u);
  EXPECT_EQ(buffer.str(), expected + "\n" + Json::array({document}).dump(2, ' ', false, Errors::replace));
}

TEST(JsonWriter, RefusesAValueWithoutKeyAndUnbalancedContainers) {
  std::string text;
  JsonWriter out(text, 2);
  out.begin_object();
  EXPECT_THROW(out.value(1), std::logic_error);
  EXPECT_THROW(out.end_array(), std::logic_error);
  out.key("a");
  EXPECT_THROW(out.key("b"), std::logic_error);
  EXPECT_THROW(out.end_object(), std::logic_error);
  out.value(1).end_object();
  EXPECT_EQ(text, "{\n  \"a\": 1\n}");
  EXPECT_THROW(out.end_object(), std::logic_error);
}

}  // namespace
}  // namespace ptdoctor
