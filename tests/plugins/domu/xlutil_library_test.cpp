// libxlutil opened on demand (xlutil_library.hpp): every function found in the installed library, and a missing
// or wrong library refused with its name, never a crash.
#include "xlutil_library.hpp"

#include <gtest/gtest.h>

namespace ptdoctor::domu {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(XlutilLibrary, TheLibraryBuiltAgainstHasEveryFunction) {
  auto xl = xlutil();
  ASSERT_TRUE(xl) << xl.error().message;
  for (const void* function :
       {reinterpret_cast<const void*>((*xl)->cfg_init), reinterpret_cast<const void*>((*xl)->cfg_readdata),
        reinterpret_cast<const void*>((*xl)->cfg_destroy), reinterpret_cast<const void*>((*xl)->cfg_get_string),
        reinterpret_cast<const void*>((*xl)->cfg_get_long), reinterpret_cast<const void*>((*xl)->cfg_get_list),
        reinterpret_cast<const void*>((*xl)->cfg_get_listitem),
        reinterpret_cast<const void*>((*xl)->pci_parse_spec_string), reinterpret_cast<const void*>((*xl)->rdm_parse),
        reinterpret_cast<const void*>((*xl)->device_pci_init),
        reinterpret_cast<const void*>((*xl)->device_pci_dispose)}) {
    EXPECT_NE(function, nullptr);
  }
  auto again = xlutil();
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *xl);  // loaded once: the same functions
}

TEST(XlutilLibrary, AMissingLibraryIsNamedWithItsDebianPackage) {
  auto xl = load_xlutil("libxlutil.so.9.99");
  ASSERT_FALSE(xl);
  EXPECT_EQ(xl.error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(has(xl.error().message, "cannot load libxlutil.so.9.99, xl's config parser (Debian package "
                                      "libxenmisc9.99): ")) << xl.error().message;
}

// A library that loads but is not libxlutil (zlib is always there: ptdoctor links it).
TEST(XlutilLibrary, ALibraryWithoutTheFunctionsIsRefused) {
  auto xl = load_xlutil("libz.so.1");
  ASSERT_FALSE(xl);
  EXPECT_TRUE(has(xl.error().message, "libz.so.1 lacks xlu_cfg_init, xlu_cfg_readdata")) << xl.error().message;
}

}  // namespace
}  // namespace ptdoctor::domu
