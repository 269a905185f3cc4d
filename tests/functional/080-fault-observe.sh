#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Observing a mount in trouble (Documentation/filesystems/rdbss.rst and
# rx9p.rst): a read whose reply the proxy holds back shows in
# /sys/kernel/debug/rdbss/contexts (its rx_context, with the 9P tag and
# Tread under it) and under its connection in srv_calls, and is gone once
# the reply came; the files are root's only; an Rlerror is counted as an
# error of its 9P message in mountstats, and a reply with a tag nobody
# waits for as a protocol error.  pr_debug sites answer to dynamic debug.
# See faultlib.sh.
# needs: nomount
# targets: rx9p
# timeout: 300
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faultlib.sh"

D=/sys/kernel/debug/rdbss

debugfs_up() {
	[ -d $D ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	[ -f $D/contexts ] || fail "no $D/contexts"
}

# ms_line KEY: this mount's "KEY: ..." line of mountstats, KEY stripped.
ms_line() {
	awk -v mnt="$MNT" -v k="$1:" '
		/^device / { on = ($5 == mnt) }
		on { sub(/^[ \t]+/, "") }
		on && $1 == k { $1 = ""; sub(/^ /, ""); print; exit }' /proc/self/mountstats
}

case_debugfs_delayed_read() {
	fmount cache=none
	mkfile a 64k 1
	debugfs_up
	proxy_fault delay=6000,type=Rread
	bg_run rxio run open="$MNT/a:rdonly" pr=0:64k:1 close
	reader=$BG_LAST
	i=0
	until grep -q '^  9p tag [0-9]* Tread sent ' $D/contexts; do
		i=$((i + 1))
		[ $i -gt 80 ] && { cat $D/contexts; fail "the held Tread never showed in contexts"; }
		sleep 0.05
	done
	cat $D/contexts >/tmp/obs.ctx
	cat $D/srv_calls >/tmp/obs.sc
	note "contexts: $(grep -B1 ' Tread ' /tmp/obs.ctx | head -n 2)"
	tag=$(awk '$1 == "9p" && $4 == "Tread" { print $3; exit }' /tmp/obs.ctx)
	# its rx_context: the line above it, a READ made by rxio
	grep -B1 "^  9p tag $tag Tread " /tmp/obs.ctx | head -n 1 >/tmp/obs.c1
	grep -q '^ctx [0-9a-f]* READ/[0-9]* lowio READ age_ms [0-9]* .* comm rxio ' /tmp/obs.c1 ||
		fail "the Tread's context: $(cat /tmp/obs.c1)"
	grep -q "^srv_call .* users [1-9]" /tmp/obs.sc || fail "no srv_call: $(head -n 3 /tmp/obs.sc)"
	grep -q "^  9p conn up server " /tmp/obs.sc || fail "no connection line: $(cat /tmp/obs.sc)"
	grep -q "^    9p tag $tag Tread sent " /tmp/obs.sc ||
		fail "tag $tag not under the connection: $(cat /tmp/obs.sc)"
	grep -q "^  net_root .* dev [0-9]*:[0-9]* buffering " /tmp/obs.sc ||
		fail "no net_root: $(cat /tmp/obs.sc)"
	grep -q "^    v_net_root .* uid 0 " /tmp/obs.sc || fail "no v_net_root for uid 0"
	wait "$reader"
	assert_eq "$?" 0 "the read of the late reply"
	expect_fired
	grep -q "^  9p tag $tag Tread " $D/contexts && fail "tag $tag still listed after its reply"
	grep -q "^    9p tag $tag Tread " $D/srv_calls && fail "tag $tag still under the connection"
	usable
}

case_debugfs_root_only() {
	fmount
	debugfs_up
	for f in srv_calls contexts; do
		assert_eq "$(stat -c %a $D/$f)" 400 "mode of $f"
		rxio asuser 1000 1000 cat $D/$f >/tmp/obs.nr 2>&1 &&
			fail "uid 1000 read $D/$f: $(head -n 2 /tmp/obs.nr)"
	done
	# mountstats is anybody's: it names no file
	rxio asuser 1000 1000 cat /proc/self/mountstats >/tmp/obs.ms ||
		fail "uid 1000 cannot read mountstats"
	grep -q "mounted on $MNT with fstype rx9p" /tmp/obs.ms || fail "no rx9p entry for uid 1000"
}

case_lerror_counted() {
	fmount cache=none
	mkfile a 4k 2
	set -- $(ms_line Tgetattr)
	c0=$1 e0=$2
	proxy_fault lerror=5,type=Rgetattr
	sys_try stat "$MNT/a"
	assert_eq "$SYS_RESULT" EIO "stat answered by Rlerror 5"
	expect_fired
	set -- $(ms_line Tgetattr)
	note "Tgetattr: count $c0 -> $1, errors $e0 -> $2"
	assert_eq "$(($2 - e0))" 1 "Tgetattr errors counted"
	[ "$1" -gt "$c0" ] || fail "Tgetattr count did not grow"
	usable 5
}

# One stray reply: one protocol error, one message (the TCP reader once
# parsed a refused header again for the rest of its skb, and counted and
# logged it twice).  The reconnection that follows finds the write-behind
# open mkfile left, whose name cache=none dropped: it cannot be reopened
# by path, is orphaned quietly (nothing uses it), and a new writable open
# gets a srv_open of its own instead of collapsing onto the dead one.
case_protocol_error_counted() {
	fmount cache=none
	mkfile a 4k 3
	set -- $(ms_line xprt)
	p0=${12}
	kmsg_mark
	proxy_fault wrongtag,type=Rgetattr
	sys_try stat "$MNT/a"
	expect_outcome "stat answered with a stray tag" "$SYS_RESULT"
	expect_fired
	usable 30
	set -- $(ms_line xprt)
	note "protocol errors $p0 -> ${12}; connections $2, reconnects $3"
	assert_eq "$((${12} - p0))" 1 "protocol errors counted for one stray reply"
	assert_eq "$(kmsg_since | grep -c 'bad reply from server (unknown tag')" 1 \
		"messages for one stray reply"
	kmsg_since | grep 'could not be reopened' &&
		fail "an unused open was reported lost"
	pattern 0 4k 7 >/tmp/ref.a
	io open="$MNT/a:wronly" pw=0:4k:7 close
	intact a
}

case_dynamic_debug() {
	C=/proc/dynamic_debug/control
	[ -f $C ] || skip "no dynamic debug in this kernel"
	grep -q '\[mrx9p\]' $C || fail "no mrx9p pr_debug site in $C"
	grep -q '\[rdbss\]' $C || fail "no rdbss pr_debug site in $C"
	echo 'module mrx9p +p' >$C || fail "enabling mrx9p's pr_debug"
	kmsg_mark
	fmount
	echo 'module mrx9p -p' >$C
	kmsg_since | grep -q 'rx9p: .*9P2000.L, msize [0-9]*' ||
		fail "no version message with pr_debug on: $(kmsg_since | tail -n 5)"
}

fault_main "$@" debugfs_delayed_read debugfs_root_only lerror_counted \
	protocol_error_counted dynamic_debug
