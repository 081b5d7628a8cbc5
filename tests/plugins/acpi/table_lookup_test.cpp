// Finding the tables: present, renamed, absent, and unknown for the reasons a real host gives (not root, no
// sysfs). A fake host view makes "permission denied" testable even when the tests run as root.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "absent_host_view.hpp"
#include "table_lookup.hpp"

namespace ptdoctor::acpi {
namespace {

using ::testing::HasSubstr;

class FakeHostView final : public ptdoctor::testing::AbsentHostView {
 public:
  std::map<std::string, Result<std::string>, std::less<>> files;
  std::optional<Error> list_error;

  FakeHostView() { root_ = "/fake"; }
  Result<std::string> read_file(std::string_view path, std::size_t) const override {
    auto it = files.find(path);
    if (it == files.end()) return make_error(ErrorKind::kNotFound, std::string(path) + ": not found");
    return it->second;
  }
  Result<std::vector<std::string>> list_dir(std::string_view) const override {
    if (list_error) return *list_error;
    return std::vector<std::string>{};
  }
  Result<std::vector<DirEntry>> list_dir_entries(std::string_view) const override {
    if (list_error) return *list_error;
    return std::vector<DirEntry>{};
  }
  Result<std::string> resolve(std::string_view path) const override { return std::string(path); }
  bool exists(std::string_view path) const override { return files.count(path) != 0; }
};

TEST(TableLookup, PrefersDmarThenRenamedNames) {
  FakeHostView host;
  host.files.emplace("/sys/firmware/acpi/tables/RMAD", std::string("rmad"));
  host.files.emplace("/sys/firmware/acpi/tables/XMAR", std::string("xmar"));
  const Lookup lookup = find_table(host, kDmarNames);
  ASSERT_TRUE(lookup.table.has_value());
  EXPECT_EQ(lookup.table->name, "RMAD");
  EXPECT_EQ(lookup.table->bytes, "rmad");
}

TEST(TableLookup, AbsentWhenTheDirectoryListsWithoutIt) {
  FakeHostView host;
  const Lookup lookup = find_table(host, kIvrsNames);
  EXPECT_FALSE(lookup.table.has_value());
  EXPECT_TRUE(lookup.unknown_reason.empty());
}

TEST(TableLookup, PermissionDeniedAsksForRoot) {
  FakeHostView host;
  host.files.emplace("/sys/firmware/acpi/tables/DMAR",
                     make_error(ErrorKind::kPermissionDenied, "/sys/firmware/acpi/tables/DMAR: Permission denied"));
  const Lookup lookup = find_table(host, kDmarNames);
  EXPECT_FALSE(lookup.table.has_value());
  EXPECT_THAT(lookup.unknown_reason, HasSubstr("/sys/firmware/acpi/tables/DMAR is readable only by root: run "
                                               "ptdoctor as root"));
}

TEST(TableLookup, UnlistableDirectoryAsksForRoot) {
  FakeHostView host;
  host.list_error = make_error(ErrorKind::kPermissionDenied, "denied");
  EXPECT_THAT(find_table(host, kIvrsNames).unknown_reason, HasSubstr("run ptdoctor as root"));
}

TEST(TableLookup, MissingDirectoryIsUnknownNotAbsent) {
  FakeHostView host;
  host.list_error = make_error(ErrorKind::kNotFound, "no such directory");
  EXPECT_THAT(find_table(host, kIvrsNames).unknown_reason, HasSubstr("/sys/firmware/acpi/tables is missing"));
}

TEST(TableLookup, OtherReadErrorsAreUnknownWithTheMessage) {
  FakeHostView host;
  host.files.emplace("/sys/firmware/acpi/tables/IVRS", make_error(ErrorKind::kIo, "IVRS: larger than 1048576 bytes"));
  EXPECT_THAT(find_table(host, kIvrsNames).unknown_reason,
              HasSubstr("cannot read /sys/firmware/acpi/tables/IVRS: IVRS: larger than 1048576 bytes"));
}

}  // namespace
}  // namespace ptdoctor::acpi
