#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <memory>
#include <iostream>

#include <spdlog/spdlog.h>

#include "atomic_file.hpp"
#include "cli/commands.hpp"
#include "fd_stream.hpp"
#include "json_writer.hpp"

namespace ptdoctor::cli {

void add_catalogue_options(CLI::App& command, CommonOptions& options) {
  command.add_option("--plugin-dir", options.plugin_dirs, "Also load plugins from DIR (repeatable)")
      ->type_name("DIR");
  command.add_option("--rules", options.rule_paths, "Also load rules from a YAML FILE or a DIR of them (repeatable)")
      ->type_name("FILE|DIR");
  command.add_flag("--no-default-plugins", options.no_default_plugins, "Do not load the installed plugins");
  command.add_flag("--no-default-rules", options.no_default_rules, "Do not load the installed rules");
}

void add_host_options(CLI::App& command, CommonOptions& options) {
  auto* root = command.add_option("--root", options.root,
                                  "Judge the host tree under DIR instead of this machine (default /)")
                   ->type_name("DIR");
  auto* snapshot = command.add_option("--snapshot", options.snapshot,
                                      "Judge a snapshot archive written by `ptdoctor snapshot` on another machine")
                       ->type_name("FILE")
                       ->excludes(root);
  command.add_option("--spec", options.specs,
                     "Pre-purchase: judge a parts list (YAML); repeat to compare builds side by side")
      ->type_name("FILE")
      ->excludes(root)
      ->excludes(snapshot);
  // One value per --gpu, so that `--gpu A B` is an error instead of B being dropped (check_host_options refuses a
  // second --gpu).
  command.add_option("--gpu", options.gpu, "The GPU to pass through, as [DDDD:]BB:DD.F")
      ->type_name("BDF")
      ->allow_extra_args(false);
  command.add_option("--usb", options.usb, "A USB controller to pass through (repeatable)")->type_name("BDF");
  command.add_option("--domu", options.domu,
                     "Judge this xl domU config instead of those in /etc/xen (repeatable; inside --root when given)")
      ->type_name("FILE");
  command.add_option("--kernel-config", options.kernel_config, "Read the dom0 kernel config from FILE (.config or .gz)")
      ->type_name("FILE");
  command.add_option("--pci-dump", options.pci_dump,
                     "Read the PCI devices from FILE, the output of `lspci -xxx` (or -xxxx as root), instead of sysfs")
      ->type_name("FILE");
  add_catalogue_options(command, options);
}

std::string format_for_extension(const std::string& output_path, const std::vector<std::string>& formats) {
  static const std::vector<std::pair<std::string, std::string>> kExtensions = {
      {".json", "json"}, {".md", "markdown"}, {".markdown", "markdown"}, {".html", "html"}, {".htm", "html"},
      {".txt", "text"}};
  std::string extension = std::filesystem::path(output_path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [suffix, format] : kExtensions) {
    if (extension == suffix && std::find(formats.begin(), formats.end(), format) != formats.end()) return format;
  }
  return "";
}

void choose_format(const CLI::Option& format_option, const std::string& output_path,
                   const std::vector<std::string>& formats, std::string& format) {
  if (format_option.count() > 0) return;  // given: an explicit --format always wins
  if (std::string guessed = format_for_extension(output_path, formats); !guessed.empty()) format = guessed;
}

bool emit(const std::string& text, const std::string& output_path) {
  if (output_path.empty() || output_path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return true;
  }
  auto written = write_file_atomically(output_path, text);
  if (!written) {
    spdlog::error("cannot write report: {}", written.error().message);
    return false;
  }
  return true;
}

namespace {

// What `fill` writes, through a 64 KiB buffer: 0, or the errno of the write that failed.
int write_through_buffer(int fd, const std::function<void(std::streambuf&)>& fill) {
  FdStreamBuf buffer(fd);
  fill(buffer);
  buffer.pubsync();
  return buffer.error();
}

}  // namespace

bool emit_streamed(const std::string& output_path, const std::function<void(std::streambuf&)>& fill) {
  if (output_path.empty() || output_path == "-") {
    std::fflush(stdout);
    write_through_buffer(STDOUT_FILENO, fill);  // as emit(): a failed write to stdout is not an error here
    return true;
  }
  auto written =
      write_file_atomically_from(output_path, [&](int fd) { return write_through_buffer(fd, fill); });
  if (!written) {
    spdlog::error("cannot write report: {}", written.error().message);
    return false;
  }
  return true;
}

bool emit_json(const Json& document, int indent, const std::string& output_path) {
  return emit_streamed(output_path, [&](std::streambuf& out) {
    // What Json::dump(indent) prints: UTF-8 kept as it is, invalid UTF-8 an exception.
    JsonWriter(out, indent).value(document);
    out.sputc('\n');
  });
}

bool writes_to_terminal(const std::string& output_path) {
  if (!output_path.empty() && output_path != "-") return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

bool use_color(ColorWhen when, const std::string& output_path) {
  if (when == ColorWhen::kAuto && !output_path.empty() && output_path != "-") return false;
  return color_on(when, STDOUT_FILENO);
}

}  // namespace ptdoctor::cli
