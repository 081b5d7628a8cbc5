# The full lab (sourced by tests/vm/run): a Debian 12 dom0 on a disk, booted through GRUB's "with Xen hypervisor"
# entry, where ptdoctor plans, fixes, verifies, starts the guest and rolls back (guest/full-stage runs each stage).
# Needs, besides the quick lab's packages: debootstrap, fdisk (sfdisk), e2fsprogs.

# What the dom0 needs besides ptdoctor's own libraries: an init that runs ptdoctor-lab.service, Xen with its
# toolstack and device model (qemu-system-xen runs the HVM guest's emulator), GRUB for BIOS, and the tools the
# stages call.
readonly LAB_DOM0_PACKAGES=(systemd-sysv udev kmod iproute2 pciutils procps linux-image-amd64 initramfs-tools
  xen-system-amd64 qemu-system-xen grub-pc)
readonly LAB_DISK_SIZE=6G
readonly LAB_PARTITION_OFFSET=$((1024 * 1024))

lab_full() {
  local stage=$1 timeout=$2 work root release packages
  work=$LAB_OUT/work
  root=$work/root
  [[ $(id -u) -eq 0 ]] || lab_cannot_run "the full lab needs root (debootstrap, chroot)"
  lab_require_commands qemu-system-x86_64 debootstrap sfdisk mke2fs python3 timeout tar zcat
  [[ -x $stage/bin/ptdoctor ]] || lab_die "no ptdoctor in $stage/bin (build first: .ci/setup)"
  rm -rf "$work" && mkdir -p "$work"

  mapfile -t packages < <(lab_runtime_packages "$stage/bin/ptdoctor" "$stage"/lib*/ptdoctor/plugins/*.so)
  lab_log "ptdoctor's runtime packages: ${packages[*]}"
  if [[ -n ${LAB_BASE_ROOT:-} ]]; then
    # A root tests/vm/build-debian-root made before (--root DIR): copied, so it stays as it was for the next run.
    lab_stage copy-root cp -a "$LAB_BASE_ROOT" "$root" || lab_die "copying $LAB_BASE_ROOT failed"
    lab_stage packages lab_install_into_root "$root" "${LAB_DOM0_PACKAGES[@]}" "${packages[@]}" ||
      lab_die "installing the dom0's packages failed"
  else
    lab_stage debootstrap lab_build_debian_root "$root" "${LAB_DOM0_PACKAGES[@]}" "${packages[@]}" ||
      lab_die "debootstrap failed"
  fi
  lab_stage install-ptdoctor lab_install_ptdoctor "$stage" "$root" || lab_die "installing ptdoctor failed"
  lab_stage configure lab_configure_dom0 "$root" || lab_die "configuring the dom0 failed"
  release=$(cd "$root/boot" && ls vmlinuz-* | sed 's/^vmlinuz-//' | sort -V | tail -n1)
  lab_stage disk-image lab_make_disk "$root" "$work/disk.img" || lab_die "making the disk image failed"

  # Boot 1: plain Linux straight from QEMU, only to install GRUB on the disk (no loop device needed on the host).
  # Without Xen, Linux itself drives QEMU's interrupt remapping and panics under TCG ("timer doesn't work through
  # Interrupt-remapped IO-APIC"): this boot turns it off; the Xen boots keep it (Xen owns the IOMMU there).
  lab_full_boot grub "$work" "$timeout" -kernel "$root/boot/vmlinuz-$release" \
    -initrd "$root/boot/initrd.img-$release" \
    -append "root=/dev/vda1 rw console=ttyS0 intremap=off systemd.show_status=error"
  # Boots 2-4: from the disk, through SeaBIOS and GRUB's default entry (Debian's xen.cfg makes it the Xen one).
  lab_full_boot before "$work" "$timeout"
  lab_full_boot after-fix "$work" "$timeout"
  lab_full_boot after-rollback "$work" "$timeout"
  rm -rf "$root"

  lab_stage judge python3 "$LAB_HERE/judge_full_lab.py" "$LAB_OUT" || lab_die "the full lab's results are wrong"
}

# lab_full_boot STAGE WORK TIMEOUT [QEMU ARGS...]: one power cycle; the guest runs STAGE and writes all its
# results so far to the second disk, which is unpacked into $LAB_OUT/dom0.
lab_full_boot() {
  local name=$1 work=$2 timeout=$3 status=0 serial
  shift 3
  serial=$LAB_OUT/serial-$name.log
  rm -f "$work/results.img" && truncate -s 256M "$work/results.img"
  lab_qemu_command 2048 "$serial" "$work/disk.img"
  lab_stage "boot-$name" lab_qemu_run "$timeout" \
    -drive "file=$work/results.img,format=raw,if=none,id=results,cache=unsafe" \
    -device virtio-blk-pci,drive=results,addr=05.0 "$@" || status=$?
  cat "$serial" >>"$LAB_OUT/serial.log"
  ((status == 124)) && lab_die "boot $name did not finish within $timeout s (see $serial)"
  ((status == 0 || status == LAB_DOM0_CRASHED)) || lab_die "boot $name: QEMU exited with status $status (see $serial)"
  rm -rf "$LAB_OUT/dom0" && mkdir -p "$LAB_OUT/dom0"
  tar -xf "$work/results.img" -C "$LAB_OUT/dom0" 2>/dev/null || lab_die "boot $name wrote no results (see $serial)"
  [[ -d $LAB_OUT/dom0/out/$name ]] || lab_die "boot $name did not run its stage (see $serial)"
  # The stage writes its results before it powers off: a dom0 that crashed only while powering off after them
  # (what the stage log's last line, "next stage", says) leaves a run that can go on; a crash before is fatal.
  if ((status == LAB_DOM0_CRASHED)); then
    grep -q "next stage:" "$LAB_OUT/dom0/out/$name/stage.log" 2>/dev/null ||
      lab_die "boot $name: dom0 crashed before its stage finished (see $serial)"
    lab_log "boot $name: dom0 crashed while powering off, after its stage had finished (see $serial): going on"
  fi
}

# ptdoctor from the build, inside the dom0's root under /usr/local: the staged tree is laid out as
# `cmake --install` lays it out (bin/, lib/ptdoctor/plugins/, share/ptdoctor/rules/) and needs no RUNPATH.
lab_install_ptdoctor() {
  local stage=$1 root=$2
  mkdir -p "$root/usr/local"
  cp -a "$stage/." "$root/usr/local/" || return 1
  chroot "$root" /usr/local/bin/ptdoctor --version
}

# The lab's own set-up of an otherwise stock dom0: the serial consoles QEMU records, a one-second GRUB menu, the
# root file system, and the service that runs the stages. Nothing ptdoctor judges or fixes is pre-set.
lab_configure_dom0() {
  local root=$1 lab=/opt/ptdoctor-lab
  echo xen-lab-dom0 >"$root/etc/hostname"
  echo "/dev/vda1 / ext4 errors=remount-ro 0 1" >"$root/etc/fstab"
  # GRUB and Xen talk on the first serial port; Linux as dom0 on Xen's console (hvc0), on bare metal on ttyS0.
  cat >>"$root/etc/default/grub" <<'EOF'

# tests/vm (ptdoctor's lab): serial consoles for QEMU's log, a short menu.
GRUB_TIMEOUT=1
GRUB_TERMINAL=serial
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
GRUB_CMDLINE_LINUX_DEFAULT="console=ttyS0"
GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT="console=hvc0 systemd.show_status=error"
GRUB_CMDLINE_XEN_DEFAULT="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all iommu=verbose noreboot"
EOF
  # update-initramfs runs inside the TCG dom0 twice (fix, rollback): with Debian's MODULES=most and zstd -9 it took
  # over 13 minutes there. The lab disk only ever boots on this one QEMU machine, so the initramfs carries only the
  # modules this machine needs (MODULES=dep still adds those listed in /etc/initramfs-tools/modules, which is
  # what the fix writes) and is compressed fast. A lab setting: ptdoctor neither judges nor changes it.
  sed -i -e 's/^MODULES=.*/MODULES=dep/' -e 's/^#* *COMPRESSLEVEL=.*/COMPRESSLEVEL=1/' \
    "$root/etc/initramfs-tools/initramfs.conf"
  mkdir -p "$root$lab" "$root/var/lib/ptdoctor-lab"
  install -m 0755 "$LAB_HERE/guest/full-stage" "$root$lab/full-stage"
  cat >"$root/var/lib/ptdoctor-lab/lab.conf" <<EOF
LAB_GPU=${LAB_GPU_BDF#0000:}
LAB_USB=${LAB_EHCI_BDF#0000:}
LAB_GUEST=labguest
EOF
  echo grub >"$root/var/lib/ptdoctor-lab/next"
  cat >"$root/etc/systemd/system/ptdoctor-lab.service" <<EOF
[Unit]
Description=ptdoctor lab: the next stage of tests/vm/run --full
After=xen.service xendomains.service
ConditionPathExists=/var/lib/ptdoctor-lab/next
SuccessAction=poweroff
FailureAction=poweroff

[Service]
Type=oneshot
ExecStart=$lab/full-stage
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
EOF
  ln -sf /etc/systemd/system/ptdoctor-lab.service \
    "$root/etc/systemd/system/multi-user.target.wants/ptdoctor-lab.service"
  # No login prompt competes with the stage's output on the console.
  chroot "$root" systemctl mask serial-getty@ttyS0.service serial-getty@hvc0.service getty@tty1.service >/dev/null
}

# lab_make_disk ROOT IMAGE: one bootable MBR partition holding ROOT as ext4, made without a loop device
# (mke2fs -d fills the file system from the directory, -E offset= puts it where the partition starts).
lab_make_disk() {
  local root=$1 image=$2 size_bytes
  rm -f "$image" && truncate -s "$LAB_DISK_SIZE" "$image"
  echo "start=$((LAB_PARTITION_OFFSET / 512)), type=83, bootable" | sfdisk -q "$image" || return 1
  size_bytes=$(($(stat -c %s "$image") - LAB_PARTITION_OFFSET))
  mke2fs -q -t ext4 -d "$root" -E offset=$LAB_PARTITION_OFFSET "$image" "$((size_bytes / 1024))k"
}
