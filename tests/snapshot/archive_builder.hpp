#pragma once
// Builds tar archives entry by entry with libarchive, including ones no honest writer makes (absolute names, "..",
// links out of the root, hard links, devices, huge size claims), to test that the reader refuses them.
#include <cstdint>
#include <memory>
#include <string>

struct archive;

namespace ptdoctor::testing {

class ArchiveBuilder {
 public:
  // gzip: compress with gzip (else a plain tar).
  ArchiveBuilder(std::string path, bool gzip = true);
  ~ArchiveBuilder();

  ArchiveBuilder& file(const std::string& name, const std::string& content);
  ArchiveBuilder& directory(const std::string& name);
  ArchiveBuilder& symlink(const std::string& name, const std::string& target);
  ArchiveBuilder& hardlink(const std::string& name, const std::string& target);
  ArchiveBuilder& fifo(const std::string& name);
  ArchiveBuilder& char_device(const std::string& name);
  // A regular-file header claiming `size` bytes, followed by only `written` zero bytes (the archive is then cut:
  // call nothing but close() after it).
  ArchiveBuilder& file_claiming(const std::string& name, std::int64_t size, std::size_t written);
  void close();

 private:
  std::string path_;
  ::archive* archive_;
};

}  // namespace ptdoctor::testing
