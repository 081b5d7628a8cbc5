#pragma once
// The machine of the Xen wiki guide (REFERENCE.md §1) as facts, and a host tree laid out like its Debian 12 dom0:
// GPU 0000:08:00.0/.1 (AMD, radeon), USB 00:1d.0/.1/.2 (UHCI) + 00:1d.7 (EHCI) sharing one RMRR with 00:1a.*,
// Xen 4.17 installed but not running, on the X58 chipset (xen.intremap_errata), Linux 6.1 with XEN_PCIDEV_BACKEND=m.
#include <string>

#include "ptdoctor/facts.hpp"
#include "temp_tree.hpp"

namespace ptdoctor::testing {

FactStore guide_facts();
// Debian's stock /etc/default/grub, /etc/modules, /etc/initramfs-tools/modules, /boot/grub/grub.cfg.
void write_guide_tree(const TempTree& tree);

inline constexpr const char* kDebianGrub = R"(# If you change this file, run 'update-grub' afterwards to update
# /boot/grub/grub.cfg.
# For full documentation of the options in this file, see:
#   info -f grub -n 'Simple configuration'

GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX=""

# Uncomment to enable BadRAM filtering, modify to suit your needs
#GRUB_BADRAM="0x01234567,0xfefefefe,0x89abcdef,0xefefefef"
)";

}  // namespace ptdoctor::testing
