// These tests call write_archive and extract_snapshot in-process, from a binary outside the stage: the archive
// module ptdoctor would find beside itself is the staged one. Set before main(), so before any archive is touched.
#include "snapshot/archive_module.hpp"

namespace {
const bool kStagedModule = (ptdoctor::snapshot::use_archive_module(PTDOCTOR_STAGE_ARCHIVE_MODULE), true);
}  // namespace
