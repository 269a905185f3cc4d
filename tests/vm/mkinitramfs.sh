#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkinitramfs.sh KERNEL OUT.cpio.gz [EXTRA...]: build the test VM's initramfs
# for one supported kernel (6.1 | 6.12 | sid).
#
# The image is three gzip'd cpio archives concatenated (the kernel unpacks
# them in order):
#   base     busybox (applets symlinked), diod, nfs-ganesha (ganesha.nfsd
#            and its FSAL_VFS plugin) and their libraries, /etc files;
#            kernel-independent, cached in ~/.cache/rdbss/vm/
#   dist     that kernel's own 9p/9pnet/9pnet_fd/netfs/fscache modules,
#            decompressed, in /modules/dist/ with a load.order; cached per
#            kernel release
#   extras   EXTRA host files (a path, or SRC=DEST); dynamic executables get
#            their ldd libraries; cached by path, size and mtime
#   overlay  always rebuilt: /init, /payloads, /tests/functional, the rxsys
#            and rxio helpers, p9proxy (tests/proxy/), rx9pstat (tools/,
#            for 058-rx9pstat), our modules from
#            build/KERNEL/ (or $RDBSS_MODULES_DIR) in /modules/ and the
#            distribution modules they depend on in /modules/deps/
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

kname=${1:?usage: mkinitramfs.sh KERNEL OUT.cpio.gz [EXTRA...]}
out=${2:?usage: mkinitramfs.sh KERNEL OUT.cpio.gz [EXTRA...]}
shift 2

need_pkgs busybox-static diod nfs-ganesha nfs-ganesha-vfs cpio gcc libc6-dev kmod \
	xz-utils zstd netbase
load_kenv "$kname"

vmdir=$RDBSS_TOP/tests/vm
cache=$RDBSS_CACHE/vm
mkdir -p "$cache"
work=$(mktemp -d "${TMPDIR:-/tmp}/rdbss-initramfs.XXXXXX")
trap 'rm -rf "$work"' EXIT

# pack DIR OUT: a gzip'd newc archive of DIR, owned by root.
pack() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0) | gzip -1 >"$2.tmp.$$"
	mv "$2.tmp.$$" "$2"
}

# add_file ROOT SRC [DEST]: copy SRC (following links) to ROOT/DEST, and
# for a dynamic ELF executable or library, the libraries ldd names.
add_file() {
	local root=$1 src=$2 dest=${3:-$2} lib
	mkdir -p "$root$(dirname "$dest")"
	cp -L "$src" "$root$dest"
	if head -c 4 "$src" | grep -q ELF && ldd "$src" >/dev/null 2>&1; then
		for lib in $(ldd "$src" | awk '/=> \// { print $3 } /^\t\// { print $1 }'); do
			[ -e "$root$lib" ] && continue
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	fi
}

# decompress SRC DEST: a kernel module, whatever its compression.
decompress() {
	case $1 in
	*.xz) xz -dc "$1" >"$2" ;;
	*.zst) zstd -qdc "$1" >"$2" ;;
	*.gz) gzip -dc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

# mod_closure NAME...: the MODDIR modules (paths relative to MODDIR) needed
# to load NAME..., in load order; names not found as modules are skipped
# (built in, or not shipped).
mod_closure() {
	awk -v want="$*" '
	function norm(p) { sub(/.*\//, "", p); sub(/\.ko(\.(xz|zst|gz))?$/, "", p)
			   gsub(/-/, "_", p); return p }
	BEGIN { n = split(want, w, " ")
		for (i = 1; i <= n; i++) { gsub(/-/, "_", w[i]); W[w[i]] = 1 } }
	{ k = $1; sub(/:$/, "", k); nm = norm(k); if (nm in W) line[nm] = $0 }
	END {
		for (i = 1; i <= n; i++) {
			if (!(w[i] in line)) continue
			m = split(line[w[i]], f, " ")
			sub(/:$/, "", f[1])
			for (j = m; j >= 2; j--)
				if (!(f[j] in seen)) { seen[f[j]] = 1; print f[j] }
			if (!(f[1] in seen)) { seen[f[1]] = 1; print f[1] }
		}
	}' "$MODDIR/modules.dep"
}

# add_modules DIR NAME...: copy the closure of NAME... into DIR, plus
# DIR/load.order (file names in load order).
add_modules() {
	local dir=$1 rel base
	shift
	mkdir -p "$dir"
	: >"$dir/load.order"
	for rel in $(mod_closure "$@"); do
		base=$(basename "$rel")
		base=${base%.xz}; base=${base%.zst}; base=${base%.gz}
		decompress "$MODDIR/$rel" "$dir/$base"
		echo "$base" >>"$dir/load.order"
	done
}

## base: kernel-independent userland
base_key=$( { cat "$0"; dpkg-query -W busybox-static diod nfs-ganesha nfs-ganesha-vfs \
	libc6 netbase; } | sha256sum | cut -c1-16)
base=$cache/base-$base_key.cpio.gz
if [ ! -s "$base" ]; then
	log "building the initramfs base (busybox, diod, nfs-ganesha) in $base"
	r=$work/base
	mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,root,etc,srv/export} \
		"$r"/{srv/ganesha,mnt/rx,var/run,var/lib/nfs/ganesha,var/log/ganesha}
	cp /bin/busybox "$r/bin/busybox"
	for a in $(busybox --list-full); do
		[ -e "$r/$a" ] || ln -s /bin/busybox "$r/$a"
	done
	mknod -m 600 "$r/dev/console" c 5 1
	mknod -m 666 "$r/dev/null" c 1 3
	add_file "$r" /usr/sbin/diod
	# nfs-ganesha, the second 9P server (tests/functional/run.sh starts
	# it): the daemon and the FSAL_VFS plugin it dlopens, where the
	# daemon's built-in Plugins_Dir expects it.  glibc dlopens libgcc_s
	# for pthread_exit and thread cancellation, which ganesha uses.
	add_file "$r" /usr/bin/ganesha.nfsd
	fsal=$(dpkg -L nfs-ganesha-vfs | grep '/libfsalvfs\.so$' | head -n 1)
	[ -n "$fsal" ] || die "nfs-ganesha-vfs ships no libfsalvfs.so"
	add_file "$r" "$fsal"
	add_file "$r" "$(readlink -f /lib/x86_64-linux-gnu/libgcc_s.so.1)" \
		/lib/x86_64-linux-gnu/libgcc_s.so.1
	# ntirpc reads the transports from /etc/netconfig; FSAL_VFS finds the
	# exported file system in /etc/mtab.
	[ -f /etc/netconfig ] && cp /etc/netconfig "$r/etc/netconfig"
	ln -s /proc/self/mounts "$r/etc/mtab"
	add_file "$r" "$(readlink -f /lib/x86_64-linux-gnu/libnss_files.so.2)" \
		/lib/x86_64-linux-gnu/libnss_files.so.2
	cp /etc/services "$r/etc/services"
	# uid 1000 is the tests' second user: nfs-ganesha looks every
	# attaching uid up in the user database (4.3 crashes on an unknown one).
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
		'rdbss:x:1000:1000:rdbss test user:/tmp:/bin/sh' \
		'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$r/etc/passwd"
	printf '%s\n' 'root:x:0:' 'rdbss:x:1000:' 'nogroup:x:65534:' >"$r/etc/group"
	# The VM's own name resolves: Tlock carries it as the client id and
	# nfs-ganesha refuses (EINVAL) a lock whose client it cannot resolve.
	printf '%s\n' '127.0.0.1 localhost' '127.0.1.1 rdbss-vm' \
		'::1 ip6-localhost ip6-loopback' >"$r/etc/hosts"
	printf '%s\n' 'passwd: files' 'group: files' 'shadow: files' \
		'hosts: files' 'services: files' >"$r/etc/nsswitch.conf"
	echo rdbss-vm >"$r/etc/hostname"
	pack "$r" "$base"
	find "$cache" -name 'base-*.cpio.gz' ! -name "base-$base_key.cpio.gz" -delete
fi

## dist: the distribution's own v9fs stack for this kernel release
dist_key=$( { echo "$KREL"; cat "$0"; ls -l "$MODDIR/modules.dep"; } | sha256sum | cut -c1-16)
dist=$cache/dist-$kname-$dist_key.cpio.gz
if [ ! -s "$dist" ]; then
	log "collecting $KREL's 9p modules in $dist"
	r=$work/dist
	add_modules "$r/modules/dist" 9p 9pnet_fd
	pack "$r" "$dist"
	find "$cache" -name "dist-$kname-*.cpio.gz" ! -name "dist-$kname-$dist_key.cpio.gz" -delete
fi

## extras: host files the caller wants (fio for the benchmarks, ...)
parts=("$base" "$dist")
if [ $# -gt 0 ]; then
	extra_key=$( { cat "$0"; for e in "$@"; do echo "$e"; ls -lL "${e%%=*}"; done; } |
		sha256sum | cut -c1-16)
	extra=$cache/extra-$extra_key.cpio.gz
	if [ ! -s "$extra" ]; then
		r=$work/extra
		mkdir -p "$r"
		for e in "$@"; do
			if [ "${e#*=}" != "$e" ]; then
				add_file "$r" "${e%%=*}" "${e#*=}"
			else
				add_file "$r" "$e"
			fi
		done
		pack "$r" "$extra"
	fi
	touch "$extra"
	find "$cache" -name 'extra-*.cpio.gz' -mtime +7 -delete
	parts+=("$extra")
fi

## overlay: always fresh
r=$work/overlay
mkdir -p "$r/modules" "$r/tests" "$r/payloads" "$r/bin"
install -m 755 "$vmdir/init" "$r/init"
cp "$vmdir"/payloads/*.sh "$r/payloads/"
cp -r "$RDBSS_TOP/tests/functional" "$r/tests/functional"
for h in rxsys rxio; do
	gcc -static -O2 -Wall -Wextra -Werror -I"$RDBSS_TOP/tests/rxloop" \
		-o "$r/bin/$h" "$vmdir/$h.c"
done
# the fault-injecting 9P proxy of the 07x-fault tests
gcc -static -O2 -Wall -Wextra -Werror -o "$r/bin/p9proxy" \
	"$RDBSS_TOP"/tests/proxy/*.c
# the mountstats reader (tools/rx9pstat/, make tools) 058-rx9pstat tests
gcc -static -O2 -Wall -Wextra -Werror \
	-DRX9PSTAT_VERSION="\"$(cat "$RDBSS_TOP/VERSION")\"" \
	-o "$r/bin/rx9pstat" "$RDBSS_TOP"/tools/rx9pstat/*.c
ours=()
while IFS= read -r ko; do
	cp "$ko" "$r/modules/"
	ours+=("$(basename "$ko" .ko)")
done < <(find "${RDBSS_MODULES_DIR:-$RDBSS_TOP/build/$kname}" -name '*.ko' 2>/dev/null | sort)
if [ ${#ours[@]} -gt 0 ]; then
	deps=()
	for m in "${ours[@]}"; do
		for d in $(modinfo -F depends "$r/modules/$m.ko" | tr , ' '); do
			case " ${ours[*]} " in *" $d "*) ;; *) deps+=("$d") ;; esac
		done
	done
	add_modules "$r/modules/deps" "${deps[@]}"
fi
mkdir -p "$r/etc"
echo "$kname $KREL" >"$r/etc/rdbss-kernel"
pack "$r" "$work/overlay.cpio.gz"
parts+=("$work/overlay.cpio.gz")

mkdir -p "$(dirname "$out")"
cat "${parts[@]}" >"$out.tmp.$$"
mv "$out.tmp.$$" "$out"
