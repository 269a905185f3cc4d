#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bounded write-behind (Documentation/filesystems/rdbss.rst, writepages):
# rdbss's wb_max_inflight_kb parameter (default 8192) bounds one file's
# write-behind in flight.  At 1024 KiB, 16 MiB written through the page
# cache (msize 64 KiB: 60 KiB WRITEs) and fsync'd never has more than
# 1 MiB / 60 KiB = 17 writes, plus a few other requests, in flight on the
# connection (mountstats xprt field 5), and lands intact; unbounded (0),
# the same fsync has many more in flight at once, which shows the bound
# is what held them (not on the debug kernel, too slow for requests to
# pile up).  TCP only: over a Unix socket the sender blocks on
# the socket's buffer before the bound is reached.
# needs: nomount
# targets: rx9p
. "$(dirname "$0")/lib.sh"

MSIZE=65536
P=/sys/module/rdbss/parameters/wb_max_inflight_kb
[ -w $P ] || fail "no writable $P"
assert_eq "$(cat $P)" 8192 "the default bound"
trap 'echo 8192 >$P' EXIT

# max_inflight: the most requests in flight at once on this mount's
# connection.
max_inflight() {
	awk -v mnt="$MNT" '
		/^device / { on = ($5 == mnt) }
		on && $1 == "xprt:" { print $6; exit }' /proc/self/mountstats
}

# run KIB MSIZE: mount (asking MSIZE: a connection of its own), write
# 16 MiB and fsync with the bound at KIB; sets MAXF, the most in flight.
run() {
	echo "$1" >$P
	MSIZE=$2
	do_mount || fail "mount: $SYS_RESULT"
	io open="$MNT/wb:rdwr,creat,trunc" pw=0:16m:7:1m fsync close
	MAXF=$(max_inflight)
	pattern 0 16777216 7 >/tmp/wb.ref
	assert_server wb /tmp/wb.ref
	rm -f "$MNT/wb" /tmp/wb.ref
	umount "$MNT" || fail "umount"
}

run 1024 65536
bounded=$MAXF
note "16 MiB + fsync, bound 1024 KiB: at most $bounded in flight"
[ "$bounded" -le 24 ] ||
	fail "$bounded requests in flight with write-behind bounded at 1 MiB (17 WRITEs)"
run 0 65540
unbounded=$MAXF
note "unbounded: at most $unbounded in flight"
# The debug kernel (KASAN, lockdep) is too slow for requests to pile up:
# there the control only informs.
case $(uname -r) in
*-rdbss-debug) ;;
*)	[ "$unbounded" -gt 24 ] ||
		fail "unbounded write-behind had only $unbounded in flight: the test shows nothing" ;;
esac
exit 0
