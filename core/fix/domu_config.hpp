#pragma once
// The xl domU config (xl.cfg(5)) for this machine: HVM, the passed-through functions, and nothing Xen no longer
// knows. Its identity (UUID, MAC) is kept when ptdoctor rewrites its own file, so a second apply changes nothing.
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace ptdoctor::fix {

// First line of every config ptdoctor writes: how it recognises its own files.
inline constexpr const char* kDomuMarker = "# Written by ptdoctor";

struct PciEntry {
  std::string bdf;       // 0000:08:00.0
  bool relaxed = false;  // rdm_policy=relaxed: the device shares an RMRR (Xen refuses it otherwise)
};

struct DomuSpec {
  std::string name;
  std::string uuid;
  std::string mac;
  std::string bridge = "xenbr0";
  long memory_mb = 4096;
  long vcpus = 2;
  std::vector<std::string> disks;  // xl disk specs, validated
  std::string cdrom;               // installer image path, may be empty
  std::vector<PciEntry> pci;       // empty for the first-install variant
  bool legacy_builder = false;     // Xen older than 4.10 knows only builder='hvm'
  std::vector<std::string> comments;  // lines for the header (without '#')
};

std::string render_domu_config(const DomuSpec& spec);

struct DomuIdentity {
  std::string uuid;
  std::string mac;
};
// UUID and MAC of a config ptdoctor wrote (kDomuMarker on its first line); nullopt for any other file.
std::optional<DomuIdentity> identity_of_existing(const std::string& text);

// A random version-4 UUID, and a MAC in Xen's OUI 00:16:3e with a random tail (locally unique is enough).
std::string random_uuid(std::mt19937_64& random);
std::string random_xen_mac(std::mt19937_64& random);

}  // namespace ptdoctor::fix
