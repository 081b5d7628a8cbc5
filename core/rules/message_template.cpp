#include "rules/message_template.hpp"

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string_view>

#include "dom0_memory.hpp"
#include "pciback_hide_list.hpp"
#include "pciback_softdeps.hpp"
#include "planned_files.hpp"
#include "rules/cache_bytes.hpp"

namespace ptdoctor::rules {

namespace {

// A BDF or a list of them; anything else is no BDF.
std::vector<std::string> bdfs_of(const Json* value) {
  std::vector<std::string> bdfs;
  if (value != nullptr && value->is_string()) bdfs.push_back(value->get<std::string>());
  if (value != nullptr && value->is_array()) {
    for (const Json& element : *value) {
      if (element.is_string()) bdfs.push_back(element.get<std::string>());
    }
  }
  return bdfs;
}

// A BDF or a list of them as xen-pciback's hide list. Without one the syntax with a placeholder; a fix that names a
// missing value is not printed at all (rule_runner.cpp), so this shows only in a message.
std::string hide_list_text(const Json* value) {
  std::vector<std::string> bdfs = bdfs_of(value);
  return bdfs.empty() ? "(BB:DD.F)" : pciback_hide_list(bdfs);
}

// A GPU's facts (gpu.target_info or a gpu.candidates element) as the softdep lines `fix` writes for it, each a code
// span of its own: "`softdep amdgpu pre: xen-pciback` and `softdep radeon pre: xen-pciback`".
std::string softdep_lines_text(const Json* gpu) {
  if (gpu == nullptr || !gpu->is_object()) return "?";
  PcibackSoftdepInputs inputs;
  if (const auto details = gpu->find("function_details"); details != gpu->end() && details->is_array()) {
    for (const Json& function : *details) {
      if (function.is_object() && function.contains("driver") && function["driver"].is_string()) {
        inputs.bound_drivers.push_back(function["driver"].get<std::string>());
      }
    }
  }
  if (const auto vendor = gpu->find("vendor_id"); vendor != gpu->end() && vendor->is_string()) {
    inputs.gpu_vendor_id = vendor->get<std::string>();
  }
  if (const auto functions = gpu->find("functions"); functions != gpu->end() && functions->is_array()) {
    inputs.gpu_functions = functions->size();
  }
  const std::vector<std::string> modules = pciback_softdep_modules(inputs);
  if (modules.empty()) return "?";
  std::string text;
  for (std::size_t i = 0; i < modules.size(); ++i) {
    text += std::string(i == 0 ? "" : i + 1 == modules.size() ? " and " : ", ") + "`" +
            pciback_softdep_line(modules[i]) + "`";
  }
  return text;
}

// The host's memory in MiB as the dom0_mem= option `fix` writes for it.
std::string dom0_mem_text(const Json* total_mb) {
  if (total_mb == nullptr || !total_mb->is_number_integer()) return "?";
  return dom0_mem_option(dom0_memory_mb(total_mb->get<long>()));
}

// A byte count in binary units for reading, one decimal at most: 1048576 -> "1 MiB", 8858370048 -> "8.3 GiB".
std::string size_text(const Json* bytes) {
  if (bytes == nullptr || !bytes->is_number_integer() || bytes->get<std::int64_t>() < 0) return "?";
  static constexpr const char* kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes->get<std::int64_t>());
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  std::string number = text;
  if (number.ends_with(".0")) number.resize(number.size() - 2);
  return number + " " + kUnits[unit];
}

// BDFs as the entries of an xl pci= list with rdm_policy=relaxed (xl-pci-configuration(5)), one per passed
// function, so one fix line covers every controller of an RMRR: "'0000:00:1d.0,rdm_policy=relaxed', '...'".
std::string pci_relaxed_text(const Json* value) {
  std::vector<std::string> bdfs = bdfs_of(value);
  if (bdfs.empty()) return "?";
  std::string text;
  for (const std::string& bdf : bdfs) text += (text.empty() ? "'" : ", '") + bdf + ",rdm_policy=relaxed'";
  return text;
}

// The file an Intel DMAR table was read from, saying so when Xen renamed it: Xen rewrites the signature so that dom0
// Linux leaves the IOMMU to Xen (acpi_dmar_zap in xen/drivers/passthrough/vtd/dmar.c), and sysfs then lists the
// table as RMAD (XMAR from older Xen). ".../tables/RMAD" alone reads like an unknown table.
std::string dmar_file_text(const Json* value) {
  if (value == nullptr || !value->is_string()) return "?";
  const std::string& path = value->get_ref<const std::string&>();
  std::string_view name = std::string_view(path).substr(path.rfind('/') + 1);
  if (name != "RMAD" && name != "XMAR") return path;
  return path + " (the DMAR table, renamed " + std::string(name) + " by Xen for dom0)";
}

struct FormSpec {
  const char* name;
  MessageTemplate::Form render;
  const char* generic;  // how render_generic() names the value: "<hide list of gpu.target_info.functions>"
};

// Every form a placeholder may name after a bar; a misspelt one is a load error.
const std::vector<FormSpec>& forms() {
  static const std::vector<FormSpec> kForms = {
      {"pciback-hide", hide_list_text, "xen-pciback hide list of "},
      {"pciback-softdeps", softdep_lines_text, "softdep lines for the drivers of "},
      {"dom0-mem", dom0_mem_text, "dom0_mem= option sized for "},
      {"size", size_text, "size of "},
      {"pci-relaxed", pci_relaxed_text, "pci= entries with rdm_policy=relaxed for "},
      {"dmar-file", dmar_file_text, "file of the DMAR table "}};
  return kForms;
}

// Every file `{file:NAME}` may name: the paths the planner writes, so a fix text names the file `fix` writes.
struct FileSpec {
  const char* name;
  const char* path;
};
constexpr FileSpec kFiles[] = {{"grub-defaults", kGrubDefaults},
                               {"pciback-modprobe", kPcibackModprobe},
                               {"modules", kModulesFile},
                               {"initramfs-modules", kInitramfsModules},
                               {"kconfig-fragment", kKconfigFragment}};
constexpr std::string_view kFilePrefix = "file:";

// The path of `{file:NAME}`, or the load error naming the known files.
std::optional<std::string> planned_file(const std::string& name, std::string& problem) {
  for (const FileSpec& spec : kFiles) {
    if (name == spec.name) return spec.path;
  }
  std::string names;
  for (const FileSpec& spec : kFiles) names += (names.empty() ? "" : ", ") + std::string(spec.name);
  problem = "template placeholder {file:" + name + "}: unknown file '" + name + "' (known: " + names + ")";
  return std::nullopt;
}

const FormSpec* find_form(const std::string& name) {
  for (const FormSpec& spec : forms()) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

// A form as the rule cache stores it: 0 for value_text, 1 + its place in forms() for the others.
std::uint8_t form_number(MessageTemplate::Form form) {
  for (std::size_t i = 0; i < forms().size(); ++i) {
    if (forms()[i].render == form) return static_cast<std::uint8_t>(i + 1);
  }
  return form == value_text ? 0 : 0xff;  // 0xff: no form of this table, refused when read back
}

std::string form_names() {
  std::string names;
  for (const FormSpec& spec : forms()) names += (names.empty() ? "" : ", ") + std::string(spec.name);
  return names;
}

}  // namespace

std::optional<std::string> MessageTemplate::parse(const std::string& text, const Scope& scope, MessageTemplate& out) {
  out = MessageTemplate();
  out.text_ = text;
  std::string literal;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal += c;
      ++i;
      continue;
    }
    if (c == '}') return "unmatched '}' at character " + std::to_string(i + 1) + " of the template; write }} for a literal brace";
    if (c != '{') {
      literal += c;
      continue;
    }
    std::size_t close = text.find('}', i + 1);
    if (close == std::string::npos) {
      return "unclosed '{' at character " + std::to_string(i + 1) + " of the template; write {{ for a literal brace";
    }
    std::string inside = text.substr(i + 1, close - i - 1);
    if (inside.starts_with(kFilePrefix)) {
      std::string problem;
      std::optional<std::string> path = planned_file(inside.substr(kFilePrefix.size()), problem);
      if (!path) return problem;
      literal += *path;  // a constant of the planner, written into the text at load
      i = close;
      continue;
    }
    Form form = value_text;
    std::string generic_prefix;
    if (std::size_t bar = inside.find('|'); bar != std::string::npos) {
      std::string name = inside.substr(bar + 1);
      const FormSpec* spec = find_form(name);
      if (spec == nullptr) {
        return "template placeholder {" + inside + "}: unknown form '" + name + "' (known: " + form_names() + ")";
      }
      form = spec->render;
      generic_prefix = spec->generic;
      inside.resize(bar);
    }
    FactRef ref;
    if (auto bad = parse_fact_path(inside, scope, ref)) return "template placeholder " + *bad;
    std::string generic = "<" + generic_prefix + inside + ">";
    out.pieces_.push_back({std::move(literal), std::move(ref), form, std::move(generic)});
    literal.clear();
    i = close;
  }
  if (!literal.empty()) out.pieces_.push_back({std::move(literal), std::nullopt, value_text, ""});
  return std::nullopt;
}

std::string value_text(const Json* value) {
  if (value == nullptr || value->is_null()) return "?";
  if (value->is_string()) return value->get<std::string>();
  if (value->is_array()) {
    std::string joined;
    for (const Json& element : *value) joined += (joined.empty() ? "" : ", ") + value_text(&element);
    return joined;
  }
  return value->dump();
}


std::string MessageTemplate::render(const std::function<const Json*(const FactRef&)>& lookup) const {
  std::string out;
  for (const Piece& piece : pieces_) {
    out += piece.literal;
    if (!piece.fact) continue;
    const Json* value = lookup(*piece.fact);
    out += piece.form(value);
  }
  return out;
}

std::string MessageTemplate::render_generic() const {
  std::string out;
  for (const Piece& piece : pieces_) out += piece.literal + (piece.fact ? piece.generic : "");
  return out;
}

std::vector<FactRef> MessageTemplate::placeholders() const {
  std::vector<FactRef> refs;
  for (const Piece& piece : pieces_) {
    if (piece.fact) refs.push_back(*piece.fact);
  }
  return refs;
}

void MessageTemplate::write(ByteWriter& out) const {
  out.text(text_);
  out.varint(pieces_.size());
  for (const Piece& piece : pieces_) {
    out.text(piece.literal);
    out.u8(piece.fact ? 1 : 0);
    if (piece.fact) write_fact(out, *piece.fact);
    out.u8(form_number(piece.form));
    out.text(piece.generic);
  }
}

bool MessageTemplate::read(ByteReader& in, MessageTemplate& out) {
  out = MessageTemplate();
  out.text_ = in.text();
  const std::size_t pieces = in.count();
  reserve_for(out.pieces_, pieces);
  for (std::size_t i = 0; i < pieces; ++i) {
    Piece& piece = out.pieces_.emplace_back();
    piece.literal = in.text();
    if (in.flag()) read_fact(in, piece.fact.emplace());
    const std::uint8_t form = in.u8();
    if (form > forms().size()) return in.fail();
    piece.form = form == 0 ? value_text : forms()[form - 1].render;
    piece.generic = in.text();
    if (!in.ok()) return false;
  }
  return in.ok();
}

}  // namespace ptdoctor::rules
