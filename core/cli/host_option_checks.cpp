#include "cli/host_option_checks.hpp"

#include <algorithm>

#include "fix/choices.hpp"

namespace ptdoctor::cli {
namespace {

// One PCI address per value; the same device twice (in any spelling) is named with both spellings.
std::vector<std::string> checked_addresses(const std::string& option, const std::vector<std::string>& given) {
  std::vector<std::string> addresses;
  for (std::size_t i = 0; i < given.size(); ++i) {
    auto bdf = fix::normalize_bdf(given[i], option);
    if (!bdf) throw UsageError(bdf.error().message);
    auto same = std::find(addresses.begin(), addresses.end(), *bdf);
    if (same != addresses.end()) {
      throw UsageError(option + " " + given[static_cast<std::size_t>(same - addresses.begin())] + " and " + option +
                       " " + given[i] + " name the same device: give it once");
    }
    addresses.push_back(*bdf);
  }
  return addresses;
}

}  // namespace

void require_input_file(const std::string& path, const InputKind& kind) {
  if (auto ok = check_input_file(path, kind); !ok) throw InputError(ok.error());
}

void check_host_options(const CommonOptions& options) {
  checked_addresses("--gpu", options.gpu);
  if (options.gpu.size() > 1) {
    // One target GPU per run: the rules judge "the" GPU to pass through, so a second one would be silently dropped.
    throw UsageError("--gpu " + options.gpu[0] + " and --gpu " + options.gpu[1] +
                     ": give one GPU to pass through (run once per GPU to judge each)");
  }
  checked_addresses("--usb", options.usb);
  if (!options.kernel_config.empty()) require_input_file(options.kernel_config, kKernelConfigInput);
  if (!options.pci_dump.empty()) require_input_file(options.pci_dump, kPciDumpInput);
}

void check_domu_files(const HostView& host, const std::vector<std::string>& host_paths) {
  for (const std::string& path : host_paths) {
    auto info = host.stat(path);
    if (!info) {
      throw InputError(make_error(info.error().kind == ErrorKind::kIo ? ErrorKind::kIo : ErrorKind::kNotFound,
                                  "--domu " + path + ": cannot open the domU config" +
                                      (host.live() ? "" : " inside " + host.root()) + ": " + info.error().message));
    }
    if (info->type != FileInfo::Type::kRegular) {
      throw InputError(make_error(ErrorKind::kInvalidInput, "--domu " + path + ": not a regular file"));
    }
  }
}

}  // namespace ptdoctor::cli
