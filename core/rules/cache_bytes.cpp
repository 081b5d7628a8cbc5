#include "rules/cache_bytes.hpp"

namespace ptdoctor::rules {

void write_fact(ByteWriter& out, const FactRef& fact) {
  out.text(fact.path);
  out.varint(fact.parts.size());
  for (const std::string& part : fact.parts) out.text(part);
}

bool read_fact(ByteReader& in, FactRef& out) {
  out.path = in.text();
  const std::size_t parts = in.count();
  reserve_for(out.parts, parts);
  for (std::size_t i = 0; i < parts && in.ok(); ++i) out.parts.push_back(in.text());
  return in.ok();
}

}  // namespace ptdoctor::rules
