#pragma once
// Where each setting of an xl config file is written. libxlutil parses the file (it is the judge of what xl
// accepts) but its public API gives no line numbers, so this small scanner walks the same syntax
// (xl.cfg(5): `KEY = VALUE` or `KEY += [LIST]`, statements ended by newline or `;`, `#` comments, '…' and "…"
// strings, lists in [ ] that may span lines) and records the line of each key and of each list item.
// It never decides validity: on text libxlutil rejects it still returns what it saw.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ptdoctor::domu {

struct KeyLines {
  int line = 0;                 // line (from 1) of the last `KEY =` (xl uses the last assignment)
  std::vector<int> item_lines;  // line of each list item, in order (`+=` appends, `=` starts over)
};

std::map<std::string, KeyLines> key_lines(std::string_view text);

}  // namespace ptdoctor::domu
