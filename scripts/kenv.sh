#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kenv.sh KERNEL: make sure the build/boot environment for one supported
# kernel exists (cached under ~/.cache/rdbss) and print its description as
# shell assignments:
#   KNAME  6.1 | 6.12 | sid | debug
#   KREL   the kernel release (uname -r of that kernel)
#   KROOT  / for the host, or the chroot holding that distribution
#   KDIR   the kbuild tree, as seen inside KROOT
#   VMLINUZ, MODDIR  host paths to the bootable image and its modules
#
# 6.1 is Debian 12's kernel, built on the host.  6.12 (Debian 13) and sid
# need a newer glibc for their kbuild tools, so each lives in its own
# debootstrapped chroot with the distribution's headers, image and compiler.
#
# debug (make vmtest-debug) is Debian 12's kernel source (linux-source-6.1)
# built on the host with KASAN, lockdep, KFENCE, kmemleak and object
# debugging: allnoconfig plus scripts/debug-kernel.config, an x86_64
# bzImage and its modules, cached in ~/.cache/rdbss/debug-kernel/ under a
# key of the fragment, the source version and the compiler, so only the
# first run builds.  It also prints KBASE, the supported kernel it is (6.1).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kname=${1:?usage: kenv.sh 6.1|6.12|sid|debug}

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

# debug_env PKG BASE: the debug kernel built from the Debian source package
# PKG (the supported kernel BASE).
debug_env() {
	local pkg=$1 kbase=$2 dir=$RDBSS_CACHE/debug-kernel
	local frag=$RDBSS_TOP/scripts/debug-kernel.config ver key kd src t0 krel line
	need_pkgs "$pkg" make gcc bc bison flex libelf-dev libssl-dev xz-utils kmod
	mkdir -p "$dir"
	exec 9>"$dir/.lock"
	flock 9
	ver=$(dpkg-query -W -f='${Version}' "$pkg")
	key=$( { echo "$pkg $ver"; gcc --version | head -n 1; cat "$frag"; } |
		sha256sum | cut -c1-16)
	kd=$dir/$key
	src=$dir/$pkg
	if [ ! -e "$kd/.rdbss-ready" ]; then
		# The source, extracted once per package version (kept apart from
		# make kunit's tree, which has the project hooked into it).
		if [ "$(cat "$src/.rdbss-version" 2>/dev/null)" != "$ver" ]; then
			log "extracting $pkg $ver to $src (once)"
			rm -rf "$src" "$dir/extract"
			mkdir -p "$dir/extract"
			tar -xJf "/usr/src/$pkg.tar.xz" -C "$dir/extract" ||
				die "cannot extract /usr/src/$pkg.tar.xz"
			mv "$dir/extract/$pkg" "$src"
			rmdir "$dir/extract"
			echo "$ver" >"$src/.rdbss-version"
		fi
		log "building the debug kernel ($pkg $ver, $(nproc) jobs) in $kd; log $kd/build.log"
		t0=$(date +%s)
		rm -rf "$kd"
		mkdir -p "$kd/build"
		export ARCH=x86_64
		(cd "$src" && scripts/kconfig/merge_config.sh -n -O "$kd/build" "$frag") \
			>"$kd/build.log" 2>&1 || die "configuring the debug kernel failed (log $kd/build.log)"
		# Every value asked for must be in the result: a check whose
		# dependencies are missing must not vanish silently.
		while IFS= read -r line; do
			case $line in
			CONFIG_*=*) grep -qxF "$line" "$kd/build/.config" ;;
			"# CONFIG_"*" is not set")
				line=${line#\# }
				! grep -q "^${line%% *}=" "$kd/build/.config" ;;
			*) continue ;;
			esac || die "debug kernel: '$line' is not in the final .config (a dependency missing?)"
		done <"$frag"
		if ! { make -C "$src" O="$kd/build" -j"$(nproc)" bzImage modules &&
		       make -C "$src" O="$kd/build" INSTALL_MOD_PATH="$kd/root" \
				modules_install; } >>"$kd/build.log" 2>&1; then
			tail -n 30 "$kd/build.log" >&2
			die "building the debug kernel failed (log $kd/build.log)"
		fi
		echo $(( $(date +%s) - t0 )) >"$kd/build-seconds"
		touch "$kd/.rdbss-ready"
		log "debug kernel built in $(cat "$kd/build-seconds")s"
		# older configurations and sources
		find "$dir" -mindepth 1 -maxdepth 1 -type d ! -name "$key" ! -name "$pkg" \
			-exec rm -rf {} +
	fi
	krel=$(cat "$kd/build/include/config/kernel.release")
	printf 'KNAME=%s\nKBASE=%s\nKREL=%s\nKROOT=/\nKDIR=%s\nVMLINUZ=%s\nMODDIR=%s\n' \
		"$kname" "$kbase" "$krel" "$kd/build" "$kd/build/arch/x86/boot/bzImage" \
		"$kd/root/lib/modules/$krel"
}

case $kname in
6.1) host_env ;;
6.12) chroot_env trixie ;;
sid) chroot_env sid ;;
debug) debug_env linux-source-6.1 6.1 ;;
*) die "unknown kernel '$kname' (use 6.1, 6.12, sid or debug)" ;;
esac
