#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A server that accepts the connection but never answers: with timeout=3
# the mount fails with ETIMEDOUT within a bound instead of hanging.
# needs: nomount
# targets: rx9p
# timeout: 90
. "$(dirname "$0")/lib.sh"

fake_server 5653 silent - 60
kmsg_mark
PORT=5653; do_mount timeout=3 && fail "mount of a silent server succeeded"
note "silent server, timeout=3: $SYS_RESULT after ${SYS_MS}ms"
assert_eq "$SYS_RESULT" ETIMEDOUT "errno for a server that never answers"
[ "$SYS_MS" -le 20000 ] || fail "took ${SYS_MS}ms with timeout=3"
[ "$SYS_MS" -ge 2000 ] || note "(failed before the 3 s timeout)"
expect_kmsg
assert_not_mounted
note "the client sent: $(hexbytes /tmp/fake9p.5653 | cut -c1-120)"
