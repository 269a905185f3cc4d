#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# One connection per server: a second rx9p mount of the same server (same
# export, and another export directory) adds no TCP connection on diod's
# side (port 564 in /proc/net/tcp); files written through one mount are
# read through the other; the connection goes away (within 15 s) once
# nothing is mounted.
# needs: nomount
# targets: rx9p
. "$(dirname "$0")/lib.sh"

# conns: ESTABLISHED TCP connections whose local port is 564 (diod's end).
conns() {
	awk '$2 ~ /:0234$/ && $4 == "01"' /proc/net/tcp /proc/net/tcp6 | wc -l
}

# An earlier test's connection may still be closing.
i=0
while [ "$(conns)" != 0 ]; do
	i=$((i + 1))
	[ $i -gt 150 ] && skip "$(conns) connection(s) to diod left by an earlier test"
	sleep 0.1
done
mkdir -p /mnt/b /mnt/c "$EXPORT/sub"
do_mount || fail "mount: $SYS_RESULT"
assert_eq "$(conns)" 1 "connections with one mount"
do_mount "" "$SERVER" /mnt/b || fail "second mount: $SYS_RESULT"
note "$(grep -E ' /mnt/(rx|b) ' /proc/mounts)"
assert_eq "$(conns)" 1 "connections with two mounts of the same export"
ANAME=/srv/export/sub
do_mount "" "$SERVER" /mnt/c || fail "mount of a subdirectory: $SYS_RESULT"
ANAME=/srv/export
assert_eq "$(conns)" 1 "connections with a third mount (another export directory)"

echo through-a >"$MNT/f" || fail "write through the first mount failed"
assert_eq "$(cat /mnt/b/f)" through-a "read through the second mount"
echo through-c >/mnt/c/g || fail "write through the third mount failed"
assert_eq "$(cat "$MNT/sub/g")" through-c "read through the first mount"
umount /mnt/b || fail "umount of the second mount failed"
assert_eq "$(cat "$MNT/f")" through-a "the first mount after the second went away"
umount /mnt/c || fail "umount of the third mount failed"
umount "$MNT" || fail "umount of the first mount failed"
i=0
while [ "$(conns)" != 0 ]; do
	i=$((i + 1))
	[ $i -gt 150 ] && fail "$(conns) connection(s) to diod left 15 s after the last umount"
	sleep 0.1
done
note "connection closed $((i / 10)).$((i % 10))s after the last umount"
