#include "dom0_memory.hpp"

#include <algorithm>

namespace ptdoctor {

long dom0_memory_mb(long host_total_mb) { return std::clamp(host_total_mb / 8 / 256 * 256, 1024L, 4096L); }

std::string dom0_mem_option(long dom0_mb) {
  return "dom0_mem=" + std::to_string(dom0_mb) + "M,max:" + std::to_string(dom0_mb) + "M";
}

}  // namespace ptdoctor
