#pragma once
// SHA-256 of a byte string, as lowercase hex: the plan and the journal use it to notice a file that changed
// between plan and apply, or between apply and rollback (FIPS 180-4).
#include <string>
#include <string_view>

namespace ptdoctor::fix {

std::string sha256_hex(std::string_view bytes);

}  // namespace ptdoctor::fix
