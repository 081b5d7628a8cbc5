#include "fix/pending_apply.hpp"

#include <ctime>
#include <iomanip>
#include <sstream>

#include "fix/applier.hpp"
#include "fix/journal.hpp"
#include "fix/planner.hpp"
#include "fix/plan.hpp"
#include "fix/verify.hpp"

namespace ptdoctor::fix {

std::optional<long long> journal_time(const std::string& id) {
  std::tm parts{};
  std::istringstream in(id.substr(0, 16));
  in >> std::get_time(&parts, "%Y%m%dT%H%M%SZ");
  if (in.fail() || id.size() < 16 || id[15] != 'Z') return std::nullopt;
  return static_cast<long long>(::timegm(&parts));
}

std::optional<long long> boot_time(const HostView& host) {
  auto text = host.read_file("/proc/stat", 1 << 20);
  if (!text) return std::nullopt;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("btime ", 0) != 0) continue;
    try {
      return std::stoll(line.substr(6));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<PendingApply> pending_apply(const FactReader& facts, const HostView& host) {
  auto id = latest_journal(host);
  if (!id) return std::nullopt;
  // Booted since the apply: a step that is still not in effect failed, it is not waiting (verify says why).
  auto applied = journal_time(*id);
  auto booted = boot_time(host);
  if (applied && booted && *booted > *applied) return std::nullopt;
  auto journal = Journal::open(host, *id);
  if (!journal) return std::nullopt;
  auto saved = journal->plan();
  if (!saved) return std::nullopt;
  auto plan = plan_from_json(*saved, *id + "/plan.json");
  if (!plan) return std::nullopt;
  // Only what a reboot puts in effect: the boot options (grub.cfg, and Xen's IOMMU when the plan edited its line) and
  // the devices pciback is to hold. A domU config that no longer parses waits for no reboot.
  bool edits_boot_options = false;
  for (const PlanStep& step : plan->steps) edits_boot_options |= step.file && step.file->path == kGrubDefaults;
  PendingApply pending{*id, {}};
  for (const VerifyCheck& check : verify_setup(facts, host, *plan)) {
    const bool waits_for_boot = check.id.rfind("pciback.", 0) == 0 || check.id.rfind("grub.", 0) == 0 ||
                                (check.id == "xen.iommu" && edits_boot_options);
    if (check.status == "fail" && waits_for_boot) pending.not_in_effect.push_back(check.message);
  }
  if (pending.not_in_effect.empty()) return std::nullopt;
  return pending;
}

}  // namespace ptdoctor::fix
