#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run.sh: the functional test runner, inside the test VM (busybox sh).
# Loads the modules, runs every tests/functional/NNN-*.sh with the export
# mounted on MNT (see lib.sh for the test conventions), checks that the
# modules refuse to unload while in use and unload cleanly at the end, and
# prints TAP on stdout.
#
# Environment (set by /init from the kernel command line):
#   RDBSS_FSTYPE   rx9p (default: our modules) or 9p (the distribution's
#                  v9fs, to check the tests and the server themselves)
#   RDBSS_TESTS    comma-separated test name prefixes to run (default all)
#   RDBSS_TIMEOUT  per-test bound in seconds (default 180)
#   RDBSS_VERBOSE  1: show the output of passing tests too
#   RDBSS_NOSKIP   1: run "needs: rx9p" tests with any FSTYPE (to see
#                  what v9fs does)
T=$(cd "$(dirname "$0")" && pwd)
. "$T/lib.sh"

FSTYPE=${RDBSS_FSTYPE:-rx9p}
TIMEOUT=${RDBSS_TIMEOUT:-180}
MNT=/mnt/rx
EXPORT=/srv/export
export MNT EXPORT FSTYPE SERVER PORT
trap - EXIT

case $FSTYPE in
rx9p) MOD_FS=mrx9p MOD_CORE=rdbss ;;
9p) MOD_FS=9p MOD_CORE=9pnet ;;
*) echo "Bail out! unknown RDBSS_FSTYPE $FSTYPE"; exit 2 ;;
esac

n=0
nfail=0
OUT=/tmp/test.out

# result OK|FAIL NAME [DIRECTIVE]: one TAP line, then OUT as diagnostics.
result() {
	n=$((n + 1))
	if [ "$1" = OK ]; then
		echo "ok $n - $2${3:+ # $3}"
		[ "${RDBSS_VERBOSE:-0}" = 1 ] && [ -s $OUT ] && sed 's/^/# /' $OUT
	else
		nfail=$((nfail + 1))
		echo "not ok $n - $2"
		[ -s $OUT ] && sed 's/^/# /' $OUT
	fi
	: >$OUT
}

# show_kmsg: the kernel lines since the mark, as diagnostics (last 40).
show_kmsg() {
	kmsg_since | tail -n 40 | sed 's/^/kernel: /' >>$OUT
}

# insmod_once FILE: load a module unless a module of that name is loaded.
insmod_once() {
	local m
	m=$(basename "$1" .ko | tr - _)
	is_loaded "$m" && return 0
	insmod "$1" >>$OUT 2>&1
}

load_modules() {
	local m dir=/modules/deps
	[ "$FSTYPE" = 9p ] && dir=/modules/dist
	if [ -f $dir/load.order ]; then
		for m in $(cat $dir/load.order); do
			insmod_once "$dir/$m" || return 1
		done
	fi
	if [ "$FSTYPE" = rx9p ]; then
		for m in rdbss mrx9p; do
			[ -f /modules/$m.ko ] || { echo "/modules/$m.ko is missing" >>$OUT; return 1; }
			insmod_once /modules/$m.ko || return 1
		done
	fi
	grep -qw "$FSTYPE" /proc/filesystems || {
		echo "no $FSTYPE in /proc/filesystems" >>$OUT
		return 1
	}
}

# unload_modules: what load_modules loaded that is ours to unload.
unload_modules() {
	local m
	if [ "$FSTYPE" = rx9p ]; then
		for m in mrx9p rdbss; do
			rmmod "$m" >>$OUT 2>&1 || return 1
		done
	else
		for m in $(tac /modules/dist/load.order); do
			m=$(basename "$m" .ko | tr - _)
			is_loaded "$m" && { rmmod "$m" >>$OUT 2>&1 || return 1; }
		done
	fi
	return 0
}

selected() {
	local p
	[ -z "$RDBSS_TESTS" ] && return 0
	for p in $(echo "$RDBSS_TESTS" | tr , ' '); do
		case $1 in "$p"*) return 0 ;; esac
	done
	return 1
}

clean_export() {
	rm -rf "${EXPORT:?}"/* "$EXPORT"/.[!.]* 2>/dev/null
}

# Stray helpers (fake servers) of a test that was killed.
kill_strays() {
	local p
	for p in /proc/[0-9]*; do
		case $(tr '\0' ' ' 2>/dev/null <"$p/cmdline") in
		*fake9p.sh*|"nc -l"*) kill "${p#/proc/}" 2>/dev/null ;;
		esac
	done
	true
}

: >$OUT
echo "# rdbss functional tests: fstype $FSTYPE, kernel $(uname -r)"
mkdir -p $MNT

kmsg_mark
if load_modules; then
	show_kmsg
	result OK "load modules ($FSTYPE)"
else
	show_kmsg
	result FAIL "load modules ($FSTYPE)"
	echo "Bail out! cannot load the modules"
	echo "1..$n"
	exit 1
fi

for t in "$T"/[0-9]*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	selected "$name" || continue
	needs=$(sed -n 's/^# needs: *//p' "$t" | tr '\n' ' ')
	extra=$(sed -n 's/^# mount-opts: *//p' "$t" | head -n 1)
	tt=$(sed -n 's/^# timeout: *//p' "$t" | head -n 1)
	: "${tt:=$TIMEOUT}"
	case " $needs " in
	*" rx9p "*)
		if [ "$FSTYPE" != rx9p ] && [ "${RDBSS_NOSKIP:-0}" != 1 ]; then
			result OK "$name" "SKIP rx9p only"
			continue
		fi ;;
	esac

	clean_export
	kmsg_mark
	splats=$(splat_count)
	mounted=0
	case " $needs " in
	*" nomount "*) ;;
	*)
		if do_mount "$extra"; then
			mounted=1
		else
			echo "mount -t $FSTYPE -o $(mount_opts "$extra") $SERVER $MNT: $SYS_RESULT (${SYS_MS}ms)" >>$OUT
			show_kmsg
			result FAIL "$name"
			continue
		fi ;;
	esac

	t0=$(cut -d' ' -f1 /proc/uptime)
	(cd /tmp && MNT=$MNT EXPORT=$EXPORT timeout -k 10 "$tt" sh "$t") >>$OUT 2>&1
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	kill_strays
	status=OK
	directive=
	case $rc in
	0) ;;
	77) directive="SKIP $(sed -n 's/^SKIP: //p' $OUT | tail -n 1)" ;;
	137|143) status=FAIL; echo "timed out after ${tt}s" >>$OUT ;;
	*) status=FAIL; echo "exit status $rc" >>$OUT ;;
	esac
	if [ $mounted = 1 ]; then
		if ! timeout -k 5 60 umount $MNT >>$OUT 2>&1; then
			status=FAIL
			echo "umount $MNT failed" >>$OUT
			umount -l $MNT 2>/dev/null
		fi
	fi
	if is_mounted $MNT; then
		status=FAIL
		echo "still mounted: $(grep " $MNT " /proc/mounts)" >>$OUT
		umount -l $MNT 2>/dev/null
	fi
	if [ "$(splat_count)" -gt "$splats" ]; then
		status=FAIL
		echo "kernel splat during this test:" >>$OUT
		show_kmsg
	elif [ $status = FAIL ]; then
		show_kmsg
	fi
	echo "time: $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')s" >>$OUT
	result $status "$name" "$directive"
done

# The modules' lifetime.
clean_export
kmsg_mark
if do_mount; then
	if sys delete_module $MOD_FS; then
		echo "rmmod $MOD_FS succeeded while $MNT was mounted" >>$OUT
		st=FAIL
	elif is_loaded $MOD_FS; then
		echo "rmmod $MOD_FS: $SYS_RESULT (refcount $(mod_refcnt $MOD_FS))" >>$OUT
		st=OK
	else
		st=FAIL
	fi
	timeout -k 5 60 umount $MNT >>$OUT 2>&1 || { st=FAIL; echo "umount failed" >>$OUT; }
else
	echo "mount: $SYS_RESULT" >>$OUT
	st=FAIL
fi
[ $st = FAIL ] && show_kmsg
result $st "rmmod $MOD_FS refused while mounted"

if sys delete_module $MOD_CORE; then
	echo "rmmod $MOD_CORE succeeded while $MOD_FS was loaded" >>$OUT
	result FAIL "rmmod $MOD_CORE refused while $MOD_FS is loaded"
else
	echo "rmmod $MOD_CORE: $SYS_RESULT" >>$OUT
	result OK "rmmod $MOD_CORE refused while $MOD_FS is loaded"
fi

# Nothing may be left: no mounts, no references (give a delayed close or
# a scavenger a few seconds).
st=OK
if grep -q " $FSTYPE " /proc/mounts; then
	grep " $FSTYPE " /proc/mounts >>$OUT
	st=FAIL
fi
i=0
while [ "$(mod_refcnt $MOD_FS)" != 0 ] && [ $i -lt 10 ]; do
	sleep 0.5
	i=$((i + 1))
done
if [ "$(mod_refcnt $MOD_FS)" != 0 ]; then
	echo "$MOD_FS refcount $(mod_refcnt $MOD_FS) with nothing mounted" >>$OUT
	st=FAIL
fi
result $st "nothing left mounted or referenced"

kmsg_mark
if unload_modules && ! is_loaded $MOD_FS && ! is_loaded $MOD_CORE; then
	result OK "rmmod $MOD_FS $MOD_CORE"
else
	show_kmsg
	result FAIL "rmmod $MOD_FS $MOD_CORE"
fi

echo "1..$n"
echo "# $((n - nfail)) passed, $nfail failed"
[ $nfail = 0 ]
