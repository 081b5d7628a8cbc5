#include "pciback_hide_list.hpp"

namespace ptdoctor {

std::string pciback_hide_list(const std::vector<std::string>& bdfs) {
  std::string list;
  for (const std::string& bdf : bdfs) list += "(" + bdf + ")";
  return list;
}

}  // namespace ptdoctor
