# Shared by the Xen labs (sourced, not run): logging, stage timing, and where the host's Xen and Linux are.
# Every stage's wall-clock time goes to $LAB_OUT/timings.tsv so docs/testing-on-real-xen.md quotes measured numbers.

# Exit status ctest reads as "skipped" (SKIP_RETURN_CODE in tests/vm/CMakeLists.txt).
readonly LAB_SKIP=77

lab_log() { printf '[lab %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

lab_die() {
  lab_log "FAILED: $*"
  [[ -n ${LAB_OUT:-} && -d ${LAB_OUT:-} ]] && printf 'FAILED: %s\n' "$*" >>"$LAB_OUT/result.txt"
  exit 1
}

# A lab that cannot possibly run here is skipped: something it needs is missing and, not being root, it cannot
# have been installed (.ci/setup installs the packages as root). Anything missing on a root machine is a failure.
lab_cannot_run() {
  if [[ $(id -u) -ne 0 ]]; then
    lab_log "SKIPPED: $* (not root: run as root after .ci/setup)"
    exit "$LAB_SKIP"
  fi
  lab_die "$* (.ci/setup installs it)"
}

# lab_stage NAME COMMAND...: runs one stage and records how long it took.
lab_stage() {
  local name=$1 start end status=0
  shift
  lab_log "stage $name: start"
  start=$(date +%s)
  "$@" || status=$?
  end=$(date +%s)
  printf '%s\t%s\t%s\n' "$name" "$((end - start))" "$status" >>"$LAB_OUT/timings.tsv"
  lab_log "stage $name: exit $status after $((end - start)) s"
  return "$status"
}

lab_require_commands() {
  local command
  for command in "$@"; do
    command -v "$command" >/dev/null 2>&1 || lab_cannot_run "missing command: $command"
  done
}

# The newest Debian kernel that has its modules installed (linux-image-amd64 pulls it in).
lab_kernel_release() {
  local image release best=""
  for image in /boot/vmlinuz-*; do
    [[ -e $image ]] || continue
    release=${image#/boot/vmlinuz-}
    [[ -d /lib/modules/$release/kernel ]] || continue
    if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$best" "$release" | sort -V | tail -n1) == "$release" ]]; then
      best=$release
    fi
  done
  [[ -n $best ]] || lab_cannot_run "no /boot/vmlinuz-* with modules (package linux-image-amd64)"
  [[ -r /boot/vmlinuz-$best ]] || lab_cannot_run "cannot read /boot/vmlinuz-$best"
  printf '%s\n' "$best"
}

# QEMU's multiboot loader takes a plain ELF, not Debian's gzipped /boot/xen-*.gz: unpack it into DEST.
lab_unpack_xen() {
  local root=$1 dest=$2 image
  image=$(find "$root/boot" -maxdepth 1 -name 'xen-4.*-amd64.gz' | sort -V | tail -n1)
  [[ -n $image ]] || return 1
  zcat "$image" >"$dest"
}
