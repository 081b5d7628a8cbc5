// libFuzzer target: /proc/config.gz (or a user's config.gz) through gunzip and then parse_kconfig. Output never
// exceeds the cap, and a corrupt stream is an error value, never a crash.
#include "fuzz_check.hpp"
#include "gzip_reader.hpp"
#include "kconfig.hpp"

using ptdoctor::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A small cap keeps each run fast; the cap logic is the same at 64 MiB.
  constexpr std::size_t kCap = 1u << 20;
  const ptdoctor::hostplug::Gunzipped unzipped = ptdoctor::hostplug::gunzip(ptdoctor::fuzz::as_text(data, size), kCap);
  check(unzipped.data.size() <= kCap, "gunzip output stays within its cap");
  check(!unzipped.error || !unzipped.error->empty(), "an error says what went wrong");
  ptdoctor::hostplug::parse_kconfig(unzipped.data);
  return 0;
}
