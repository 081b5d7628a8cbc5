// Build-time tool: writes the compiled quirk list (quirk_cache.hpp) of a gpu-quirks.yaml.
//   ptdoctor_quirk_cache_tool GPU-QUIRKS.YAML OUT
// Exits 1, naming the file and problem, when the list does not load: the build stops instead of shipping a list
// that would only fail at run time.
#include <cstdio>

#include "atomic_file.hpp"
#include "quirk_cache.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s GPU_QUIRKS_YAML OUTPUT\n", argv[0]);
    return 64;
  }
  auto cache = ptdoctor::gpu::compile_quirk_cache(argv[1]);
  auto written = cache ? ptdoctor::write_file_atomically(argv[2], *cache) : ptdoctor::Status(cache.error());
  if (!written) {
    std::fprintf(stderr, "%s: %s\n", argv[0], written.error().message.c_str());
    return 1;
  }
  return 0;
}
