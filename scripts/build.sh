#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build.sh TARGET: build the modules in place for the running kernel (or the
# newest installed headers), or for KVER: 6.1|6.12|sid (a supported Debian
# kernel, built in build/KVER/) or a kernel release with /lib/modules/KVER/build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

target=${1:-modules}
kver=${KVER:-}
case $kver in
6.1 | 6.12 | sid)
	exec "$RDBSS_TOP/scripts/kmake.sh" "$kver" "$target"
	;;
"")
	kdir=/lib/modules/$(uname -r)/build
	if [ ! -e "$kdir/Makefile" ]; then
		kdir=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -1)
		if [ -z "$kdir" ] && command -v apt-get >/dev/null; then
			need_pkgs linux-headers-amd64 make gcc
			kdir=$(ls -d /usr/src/linux-headers-*-amd64 | sort -V | tail -1)
		fi
		[ -n "$kdir" ] || die "no kernel build tree: install your kernel's headers"
		log "no build tree for the running kernel $(uname -r); using $kdir"
	fi
	;;
*)
	kdir=/lib/modules/$kver/build
	[ -e "$kdir/Makefile" ] || die "no build tree at $kdir"
	;;
esac
sign=()
if [ "$target" = modules_install ]; then
	# modules_install runs depmod; it also signs every module when the
	# kernel was configured so, with a key only the kernel's builder has
	# (distribution headers ship none): without the key, skip signing
	# rather than print an OpenSSL error per module.
	need_pkgs kmod
	[ -e "$kdir/certs/signing_key.pem" ] || sign=(CONFIG_MODULE_SIG_ALL=)
fi
exec make -C "$kdir" M="$RDBSS_TOP" CONFIG_RDBSS=m CONFIG_MRX9P=m "${sign[@]}" "$target"
