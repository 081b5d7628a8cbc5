#include "kconfig.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include "gzip_reader.hpp"

namespace ptdoctor::hostplug {
namespace {

// gzip-compresses text with zlib itself, so the tests need no fixture file.
std::string gzip(const std::string& text) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, text.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

TEST(Kconfig, ReadsEveryKindOfLine) {
  Kconfig config = parse_kconfig(
      "#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_XEN=y\nCONFIG_XEN_PCIDEV_BACKEND=m\n"
      "# CONFIG_XEN_PRIVCMD is not set\nCONFIG_HZ=250\nCONFIG_LOCALVERSION=\"-xen \\\"dom0\\\"\"\n\n");
  EXPECT_EQ(config.options["CONFIG_XEN"], "y");
  EXPECT_EQ(config.options["CONFIG_XEN_PCIDEV_BACKEND"], "m");
  EXPECT_EQ(config.options["CONFIG_XEN_PRIVCMD"], "n");
  EXPECT_EQ(config.options["CONFIG_HZ"], "250");
  EXPECT_EQ(config.options["CONFIG_LOCALVERSION"], "-xen \"dom0\"");
  EXPECT_EQ(config.options.count("CONFIG_XEN_DOM0"), 0u);  // unset: absent
  EXPECT_TRUE(config.problems.empty());
}

TEST(Kconfig, GarbageLinesAreReportedWithTheirLineNumber) {
  Kconfig config = parse_kconfig("CONFIG_XEN=y\nnot a config line\nCONFIG_BAD=\"unterminated\nXEN_DOM0=y\n"
                                 "CONFIG_XEN_DOM0=y\n\x01\x02\n");
  EXPECT_EQ(config.options.size(), 2u);
  ASSERT_EQ(config.problems.size(), 4u);
  EXPECT_EQ(config.problems[0].line, 2u);
  EXPECT_EQ(config.problems[0].text, "not a config line");
  EXPECT_EQ(config.problems[1].line, 3u);
  EXPECT_EQ(config.problems[2].line, 4u);
  EXPECT_EQ(config.problems[3].text, "??");
}

TEST(Gzip, RoundTripsAConfig) {
  Gunzipped unpacked = gunzip(gzip("CONFIG_XEN=y\n"));
  EXPECT_FALSE(unpacked.error);
  EXPECT_EQ(unpacked.data, "CONFIG_XEN=y\n");
}

TEST(Gzip, TruncatedDataKeepsWhatWasDecodedAndSaysWhere) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "CONFIG_OPTION_" + std::to_string(i) + "=y\n";
  std::string packed = gzip(text);
  Gunzipped unpacked = gunzip(packed.substr(0, packed.size() / 2));
  ASSERT_TRUE(unpacked.error);
  EXPECT_NE(unpacked.error->find("truncated"), std::string::npos) << *unpacked.error;
  EXPECT_FALSE(unpacked.data.empty());
  EXPECT_EQ(text.compare(0, unpacked.data.size(), unpacked.data), 0);  // a true prefix
}

TEST(Gzip, CorruptDataIsAnErrorNotACrash) {
  std::string packed = gzip(std::string(5000, 'x') + "CONFIG_XEN=y\n");
  for (std::size_t i = 12; i < packed.size() - 8; i += 3) packed[i] = static_cast<char>(0xff);
  Gunzipped unpacked = gunzip(packed);
  ASSERT_TRUE(unpacked.error);
  EXPECT_EQ(gunzip("not gzip at all").error.has_value(), true);
  EXPECT_TRUE(gunzip("").error.has_value());
}

TEST(Gzip, ChecksumMismatchSaysEverythingIsSuspect) {
  std::string packed = gzip("CONFIG_XEN=y\n");
  packed[packed.size() - 6] ^= 0x55;  // inside the CRC32 trailer
  Gunzipped unpacked = gunzip(packed);
  ASSERT_TRUE(unpacked.error);
  EXPECT_NE(unpacked.error->find("suspect"), std::string::npos) << *unpacked.error;
}

TEST(Gzip, OutputLimitStopsABomb) {
  Gunzipped unpacked = gunzip(gzip(std::string(1 << 20, '\0')), 1000);
  ASSERT_TRUE(unpacked.error);
  EXPECT_NE(unpacked.error->find("larger than"), std::string::npos);
}

}  // namespace
}  // namespace ptdoctor::hostplug
