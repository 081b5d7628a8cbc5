#include "fix/domu_config.hpp"

#include <cstdio>
#include <regex>

namespace ptdoctor::fix {

std::string render_domu_config(const DomuSpec& spec) {
  std::string out = std::string(kDomuMarker) + " for this host; `ptdoctor plan` explains every line.\n";
  for (const std::string& line : spec.comments) out += "# " + line + "\n";
  out += "\nname = \"" + spec.name + "\"\n";
  out += "uuid = \"" + spec.uuid + "\"\n";
  // type= replaced builder= in Xen 4.10 (xl.cfg(5)); older xl only knows builder=.
  out += spec.legacy_builder ? "builder = \"hvm\"\n" : "type = \"hvm\"\n";
  // With PCI devices the domain cannot balloon or use populate-on-demand: memory is all it gets (no maxmem).
  out += "memory = " + std::to_string(spec.memory_mb) + "\n";
  out += "vcpus = " + std::to_string(spec.vcpus) + "\n\n";
  out += "disk = [";
  std::vector<std::string> disks;
  for (const std::string& disk : spec.disks) disks.push_back(disk);
  // Keyword form with target last: xl's documented way to give a path that may contain commas or colons.
  if (!spec.cdrom.empty()) disks.push_back("format=raw,vdev=hdc,access=ro,devtype=cdrom,target=" + spec.cdrom);
  for (std::size_t i = 0; i < disks.size(); ++i) out += std::string(i ? ", " : " ") + "'" + disks[i] + "'";
  out += disks.empty() ? "]\n" : " ]\n";
  if (spec.disks.empty()) out += "# No --disk given: add one, e.g. 'phy:/dev/vg/win,hda,w' (an LVM volume)\n";
  out += "boot = \"" + std::string(spec.cdrom.empty() ? "c" : "dc") + "\"\n";
  // e1000 until the guest has PV network drivers: the default model is rtl8139 (xl-network-configuration(5)), which
  // current Windows versions are widely reported to lack a driver for.
  out += "# NIC model e1000 until PV drivers are installed in the guest (the default, rtl8139, lacks drivers in recent Windows)\n";
  out += "vif = [ 'mac=" + spec.mac + ",bridge=" + spec.bridge + ",model=e1000' ]\n\n";
  // xl.cfg(5): viridian=1 is the "defaults" group, whose "base" part is strongly recommended for Windows Vista and
  // later; stdvga is the choice for guests with VBE 2.0 (Windows XP onwards), the default being cirrus.
  out += "# Windows guests: Hyper-V enlightenments (xl.cfg: strongly recommended for Vista and later); harmless for others\n";
  out += "viridian = 1\n";
  out += "# Standard VGA with VBE 2.0 for the emulated console (xl.cfg: for Windows XP onwards) instead of cirrus\n";
  out += "vga = \"stdvga\"\n";
  // The emulated VGA stays the guest's primary display; the passed-through card is secondary. gfx_passthru is for
  // Intel IGD only, so it is not set for AMD or NVIDIA cards.
  out += "vnc = 1\nvnclisten = \"127.0.0.1\"\nvncunused = 1\n";
  out += "# No VNC password is set: VNC listens on 127.0.0.1 only. From another machine: ssh -L 5900:127.0.0.1:5900\n";
  out += "serial = \"pty\"\nusb = 1\nusbdevice = \"tablet\"\n\n";
  if (!spec.pci.empty()) {
    out += "pci = [";
    for (std::size_t i = 0; i < spec.pci.size(); ++i) {
      out += std::string(i ? ", " : " ") + "'" + spec.pci[i].bdf + (spec.pci[i].relaxed ? ",rdm_policy=relaxed" : "") + "'";
    }
    out += " ]\n";
  }
  out += "on_poweroff = \"destroy\"\non_reboot = \"restart\"\non_crash = \"destroy\"\n";
  return out;
}

std::optional<DomuIdentity> identity_of_existing(const std::string& text) {
  if (text.rfind(kDomuMarker, 0) != 0) return std::nullopt;
  static const std::regex kUuid("\\nuuid = \"([0-9a-f-]{36})\"");
  static const std::regex kMac("mac=(00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2})");
  std::smatch uuid, mac;
  if (!std::regex_search(text, uuid, kUuid) || !std::regex_search(text, mac, kMac)) return std::nullopt;
  return DomuIdentity{uuid[1].str(), mac[1].str()};
}

std::string random_uuid(std::mt19937_64& random) {
  std::uint64_t high = random(), low = random();
  high = (high & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  low = (low & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;    // RFC 4122 variant
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff), static_cast<unsigned>(high & 0xffff),
                static_cast<unsigned>(low >> 48), static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return buffer;
}

std::string random_xen_mac(std::mt19937_64& random) {
  std::uint64_t tail = random();
  char buffer[24];
  // 00:16:3e is Xen's OUI; the fourth byte below 0x80 keeps clear of ranges some tools reserve.
  std::snprintf(buffer, sizeof buffer, "00:16:3e:%02x:%02x:%02x", static_cast<unsigned>((tail >> 16) & 0x7f),
                static_cast<unsigned>((tail >> 8) & 0xff), static_cast<unsigned>(tail & 0xff));
  return buffer;
}

}  // namespace ptdoctor::fix
