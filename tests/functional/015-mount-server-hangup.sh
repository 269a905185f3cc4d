#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A server that accepts and hangs up at once, or answers garbage: the mount
# fails (with whatever errno) within a bound and leaves nothing behind; a
# complete header with an impossible size fails at once.
# needs: nomount
# targets: rx9p
# timeout: 120
. "$(dirname "$0")/lib.sh"

fake_server 5660 hangup
kmsg_mark
PORT=5660; do_mount timeout=10 && fail "mount of a server that hangs up succeeded"
note "server hangs up: $SYS_RESULT after ${SYS_MS}ms"
case $SYS_RESULT in E*) ;; *) fail "no errno: $SYS_RESULT" ;; esac
[ "$SYS_MS" -le 15000 ] || fail "took ${SYS_MS}ms"
kmsg_since | sed 's/^/kernel: /'
assert_not_mounted
bg_cleanup

# A reply shorter than its header, then silence.
printf '\003\000\000\000\145' >/tmp/garbage
fake_server 5661 reply /tmp/garbage 30
kmsg_mark
PORT=5661; do_mount timeout=5 && fail "mount of a server answering garbage succeeded"
note "server answers a 3-byte size: $SYS_RESULT after ${SYS_MS}ms"
case $SYS_RESULT in E*) ;; *) fail "no errno: $SYS_RESULT" ;; esac
[ "$SYS_MS" -le 15000 ] || fail "took ${SYS_MS}ms"
kmsg_since | sed 's/^/kernel: /'
assert_not_mounted
bg_cleanup

# A whole header announcing an impossible size (3 < 7), then silence.
printf '\003\000\000\000\145\377\377' >/tmp/garbage
fake_server 5662 reply /tmp/garbage 30
kmsg_mark
PORT=5662; do_mount timeout=30 && fail "mount of a server sending size 3 succeeded"
note "server answers a header with size 3: $SYS_RESULT after ${SYS_MS}ms"
case $SYS_RESULT in E*) ;; *) fail "no errno: $SYS_RESULT" ;; esac
[ "$SYS_MS" -le 10000 ] || fail "took ${SYS_MS}ms: an impossible size should fail at once"
kmsg_since | sed 's/^/kernel: /'
assert_not_mounted
