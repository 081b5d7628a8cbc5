#pragma once
// What plan, fix and verify share: the domU choices on the command line and making a plan from a session.
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "cli/commands.hpp"
#include "fix/planner.hpp"

namespace ptdoctor::cli {

inline void add_choice_options(CLI::App& command, fix::Choices& choices) {
  command.add_option("--name", choices.name, "Name of the domU: writes /etc/xen/NAME.cfg and NAME-install.cfg")
      ->type_name("NAME");
  command.add_option("--memory", choices.memory_mb, "domU memory in MiB (default: half of what dom0 leaves)")
      ->type_name("MIB");
  command.add_option("--vcpus", choices.vcpus, "domU vcpus (default: half the host's CPUs)")->type_name("N");
  command.add_option("--disk", choices.disks, "xl disk spec, repeatable; LVM recommended: phy:/dev/vg/lv,hda,w")
      ->type_name("SPEC");
  command.add_option("--bridge", choices.bridge, "Bridge for the domU's network (default xenbr0)")->type_name("BRIDGE");
  command.add_option("--cdrom", choices.cdrom, "Installer image for the first-install config")->type_name("FILE");
}

// The plan for this host: facts, failing rules' fixes, and the user's choices. Throws UsageError on bad choices.
// `results`, when given, receives the rule results the plan was made from.
inline fix::Plan plan_for(Session& session, fix::Choices choices, std::vector<RuleResult>* results = nullptr) {
  const CommonOptions& options = session.options();
  choices.gpu = options.gpu.empty() ? "" : options.gpu.front();
  choices.usb = options.usb;
  RunReport report = session.check();
  auto plan = fix::make_plan(session.collection().facts, session.host(), choices, report.results);
  if (results != nullptr) *results = report.results;
  if (!plan) {
    if (plan.error().kind == ErrorKind::kInvalidInput) throw UsageError(plan.error().message);
    // A file the plan diffs against could not be read: the host's problem (66/74), not a bug (70).
    if (plan.error().kind == ErrorKind::kNotFound || plan.error().kind == ErrorKind::kPermissionDenied ||
        plan.error().kind == ErrorKind::kIo || plan.error().kind == ErrorKind::kEscapesRoot) {
      throw InputError(plan.error());
    }
    throw std::runtime_error(plan.error().message);
  }
  return std::move(*plan);
}

// Asks on the terminal; without one the answer is no (scripts pass --yes).
inline bool ask_yes_no(const std::string& question) {
  if (::isatty(STDIN_FILENO) != 1) return false;
  std::fprintf(stderr, "%s [y/N] ", question.c_str());
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

// Changing the live machine's files needs root; say so before anything is touched.
inline void require_root_for_live(const HostView& host, const std::string& command) {
  if (host.live() && ::geteuid() != 0) {
    throw UsageError(command + " changes files under / and needs root: run it with sudo, or give --root DIR to work on "
                               "a copy of a host tree");
  }
}

// fix --apply changes a host tree: a snapshot is read-only evidence (its extraction is deleted on exit, so "applied"
// would be a false success) and a parts list is no machine. Refused before anything is read.
inline void refuse_apply_without_host(const CommonOptions& options) {
  if (!options.snapshot.empty()) {
    throw UsageError("fix --apply cannot change --snapshot " + options.snapshot +
                     ": a snapshot is read-only evidence. Run it on the host itself, or on a copy of its files with "
                     "--root DIR");
  }
  if (!options.specs.empty()) {
    throw UsageError("fix --apply cannot change a parts list (--spec): there is no machine yet. Use `ptdoctor plan "
                     "--spec FILE` to see what the build will need");
  }
}

// A write that cannot last is refused before the first change: a read-only file system, a tree this user cannot
// write, or (on the live host) a root file system held in memory, whose changes vanish at the next boot.
inline void require_durable_root(const HostView& host) {
  struct statvfs fs {};
  if (::statvfs(host.root().c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0) {
    throw CantCreateError(host.root() + " is on a read-only file system: fix --apply cannot change it");
  }
  if (::access(host.root().c_str(), W_OK) != 0) {
    throw CantCreateError(host.root() + " is not writable by this user: fix --apply cannot change it");
  }
  struct statfs kind {};
  if (host.live() && ::statfs("/", &kind) == 0 &&
      (kind.f_type == TMPFS_MAGIC || kind.f_type == RAMFS_MAGIC)) {
    throw CantCreateError("/ is held in memory (tmpfs/ramfs, a live system): changes made by fix --apply would be "
                          "lost at the next boot. Run it on the installed system");
  }
}

}  // namespace ptdoctor::cli
