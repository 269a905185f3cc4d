#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A server answering Tversion with another protocol version ("9P2000.u",
# "9P2000", "unknown") is refused with EPROTONOSUPPORT and a kernel message.
# The client's Tversion is checked too: type 100, tag NOTAG, "9P2000.L".
# needs: nomount
# targets: rx9p
# timeout: 120
. "$(dirname "$0")/lib.sh"

port=5654
for v in 9P2000.u 9P2000 unknown; do
	rversion "$v" 8192 >/tmp/rversion
	fake_server $port reply /tmp/rversion 30
	kmsg_mark
	PORT=$port; do_mount timeout=10 && fail "mount accepted a server speaking $v"
	note "server answering $v: $SYS_RESULT after ${SYS_MS}ms"
	assert_eq "$SYS_RESULT" EPROTONOSUPPORT "errno for a server speaking $v"
	[ "$SYS_MS" -le 10000 ] || fail "took ${SYS_MS}ms"
	expect_kmsg
	assert_not_mounted
	bg_cleanup
	cp /tmp/fake9p.$port /tmp/tversion
	port=$((port + 1))
done

# size[4] Tversion(100) tag[2]=ffff msize[4] len[2] "9P2000.L"
got=$(hexbytes /tmp/tversion)
note "Tversion: $got"
# shellcheck disable=SC2086 # split into bytes
set -- $got
[ $# -ge 21 ] || fail "short Tversion ($# bytes)"
assert_eq "$1 $2 $3 $4" "15 00 00 00" "Tversion size"
assert_eq "$5" 64 "Tversion type"
assert_eq "$6 $7" "ff ff" "Tversion tag"
assert_eq "${12} ${13}" "08 00" "version string length"
shift 13
assert_eq "$(echo "$*" | cut -d' ' -f1-8)" "39 50 32 30 30 30 2e 4c" "version string (9P2000.L)"
