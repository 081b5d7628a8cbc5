#include "quirk_cache.hpp"

#include "byte_codec.hpp"
#include "input_file.hpp"

namespace ptdoctor::gpu {
namespace {

// The shipped list's cache is under 4 KiB; anything far larger is not ours.
constexpr InputKind kQuirkCacheInput{"compiled quirk cache", 1u << 20};

constexpr unsigned kMaxId = 0xffff;  // parse_id's limit

void write_ids(ByteWriter& out, const std::vector<unsigned>& ids) {
  out.varint(ids.size());
  for (unsigned id : ids) out.varint(id);
}

void write_quirk(ByteWriter& out, const Quirk& quirk) {
  for (const std::string* text : {&quirk.id, &quirk.title, &quirk.severity, &quirk.explanation, &quirk.workaround}) {
    out.text(*text);
  }
  out.varint(quirk.refs.size());
  for (const std::string& ref : quirk.refs) out.text(ref);
  out.u8(quirk.vendor ? 1 : 0);
  if (quirk.vendor) out.varint(*quirk.vendor);
  out.varint(quirk.device_ranges.size());
  for (const auto& [low, high] : quirk.device_ranges) {
    out.varint(low);
    out.varint(high);
  }
  write_ids(out, quirk.classes);
  out.u8(quirk.name_pattern ? 1 : 0);
  if (quirk.name_pattern) out.text(*quirk.name_pattern);
  out.u8(quirk.bus0 ? (*quirk.bus0 ? 2 : 1) : 0);
}

unsigned read_id(ByteReader& in) {
  const std::uint64_t id = in.varint();
  if (id > kMaxId) in.fail();
  return static_cast<unsigned>(id);
}

bool read_quirk(ByteReader& in, Quirk& quirk) {
  for (std::string* text : {&quirk.id, &quirk.title, &quirk.severity, &quirk.explanation, &quirk.workaround}) {
    *text = in.text();
  }
  if (quirk.severity != "blocker" && quirk.severity != "warning" && quirk.severity != "info") return in.fail();
  const std::size_t refs = in.count();
  reserve_for(quirk.refs, refs);
  for (std::size_t i = 0; i < refs && in.ok(); ++i) quirk.refs.push_back(in.text());
  if (in.flag()) quirk.vendor = read_id(in);
  const std::size_t ranges = in.count();
  reserve_for(quirk.device_ranges, ranges);
  for (std::size_t i = 0; i < ranges && in.ok(); ++i) {
    const unsigned low = read_id(in), high = read_id(in);
    if (low > high) return in.fail();  // the loader's ranges are "low-high" as written, or one id
    quirk.device_ranges.emplace_back(low, high);
  }
  const std::size_t classes = in.count();
  reserve_for(quirk.classes, classes);
  for (std::size_t i = 0; i < classes && in.ok(); ++i) quirk.classes.push_back(read_id(in));
  if (in.flag()) {
    quirk.name_pattern = in.text();
    if (!in.ok()) return false;
    // As the YAML loader compiles it: a pattern it refuses is not one it wrote.
    if (compile_name_pattern(*quirk.name_pattern, quirk.name_matches)) return in.fail();
  }
  const std::uint8_t bus0 = in.u8();
  if (bus0 > 2) return in.fail();
  if (bus0 != 0) quirk.bus0 = bus0 == 2;
  return in.ok();
}

void write_list(ByteWriter& out, const std::vector<Quirk>& quirks) {
  out.varint(quirks.size());
  for (const Quirk& quirk : quirks) write_quirk(out, quirk);
}

std::optional<std::vector<Quirk>> read_list(ByteReader& in) {
  std::vector<Quirk> quirks;
  const std::size_t count = in.count();
  reserve_for(quirks, count);
  for (std::size_t i = 0; i < count; ++i) {
    if (!read_quirk(in, quirks.emplace_back())) return std::nullopt;
  }
  if (!in.at_end()) return std::nullopt;
  return quirks;
}

}  // namespace

Result<std::string> write_quirk_cache(std::string_view yaml, const QuirkDb& db) {
  ByteWriter list;
  write_list(list, db.quirks());
  // What is written must read back as the same bytes.
  ByteReader back(list.bytes());
  std::optional<std::vector<Quirk>> quirks = read_list(back);
  ByteWriter again;
  if (quirks) write_list(again, *quirks);
  if (!quirks || again.bytes() != list.bytes()) {
    return make_error(ErrorKind::kInvalidInput, db.origin() + ": the quirk cache does not read this list back");
  }
  ByteWriter payload;
  payload.varint(yaml.size());
  payload.u64(content_hash(yaml));
  payload.bytes().append(list.bytes());
  return seal_bytes(kQuirkCacheMagic, kQuirkCacheFormat, payload.bytes());
}

Result<std::string> compile_quirk_cache(const std::string& path) {
  const Result<std::string> yaml = read_input_file(path, kRulesFileInput);
  if (!yaml) return yaml.error();
  const Result<QuirkDb> db = QuirkDb::parse(*yaml, path);
  if (!db) return db.error();
  return write_quirk_cache(*yaml, *db);
}

std::optional<QuirkDb> read_quirk_cache(std::string_view cache, std::string_view yaml, const std::string& origin) {
  const std::optional<std::string_view> payload = sealed_payload(cache, kQuirkCacheMagic, kQuirkCacheFormat);
  if (!payload) return std::nullopt;
  ByteReader in(*payload);
  if (in.varint() != yaml.size() || in.u64() != content_hash(yaml) || !in.ok()) return std::nullopt;
  std::optional<std::vector<Quirk>> quirks = read_list(in);
  if (!quirks) return std::nullopt;
  return QuirkDb(std::move(*quirks), origin);
}

std::optional<QuirkDb> read_quirk_cache_file(const std::string& path, std::string_view yaml,
                                             const std::string& origin) {
  const Result<std::string> cache = read_input_file(path, kQuirkCacheInput);
  if (!cache) return std::nullopt;
  return read_quirk_cache(*cache, yaml, origin);
}

}  // namespace ptdoctor::gpu
