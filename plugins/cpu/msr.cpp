#include "msr.hpp"

#include <cstdio>

namespace ptdoctor::cpu {

FeatureControl decode_feature_control(std::uint64_t raw) {
  FeatureControl out;
  out.raw = raw;
  out.locked = (raw & 0x1) != 0;
  out.vmx_inside_smx = (raw & 0x2) != 0;
  out.vmx_outside_smx = (raw & 0x4) != 0;
  return out;
}

VmCr decode_vm_cr(std::uint64_t raw) {
  VmCr out;
  out.raw = raw;
  out.svm_lock = (raw & 0x8) != 0;
  out.svm_disabled = (raw & 0x10) != 0;
  return out;
}

Result<std::uint64_t> read_msr(const HostView& host, std::uint32_t msr) {
  char name[16];
  std::snprintf(name, sizeof name, "0x%x", msr);
  const std::string where = std::string("MSR ") + name + " via " + kMsrDevice;
  auto bytes = host.read_at(kMsrDevice, msr, 8);
  if (!bytes) {
    const Error& error = bytes.error();
    switch (error.kind) {
      case ErrorKind::kNotFound:
        if (host.live()) {
          return make_error(error.kind, where + ": not present: the msr module is not loaded "
                                                "(run `modprobe msr` as root, then run ptdoctor again)");
        }
        return make_error(error.kind, where + ": not in this root (MSRs are read on the live host only)");
      case ErrorKind::kPermissionDenied:
        return make_error(error.kind, where + ": not root (run ptdoctor as root to read it)");
      default:
        // The msr driver answers EIO when the CPU (or the hypervisor below) does not implement the register.
        return make_error(error.kind, where + ": not readable: " + error.message);
    }
  }
  if (bytes->size() != 8) {
    return make_error(ErrorKind::kInvalidInput, where + ": read " + std::to_string(bytes->size()) +
                                                    " bytes instead of 8 (the CPU may not implement it)");
  }
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>((*bytes)[i])) << (8 * i);
  }
  return value;
}

}  // namespace ptdoctor::cpu
