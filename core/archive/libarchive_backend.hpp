#pragma once
// libarchive behind the snapshot archive seam (snapshot/archive_backend.hpp): what ptdoctor-archive.so exports,
// and what the fuzz build links in directly.
#include "snapshot/archive_backend.hpp"

namespace ptdoctor::archive {

const snapshot::ArchiveBackend& libarchive_backend();

}  // namespace ptdoctor::archive
