#include "cli/terminal_output.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string_view>

namespace ptdoctor::cli {

std::optional<ColorWhen> color_when_from(const std::string& word) {
  if (word == "auto") return ColorWhen::kAuto;
  if (word == "always") return ColorWhen::kAlways;
  if (word == "never") return ColorWhen::kNever;
  return std::nullopt;
}

bool color_on(ColorWhen when, int fd) {
  if (when != ColorWhen::kAuto) return when == ColorWhen::kAlways;
  if (const char* no_color = std::getenv("NO_COLOR"); no_color != nullptr && *no_color != '\0') return false;
  if (const char* term = std::getenv("TERM"); term != nullptr && std::string_view(term) == "dumb") return false;
  return ::isatty(fd) == 1;
}

std::size_t wrap_width(bool to_terminal) {
  std::size_t width = 0;
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr && *columns != '\0') {
    std::string_view text(columns);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), width);
    if (ec != std::errc() || end != text.data() + text.size()) width = 0;
  }
  if (width == 0 && to_terminal) {
    struct winsize size {};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) width = size.ws_col;
  }
  if (width == 0) return 0;
  return std::max(width, kMinimumWidth);
}

}  // namespace ptdoctor::cli
