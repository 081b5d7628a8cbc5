#pragma once
// The rules' own values in the compiled rule cache's byte form (util/byte_codec.hpp): fact references. Everything
// else (integers, strings, JSON values, the reader's bounds) is the generic form's.
#include "rules/expression.hpp"
#include "util/byte_codec.hpp"

namespace ptdoctor::rules {

using ptdoctor::ByteReader;
using ptdoctor::ByteWriter;
using ptdoctor::reserve_for;

void write_fact(ByteWriter& out, const FactRef& fact);
// False (and `in` failed) when the bytes are not a fact reference write_fact wrote.
bool read_fact(ByteReader& in, FactRef& out);

}  // namespace ptdoctor::rules
