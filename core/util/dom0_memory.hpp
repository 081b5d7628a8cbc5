#pragma once
// How much memory dom0 gets, and the Xen option that fixes it: shared by the planner (the dom0_mem= word it writes
// into GRUB_CMDLINE_XEN_DEFAULT) and the rule texts (`{xen.total_memory_mb|dom0-mem}`), so a fix proposes the size
// `fix` would write for this host, never an example size.
#include <string>

namespace ptdoctor {

// An eighth of the host, rounded down to 256 MiB, kept within 1-4 GiB: enough for the toolstack and qemu, the rest
// for the guest.
long dom0_memory_mb(long host_total_mb);

// "dom0_mem=1280M,max:1280M": fixed size, so ballooning neither grows nor shrinks dom0
// (xen-command-line.pandoc "dom0_mem").
std::string dom0_mem_option(long dom0_mb);

}  // namespace ptdoctor
