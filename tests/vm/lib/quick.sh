# The quick lab (sourced by tests/vm/run): Xen + Debian's kernel + an initramfs dom0 carrying ptdoctor, booted
# straight from QEMU's multiboot loader. Needs: qemu-system-x86, xen-hypervisor-4.17-amd64, xen-utils-4.17,
# linux-image-amd64, busybox-static, cpio (.ci/setup installs them).

lab_quick() {
  local stage=$1 timeout=$2 work release status=0
  work=$LAB_OUT/work
  mkdir -p "$work"
  lab_require_commands qemu-system-x86_64 cpio gzip strip ldd python3 timeout tar
  # No `grep -q` here: busybox prints its applet list one write(2) per name, so a grep that stops at the match
  # leaves it to die of SIGPIPE, which pipefail turns into "missing busybox" whenever the scheduler lets grep win.
  [[ -x /bin/busybox ]] && /bin/busybox --list | grep -x insmod >/dev/null ||
    lab_cannot_run "missing /bin/busybox (busybox-static)"
  release=$(lab_kernel_release)
  [[ -x $stage/bin/ptdoctor ]] || lab_die "no ptdoctor in $stage/bin (build first: .ci/setup)"
  lab_unpack_xen / "$work/xen" ||
    lab_cannot_run "missing /boot/xen-4.*-amd64.gz (package xen-hypervisor-4.17-amd64)"
  lab_log "kernel $release," \
    "$(dpkg-query -W -f='${Package} ${Version}\n' 'xen-hypervisor-4.*-amd64' 2>/dev/null | head -n1)"

  cat >"$work/lab.conf" <<EOF
LAB_HOSTNAME=xen-lab-dom0
LAB_GPU=${LAB_GPU_BDF#0000:}
LAB_USB=${LAB_EHCI_BDF#0000:}
EOF
  lab_stage initramfs lab_build_quick_initramfs "$stage" "$release" "$LAB_HERE/guest/quick-init" "$work/lab.conf" \
    "$work/initramfs.gz" || lab_die "building the initramfs failed"
  lab_log "initramfs: $(du -h "$work/initramfs.gz" | cut -f1)"

  rm -f "$work/results.img" && truncate -s 64M "$work/results.img"
  lab_qemu_command 1536 "$LAB_OUT/serial.log" "$work/results.img"
  lab_stage boot lab_qemu_run "$timeout" -kernel "$work/xen" -append "$(lab_xen_cmdline 768M)" \
    -initrd "/boot/vmlinuz-$release console=hvc0 earlyprintk=xen loglevel=6,$work/initramfs.gz" || status=$?
  ((status == 124)) && lab_die "the dom0 did not finish within $timeout s (serial log: $LAB_OUT/serial.log)"
  ((status == 0)) || lab_die "QEMU exited with status $status (serial log: $LAB_OUT/serial.log)"

  mkdir -p "$LAB_OUT/dom0"
  tar -xf "$work/results.img" -C "$LAB_OUT/dom0" 2>/dev/null || lab_die "the dom0 wrote no results (serial log)"
  [[ $(cat "$LAB_OUT/dom0/status") == done ]] || lab_die "dom0: $(cat "$LAB_OUT/dom0/status")"
  cp "$LAB_OUT/dom0/check.json" "$LAB_OUT/check.json" || lab_die "the dom0 wrote no check.json"
  cp "$LAB_OUT/dom0/snapshot.tar.gz" "$LAB_OUT/snapshot.tar.gz" || lab_die "the dom0 wrote no snapshot"

  lab_stage judge python3 "$LAB_HERE/judge_lab_report.py" --ptdoctor "$stage/bin/ptdoctor" \
    --report "$LAB_OUT/check.json" --snapshot "$LAB_OUT/snapshot.tar.gz" --serial-log "$LAB_OUT/serial.log" ||
    lab_die "the dom0's report is wrong (see above)"
  rm -rf "$work"
}
