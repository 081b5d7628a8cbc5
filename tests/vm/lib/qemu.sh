# The lab machine (sourced, not run): one QEMU machine for both labs, so the quick and the full lab judge the
# same PCI layout, and the assertions in judge_lab_report.py know where each device sits.
#
# - TCG, never KVM: the labs must behave the same on a machine without /dev/kvm (CI), and TCG's emulated AMD SVM
#   is what gives Xen HVM support there ("HVM: SVM enabled"; no nested paging, so no HAP).
# - intel-iommu with intremap=on: Xen finds a DMAR table, enables VT-d and interrupt remapping, and renames the
#   table RMAD for dom0 (xen-project/xen:xen/drivers/passthrough/vtd/dmar.c, acpi_dmar_zap).
# - -nodefaults and fixed addresses: no default NIC or VGA moves the devices around between QEMU versions.
# - the USB functions are real EHCI companions: the UHCI functions share the EHCI's ports (masterbus/firstport,
#   as in QEMU's docs/config/ich9-ehci-uhci.cfg), the layout ptdoctor must keep together.

# Where QEMU puts each device (PCI segment 0, bus 0); judge_lab_report.py asserts against these.
readonly LAB_BOOT_VGA_BDF=0000:00:02.0
readonly LAB_GPU_BDF=0000:00:03.0
readonly LAB_DISK_BDF=0000:00:04.0
readonly LAB_EHCI_BDF=0000:00:1d.7
readonly LAB_UHCI_BDFS=0000:00:1d.0,0000:00:1d.1,0000:00:1d.2

# lab_qemu_command MEMORY_MB SERIAL_LOG DISK_IMAGE: sets the array LAB_QEMU to the machine with one virtio disk.
lab_qemu_command() {
  local memory=$1 serial_log=$2 disk=$3
  LAB_QEMU=(qemu-system-x86_64 -nodefaults -machine q35 -accel tcg -cpu qemu64,+svm -m "$memory" -smp 1
    -display none -monitor none -no-reboot -serial "file:$serial_log"
    -device intel-iommu,intremap=on
    -device VGA,addr=02.0
    -device ati-vga,model=rv100,addr=03.0
    -drive "file=$disk,format=raw,if=none,id=labdisk,cache=unsafe" -device virtio-blk-pci,drive=labdisk,addr=04.0
    -device ich9-usb-ehci1,id=ehci,addr=1d.7,multifunction=on
    -device ich9-usb-uhci1,masterbus=ehci.0,firstport=0,addr=1d.0,multifunction=on
    -device ich9-usb-uhci2,masterbus=ehci.0,firstport=2,addr=1d.1,multifunction=on
    -device ich9-usb-uhci3,masterbus=ehci.0,firstport=4,addr=1d.2,multifunction=on)
}

# lab_qemu_run TIMEOUT_S ARGS...: runs "${LAB_QEMU[@]}" ARGS under a time limit. Returns QEMU's status, 124 when
# the limit ran out (the guest hung or TCG was slower than the limit), 125 when dom0 crashed: Xen runs with
# noreboot to keep the log, so a crashed dom0 would otherwise hold the machine until the limit (seen once: radeon's
# fbdev teardown hit a list_del BUG at power-off, after the stage had finished).
readonly LAB_DOM0_CRASHED=125
lab_qemu_run() {
  local limit=$1 serial="" arg pid
  shift
  for arg in "${LAB_QEMU[@]}"; do [[ $arg == file:* ]] && serial=${arg#file:}; done
  timeout -k 10 "$limit" "${LAB_QEMU[@]}" "$@" </dev/null &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if [[ -n $serial ]] && grep -aq "(XEN) Hardware Dom0 crashed" "$serial" 2>/dev/null; then
      kill "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
      return "$LAB_DOM0_CRASHED"
    fi
    sleep 5
  done
  wait "$pid"
}

# Xen's command line for both labs: the serial console QEMU records, every log level (the lab reads Xen's boot
# messages), the IOMMU's own report, and no reboot on a crash so the log keeps the reason.
lab_xen_cmdline() {
  local dom0_memory=$1
  printf 'console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all dom0_mem=%s,max:%s iommu=verbose noreboot' \
    "$dom0_memory" "$dom0_memory"
}
