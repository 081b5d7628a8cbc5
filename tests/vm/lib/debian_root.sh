# A Debian root directory built with debootstrap (sourced, not run; tests/vm/build-debian-root runs it alone).
# The archive is the one this machine's apt is configured with (`apt-get indextargets`), never a hard-coded mirror,
# so a machine behind its own mirror or a snapshot builds from it, and the guest gets the same package versions.

# lab_apt_sources CODENAME: "URI SUITE COMPONENT" for each deb source apt uses whose suite belongs to CODENAME
# (bookworm, bookworm-updates, bookworm-security), in apt's order.
lab_apt_sources() {
  local codename=$1
  apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT) $(TARGET_OF)' 2>/dev/null |
    awk -v c="$codename" '$4 == "deb" && ($2 == c || index($2, c "-") == 1) && !seen[$1 " " $2 " " $3]++ {
      print $1, $2, $3 }'
}

# lab_build_debian_root ROOT [PACKAGE...]: debootstraps this machine's Debian release (minbase) into ROOT, gives it
# the same apt sources as this machine, upgrades it from them and installs PACKAGES (without recommends). The
# packages come in only after the sources are complete, so a kernel is installed (and its initramfs built) once,
# at the version this machine would get. Downloads are kept in ${LAB_APT_CACHE:-/var/cache/ptdoctor-lab} for the
# next build.
lab_build_debian_root() {
  local root=$1 codename mirror cache
  shift
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [[ -n $codename ]] || lab_die "no VERSION_CODENAME in /etc/os-release"
  mirror=$(lab_apt_sources "$codename" | awk -v c="$codename" '$2 == c {print $1; exit}')
  [[ -n $mirror ]] || lab_die "apt has no deb source for $codename (apt-get update first?)"
  cache=${LAB_APT_CACHE:-/var/cache/ptdoctor-lab}
  mkdir -p "$cache/debootstrap" "$cache/archives/partial" "$root"
  lab_log "debootstrap $codename from $mirror into $root"
  debootstrap --variant=minbase --cache-dir="$cache/debootstrap" "$codename" "$root" "$mirror" || return 1

  # The same sources as this machine (its updates and security suites too), so apt inside sees the same versions.
  lab_apt_sources "$codename" | awk '{key = $1 " " $2; if (!(key in c)) order[++n] = key; c[key] = c[key] " " $3}
    END {for (i = 1; i <= n; i++) print "deb " order[i] c[order[i]]}' >"$root/etc/apt/sources.list"
  lab_in_root "$root" apt-get update -qq || return 1
  lab_install_into_root "$root" "$@"
}

# lab_install_into_root ROOT [PACKAGE...]: upgrades ROOT from its apt sources and installs PACKAGES (without
# recommends), keeping the downloads in ${LAB_APT_CACHE:-/var/cache/ptdoctor-lab}/archives for the next build.
lab_install_into_root() {
  local root=$1 cache=${LAB_APT_CACHE:-/var/cache/ptdoctor-lab} status=0
  shift
  mkdir -p "$cache/archives/partial"
  mount --bind "$cache/archives" "$root/var/cache/apt/archives" || return 1
  lab_in_root "$root" apt-get -y -qq -o Dpkg::Options::=--force-confold dist-upgrade &&
    lab_in_root "$root" apt-get -y -qq -o Dpkg::Options::=--force-confold --no-install-recommends install "$@" ||
    status=$?
  umount "$root/var/cache/apt/archives"
  return "$status"
}

# lab_in_root ROOT COMMAND...: runs COMMAND chrooted in ROOT with /proc, /sys and /dev mounted for its duration.
lab_in_root() {
  local root=$1 status=0
  shift
  mount -t proc proc "$root/proc" && mount -t sysfs sysfs "$root/sys" && mount --bind /dev "$root/dev" || {
    lab_unmount_root "$root"
    return 1
  }
  DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 chroot "$root" "$@" || status=$?
  lab_unmount_root "$root"
  return "$status"
}

lab_unmount_root() {
  local root=$1 mount
  for mount in dev sys proc; do
    mountpoint -q "$root/$mount" && umount "$root/$mount"
  done
  return 0
}

# lab_runtime_packages FILE...: the Debian packages that hold the shared libraries FILEs load (ldd, dpkg -S).
lab_runtime_packages() {
  local file
  for file in "$@"; do
    ldd "$file" | awk '$2 == "=>" && $3 ~ /^\// {print $3}'
  done | sort -u | while read -r library; do
    dpkg -S "$(readlink -f "$library")" 2>/dev/null || dpkg -S "$library" 2>/dev/null
  done | cut -d: -f1 | sort -u
}
