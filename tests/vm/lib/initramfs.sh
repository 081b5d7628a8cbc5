# The quick lab's dom0 userland (sourced, not run): busybox, the built ptdoctor with every shared library it and
# its plugins load, and what `xl` needs to answer live (xenstored, xen-init-dom0, the Xen kernel modules).
# Files keep their Debian paths, so ptdoctor reads the layout a Debian dom0 has (/usr/sbin/xl as Debian's
# version wrapper, /boot/config-*, /lib/modules/*/modules.builtin, /etc/xen/xl.conf).

# Kernel modules the dom0 loads, in the order given (dependencies first, from modules.dep): the ones Debian's
# /etc/init.d/xen loads (xenfs, which pulls in xen-privcmd, xen-evtchn, xen-gntdev, xen-acpi-processor), msr (a
# user who follows ptdoctor's advice to let it read AMD's VM_CR), the GPU and USB drivers udev binds in a Debian
# dom0 on this machine (bochs, radeon, ehci-pci, uhci-hcd: seen with lspci -k in the full lab), and virtio
# for the disk that carries the results out.
readonly LAB_DOM0_MODULES=(xenfs xen-evtchn xen-gntdev xen-acpi-processor msr bochs radeon ehci-pci uhci-hcd
  virtio_pci virtio_blk)

# Xen's daemons and tools, from xen-utils-4.17 (their library paths come from ldd).
readonly LAB_XEN_TOOLS=(xl xenstored xen-init-dom0 xenconsoled)

lab_is_elf() { [[ $(head -c 4 "$1" 2>/dev/null) == $'\177ELF' ]]; }

# lab_copy_file ROOT FILE: FILE at the same path under ROOT (symlinks followed, debug info dropped).
lab_copy_file() {
  local root=$1 file=$2 dest
  dest=$root$file
  [[ -e $dest ]] && return 0
  mkdir -p "$(dirname "$dest")"
  if lab_is_elf "$file"; then
    strip --strip-debug -o "$dest" "$file"
  else
    cp -L --preserve=mode "$file" "$dest"
  fi
}

# lab_copy_with_libraries ROOT FILE...: each FILE and every shared library ldd says it loads.
lab_copy_with_libraries() {
  local root=$1 file library
  shift
  for file in "$@"; do
    lab_copy_file "$root" "$file"
    while read -r library; do
      [[ -n $library ]] && lab_copy_file "$root" "$library"
    done < <(lab_shared_libraries "$file")
  done
}

# lab_shared_libraries FILE: the absolute path of every shared library (and the loader) FILE needs.
lab_shared_libraries() {
  ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
}

# lab_module_load_order RELEASE NAME...: the .ko paths (relative to /lib/modules/RELEASE) to insmod, each
# module's dependencies before it. modules.dep lists a module's dependencies deepest last.
lab_module_load_order() {
  local release=$1 name line path dependency
  shift
  local -a order=() deps
  local -A seen=()
  for name in "$@"; do
    line=$(grep -E "/${name//-/[-_]}\.ko(\.[a-z]+)?:" "/lib/modules/$release/modules.dep" | head -n1)
    [[ -n $line ]] || lab_die "module $name is not in /lib/modules/$release/modules.dep"
    path=${line%%:*}
    read -r -a deps <<<"${line#*:}"
    for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
      dependency=${deps[i]}
      [[ -n ${seen[$dependency]:-} ]] || { seen[$dependency]=1; order+=("$dependency"); }
    done
    [[ -n ${seen[$path]:-} ]] || { seen[$path]=1; order+=("$path"); }
  done
  printf '%s\n' "${order[@]}"
}

# lab_build_quick_initramfs STAGE RELEASE INIT CONFIG OUT: writes the gzip'd cpio to OUT.
#   STAGE: ptdoctor's staged install tree (build/stage); INIT: the guest's /init; CONFIG: sourced by INIT.
lab_build_quick_initramfs() {
  local stage=$1 release=$2 init=$3 config=$4 out=$5
  local root module tool file library
  root=$(mktemp -d "${TMPDIR:-/tmp}/ptdoctor-lab-initramfs.XXXXXX")
  # Debian 12 is merged-/usr: keep its symlinks so library paths from ldd land where the dynamic loader looks.
  mkdir -p "$root"/usr/{bin,sbin,lib,lib64} "$root"/{dev,proc,sys,run,tmp,out,etc,var/lib/xen,var/log/xen}
  ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
  ln -s ../run "$root/var/run"

  lab_copy_with_libraries "$root" /bin/busybox
  install -m 0755 "$init" "$root/init"
  install -m 0644 "$config" "$root/lab.conf"

  # ptdoctor as `cmake --install` lays it out (the binary finds plugins and rules relative to its prefix), and
  # the system libraries it and its plugins load. Libraries inside the stage are found through $ORIGIN.
  mkdir -p "$root/opt"
  cp -a "$stage" "$root/opt/ptdoctor"
  local -a elf_files=()
  while IFS= read -r -d '' file; do
    lab_is_elf "$file" || continue
    strip --strip-debug "$file"
    elf_files+=("$file")
  done < <(find "$root/opt/ptdoctor" -type f -print0)
  for file in "${elf_files[@]}"; do
    while read -r library; do
      [[ -n $library && $library != "$root"/* ]] && lab_copy_file "$root" "$library"
    done < <(lab_shared_libraries "$file")
  done
  [[ -r /usr/share/misc/pci.ids ]] && lab_copy_file "$root" /usr/share/misc/pci.ids

  for tool in "${LAB_XEN_TOOLS[@]}"; do
    [[ -x /usr/lib/xen-4.17/bin/$tool ]] ||
      lab_cannot_run "missing /usr/lib/xen-4.17/bin/$tool (package xen-utils-4.17)"
    lab_copy_with_libraries "$root" "/usr/lib/xen-4.17/bin/$tool"
  done
  lab_copy_file "$root" /usr/lib/xen-common/bin/xen-utils-wrapper
  ln -s ../lib/xen-common/bin/xen-utils-wrapper "$root/usr/sbin/xl"
  lab_copy_file "$root" /etc/xen/xl.conf
  lab_copy_file "$root" /etc/os-release
  [[ -e /usr/lib/os-release ]] && lab_copy_file "$root" /usr/lib/os-release

  lab_copy_file "$root" "/boot/config-$release"
  for file in modules.dep modules.builtin modules.builtin.modinfo modules.order; do
    [[ -e /lib/modules/$release/$file ]] && lab_copy_file "$root" "/lib/modules/$release/$file"
  done
  lab_module_load_order "$release" "${LAB_DOM0_MODULES[@]}" >"$root/lab.modules"
  while read -r module; do
    lab_copy_file "$root" "/lib/modules/$release/$module"
  done <"$root/lab.modules"

  # Owned by root as on a real system, whoever builds it: ptdoctor loads only plugins owned by root.
  (cd "$root" && find . -print0 | cpio --null -o -H newc --owner 0:0 --quiet | gzip -1) >"$out"
  rm -rf "$root"
}
