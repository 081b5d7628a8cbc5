#pragma once
// Whether the last `fix --apply` on this host is configured but not yet in effect: its journal is there (not rolled
// back), the host has not booted since (or its boot time is unknown, as in a copied tree), and `verify` finds steps
// that did not take effect. `check` says so next to its verdict, so that it and `verify` never seem to disagree.
#include <optional>
#include <string>
#include <vector>

#include "ptdoctor/facts.hpp"
#include "ptdoctor/host_view.hpp"
#include "ptdoctor/report.hpp"

namespace ptdoctor::fix {

// nullopt when there is no such apply: none, rolled back, booted since, or every step in effect.
std::optional<PendingApply> pending_apply(const FactReader& facts, const HostView& host);

// Seconds since the epoch of a journal id ("20261202T130941Z", maybe with a "-N" suffix); nullopt when malformed.
std::optional<long long> journal_time(const std::string& id);
// The boot time from /proc/stat's btime line; nullopt when the host tree has none.
std::optional<long long> boot_time(const HostView& host);

}  // namespace ptdoctor::fix
