#include "guide_machine.hpp"

namespace ptdoctor::testing {

FactStore guide_facts() {
  FactStore facts;
  const std::string src = "test";
  facts.set("gpu.target", "0000:08:00.0", src);
  facts.set("gpu.candidates", Json::array({{{"bdf", "0000:08:00.0"},
                                            {"vendor_id", "0x1002"},
                                            {"device_id", "0x6739"},
                                            {"name", "Barts PRO [Radeon HD 6850]"},
                                            {"class", "0x0300"},
                                            {"functions", {"0000:08:00.0", "0000:08:00.1"}},
                                            {"boot_vga", false},
                                            {"driver", "radeon"}}}),
            src);
  facts.set("pci.devices", Json::array({
                               {{"bdf", "0000:08:00.0"}, {"vendor_id", "0x1002"}, {"class", "0x0300"}, {"driver", "radeon"}},
                               {{"bdf", "0000:08:00.1"}, {"vendor_id", "0x1002"}, {"class", "0x0403"}, {"driver", "snd_hda_intel"}},
                               {{"bdf", "0000:00:1d.0"}, {"vendor_id", "0x8086"}, {"class", "0x0c03"}, {"driver", "uhci_hcd"}},
                               {{"bdf", "0000:00:1d.1"}, {"vendor_id", "0x8086"}, {"class", "0x0c03"}, {"driver", "uhci_hcd"}},
                               {{"bdf", "0000:00:1d.2"}, {"vendor_id", "0x8086"}, {"class", "0x0c03"}, {"driver", "uhci_hcd"}},
                               {{"bdf", "0000:00:1d.7"}, {"vendor_id", "0x8086"}, {"class", "0x0c03"}, {"driver", "ehci-pci"}},
                               {{"bdf", "0000:00:1a.0"}, {"vendor_id", "0x8086"}, {"class", "0x0c03"}, {"driver", "uhci_hcd"}},
                               {{"bdf", "0000:00:1a.7"}, {"vendor_id", "0x8086"}, {"class", "0x0c03"}, {"driver", "ehci-pci"}},
                           }),
            src);
  Json group_1d = {"0000:00:1d.0", "0000:00:1d.1", "0000:00:1d.2", "0000:00:1d.7"};
  Json group_1a = {"0000:00:1a.0", "0000:00:1a.7"};
  Json controllers = Json::array();
  for (const auto& [group, keyboard] : {std::pair{group_1d, false}, std::pair{group_1a, true}}) {
    for (const Json& bdf : group) {
      std::string b = bdf.get<std::string>();
      controllers.push_back({{"bdf", b},
                             {"type", b.back() == '7' ? "ehci" : "uhci"},
                             {"companions", group},
                             {"has_keyboard", keyboard},
                             {"rmrr_shared", true},
                             {"selected", !keyboard}});
    }
  }
  facts.set("usb.controllers", controllers, src);
  facts.set("usb.selected", group_1d, src);
  Json rmrr_devices = group_1d;
  for (const Json& bdf : group_1a) rmrr_devices.push_back(bdf);
  facts.set("acpi.dmar.rmrr", Json::array({{{"segment", 0}, {"base", "0xbf7ec000"}, {"limit", "0xbf7fffff"},
                                             {"devices", rmrr_devices}}}),
            src);
  facts.set("kernel.release", "6.1.0-13-amd64", src);
  facts.set("kernel.version", "6.1.0", src);
  Json config = Json::object();
  for (const char* name : {"CONFIG_XEN", "CONFIG_XEN_PV", "CONFIG_XEN_DOM0", "CONFIG_XEN_BACKEND",
                           "CONFIG_XEN_SYS_HYPERVISOR", "CONFIG_XEN_DEV_EVTCHN", "CONFIG_XEN_BLKDEV_BACKEND",
                           "CONFIG_XEN_NETDEV_BACKEND", "CONFIG_XEN_BALLOON", "CONFIG_HVC_XEN",
                           "CONFIG_XEN_COMPAT_XENFS"}) {
    config[name] = "y";
  }
  for (const char* name : {"CONFIG_XEN_PCIDEV_BACKEND", "CONFIG_XENFS", "CONFIG_XEN_PRIVCMD", "CONFIG_XEN_GNTDEV",
                           "CONFIG_DRM_RADEON", "CONFIG_USB_EHCI_PCI", "CONFIG_USB_UHCI_HCD"}) {
    config[name] = "m";
  }
  facts.set("kernel.config", config, src);
  facts.set("kernel.pciback.builtin", false, src);
  facts.set("kernel.pciback.module", true, src);
  facts.set("kernel.pciback.loaded", false, src);
  facts.set("kernel.pciback.hide", Json::array(), src);
  facts.set("kernel.pciback.devices", Json::array(), src);
  facts.set("kernel.modules_file", Json::array(), src);
  facts.set("kernel.xen_dom0", true, src);
  facts.set("kernel.cmdline.raw", "BOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=/dev/mapper/vg-root ro quiet", src);
  facts.set("xen.running", false, src);
  facts.set("xen.version", "4.17.5", src);
  // Booted without Xen, so nothing says whether Xen's IOMMU comes up (xl dmesg is Xen's); the X58 I/O hub is seen
  // in the PCI ids, so Xen's Tylersburg quirk applies (plugins/xen/collect_errata.cpp, fixture guide-ich10).
  facts.set_unknown("xen.iommu_enabled", "Xen is not running");
  facts.set("xen.intremap_errata", true, src);
  facts.set("xen.total_memory_mb", 16384, src);
  facts.set("xen.nr_cpus", 8, src);
  facts.set("xen.commandline_params", Json::object({{"placeholder", {""}}}), src);
  facts.set("xen.assignable", Json::array(), src);
  return facts;
}

void write_guide_tree(const TempTree& tree) {
  tree.write("/etc/default/grub", kDebianGrub);
  tree.write("/etc/modules",
             "# /etc/modules: kernel modules to load at boot time.\n#\n# This file contains the names of kernel "
             "modules that should be loaded\n# at boot time, one per line. Lines beginning with \"#\" are "
             "ignored.\n\n");
  tree.write("/etc/initramfs-tools/modules", "# List of modules that you want to include in your initramfs.\n");
  tree.write("/etc/initramfs-tools/initramfs.conf", "MODULES=most\n");
  tree.mkdir("/etc/modprobe.d");
  tree.write("/boot/grub/grub.cfg", "menuentry 'Debian GNU/Linux, with Xen hypervisor' {\n"
                                    "\tmultiboot2 /boot/xen-4.17-amd64.gz placeholder\n"
                                    "\tmodule2 /boot/vmlinuz-6.1.0-13-amd64 placeholder root=/dev/sda1 ro quiet\n}\n");
}

}  // namespace ptdoctor::testing
