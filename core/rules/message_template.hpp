#pragma once
// Message templates: "VT-x is enabled on {cpu.brand}", "{item.bdf} has no FLR". Placeholders name a fact path
// or the bound item; `{{` and `}}` write literal braces. Parsed and checked at load, rendered per result.
// A placeholder may name a form after a bar, which writes the value with the code the planner writes it with, so a
// fix text says what `fix` would write on this host:
//   `{gpu.target_info.functions|pciback-hide}`  xen-pciback's hide list, "(0000:03:00.0)(0000:03:00.1)"
//   `{gpu.target_info|pciback-softdeps}`        the GPU's softdep lines, each as a code span
//   `{xen.total_memory_mb|dom0-mem}`            the dom0_mem= option sized for this host
//   `{gpu.target_info.bar_total|size}`          a byte count in binary units, "256 MiB"
// `{file:NAME}` is the path of a file the planner writes (util/planned_files.hpp), e.g. `{file:pciback-modprobe}`
// for /etc/modprobe.d/ptdoctor-xen-pciback.conf, so the text names the file `fix` really writes.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ptdoctor/json.hpp"
#include "rules/fact_path.hpp"

namespace ptdoctor {
class ByteReader;
class ByteWriter;
}  // namespace ptdoctor

namespace ptdoctor::rules {

// How a fact value reads inside a sentence.
std::string value_text(const Json* value);

class MessageTemplate {
 public:
  // How a placeholder's value is written: value_text() for a sentence, or one of the named forms.
  using Form = std::string (*)(const Json* value);

  // Returns the problem as text when the template is malformed or names something that is not a fact path or
  // the item in `scope`.
  static std::optional<std::string> parse(const std::string& text, const Scope& scope, MessageTemplate& out);

  // `lookup` resolves a placeholder's path to its value (nullptr when missing). Lists are joined with ", ",
  // strings inserted as they are, missing or null values shown as "?".
  std::string render(const std::function<const Json*(const FactRef&)>& lookup) const;

  // Without a host (`ptdoctor explain`): each placeholder as the value it stands for in angle brackets,
  // "<gpu.target>", "<xen-pciback hide list of gpu.target_info.functions>", never a made-up value.
  std::string render_generic() const;

  const std::string& text() const { return text_; }
  // The facts the placeholders name, in order.
  std::vector<FactRef> placeholders() const;
  bool empty() const { return text_.empty(); }

  // The parsed template as the compiled rule cache stores it (rule_cache.cpp), so that reading the cache does not
  // parse every template again (a tenth of reading it). read() fails on a form that does not exist; the pieces are
  // otherwise taken as parse() made them, as the cache's expressions are.
  void write(ByteWriter& out) const;
  static bool read(ByteReader& in, MessageTemplate& out);

 private:
  struct Piece {
    std::string literal;
    std::optional<FactRef> fact;
    Form form = value_text;
    std::string generic;  // render_generic()'s text for the placeholder
  };
  std::string text_;
  std::vector<Piece> pieces_;
};

}  // namespace ptdoctor::rules
