#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run.sh: the functional test runner, inside the test VM (busybox sh).
# Loads the modules, runs every tests/functional/NNN-*.sh against each
# target (a mount configuration, below) the test applies to, checks that
# the modules refuse to unload while in use and unload cleanly at the end,
# and prints TAP on stdout: one line per (target, test), named
# TARGET/TEST, e.g. "ok 12 - rx9p/035-mmap".
#
# Targets (columns):
#   v9fs              the distribution's own 9p client on the diod export
#                     (the reference: its failures are reported as
#                     "not ok ... # TODO v9fs fails" and fail nothing)
#   rx9p              mount -t rx9p of diod over TCP (127.0.0.1)
#   rxloop-MODE       mount -t rxloop -o complete=MODE, MODE one of inline,
#                     softirq, workqueue, delayed; a fresh in-memory server
#                     per test; EXPORT is then a second mount of the same
#                     server (complete=inline,cache=none), the "server's
#                     copy"
#   rx9p-ipv6         rx9p over TCP to ::1
#   rx9p-unix         rx9p over a Unix socket (a second diod listening on
#                     /run/diod-unix.sock)
#   v9fs-ganesha      v9fs on nfs-ganesha's 9P front end (FSAL_VFS, a tmpfs
#                     export /srv/ganesha on TCP port 5640), started by
#                     this script when a ganesha target is wanted (the
#                     reference for rx9p-ganesha)
#   rx9p-ganesha      rx9p on the same ganesha export
# A test says where it applies with "# targets: WORDS" (default "all"):
#   all = v9fs rx9p rxloop ganesha;  9p = diod ganesha;  diod = v9fs rx9p;
#   ganesha = v9fs-ganesha rx9p-ganesha;  rxloop = the four modes;
#   core = rx9p-ipv6 rx9p-unix;  or target names.
# Per server, a line "parity SERVER KERNEL: rx9p X/N v9fs Y/N" (SERVER diod
# or ganesha) compares rx9p and v9fs on the tests both ran against it; an
# rx9p failure of a test v9fs passes on the same server is a failure
# marked "(v9fs passes)" whatever known-failures says, and the tests v9fs
# fails are listed as "# v9fs fails:".  If ganesha does not start, that is
# one failed TAP line and its targets are dropped.
#
# Environment (set by /init from the kernel command line):
#   RDBSS_TARGETS  comma-separated targets or groups (default all core)
#   RDBSS_FSTYPE   9p: the v9fs target only (the harness self-test)
#   RDBSS_TESTS    comma-separated test name prefixes to run (default all)
#   RDBSS_TIMEOUT  per-test bound in seconds (default 120)
#   RDBSS_VERBOSE  1: show the output of passing tests too
T=$(cd "$(dirname "$0")" && pwd)
. "$T/lib.sh"
. "$T/ganesha.sh"

TIMEOUT=${RDBSS_TIMEOUT:-120}
KNAME=$(cut -d' ' -f1 /etc/rdbss-kernel 2>/dev/null)
: "${KNAME:=$(uname -r)}"
ALL_TARGETS="v9fs rx9p rxloop-inline rxloop-softirq rxloop-workqueue rxloop-delayed rx9p-ipv6 rx9p-unix v9fs-ganesha rx9p-ganesha"
RES=/tmp/results
OUT=/tmp/test.out
UNIX_SOCK=/run/diod-unix.sock
# Seconds a ganesha target may take (about 80 normally): the rest of its
# tests fail unrun after that.
GANESHA_BUDGET=300
trap - EXIT
rm -rf $RES
mkdir -p $RES

# expand WORDS: target names for targets and group names.
expand() {
	local w
	for w in "$@"; do
		case $w in
		all) echo v9fs rx9p rxloop-inline rxloop-softirq rxloop-workqueue rxloop-delayed \
			  v9fs-ganesha rx9p-ganesha ;;
		9p) echo v9fs rx9p v9fs-ganesha rx9p-ganesha ;;
		diod) echo v9fs rx9p ;;
		ganesha) echo v9fs-ganesha rx9p-ganesha ;;
		rxloop) echo rxloop-inline rxloop-softirq rxloop-workqueue rxloop-delayed ;;
		core) echo rx9p-ipv6 rx9p-unix ;;
		*) echo "$w" ;;
		esac
	done | tr ' ' '\n' | grep . | sort -u
}

if [ -n "${RDBSS_TARGETS:-}" ]; then
	# shellcheck disable=SC2046 # a list of words
	want=$(expand $(echo "$RDBSS_TARGETS" | tr , ' '))
elif [ "${RDBSS_FSTYPE:-rx9p}" = 9p ]; then
	want=v9fs
else
	want=$(expand all core)
fi
TARGETS=
for t in $ALL_TARGETS; do
	echo "$want" | grep -qx "$t" && TARGETS="$TARGETS $t"
done
for t in $want; do
	case " $ALL_TARGETS " in *" $t "*) ;; *) echo "Bail out! unknown target $t"; exit 2 ;; esac
done

# has_target PREFIX: some target's name starts with PREFIX (rx9p: any
# rx9p target, whatever its server).
has_target() {
	case " $TARGETS " in *" $1"*) return 0 ;; esac
	return 1
}

# in_targets NAME: that very target is to run.
in_targets() {
	case " $TARGETS " in *" $1 "*) return 0 ;; esac
	return 1
}

n=0
nfail=0

# result OK|FAIL|TODO NAME [DIRECTIVE]: one TAP line, then OUT as
# diagnostics.
result() {
	n=$((n + 1))
	case $1 in
	OK)
		echo "ok $n - $2${3:+ # $3}"
		[ "${RDBSS_VERBOSE:-0}" = 1 ] && [ -s $OUT ] && sed 's/^/# /' $OUT ;;
	TODO)
		echo "not ok $n - $2 # TODO $3"
		[ -s $OUT ] && tail -n 25 $OUT | sed 's/^/# /' ;;
	*)
		nfail=$((nfail + 1))
		echo "not ok $n - $2${3:+ ($3)}"
		[ -s $OUT ] && sed 's/^/# /' $OUT ;;
	esac
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

# Ours: what the targets need, in load order.
OURS=
has_target rx9p && OURS="$OURS mrx9p"
has_target rxloop && OURS="$OURS rxloop"
[ -n "$OURS" ] && OURS="rdbss$OURS"

load_modules() {
	local m dir
	for dir in /modules/deps /modules/dist; do
		[ $dir = /modules/dist ] && ! has_target v9fs && continue
		[ $dir = /modules/deps ] && [ -z "$OURS" ] && continue
		[ -f $dir/load.order ] || continue
		for m in $(cat $dir/load.order); do
			insmod_once "$dir/$m" || return 1
		done
	done
	for m in $OURS; do
		[ -f /modules/$m.ko ] || { echo "/modules/$m.ko is missing" >>$OUT; return 1; }
		insmod_once /modules/$m.ko || return 1
	done
	for m in $(has_target rx9p && echo rx9p) $(has_target rxloop && echo rxloop) \
		 $(has_target v9fs && echo 9p); do
		grep -qw "$m" /proc/filesystems || {
			echo "no $m in /proc/filesystems" >>$OUT
			return 1
		}
	done
}

# A second diod for the Unix socket target.
start_unix_diod() {
	local i=0
	[ -S $UNIX_SOCK ] && return 0
	diod -f -n -N -l $UNIX_SOCK -e /srv/export -L /tmp/diod-unix.log &
	UNIX_DIOD=$!
	while [ ! -S $UNIX_SOCK ] && [ $i -lt 50 ]; do
		kill -0 $UNIX_DIOD 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	[ -S $UNIX_SOCK ]
}

# use_target NAME: the variables the tests and lib.sh's mount helpers read.
# SRV is the server (diod, ganesha, rxloop); REF the reference target whose
# results TARGET's must match (rx9p's and rx9p-ganesha's: v9fs on the same
# server); ISREF=1 for a reference target (v9fs), whose failures fail
# nothing.
use_target() {
	TARGET=$1
	TRANS=tcp PORT=564 ANAME=/srv/export MODE='' PEER=
	MNT=/mnt/rx EXPORT=/srv/export SRV=diod REF='' ISREF=''
	case $1 in
	v9fs) KIND=9p FSTYPE=9p SERVER=127.0.0.1 ISREF=1 ;;
	rx9p) KIND=9p FSTYPE=rx9p SERVER=127.0.0.1 REF=v9fs ;;
	v9fs-ganesha) KIND=9p FSTYPE=9p SERVER=127.0.0.1 ISREF=1 ;;
	rx9p-ganesha) KIND=9p FSTYPE=rx9p SERVER=127.0.0.1 REF=v9fs-ganesha ;;
	rx9p-ipv6) KIND=9p FSTYPE=rx9p SERVER=::1 ;;
	rx9p-unix) KIND=9p FSTYPE=rx9p SERVER=$UNIX_SOCK TRANS=unix PORT= ;;
	rxloop-*)
		KIND=rxloop FSTYPE=rxloop MODE=${1#rxloop-} SERVER=rxt SRV=rxloop
		PEER=/mnt/peer EXPORT=/mnt/peer ;;
	esac
	case $1 in
	*-ganesha) SRV=ganesha PORT=$GANESHA_PORT ANAME=$GANESHA_EXPORT EXPORT=$GANESHA_EXPORT ;;
	esac
	export TARGET KIND FSTYPE SERVER TRANS PORT ANAME MODE MNT EXPORT PEER SRV
}

# applies TEST-FILE: whether it runs on TARGET.
applies() {
	local words
	words=$(sed -n 's/^# targets: *//p' "$1" | head -n 1)
	: "${words:=all}"
	# shellcheck disable=SC2086 # a list of words
	expand $words | grep -qx "$TARGET"
}

selected() {
	local p
	[ -z "$RDBSS_TESTS" ] && return 0
	for p in $(echo "$RDBSS_TESTS" | tr , ' '); do
		case $1 in "$p"*) return 0 ;; esac
	done
	return 1
}

# clean_export: empty the 9P server's export (diod's or ganesha's).
clean_export() {
	rm -rf "${EXPORT:?}"/* "$EXPORT"/.[!.]* 2>/dev/null
}

# Stray helpers (fake servers, lock holders) of a test that was killed.
kill_strays() {
	local p
	for p in /proc/[0-9]*; do
		case $(tr '\0' ' ' 2>/dev/null <"$p/cmdline") in
		*fake9p.sh*|"nc -l"*|"rxio "*|"p9proxy "*) kill "${p#/proc/}" 2>/dev/null ;;
		esac
	done
	true
}

# our_mounts: mounts of the filesystem types under test.
our_mounts() {
	awk '$3 == "rx9p" || $3 == "9p" || $3 == "rxloop"' /proc/mounts
}

# run_test FILE: one (target, test); the TAP line is printed by result.
run_test() {
	local t=$1 name needs extra tt mounted=0 rc t0 t1 status directive left
	name=$(basename "$t" .sh)
	needs=$(sed -n 's/^# needs: *//p' "$t" | tr '\n' ' ')
	if [ "$FSTYPE" = 9p ]; then
		extra=$(sed -n 's/^# v9fs-opts: *//p' "$t" | head -n 1)
		: "${extra:=cache=none}"
	else
		extra=$(sed -n 's/^# mount-opts: *//p' "$t" | head -n 1)
	fi
	tt=$(sed -n 's/^# timeout: *//p' "$t" | head -n 1)
	: "${tt:=$TIMEOUT}"

	if [ "$TARGET" = rx9p-unix ] && [ -n "$UNIX_SKIP" ]; then
		report "$name" OK "SKIP $UNIX_SKIP"
		return
	fi
	if [ "$SRV" = ganesha ] &&
	   [ "$(awk -v t0="$tstart" '{ printf "%d", $1 - t0 }' /proc/uptime)" -gt "$GANESHA_BUDGET" ]; then
		# a server that hangs must not take the VM's whole time
		echo "not run: the $TARGET target took more than its ${GANESHA_BUDGET}s" >>$OUT
		report "$name" FAIL
		return
	fi
	if [ "$SRV" = ganesha ] && ! ganesha_alive; then
		echo "nfs-ganesha was not running: started again" >>$OUT
		start_ganesha || echo "and it does not start" >>$OUT
	fi
	if [ $KIND = 9p ]; then
		clean_export
	else
		SERVER=rxt$n	# a fresh server for each test
	fi
	kmsg_mark
	splats=$(splat_count)
	case " $needs " in
	*" nomount "*) ;;
	*)
		if do_mount "$extra"; then
			mounted=1
		else
			echo "mount -t $FSTYPE -o $(mount_opts "$extra") $SERVER $MNT: $SYS_RESULT (${SYS_MS}ms)" >>$OUT
		fi
		if [ $mounted = 1 ] && [ -n "$PEER" ]; then
			MODE=inline
			do_mount cache=none "$SERVER" "$PEER" || {
				echo "mount of the peer $PEER: $SYS_RESULT (${SYS_MS}ms)" >>$OUT
				mounted=2
			}
			MODE=${TARGET#rxloop-}
		fi
		if [ $mounted != 1 ]; then
			our_mounts | awk '{ print $2 }' | while read -r m; do umount -l "$m"; done
			show_kmsg
			report "$name" FAIL "mount failed"
			return
		fi ;;
	esac

	t0=$(cut -d' ' -f1 /proc/uptime)
	(cd /tmp && timeout -k 10 "$tt" sh "$t") >>$OUT 2>&1
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
		for m in $PEER $MNT; do
			if ! timeout -k 5 60 umount $m >>$OUT 2>&1; then
				status=FAIL
				echo "umount $m failed" >>$OUT
				umount -l $m 2>/dev/null
			fi
		done
	fi
	if [ "$SRV" = ganesha ] && ! ganesha_alive; then
		# A server crash is no client result: say so, and start it
		# again for the next test.
		status=FAIL
		{
			echo "nfs-ganesha died during the test; its log ends:"
			tail -n 15 /tmp/ganesha.log /tmp/ganesha.out 2>/dev/null
		} >>$OUT
		start_ganesha || echo "and does not start again" >>$OUT
	fi
	left=$(our_mounts)
	if [ -n "$left" ]; then
		status=FAIL
		echo "still mounted after the test: $left" >>$OUT
		echo "$left" | awk '{ print $2 }' | while read -r m; do umount -l "$m"; done
	fi
	if [ "$(splat_count)" -gt "$splats" ]; then
		status=FAIL
		echo "kernel splat during this test:" >>$OUT
		show_kmsg
	elif [ $status = FAIL ]; then
		show_kmsg
	fi
	echo "time: $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')s" >>$OUT
	echo "$TARGET $name $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')" >>$RES/times

	report "$name" $status "$directive"
}

# known_failure TARGET/NAME: the reason, if tests/functional/known-failures
# lists it (an open defect, tracked there with its cause; never used for a
# test v9fs passes on the same server).  Lines: "GLOB REASON", GLOB matched
# against TARGET/NAME.
known_failure() {
	local glob reason
	[ -f "$T/known-failures" ] || return 1
	while read -r glob reason; do
		case $glob in '' | '#'*) continue ;; esac
		# shellcheck disable=SC2254
		case $1 in $glob) echo "$reason"; return 0 ;; esac
	done <"$T/known-failures"
	return 1
}

# report NAME OK|FAIL [DIRECTIVE|WHY]: record the result of (TARGET, NAME)
# for the parity line and print its TAP line.
report() {
	local name=$1 status=$2 directive=$3
	if [ "$status" = OK ] && [ -n "$directive" ]; then
		echo SKIP >"$RES/$TARGET.$name"
	else
		echo "$status" >"$RES/$TARGET.$name"
	fi
	if [ "$status" = FAIL ] && [ -n "$ISREF" ]; then
		result TODO "$TARGET/$name" "v9fs fails${directive:+ ($directive)}"
	elif [ "$status" = FAIL ] && [ -n "$REF" ] &&
	     [ "$(cat "$RES/$REF.$name" 2>/dev/null)" = OK ]; then
		result FAIL "$TARGET/$name" "${directive:+$directive, }v9fs passes"
	elif [ "$status" = FAIL ] && known=$(known_failure "$TARGET/$name"); then
		result TODO "$TARGET/$name" "known defect: $known"
	else
		result "$status" "$TARGET/$name" "$directive"
	fi
}

# parity SERVER REF RX: the rx9p target RX against the v9fs target REF
# (both on SERVER) on the tests both ran.
parity() {
	local srv=$1 ref=$2 rxt=$3 f name both=0 rx=0 v9=0 vfails='' rxonly=''
	for f in "$RES/$ref".*; do
		[ -f "$f" ] || continue
		name=${f#"$RES/$ref".}
		[ -f "$RES/$rxt.$name" ] || continue
		[ "$(cat "$f")" = SKIP ] && continue
		[ "$(cat "$RES/$rxt.$name")" = SKIP ] && continue
		both=$((both + 1))
		[ "$(cat "$RES/$rxt.$name")" = OK ] && rx=$((rx + 1))
		if [ "$(cat "$f")" = OK ]; then
			v9=$((v9 + 1))
			[ "$(cat "$RES/$rxt.$name")" = OK ] || rxonly="$rxonly $name"
		else
			vfails="$vfails $name"
		fi
	done
	echo "parity $srv $KNAME: rx9p $rx/$both v9fs $v9/$both"
	[ -n "$vfails" ] && echo "# v9fs fails:$vfails"
	[ -n "$rxonly" ] && echo "# rx9p fails where v9fs passes:$rxonly"
	true
}

: >$OUT
echo "# rdbss functional tests: kernel $(uname -r), targets$TARGETS"
mkdir -p /mnt/rx /mnt/peer

kmsg_mark
mods=$(echo "$OURS" "$(has_target v9fs && echo 9p)" | tr -s ' ' | sed 's/^ //; s/ $//')
if load_modules; then
	show_kmsg
	result OK "load modules ($mods)"
else
	show_kmsg
	result FAIL "load modules ($mods)"
	echo "Bail out! cannot load the modules"
	echo "1..$n"
	exit 1
fi

UNIX_SKIP=
UNIX_DIOD=
if has_target rx9p-unix && ! start_unix_diod; then
	UNIX_SKIP="diod does not listen on the Unix socket $UNIX_SOCK: $(tail -n 3 /tmp/diod-unix.log 2>/dev/null | tr '\n' ' ')"
fi

# ganesha is part of the suite: if it was wanted and does not start, that
# fails the run (once, with its log) and its targets are dropped.
GANESHA=
if in_targets v9fs-ganesha || in_targets rx9p-ganesha; then
	t0=$(cut -d' ' -f1 /proc/uptime)
	if start_ganesha; then
		result OK "start nfs-ganesha (9P on port $GANESHA_PORT)"
		echo "# nfs-ganesha listening after $(echo "$t0 $(cut -d' ' -f1 /proc/uptime)" |
			awk '{ printf "%.1f", $2 - $1 }')s"
	else
		{
			echo "ganesha.nfsd did not listen on port $GANESHA_PORT:"
			tail -n 20 /tmp/ganesha.out /tmp/ganesha.log 2>/dev/null
		} >>$OUT
		result FAIL "start nfs-ganesha (9P on port $GANESHA_PORT)"
		[ -n "$GANESHA" ] && kill "$GANESHA" 2>/dev/null
		GANESHA=
		left=
		for t in $TARGETS; do
			case $t in *-ganesha) ;; *) left="$left $t" ;; esac
		done
		TARGETS=$left
	fi
fi

for target in $TARGETS; do
	use_target "$target"
	tstart=$(cut -d' ' -f1 /proc/uptime)
	ntests=0
	for t in "$T"/[0-9]*.sh; do
		[ -f "$t" ] || continue
		selected "$(basename "$t" .sh)" || continue
		applies "$t" || continue
		run_test "$t"
		ntests=$((ntests + 1))
	done
	echo "# target $target: $ntests tests, $(echo "$tstart $(cut -d' ' -f1 /proc/uptime)" |
		awk '{ printf "%.1f", $2 - $1 }')s"
	[ "$target" = rx9p ] && in_targets v9fs && parity diod v9fs rx9p
	[ "$target" = rx9p-ganesha ] && in_targets v9fs-ganesha &&
		parity ganesha v9fs-ganesha rx9p-ganesha
done
[ -n "$UNIX_DIOD" ] && kill "$UNIX_DIOD" 2>/dev/null
[ -n "$GANESHA" ] && kill "$GANESHA" 2>/dev/null
if [ -s $RES/times ]; then
	echo "# slowest: $(sort -k3 -rn $RES/times | head -n 8 |
		awk '{ printf "%s%s/%s %ss", (NR > 1 ? ", " : ""), $1, $2, $3 }')"
fi
# The fault-injection cases (recorded by faultlib.sh, several per test).
if [ -s $RES/faults ]; then
	skipped=$(grep -c ' skipped$' $RES/faults)
	if [ "$skipped" -gt 0 ]; then skipped=", $skipped skipped"; else skipped=; fi
	echo "faults $KNAME: $(grep -c ' begin$' $RES/faults) cases, $(grep -c ' clean$' $RES/faults) clean$skipped"
	awk '$3 == "begin" { b[$1 "/" $2] = 1 } $3 == "clean" || $3 == "skipped" { delete b[$1 "/" $2] }
	     END { for (c in b) s = s " " c; if (s != "") print "# fault cases not clean:" s }' $RES/faults
fi

# The modules' lifetime: each filesystem module refuses to go while
# mounted, the core while they are loaded; nothing is left afterwards.
if [ -n "$OURS" ]; then
	for m in $OURS; do
		case $m in
		mrx9p) use_target rx9p ;;
		rxloop) use_target rxloop-inline ;;
		*) continue ;;
		esac
		clean_export
		kmsg_mark
		if do_mount; then
			if sys delete_module "$m"; then
				echo "rmmod $m succeeded while $MNT was mounted" >>$OUT
				st=FAIL
			elif is_loaded "$m"; then
				echo "rmmod $m: $SYS_RESULT (refcount $(mod_refcnt "$m"))" >>$OUT
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
		result $st "rmmod $m refused while mounted"
	done

	if sys delete_module rdbss; then
		echo "rmmod rdbss succeeded while$OURS were loaded" >>$OUT
		result FAIL "rmmod rdbss refused while its mini-redirectors are loaded"
	else
		echo "rmmod rdbss: $SYS_RESULT" >>$OUT
		result OK "rmmod rdbss refused while its mini-redirectors are loaded"
	fi

	# Nothing may be left: no mounts, no references (give a delayed close
	# or a scavenger a few seconds).
	st=OK
	if [ -n "$(our_mounts)" ]; then
		our_mounts >>$OUT
		st=FAIL
	fi
	for m in $OURS; do
		[ "$m" = rdbss ] && continue
		i=0
		while [ "$(mod_refcnt "$m")" != 0 ] && [ $i -lt 10 ]; do
			sleep 0.5
			i=$((i + 1))
		done
		if [ "$(mod_refcnt "$m")" != 0 ]; then
			echo "$m refcount $(mod_refcnt "$m") with nothing mounted" >>$OUT
			st=FAIL
		fi
	done
	result $st "nothing left mounted or referenced"

	kmsg_mark
	st=OK
	for m in $(echo $OURS | tr ' ' '\n' | tac); do
		rmmod "$m" >>$OUT 2>&1 || st=FAIL
		is_loaded "$m" && st=FAIL
	done
	[ $st = FAIL ] && show_kmsg
	result $st "rmmod $(echo $OURS | tr ' ' '\n' | tac | tr '\n' ' ' | sed 's/ $//')"
fi

echo "1..$n"
echo "# $((n - nfail)) passed, $nfail failed"
[ $nfail = 0 ]
