// libFuzzer target: a snapshot archive (check --snapshot) through extract_snapshot. The input is written to a file
// in a private directory and extracted there under small limits; afterwards that directory must hold nothing but
// the input: nothing written outside the extraction root, and the root removed with the ExtractedSnapshot.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz_check.hpp"
#include "snapshot/snapshot_reader.hpp"

using ptdoctor::fuzz::check;
namespace fs = std::filesystem;

namespace {

const std::string& work_dir() {
  static const std::string dir = [] {
    std::string pattern = (fs::temp_directory_path() / "ptdoctor-snapshot-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    return pattern;
  }();
  return dir;
}

std::size_t entries_in(const std::string& dir) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::recursive_directory_iterator(dir)) ++count;
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string archive = work_dir() + "/input.tar.gz";
  {
    std::ofstream out(archive, std::ios::binary | std::ios::trunc);
    out.write(static_cast<const char*>(static_cast<const void*>(data)), static_cast<std::streamsize>(size));
  }
  ptdoctor::snapshot::ExtractLimits limits;
  limits.max_total_bytes = 4u << 20;
  limits.max_file_bytes = 1u << 20;
  limits.max_entries = 2000;
  limits.ratio_grace_bytes = 1u << 20;
  {
    auto extracted = ptdoctor::snapshot::extract_snapshot(archive, limits, work_dir());
    if (extracted) {
      const std::string& root = (*extracted)->root();
      check(root.rfind(work_dir() + "/", 0) == 0, "the extraction root is inside the private directory");
      check(entries_in(work_dir()) == 2 + entries_in(root), "nothing is written beside the extraction root");
    } else {
      check(!extracted.error().message.empty(), "a refused archive says why");
    }
  }
  check(entries_in(work_dir()) == 1, "the extraction root is removed, failed or not");
  return 0;
}
