#pragma once
// Which candidate is the GPU to pass: the one the user named with --gpu, else the only GPU that is not the boot
// GPU dom0 keeps. Several possible ones: no guess, the reason lists them and asks for --gpu.
#include <string>
#include <vector>

#include "ptdoctor/json.hpp"

namespace ptdoctor::gpu {

struct TargetChoice {
  Json target;  // BDF or null
  std::string reason;
  std::string selected_by;  // "option" | "auto" | ""
};

TargetChoice choose_target(const Json& candidates, const std::vector<std::string>& gpu_option);

}  // namespace ptdoctor::gpu
