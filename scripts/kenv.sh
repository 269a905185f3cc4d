#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kenv.sh KERNEL: make sure the build/boot environment for one supported
# kernel exists (cached under ~/.cache/rdbss) and print its description as
# shell assignments:
#   KNAME  6.1 | 6.12 | sid
#   KREL   the kernel release (uname -r of that kernel)
#   KROOT  / for the host, or the chroot holding that distribution
#   KDIR   the kbuild tree, as seen inside KROOT
#   VMLINUZ, MODDIR  host paths to the bootable image and its modules
#
# 6.1 is Debian 12's kernel, built on the host.  6.12 (Debian 13) and sid
# need a newer glibc for their kbuild tools, so each lives in its own
# debootstrapped chroot with the distribution's headers, image and compiler.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kname=${1:?usage: kenv.sh 6.1|6.12|sid}

host_env() {
	need_pkgs linux-headers-amd64 linux-image-amd64 make gcc sparse kmod
	local hdr krel
	hdr=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -1)
	[ -n "$hdr" ] || die "no linux-headers-*-amd64 on the host"
	krel=${hdr#/usr/src/linux-headers-}
	[ -e "/boot/vmlinuz-$krel" ] || need_pkgs "linux-image-$krel"
	printf 'KNAME=%s\nKREL=%s\nKROOT=/\nKDIR=%s\nVMLINUZ=%s\nMODDIR=%s\n' \
		"$kname" "$krel" "$hdr" "/boot/vmlinuz-$krel" "/lib/modules/$krel"
}

make_chroot() {
	local suite=$1 root=$2 tmp mirror aptopt=() krel
	tmp=$root.tmp
	mirror=$(rdbss_mirror)
	[ -n "$mirror" ] || die "cannot read the Debian mirror from apt's configuration"
	need_pkgs debootstrap
	log "creating $suite chroot in $root (debootstrap, once)"
	rm -rf "$tmp"
	debootstrap --variant=minbase "$suite" "$tmp" "$mirror" >&2 ||
		die "debootstrap $suite failed"
	[ "$suite" = sid ] && aptopt=(-o Acquire::Check-Valid-Until=false)
	chroot_run "$tmp" apt-get "${aptopt[@]}" update -q >&2
	chroot_run "$tmp" apt-get "${aptopt[@]}" install -y -q --no-install-recommends \
		linux-headers-amd64 make gcc sparse dkms kmod xz-utils zstd \
		libelf-dev >&2 || die "installing $suite kernel headers failed"
	krel=$(cd "$tmp/usr/src" && ls -d linux-headers-*-amd64 | sort -V | tail -1)
	krel=${krel#linux-headers-}
	# The image: trixie's headers pull it in; sid splits it into
	# linux-binary (vmlinuz) and linux-modules.
	if [ ! -e "$tmp/boot/vmlinuz-$krel" ] && [ ! -e "$tmp/usr/lib/modules/$krel/vmlinuz" ]; then
		if chroot_run "$tmp" apt-cache show "linux-binary-$krel" >/dev/null 2>&1; then
			chroot_run "$tmp" apt-get "${aptopt[@]}" install -y -q --no-install-recommends \
				"linux-binary-$krel" "linux-modules-$krel" >&2
		else
			chroot_run "$tmp" apt-get "${aptopt[@]}" install -y -q --no-install-recommends \
				"linux-image-$krel" >&2
		fi || die "installing the $suite kernel image failed"
	fi
	chroot_run "$tmp" apt-get clean >&2
	touch "$tmp/.rdbss-ready"
	rm -rf "$root"
	mv "$tmp" "$root"
}

chroot_env() {
	local suite=$1 root=$RDBSS_CACHE/chroot-$1 krel vmlinuz
	exec 9>"$RDBSS_CACHE/.lock-$suite"
	flock 9
	[ -e "$root/.rdbss-ready" ] || make_chroot "$suite" "$root"
	krel=$(cd "$root/usr/src" && ls -d linux-headers-*-amd64 | sort -V | tail -1)
	krel=${krel#linux-headers-}
	if [ -e "$root/boot/vmlinuz-$krel" ]; then
		vmlinuz=$root/boot/vmlinuz-$krel
	else
		vmlinuz=$root/usr/lib/modules/$krel/vmlinuz
	fi
	[ -e "$vmlinuz" ] || die "no vmlinuz for $krel in $root"
	printf 'KNAME=%s\nKREL=%s\nKROOT=%s\nKDIR=%s\nVMLINUZ=%s\nMODDIR=%s\n' \
		"$kname" "$krel" "$root" "/usr/src/linux-headers-$krel" "$vmlinuz" \
		"$root/usr/lib/modules/$krel"
}

case $kname in
6.1) host_env ;;
6.12) chroot_env trixie ;;
sid) chroot_env sid ;;
*) die "unknown kernel '$kname' (use 6.1, 6.12 or sid)" ;;
esac
