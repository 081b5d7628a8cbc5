#pragma once
// Helper threads (the rules read while the plugins collect, pci.ids checked while the functions are read) only
// shorten a run when they run beside their creator, not time-sliced with it on one CPU. Where the kernel puts a
// new thread is its choice: the scheduler of the 2-core benchmark VM (docs/performance.md) packs a process's
// threads onto the vCPU its creator is on (seen with `perf record -e sched:sched_switch -a`: both threads on
// CPU 0, CPU 1 idle), so a helper there gained nothing. A helper therefore asks to leave its creator's CPU.
namespace ptdoctor {

// The CPU the calling thread runs on now, or -1 when the kernel does not say.
int current_cpu();

// Called by a helper thread with its creator's current_cpu(): lets it run on any CPU it may use but that one.
// Nothing happens when that one is the only CPU allowed or cpu is -1; errors are ignored (it is only a hint).
void leave_cpu(int cpu);

}  // namespace ptdoctor
