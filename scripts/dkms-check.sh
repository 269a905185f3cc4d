#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms-check.sh (make dkms-check): for every supported kernel (KERNELS=
# limits them), in that kernel's environment: dkms add the tree (dkms.conf,
# version from VERSION), dkms build and install for that kernel, modinfo the
# installed modules, resolve mrx9p with modprobe --dry-run, dkms remove.
#
# On the host (6.1) dkms runs inside a private mount namespace with
# throw-away overlays on /usr and /var, so the real system is never touched;
# inside the distribution chroots (6.12, sid) it runs as is.  Appends
# "dkms P F" (one test per kernel) to $RDBSS_RESULTS when set.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

version=$(cat "$RDBSS_TOP/VERSION") || die "no VERSION file"
outdir=$RDBSS_TOP/out/dkms
stagedir=$outdir/src
mkdir -p "$outdir"
passed=0
failed=0
summary=()

# A clean copy of the sources: what a source package would ship.
need_pkgs rsync
rsync -a --delete --exclude=/build --exclude=/out --exclude=/.git \
	--exclude=/.ci --exclude='*.o' --exclude='*.ko' --exclude='*.a' \
	--exclude='.*.cmd' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='*.o.d' --exclude='modules.order' --exclude='Module.symvers' \
	--exclude='.tmp*' "$RDBSS_TOP/" "$stagedir/" || die "cannot stage the sources"

# Runs as root in the kernel's environment: $1 version, $2 kernel release,
# $3 source tree.  Prints one "step NAME: ok|FAILED" line per step.
# shellcheck disable=SC2016
inner='
ver=$1 krel=$2 src=$3 bad=0
# step [-q] NAME CMD...: run one step; -q shows its output only on failure.
step() {
	local quiet=0 name out
	[ "$1" = -q ] && { quiet=1; shift; }
	name=$1
	shift
	if out=$("$@" 2>&1); then
		echo "step $name: ok"
		[ $quiet = 1 ] || [ -z "$out" ] || printf "%s\n" "$out" | sed "s/^/    /"
	else
		echo "step $name: FAILED"
		printf "%s\n" "$out" | tail -n 30 | sed "s/^/    /"
		bad=1
	fi
}
# Leftovers of an interrupted run.
dkms remove -m rdbss -v "$ver" --all >/dev/null 2>&1
rm -rf "/usr/src/rdbss-$ver"
echo "dkms $(dkms --version 2>&1 | head -1), kernel $krel"
step -q add dkms add "$src"
step -q build dkms build -m rdbss -v "$ver" -k "$krel"
if [ $bad = 1 ]; then
	echo "    make.log:"
	tail -n 40 "/var/lib/dkms/rdbss/$ver/build/make.log" 2>/dev/null | sed "s/^/    /"
	dkms remove -m rdbss -v "$ver" --all >/dev/null 2>&1
	rm -rf "/usr/src/rdbss-$ver"
	exit 1
fi
step -q install dkms install -m rdbss -v "$ver" -k "$krel"
step status dkms status -m rdbss -v "$ver" -k "$krel"
installed() {
	local m f ok=0
	for m in rdbss mrx9p; do
		f=$(find "/lib/modules/$krel/updates" "/lib/modules/$krel/extra" \
			-name "$m.ko*" 2>/dev/null | head -1)
		[ -n "$f" ] || { echo "$m: not installed"; ok=1; continue; }
		echo "$f"
		modinfo "$f" | grep -E "^(filename|version|description|author|license|depends|vermagic|name|parm):"
		# What a user reads: every field said, every parameter explained.
		for k in version description author license; do
			[ -n "$(modinfo -F "$k" "$f")" ] || { echo "$m: no $k"; ok=1; }
		done
		for p in $(grep -rhoE "module_param(_named)?\\([a-z0-9_]+" "/usr/src/rdbss-$ver/fs/$m" |
			sed "s/.*(//" | sort -u); do
			modinfo -F parm "$f" | grep -qE "^$p:[^(]" ||
				{ echo "$m: parameter $p has no description"; ok=1; }
		done
		# And through the module index depmod built.
		modinfo -k "$krel" -F filename "$m" | grep -qx "$f" ||
			{ echo "$m: modinfo -k $krel does not resolve to $f"; ok=1; }
	done
	return $ok
}
step modinfo installed
step modprobe modprobe --dry-run --show-depends -S "$krel" mrx9p
step -q remove dkms remove -m rdbss -v "$ver" --all
gone() {
	local left
	left=$(find "/lib/modules/$krel" \( -name "rdbss.ko*" -o -name "mrx9p.ko*" \) 2>/dev/null)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
	[ ! -e /var/lib/dkms/rdbss ] || { ls -R /var/lib/dkms/rdbss; return 1; }
}
step removed gone
rm -rf "/usr/src/rdbss-$ver"
exit $bad
'

# On the host: everything dkms writes (/usr/src, /usr/lib/modules via /lib,
# /var/lib/dkms) goes to overlays that vanish with the mount namespace.
host_dkms() {
	local tmp rc
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/rdbss-dkms.XXXXXX")
	unshare --mount --propagation private /bin/bash -c '
		tmp=$1
		shift
		for d in usr var; do
			mkdir -p "$tmp/$d/upper" "$tmp/$d/work"
			mount -t overlay overlay -o "lowerdir=/$d,upperdir=$tmp/$d/upper,workdir=$tmp/$d/work" "/$d" ||
				{ echo "cannot mount an overlay on /$d"; exit 1; }
		done
		exec /bin/bash -c "$@"' dkms-host "$tmp" "$inner" dkms-inner "$@"
	rc=$?
	rm -rf "$tmp"
	return $rc
}

for k in $(rdbss_kernels); do
	log "dkms-check $k"
	echo "== dkms $k"
	if ! env=$("$RDBSS_TOP/scripts/kenv.sh" "$k"); then
		echo "cannot prepare the environment for $k"
		summary+=("$k: FAILED (environment)")
		failed=$((failed + 1))
		continue
	fi
	eval "$env"
	if [ "$KROOT" = / ]; then
		need_pkgs dkms kmod
		host_dkms "$version" "$KREL" "$stagedir"
	else
		# The chroots are made with dkms; install it if an older one lacks it.
		[ -x "$KROOT/usr/sbin/dkms" ] ||
			chroot_run "$KROOT" apt-get install -y -q --no-install-recommends dkms >&2
		chroot_run "$KROOT" /bin/bash -c "$inner" dkms-inner "$version" "$KREL" "$stagedir"
	fi 2>&1 | tee "$outdir/$k.log"
	if [ "${PIPESTATUS[0]}" -eq 0 ]; then
		summary+=("$k ($KREL): passed")
		passed=$((passed + 1))
	else
		summary+=("$k ($KREL): FAILED ($(grep -o '^step [a-z]*: FAILED' "$outdir/$k.log" |
			sed 's/^step //; s/: FAILED//' | tr '\n' ' ' | sed 's/ $//'))")
		failed=$((failed + 1))
	fi
done

echo
echo "== dkms summary (rdbss $version)"
printf '%s\n' "${summary[@]}"
[ -n "${RDBSS_RESULTS:-}" ] && echo "dkms $passed $failed" >>"$RDBSS_RESULTS"
if [ "$failed" -eq 0 ]; then
	echo "dkms-check: passed ($passed kernels)"
	exit 0
fi
echo "dkms-check: FAILED ($failed of $((passed + failed)) kernels)"
exit 1
