#include "archive_builder.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <stdexcept>
#include <string>

namespace ptdoctor::testing {
namespace {

void check(archive* a, int rc, const std::string& what) {
  if (rc < ARCHIVE_WARN) throw std::runtime_error(what + ": " + (archive_error_string(a) ? archive_error_string(a) : "?"));
}

}  // namespace

ArchiveBuilder::ArchiveBuilder(std::string path, bool gzip) : path_(std::move(path)), archive_(archive_write_new()) {
  if (gzip) archive_write_add_filter_gzip(archive_);
  archive_write_set_format_pax_restricted(archive_);
  check(archive_, archive_write_open_filename(archive_, path_.c_str()), "open " + path_);
}

ArchiveBuilder::~ArchiveBuilder() {
  if (archive_ != nullptr) close();
}

static void write_entry(archive* a, const std::string& name, unsigned type, std::int64_t size,
                        const char* link_target, bool hard, const std::string* content) {
  archive_entry* entry = archive_entry_new();
  archive_entry_set_pathname(entry, name.c_str());
  archive_entry_set_filetype(entry, type);
  archive_entry_set_perm(entry, type == AE_IFDIR ? 0755 : 0644);
  archive_entry_set_size(entry, size);
  if (link_target != nullptr && hard) archive_entry_set_hardlink(entry, link_target);
  if (link_target != nullptr && !hard) archive_entry_set_symlink(entry, link_target);
  int rc = archive_write_header(a, entry);
  archive_entry_free(entry);
  check(a, rc, "header " + name);
  if (content != nullptr && !content->empty()) archive_write_data(a, content->data(), content->size());
}

ArchiveBuilder& ArchiveBuilder::file(const std::string& name, const std::string& content) {
  write_entry(archive_, name, AE_IFREG, static_cast<std::int64_t>(content.size()), nullptr, false, &content);
  return *this;
}
ArchiveBuilder& ArchiveBuilder::directory(const std::string& name) {
  write_entry(archive_, name, AE_IFDIR, 0, nullptr, false, nullptr);
  return *this;
}
ArchiveBuilder& ArchiveBuilder::symlink(const std::string& name, const std::string& target) {
  write_entry(archive_, name, AE_IFLNK, 0, target.c_str(), false, nullptr);
  return *this;
}
ArchiveBuilder& ArchiveBuilder::hardlink(const std::string& name, const std::string& target) {
  write_entry(archive_, name, AE_IFREG, 0, target.c_str(), true, nullptr);
  return *this;
}
ArchiveBuilder& ArchiveBuilder::fifo(const std::string& name) {
  write_entry(archive_, name, AE_IFIFO, 0, nullptr, false, nullptr);
  return *this;
}
ArchiveBuilder& ArchiveBuilder::char_device(const std::string& name) {
  write_entry(archive_, name, AE_IFCHR, 0, nullptr, false, nullptr);
  return *this;
}
ArchiveBuilder& ArchiveBuilder::file_claiming(const std::string& name, std::int64_t size, std::size_t written) {
  std::string zeros(written, '\0');
  write_entry(archive_, name, AE_IFREG, size, nullptr, false, &zeros);
  return *this;
}

void ArchiveBuilder::close() {
  if (archive_ == nullptr) return;
  archive_write_close(archive_);
  archive_write_free(archive_);
  archive_ = nullptr;
}

}  // namespace ptdoctor::testing
