// The generated fixture hosts must show the CPU the way the kernel and Xen they claim to run show it
// (docs/testing-on-real-xen.md, "What the real dom0 shows that the fixture generators do not", items 14 and 20 and
// the pti and topology lines). These checks read the generated /proc/cpuinfo, cpuid.txt and xl-info.txt directly.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixture_files.hpp"

namespace ptdoctor::testing {
namespace {

namespace fs = std::filesystem;

// "name : value" lines of the first block (cpuinfo) or of the whole file (xl info), names trimmed.
std::map<std::string, std::string> fields(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line) && !line.empty();) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    name.erase(name.find_last_not_of(" \t") + 1);
    const auto start = line.find_first_not_of(' ', colon + 1);
    out.emplace(name, start == std::string::npos ? "" : line.substr(start));
  }
  return out;
}

// Leaf -> registers (eax, ebx, ecx, edx) of the first CPU in a `cpuid -r` capture.
std::map<std::uint32_t, std::vector<std::uint32_t>> leaves(const std::string& text) {
  std::map<std::uint32_t, std::vector<std::uint32_t>> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    unsigned leaf = 0, sub = 0, a = 0, b = 0, c = 0, d = 0;
    if (std::sscanf(line.c_str(), " 0x%x 0x%x: eax=0x%x ebx=0x%x ecx=0x%x edx=0x%x", &leaf, &sub, &a, &b, &c, &d) ==
            6 && sub == 0) {
      out.emplace(leaf, std::vector<std::uint32_t>{a, b, c, d});
    }
  }
  return out;
}

struct PvDom0 {
  std::string host;
  std::set<std::string> flags;
  std::map<std::string, std::string> cpuinfo;
  std::map<std::uint32_t, std::vector<std::uint32_t>> cpuid;
};

// Hosts whose kernel is a Xen PV dom0 (guest_type PV) with a cpuinfo and a CPUID capture.
std::vector<PvDom0> pv_dom0s() {
  std::vector<PvDom0> out;
  for (const fs::directory_entry& entry : fs::directory_iterator(PTDOCTOR_FIXTURE_HOSTS_DIR)) {
    const fs::path root = entry.path();
    if (slurp(root / "sys/hypervisor/guest_type") != "PV\n") continue;
    const std::string cpuinfo = slurp(root / "proc/cpuinfo");
    const std::string cpuid = slurp(root / ".ptdoctor/capture/cpuid.txt");
    if (cpuinfo.empty() || cpuid.empty() || root.filename() == "broken") continue;
    auto info = fields(cpuinfo);
    out.push_back({root.filename().string(), words(info["flags"]), info, leaves(cpuid)});
  }
  return out;
}

bool has_xen_leaves(const PvDom0& dom0) {
  auto leaf = dom0.cpuid.find(0x40000000);
  return leaf != dom0.cpuid.end() && leaf->second[1] == 0x566e6558;  // "XenV"
}

TEST(FixtureCpu, PvDom0CpuinfoHasWhatLinuxOnXenPvShows) {
  const auto dom0s = pv_dom0s();
  ASSERT_GE(dom0s.size(), 10u);
  for (const PvDom0& dom0 : dom0s) {
    EXPECT_TRUE(dom0.flags.count("hypervisor")) << dom0.host;
    // pti_check_boottime_disable(): "disabled on XEN PV"; VT-x/AMD-V, MTRR, APERFMPERF are Xen's or cleared.
    for (const char* flag : {"pti", "vmx", "svm", "mtrr", "aperfmperf", "pge", "x2apic", "xtopology"}) {
      EXPECT_FALSE(dom0.flags.count(flag)) << dom0.host << " lists " << flag;
    }
    EXPECT_FALSE(dom0.cpuinfo.count("vmx flags")) << dom0.host;
    // Xen hides the topology leaves from PV guests: every vCPU is core 0, one core per package.
    EXPECT_EQ(dom0.cpuinfo.at("cpu cores"), "1") << dom0.host;
  }
}

TEST(FixtureCpu, CpuidFaultingDecidesWhatUserSpaceCpuidAndLinuxSee) {
  for (const PvDom0& dom0 : pv_dom0s()) {
    const auto leaf1 = dom0.cpuid.at(1);
    const bool amd = dom0.cpuid.at(0)[1] == 0x68747541;  // "Auth"
    EXPECT_FALSE(leaf1[2] & (1u << 5)) << dom0.host << ": VMX visible to dom0's user space";
    if (has_xen_leaves(dom0)) {
      // Faulting: CPUID traps into Xen, which answers with its PV policy.
      EXPECT_TRUE(leaf1[2] & (1u << 31)) << dom0.host;
      EXPECT_TRUE(dom0.flags.count("monitor")) << dom0.host;
      EXPECT_EQ(dom0.flags.count("cpuid_fault"), amd ? 0u : 1u) << dom0.host;
    } else {
      // Masking MSRs: AND masks on Intel cannot set the hypervisor bit, AMD's overrides do; no MONITOR for Linux's
      // xen_check_mwait(), and no faulting to report.
      EXPECT_EQ(static_cast<bool>(leaf1[2] & (1u << 31)), amd) << dom0.host;
      EXPECT_FALSE(dom0.flags.count("monitor")) << dom0.host;
      EXPECT_FALSE(dom0.flags.count("cpuid_fault")) << dom0.host;
    }
  }
}

TEST(FixtureCpu, XlInfoTopologyIsTheCpusOwn) {
  std::size_t checked = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(PTDOCTOR_FIXTURE_HOSTS_DIR)) {
    const auto info = fields(slurp(entry.path() / ".ptdoctor/capture/xl-info.txt"));
    const auto cpuinfo = fields(slurp(entry.path() / "proc/cpuinfo"));
    if (!info.count("nr_cpus") || !info.count("threads_per_core") || entry.path().filename() == "broken") continue;
    const int cpus = std::stoi(info.at("nr_cpus"));
    const int cores = std::stoi(info.at("cores_per_socket"));
    const int threads = std::stoi(info.at("threads_per_core"));
    EXPECT_EQ(cpus, cores * threads) << entry.path().filename();
    EXPECT_EQ(std::stoi(info.at("max_cpu_id")), cpus - 1) << entry.path().filename();
    const std::string model = cpuinfo.count("model name") ? cpuinfo.at("model name") : "";
    // Penryn has no Hyper-Threading (Core 2 Quad Q9650: 4 cores, 4 threads).
    if (model.find("Q9650") != std::string::npos) {
      EXPECT_EQ(threads, 1) << entry.path().filename();
      EXPECT_EQ(cores, 4) << entry.path().filename();
    }
    ++checked;
  }
  EXPECT_GE(checked, 10u);
}

}  // namespace
}  // namespace ptdoctor::testing
