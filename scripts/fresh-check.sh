#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fresh-check.sh (make fresh-check, a stage of make test): the README's
# first command on a machine that has nothing.
#
# A pristine Debian 12 minbase system (debootstrap --variant=minbase,
# made once and kept as a read-only tarball in ~/.cache/rdbss/fresh/) is
# unpacked afresh into a scratch directory, the tree is copied in (what a
# clone holds: no build/, out/ or .git), and inside it, as root with an
# empty HOME and so an empty ~/.cache/rdbss of its own, runs what the
# README tells a new user to type:
#
#     apt-get update && apt-get install make
#     make demo
#
# then `make` and `make install` (the modules for the newest installed
# headers, then modules_install and rx9pstat, whose installed copy must run
# there).  Every other package must come from the
# project's own need_pkgs calls inside the chroot: a script that runs a
# command it never installs fails here, whatever the host has.
#
# What the chroot gets from the host is what any machine here has and a
# chroot lacks: its name server (/etc/resolv.conf) and apt's view of the
# archive (the sources and the Acquire:: settings of apt.conf.d), plus
# /proc, /sys and /dev.  To save downloads only, the chroot's apt package
# cache is bind-mounted from ~/.cache/rdbss/fresh/archives, kept from run
# to run (not the host's own, whose lock the host's apt takes while this
# runs beside other stages).  Never the host's installed files.  A policy-rc.d keeps package scripts from starting
# daemons (diod, nfs-ganesha) in a chroot that has no init of its own: on
# a real machine systemd starts them, harmlessly.
#
# The VM of `make demo` boots under QEMU (TCG) inside the chroot, as on a
# real machine, under the host's VM lock (RDBSS_VM_LOCK, the one file of
# the host's cache the chroot sees), so that it never runs beside another
# VM of ours: make test runs this stage beside vmtest.  Prints each step with its time; appends "fresh P F" to
# $RDBSS_RESULTS when set.  Logs: out/fresh/.  FRESH_KEEP=1 keeps the
# scratch root for a look after a failure; FRESH_CMDS overrides the
# commands run inside (default: the three above, without the apt step,
# which always runs).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

suite=bookworm
fdir=$RDBSS_CACHE/fresh
tarball=$fdir/$suite-minbase.tar.gz
logdir=$RDBSS_TOP/out/fresh
mkdir -p "$fdir" "$logdir"
passed=0
failed=0
t_start=$(date +%s)

result() {
	if [ "$1" = ok ]; then
		passed=$((passed + 1))
		echo "ok - $2"
	else
		failed=$((failed + 1))
		echo "not ok - $2"
	fi
}

finish() {
	[ -n "${RDBSS_RESULTS:-}" ] && echo "fresh $passed $failed" >>"$RDBSS_RESULTS"
	echo "fresh-check: $passed passed, $failed failed ($(( $(date +%s) - t_start ))s in all)"
	[ "$failed" -eq 0 ]
	exit
}

# The pristine image, made once.  debootstrap on the host is the host's
# business (it is not part of what the chroot is given).
make_tarball() {
	local tmp=$fdir/minbase.tmp mirror t0
	need_pkgs debootstrap
	mirror=$(rdbss_mirror)
	[ -n "$mirror" ] || die "cannot read the Debian mirror from apt's configuration"
	log "fresh-check: debootstrap --variant=minbase $suite (once; kept in $tarball)"
	t0=$(date +%s)
	rm -rf "$tmp"
	debootstrap --variant=minbase "$suite" "$tmp" "$mirror" >"$logdir/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$logdir/debootstrap.log"; rm -rf "$tmp"; return 1; }
	tar -C "$tmp" --numeric-owner -cf - . | gzip -1 >"$tarball.tmp" || return 1
	rm -rf "$tmp"
	chmod 0444 "$tarball.tmp"
	mv "$tarball.tmp" "$tarball"
	log "fresh-check: minbase image made in $(( $(date +%s) - t0 ))s ($(du -h "$tarball" | cut -f1))"
}

exec 9>"$fdir/.lock"
flock 9
if [ ! -s "$tarball" ] && ! make_tarball; then
	result "not ok" "a pristine Debian 12 minbase image (debootstrap failed, log out/fresh/debootstrap.log)"
	finish
fi

scratch=$(mktemp -d "$fdir/run.XXXXXX")
root=$scratch/root
cleanup() {
	[ -n "${FRESH_KEEP:-}" ] && { log "fresh-check: kept $root"; return; }
	rm -rf --one-file-system "$scratch"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
t0=$(date +%s)
mkdir -p "$root"
tar -C "$root" --numeric-owner -xzpf "$tarball" || {
	result "not ok" "unpack the minbase image"
	finish
}

# What this machine gives any system on it: a name server and the archive.
cp /etc/resolv.conf "$root/etc/resolv.conf"
rm -f "$root/etc/apt/sources.list"
cp -a /etc/apt/sources.list.d/. "$root/etc/apt/sources.list.d/"
[ -s /etc/apt/sources.list ] && cp /etc/apt/sources.list "$root/etc/apt/sources.list"
for f in /etc/apt/apt.conf.d/*; do
	[ -f "$f" ] && grep -q '^[[:space:]]*Acquire::' "$f" &&
		cp "$f" "$root/etc/apt/apt.conf.d/"
done
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

# The tree, as a clone has it.
mkdir -p "$root/root/rdbss"
tar -C "$RDBSS_TOP" --exclude=./build --exclude=./out --exclude=./.git -cf - . |
	tar -C "$root/root/rdbss" -xf -
log "fresh-check: minbase unpacked and the tree copied in $(( $(date +%s) - t0 ))s"

# Pristine: none of what the project needs is there before it asks.
pre=$(chroot "$root" dpkg-query -W -f='${Package} ${Status}\n' make gcc rsync cpio \
	perl python3 kmod qemu-system-x86 busybox-static 2>/dev/null | grep -c 'ok installed')
if [ "$pre" -eq 0 ]; then
	result ok "the chroot is a pristine minbase (no make, gcc, rsync, cpio, perl, python3, kmod, qemu)"
else
	result "not ok" "the chroot is a pristine minbase ($pre of the project's packages already installed)"
fi

cmds=${FRESH_CMDS:-make demo; make; make install}
inner='set -o pipefail
cd /root/rdbss
step() {
	local t0=$(date +%s) rc
	echo "==== fresh: # $*"
	bash -c "$*"
	rc=$?
	echo "==== fresh: exit $rc after $(( $(date +%s) - t0 ))s: $*"
	return $rc
}
step "apt-get update -q && apt-get install -y -q make" || exit 1
IFS=";" read -ra list <<<"$FRESH_CMDS"
for c in "${list[@]}"; do
	step "${c# }" || exit 1
done'

log "fresh-check: running '$cmds' in the chroot (log out/fresh/run.log)"
t0=$(date +%s)
mkdir -p "$RDBSS_CACHE/vm" "$root/run/rdbss-host-vm" "$fdir/archives/partial"
# In the background, so that a signal reaches the trap at once.  unshare
# ignores TERM while it waits, so the trap SIGKILLs it: --kill-child then
# kills the namespace's first process and with it every process of the
# chroot, and its mounts go with its mount namespace.
unshare --mount --pid --fork --kill-child /bin/bash -c '
	root=$1 vmdir=$2 debs=$3; shift 3
	mount -t proc proc "$root/proc" &&
	mount -t sysfs sysfs "$root/sys" &&
	mount --rbind /dev "$root/dev" &&
	mount --bind "$debs" "$root/var/cache/apt/archives" &&
	mount --bind "$vmdir" "$root/run/rdbss-host-vm" || exit 1
	exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 TERM=dumb \
		RDBSS_VM_LOCK=/run/rdbss-host-vm/qemu.lock "$@"' \
	fresh-check "$root" "$RDBSS_CACHE/vm" "$fdir/archives" FRESH_CMDS="$cmds" /bin/bash -c "$inner" \
	>"$logdir/run.log" 2>&1 &
upid=$!
trap 'kill -KILL "$upid" 2>/dev/null; wait "$upid"; exit 1' INT TERM
wait "$upid"
rc=$?
trap 'exit 1' INT TERM
secs=$(( $(date +%s) - t0 ))
grep '^==== fresh: ' "$logdir/run.log" | sed 's/^==== fresh: /  /'
# Each step's time in make test's timing table: fresh-apt, fresh-make-demo, ...
if [ -n "${RDBSS_TIMINGS:-}" ]; then
	sed -n 's/^==== fresh: exit \([0-9]*\) after \([0-9]*\)s: \(.*\)$/\1 \2 \3/p' "$logdir/run.log" |
		while read -r src s c; do
			case $c in apt-get*) c=apt ;; esac
			echo "fresh-${c// /-} $s $src" >>"$RDBSS_TIMINGS"
		done
fi
if [ $rc -eq 0 ] && grep -q '^==> rdbss demo on .*: SUCCESS' "$logdir/run.log"; then
	result ok "from nothing, in ${secs}s: apt-get install make; $cmds"
else
	grep -E 'command not found|not found|^error:|FAILED|^not ok' "$logdir/run.log" |
		head -n 15 | sed 's/^/# /'
	result "not ok" "from nothing: apt-get install make; $cmds (exit $rc after ${secs}s; log out/fresh/run.log)"
fi
# make install's user-space half: the tool runs in the chroot, its manual is there
case "; $cmds;" in
*"; make install;"*)
	if v=$(chroot "$root" /usr/local/sbin/rx9pstat -V 2>&1) &&
		[ -f "$root/usr/local/share/man/man8/rx9pstat.8" ]; then
		result ok "make install: /usr/local/sbin/rx9pstat runs ($v), rx9pstat.8 installed"
	else
		result "not ok" "make install: rx9pstat or its manual missing (${v:-no output})"
	fi
	;;
esac
du -sh "$root/root/.cache/rdbss" 2>/dev/null | awk '{ print "# the chroot'\''s own cache after the run: " $1 }'
finish
