// leave_cpu: a helper thread asked to leave its creator's CPU may run anywhere it could but there, and is left
// alone when that CPU is its only one or unknown.
#include <pthread.h>
#include <sched.h>

#include <thread>

#include <gtest/gtest.h>

#include "helper_thread.hpp"

namespace ptdoctor {
namespace {

cpu_set_t affinity() {
  cpu_set_t set;
  CPU_ZERO(&set);
  ::pthread_getaffinity_np(::pthread_self(), sizeof set, &set);
  return set;
}

TEST(HelperThread, LeavesItsCreatorsCpuWhenThereIsAnother) {
  const cpu_set_t allowed = affinity();
  const int creator = current_cpu();
  ASSERT_GE(creator, 0);
  cpu_set_t after;
  std::thread([&] {
    leave_cpu(creator);
    after = affinity();
  }).join();
  if (CPU_COUNT(&allowed) < 2) {
    EXPECT_TRUE(CPU_EQUAL(&after, &allowed)) << "the only CPU must stay";
    return;
  }
  EXPECT_FALSE(CPU_ISSET(creator, &after));
  EXPECT_EQ(CPU_COUNT(&after), CPU_COUNT(&allowed) - 1);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (cpu != creator) {
      EXPECT_EQ(CPU_ISSET(cpu, &after), CPU_ISSET(cpu, &allowed)) << cpu;
    }
  }
}

TEST(HelperThread, AnUnknownCpuOrTheOnlyOneChangesNothing) {
  cpu_set_t before, after_unknown, after_only;
  std::thread([&] {
    before = affinity();
    leave_cpu(-1);
    after_unknown = affinity();
    // Pinned to one CPU, leaving it would leave none.
    const int cpu = current_cpu();
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    ASSERT_EQ(::pthread_setaffinity_np(::pthread_self(), sizeof one, &one), 0);
    leave_cpu(cpu);
    after_only = affinity();
    EXPECT_TRUE(CPU_EQUAL(&after_only, &one));
  }).join();
  EXPECT_TRUE(CPU_EQUAL(&before, &after_unknown));
}

}  // namespace
}  // namespace ptdoctor
