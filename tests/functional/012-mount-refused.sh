#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Mounting a port nobody listens on fails promptly with ECONNREFUSED and a
# kernel message.
# needs: nomount
# targets: rx9p
. "$(dirname "$0")/lib.sh"

netstat -ltn | grep -q ':5652 ' && fail "port 5652 is in use"
kmsg_mark
PORT=5652; do_mount && fail "mount of a closed port succeeded"
note "closed port: $SYS_RESULT after ${SYS_MS}ms"
assert_eq "$SYS_RESULT" ECONNREFUSED "errno for a closed port"
[ "$SYS_MS" -le 5000 ] || fail "took ${SYS_MS}ms, expected a prompt failure"
expect_kmsg
assert_not_mounted
