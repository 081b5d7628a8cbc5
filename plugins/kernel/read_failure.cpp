#include "read_failure.hpp"

namespace ptdoctor::hostplug {

std::string read_failure(const std::string& path, const Error& error) {
  // Host view messages usually name the path already; do not say it twice.
  if (error.message.find(path) != std::string::npos) return error.message;
  return path + ": " + to_string(error.kind) + (error.message.empty() ? "" : " (" + error.message + ")");
}

}  // namespace ptdoctor::hostplug
