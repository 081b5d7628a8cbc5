#include "helper_thread.hpp"

#include <pthread.h>
#include <sched.h>

namespace ptdoctor {

int current_cpu() { return ::sched_getcpu(); }

void leave_cpu(int cpu) {
  if (cpu < 0 || cpu >= CPU_SETSIZE) return;
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (::pthread_getaffinity_np(::pthread_self(), sizeof allowed, &allowed) != 0) return;
  if (!CPU_ISSET(cpu, &allowed) || CPU_COUNT(&allowed) < 2) return;
  CPU_CLR(cpu, &allowed);
  ::pthread_setaffinity_np(::pthread_self(), sizeof allowed, &allowed);
}

}  // namespace ptdoctor
