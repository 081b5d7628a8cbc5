#include "fix/plan.hpp"

#include "fix/actions.hpp"
#include "fix/root_files.hpp"
#include "fix/sha256.hpp"
#include "fix/unified_diff.hpp"

namespace ptdoctor::fix {
namespace {

const char* kFileKinds[] = {"write-file", "shell-variable", "line-list", "kconfig-fragment"};

bool is_file_kind(const std::string& kind) {
  for (const char* k : kFileKinds) {
    if (kind == k) return true;
  }
  return false;
}

std::string step_diff(const PlanStep& step) {
  if (!step.file) return "";
  if (step.file->before || !step.file->existed) return unified_diff(step.file->path, step.file->before, step.file->after);
  return "(plan loaded from a file: the old contents are known by checksum only)\n";
}

}  // namespace

Json plan_to_json(const Plan& plan) {
  Json steps = Json::array();
  for (const PlanStep& step : plan.steps) {
    Json entry = {{"id", step.id},       {"generator", step.generator}, {"kind", step.kind},
                  {"title", step.title}, {"why", step.why},             {"warnings", step.warnings},
                  {"changes", step.changes()}};
    if (step.file) {
      entry["path"] = step.file->path;
      entry["existed"] = step.file->existed;
      entry["before_sha256"] = step.file->existed ? Json(step.file->before_sha256) : Json(nullptr);
      entry["after_sha256"] = sha256_hex(step.file->after);
      entry["mode"] = step.file->mode;
      entry["content"] = step.file->after;
      entry["diff"] = step_diff(step);
    }
    if (step.kind == "command") entry["argv"] = step.argv;
    if (step.kind == "command" && !step.undo_argv.empty()) entry["undo_argv"] = step.undo_argv;
    if (step.kind == "manual") entry["text"] = step.text;
    steps.push_back(std::move(entry));
  }
  return {{"format", 1},           {"root", plan.root},   {"choices", plan.choices}, {"hide_list", plan.hide_list},
          {"steps", steps},        {"warnings", plan.warnings}, {"notes", plan.notes},
          {"addresses", plan.addressed}};
}

Result<Plan> plan_from_json(const Json& document, const std::string& origin) {
  try {
    if (document.value("format", 0) != 1) throw std::runtime_error("not a ptdoctor plan (format 1)");
    Plan plan;
    plan.root = document.value("root", "");
    plan.choices = document.value("choices", Json::object());
    plan.hide_list = document.value("hide_list", std::vector<std::string>{});
    plan.warnings = document.value("warnings", std::vector<std::string>{});
    plan.notes = document.value("notes", std::vector<std::string>{});
    plan.addressed = document.value("addresses", std::vector<std::string>{});
    for (const Json& entry : document.at("steps")) {
      PlanStep step;
      step.id = entry.at("id").get<std::string>();
      step.generator = entry.value("generator", "");
      step.kind = entry.at("kind").get<std::string>();
      step.title = entry.value("title", "");
      step.why = entry.value("why", "");
      step.warnings = entry.value("warnings", std::vector<std::string>{});
      if (is_file_kind(step.kind)) {
        FileChange change;
        change.path = entry.at("path").get<std::string>();
        if (auto ok = check_host_path(change.path); !ok) throw std::runtime_error(ok.error().message);
        change.existed = entry.at("existed").get<bool>();
        if (change.existed) change.before_sha256 = entry.at("before_sha256").get<std::string>();
        change.after = entry.at("content").get<std::string>();
        change.mode = entry.value("mode", 0644u) & 07777;
        step.action = std::make_shared<WriteFileAction>(change.path, change.after, change.mode);
        step.file = std::move(change);
      } else if (step.kind == "command") {
        step.argv = entry.at("argv").get<std::vector<std::string>>();
        // Only the commands the planner itself uses: a plan file is not a way to run anything else as root.
        static const std::vector<std::string> kAllowed = {"update-grub", "update-initramfs", "xl"};
        if (step.argv != load_pciback_argv() &&
            (step.argv.empty() || std::find(kAllowed.begin(), kAllowed.end(), step.argv[0]) == kAllowed.end())) {
          throw std::runtime_error("step " + step.id + ": command not allowed in a plan file");
        }
        step.undo_argv = entry.value("undo_argv", std::vector<std::string>{});
        if (!step.undo_argv.empty() && step.undo_argv[0] != "xl" && step.undo_argv != unload_pciback_argv()) {
          throw std::runtime_error("step " + step.id + ": undo command not allowed in a plan file");
        }
        step.action = std::make_shared<RunCommandAction>(step.argv, step.undo_argv);
      } else if (step.kind == "manual") {
        step.text = entry.at("text").get<std::string>();
        step.action = std::make_shared<ManualStepAction>(step.text);
      } else {
        throw std::runtime_error("step " + step.id + ": unknown kind \"" + step.kind + "\"");
      }
      plan.steps.push_back(std::move(step));
    }
    return plan;
  } catch (const std::exception& e) {
    return make_error(ErrorKind::kInvalidInput, origin + ": " + e.what() +
                                                    "; save a plan with `ptdoctor plan --format json -o FILE`");
  }
}

const std::vector<std::string>& load_pciback_argv() {
  static const std::vector<std::string> argv = {"modprobe", "xen-pciback"};
  return argv;
}

const std::vector<std::string>& unload_pciback_argv() {
  static const std::vector<std::string> argv = {"modprobe", "-r", "xen-pciback"};
  return argv;
}

std::string render_plan_text(const Plan& plan) {
  std::string out = "Plan for " + plan.root + "\n";
  if (!plan.hide_list.empty()) {
    out += "Devices for the domU (hidden from dom0):";
    for (const std::string& bdf : plan.hide_list) out += " " + bdf;
    out += "\n";
  }
  for (const std::string& warning : plan.warnings) out += "! " + warning + "\n";
  std::size_t number = 0;
  std::size_t changing = 0;
  for (const PlanStep& step : plan.steps) {
    ++number;
    bool changes = step.changes();
    if (changes && step.kind != "manual") ++changing;
    out += "\n" + std::to_string(number) + ". [" + step.kind + "] " + step.title +
           (changes || step.kind == "manual" ? "" : "  (already done)") + "\n";
    if (!step.why.empty()) out += "   why: " + step.why + "\n";
    for (const std::string& warning : step.warnings) out += "   ! " + warning + "\n";
    if (step.kind == "command") out += "   $ " + RunCommandAction(step.argv).describe() + "\n";
    if (step.file && changes) {
      std::string diff = step_diff(step);
      std::size_t start = 0;
      while (start < diff.size()) {
        std::size_t end = diff.find('\n', start);
        if (end == std::string::npos) end = diff.size();
        out += "   " + diff.substr(start, end - start) + "\n";
        start = end + 1;
      }
    }
  }
  if (!plan.notes.empty()) {
    out += "\nNotes (printed only, never run):\n";
    for (const std::string& note : plan.notes) out += "- " + note + "\n";
  }
  out += "\n" + (changing == 0 ? std::string("Nothing to change: the host already matches the plan.\n")
                               : std::to_string(changing) + " step(s) would change this host. Apply with "
                                                            "`ptdoctor fix --apply` (same options).\n");
  return out;
}

}  // namespace ptdoctor::fix
