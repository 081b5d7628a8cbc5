// The fuzz build links libarchive's backend in, instrumented, where ptdoctor loads it as ptdoctor-archive.so
// (core/snapshot/archive_module.cpp): extract_snapshot reaches it through archive_backend() either way.
#include "archive/libarchive_backend.hpp"
#include "snapshot/archive_module.hpp"

namespace ptdoctor::snapshot {

Result<const ArchiveBackend*> archive_backend() { return &archive::libarchive_backend(); }

}  // namespace ptdoctor::snapshot
