// ptdoctor-archive.so's two exported symbols (snapshot/archive_module.hpp loads them):
//   ptdoctor_archive_abi      extern "C" int(): checked before anything else is touched
//   ptdoctor_archive_backend  Boost.DLL alias of snapshot::ArchiveBackendGetter
#include <boost/config.hpp>
#include <boost/dll/alias.hpp>

#include "libarchive_backend.hpp"

namespace ptdoctor_archive_entry {
const ptdoctor::snapshot::ArchiveBackend& backend() { return ptdoctor::archive::libarchive_backend(); }
}  // namespace ptdoctor_archive_entry

extern "C" BOOST_SYMBOL_EXPORT int ptdoctor_archive_abi() { return ptdoctor::snapshot::kArchiveAbiVersion; }
BOOST_DLL_ALIAS(ptdoctor_archive_entry::backend, ptdoctor_archive_backend)
