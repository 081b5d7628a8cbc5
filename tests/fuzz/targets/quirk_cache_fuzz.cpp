// libFuzzer target: the compiled quirk list (rules/gpu-quirks.cache), which the gpu plugin reads before
// rules/gpu-quirks.yaml. Its header's checksum and its key (the YAML's length and hash) turn nearly every random
// input away at once, so the target reaches past them as a hostile writer would (the first byte picks):
//   0: the rest is the quirk list: sealed, with the key of an empty YAML, and read for that YAML;
//   1: the rest is a whole cache file, header and all.
// Nothing may crash or throw; a decoded list holds only what the YAML loader makes, and matches devices.
#include <string>

#include "byte_codec.hpp"
#include "fuzz_check.hpp"
#include "quirk_cache.hpp"

using ptdoctor::fuzz::check;
namespace gpu = ptdoctor::gpu;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest = ptdoctor::fuzz::as_text(data + 1, size - 1);
  std::optional<gpu::QuirkDb> db;
  if (data[0] % 2 == 0) {
    ptdoctor::ByteWriter payload;
    payload.varint(0);
    payload.u64(ptdoctor::content_hash(""));
    payload.bytes().append(rest);
    db = gpu::read_quirk_cache(ptdoctor::seal_bytes(gpu::kQuirkCacheMagic, gpu::kQuirkCacheFormat, payload.bytes()),
                               "", "fuzz.yaml");
  } else {
    db = gpu::read_quirk_cache(rest, "", "fuzz.yaml");
  }
  if (!db) return 0;
  check(db->origin() == "fuzz.yaml", "the list names the file it was read for");
  for (const gpu::Quirk& quirk : db->quirks()) {
    check(quirk.severity == "blocker" || quirk.severity == "warning" || quirk.severity == "info", "a known severity");
    check(quirk.vendor.value_or(0) <= 0xffff, "vendor ids fit 16 bits");
    for (const auto& [low, high] : quirk.device_ranges) check(low <= high && high <= 0xffff, "ranges run upwards");
    for (unsigned id : quirk.classes) check(id <= 0xffff, "class ids fit 16 bits");
    check(quirk.name_pattern.has_value() == quirk.name_matches.has_value(), "a pattern is compiled");
  }
  const ptdoctor::Json device = {{"bdf", "0000:01:00.0"}, {"vendor_id", "0x10de"}, {"device_id", "0x1c03"},
                                 {"class", "0x0300"}, {"device_name", "GP106 [GeForce GTX 1060 6GB]"}};
  check(db->match(device).size() <= db->size(), "no more matches than quirks");
  return 0;
}
