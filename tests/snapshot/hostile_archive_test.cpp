// Archives built to attack the reader: each must be refused with a message naming the entry, and nothing may be
// written outside (or, since the first pass validates everything, even inside) the extraction directory.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <filesystem>

#include "archive_builder.hpp"
#include "snapshot/snapshot_reader.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::snapshot {
namespace {

using ptdoctor::testing::ArchiveBuilder;
using ptdoctor::testing::TempTree;
namespace fs = std::filesystem;

class HostileArchive : public ::testing::Test {
 protected:
  std::string archive() const { return work_.path() + "/hostile.tar.gz"; }
  // Extracts into a private parent so the test can prove nothing was left anywhere.
  std::string refused(const ExtractLimits& limits = {}) {
    auto extracted = extract_snapshot(archive(), limits, scratch_.path());
    EXPECT_FALSE(extracted) << "archive was accepted";
    EXPECT_TRUE(fs::is_empty(scratch_.path())) << "extraction left files behind";
    return extracted ? "" : extracted.error().message;
  }
  void expect_untouched() const {
    EXPECT_FALSE(fs::exists(work_.path() + "/escaped"));
    EXPECT_FALSE(fs::exists(fs::path(scratch_.path()).parent_path() / "escaped"));
  }

  TempTree work_;
  TempTree scratch_;
};

TEST_F(HostileArchive, PathTraversalIsRefused) {
  ArchiveBuilder(archive()).file("proc/cmdline", "x").file("../escaped", "pwned").close();
  std::string message = refused();
  EXPECT_NE(message.find("'../escaped'"), std::string::npos) << message;
  EXPECT_NE(message.find("'..' in the path"), std::string::npos) << message;
  expect_untouched();
}

TEST_F(HostileArchive, AbsolutePathIsRefused) {
  ArchiveBuilder(archive()).file(work_.path() + "/escaped", "pwned").close();
  std::string message = refused();
  EXPECT_NE(message.find("absolute path"), std::string::npos) << message;
  expect_untouched();
}

TEST_F(HostileArchive, SymlinkToEtcIsRefused) {
  ArchiveBuilder(archive()).symlink("etc-link", "/etc").file("etc-link/escaped", "pwned").close();
  std::string message = refused();
  EXPECT_NE(message.find("'etc-link'"), std::string::npos) << message;
  EXPECT_NE(message.find("points outside the snapshot"), std::string::npos) << message;
}

TEST_F(HostileArchive, RelativeSymlinkClimbingOutIsRefused) {
  ArchiveBuilder(archive()).symlink("sys/up", "../../..").close();
  EXPECT_NE(refused().find("points outside"), std::string::npos);
}

TEST_F(HostileArchive, WritingThroughAnInsideSymlinkIsRefused) {
  // The link itself stays inside, but an entry below it would be written through it.
  ArchiveBuilder(archive()).directory("real").symlink("alias", "real").file("alias/file", "x").close();
  std::string message = refused();
  EXPECT_NE(message.find("'alias/file'"), std::string::npos) << message;
  EXPECT_NE(message.find("not a directory"), std::string::npos) << message;
}

TEST_F(HostileArchive, HardLinksDevicesAndFifosAreRefused) {
  ArchiveBuilder(archive()).file("a", "x").hardlink("b", "a").close();
  EXPECT_NE(refused().find("hard links"), std::string::npos);
  ArchiveBuilder(archive()).char_device("dev/mem").close();
  EXPECT_NE(refused().find("'dev/mem'"), std::string::npos);
  ArchiveBuilder(archive()).fifo("pipe").close();
  EXPECT_NE(refused().find("FIFOs"), std::string::npos);
}

TEST_F(HostileArchive, DuplicateEntriesAreRefused) {
  ArchiveBuilder(archive()).file("proc/cmdline", "a").file("proc/cmdline", "b").close();
  EXPECT_NE(refused().find("appears twice"), std::string::npos);
}

// A ustar header claiming 10 GiB (GNU base-256 size) followed by a few bytes: libarchive's writer would pad the
// data, so the header is made by hand.
std::string header_claiming(const std::string& name, std::uint64_t size) {
  std::string header(512, '\0');
  std::memcpy(header.data(), name.data(), name.size());
  std::memcpy(header.data() + 100, "0000644", 7);
  std::memcpy(header.data() + 108, "0000000", 7);
  std::memcpy(header.data() + 116, "0000000", 7);
  header[124] = static_cast<char>(0x80);
  for (int i = 0; i < 8; ++i) header[135 - static_cast<std::size_t>(i)] = static_cast<char>((size >> (8 * i)) & 0xff);
  std::memcpy(header.data() + 136, "00000000000", 11);
  header[156] = '0';
  std::memcpy(header.data() + 257, "ustar\0" "00", 8);
  std::memset(header.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : header) sum += c;
  std::snprintf(header.data() + 148, 8, "%06o", sum);
  header[155] = ' ';
  return header;
}

void write_gzip(const std::string& path, const std::string& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(file);
}

TEST_F(HostileArchive, TenGigabyteSizeClaimIsRefusedBeforeAnyData) {
  write_gzip(archive(), header_claiming("sys/huge", 10ull << 30) + std::string(4096, '\0'));
  std::string message = refused();
  EXPECT_NE(message.find("'sys/huge'"), std::string::npos) << message;
  EXPECT_NE(message.find("claims 10737418240 bytes"), std::string::npos) << message;
}

TEST_F(HostileArchive, MoreEntriesThanTheLimitAreRefused) {
  ExtractLimits limits;  // the default limit, exceeded by one
  {
    ArchiveBuilder builder(archive());
    for (std::size_t i = 0; i <= limits.max_entries; ++i) builder.file("f/" + std::to_string(i), "");
  }
  std::string message = refused(limits);
  EXPECT_NE(message.find("more than 50000 entries"), std::string::npos) << message;
}

TEST_F(HostileArchive, TotalSizeAndCompressionRatioAreLimited) {
  ArchiveBuilder(archive()).file("a", std::string(3 << 20, 'a')).file("b", std::string(3 << 20, 'b')).close();
  ExtractLimits small;
  small.max_total_bytes = 4 << 20;
  EXPECT_NE(refused(small).find("expands to more than 4 MiB"), std::string::npos);
  ExtractLimits ratio;
  ratio.ratio_grace_bytes = 1 << 20;
  ratio.max_ratio = 100;  // 6 MiB of one letter compresses about 1000:1
  EXPECT_NE(refused(ratio).find("times its compressed size"), std::string::npos);
}

TEST_F(HostileArchive, TruncatedGzipIsReportedAsDamaged) {
  {
    ArchiveBuilder builder(archive());
    for (int i = 0; i < 50; ++i) builder.file("sys/f" + std::to_string(i), std::string(4000, static_cast<char>('a' + i % 26)) + std::to_string(i * 7919));
  }
  auto size = fs::file_size(archive());
  fs::resize_file(archive(), size / 2);
  std::string message = refused();
  EXPECT_NE(message.find("damaged or truncated"), std::string::npos) << message;
  EXPECT_NE(message.find("take the snapshot again"), std::string::npos) << message;
}

TEST_F(HostileArchive, GarbageAndMissingFilesGiveClearErrors) {
  std::string garbage = work_.path() + "/garbage.tar.gz";
  {
    FILE* file = std::fopen(garbage.c_str(), "wb");
    std::fputs("this is not an archive at all\n", file);
    std::fclose(file);
  }
  auto extracted = extract_snapshot(garbage, {}, scratch_.path());
  ASSERT_FALSE(extracted);
  EXPECT_NE(extracted.error().message.find(garbage), std::string::npos);
  auto missing = extract_snapshot(work_.path() + "/nope.tar.gz", {}, scratch_.path());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("nope.tar.gz"), std::string::npos);
  EXPECT_TRUE(fs::is_empty(scratch_.path()));
}

}  // namespace
}  // namespace ptdoctor::snapshot
