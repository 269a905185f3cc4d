#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# umount while a file is open is refused with EBUSY; after closing it the
# unmount succeeds, and the same export mounts again.  (An rxloop server
# lives as long as it is mounted: a second mount keeps it for the remount.)
# needs: nomount
. "$(dirname "$0")/lib.sh"

is_rxloop && mount_again "$PEER"
do_mount || fail "mount: $SYS_RESULT"
echo data >"$MNT/f"
exec 3<"$MNT/f"
expect_errno EBUSY umount "$MNT"
exec 3<&-
expect_ok umount "$MNT"
assert_not_mounted
do_mount || fail "second mount: $SYS_RESULT"
assert_eq "$(cat "$MNT/f")" data "content after a remount"
expect_ok umount "$MNT"
assert_not_mounted
if is_rxloop; then
	expect_ok umount "$PEER"
fi
