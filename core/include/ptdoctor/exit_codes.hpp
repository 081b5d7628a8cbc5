#pragma once
// Exit codes beyond the verdicts (0 ready, 1 warnings, 2 not ready, 3 cannot judge: report.hpp). They follow
// sysexits.h so scripts can tell a user's mistake from a bug: only 70 means "a bug in ptdoctor, report it".
#include "ptdoctor/report.hpp"

namespace ptdoctor {

// kExitUsage (64, EX_USAGE: a bad option, an invalid rule file) and kExitInternal (70, EX_SOFTWARE) are in report.hpp.
inline constexpr int kExitNoInput = 66;     // EX_NOINPUT: an input file is missing, unreadable, not a regular file or too large
inline constexpr int kExitCantCreate = 73;  // EX_CANTCREAT: the output file cannot be created
inline constexpr int kExitIoError = 74;     // EX_IOERR: reading or writing failed part-way

}  // namespace ptdoctor
