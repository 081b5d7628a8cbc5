#include "ptdoctor/result.hpp"

namespace ptdoctor {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNotFound: return "not present";
    case ErrorKind::kPermissionDenied: return "permission denied";
    case ErrorKind::kNotCaptured: return "not captured";
    case ErrorKind::kEscapesRoot: return "escapes the host root";
    case ErrorKind::kInvalidInput: return "invalid input";
    case ErrorKind::kIo: return "I/O error";
    case ErrorKind::kTimeout: return "timed out";
    case ErrorKind::kUnsupported: return "unsupported";
  }
  return "error";
}

}  // namespace ptdoctor
