#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A mount without a server (no source, or an empty one, or one that is not
# an address) fails with EINVAL and a kernel message; nothing is mounted.
# needs: nomount
# targets: rx9p
. "$(dirname "$0")/lib.sh"

kmsg_mark
sys mount - "$MNT" "$FSTYPE" "$(mount_opts)" && fail "mount without a source succeeded"
assert_eq "$SYS_RESULT" EINVAL "errno without a source"
expect_kmsg
assert_not_mounted

kmsg_mark
sys mount "" "$MNT" "$FSTYPE" "$(mount_opts)" && fail "mount with an empty source succeeded"
assert_eq "$SYS_RESULT" EINVAL "errno with an empty source"
expect_kmsg
assert_not_mounted

kmsg_mark
sys mount "not-an-address" "$MNT" "$FSTYPE" "$(mount_opts)" &&
	fail "mount of not-an-address succeeded"
assert_eq "$SYS_RESULT" EINVAL "errno with a source that is not an address"
expect_kmsg
assert_not_mounted
