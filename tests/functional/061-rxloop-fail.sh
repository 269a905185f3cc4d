#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rxloop error injection: with fail=read:1 reads fail with EIO; with
# fail=write:1 a buffered write's EIO is reported by fsync, or by close
# when there is no fsync, and a direct write fails with EIO; fail=write:2
# fails every second direct write.  Each such mount stays usable (stat,
# listing, mkdir, the I/O that does not fail) and unmounts cleanly.
# needs: nomount
# targets: rxloop
. "$(dirname "$0")/lib.sh"

mkdir -p /mnt/b
do_mount || fail "mount: $SYS_RESULT"
io open="$MNT/f:wronly,creat" pw=0:64k:1 fsync close

note "== fail=read:1"
mount_again /mnt/b fail=read:1
grep " /mnt/b " /proc/mounts | grep -q 'fail=read:1' || fail "fail=read:1 not in /proc/mounts"
io open=/mnt/b/f:rdonly pr=0:4096:1!EIO
io open=/mnt/b/f:rdonly,direct pr=0:4096:1!EIO
assert_eq "$(stat -c %s /mnt/b/f)" 65536 "stat on the failing mount"
ls /mnt/b >/dev/null || fail "ls on the failing mount"
mkdir /mnt/b/newdir || fail "mkdir on the failing mount"
io open=/mnt/b/g:wronly,creat,direct pw=0:8192:2 close
io open="$MNT/g:rdonly" pr=0:8192:2
n=$(rxio stats /mnt/b/g injected)
[ "$n" -ge 2 ] 2>/dev/null || fail "injected failures counted: $n"
umount /mnt/b || fail "umount of the fail=read mount failed"

note "== fail=write:1"
mount_again /mnt/b fail=write:1
io open=/mnt/b/h:wronly,creat pw=0:64k:3 fsync!EIO close!?
io open=/mnt/b/i:wronly,creat pw=0:8192:3 close!EIO
io open=/mnt/b/j:wronly,creat,direct pw=0:4096:3!EIO close
io open=/mnt/b/f:rdonly pr=0:64k:1
assert_eq "$(stat -c %s /mnt/b/f)" 65536 "stat on the failing mount"
mkdir /mnt/b/dir2 || fail "mkdir on the failing mount"
[ -d "$MNT/dir2" ] || fail "mkdir on the failing mount not seen by the other"
io open="$MNT/f:rdonly" pr=0:64k:1
umount /mnt/b || fail "umount of the fail=write mount failed"

note "== fail=write:2"
mount_again /mnt/b fail=write:2
io open=/mnt/b/k:wronly,creat,direct pw=0:4096:4 pw=4096:4096:4!EIO pw=8192:4096:4 \
	pw=12288:4096:4!EIO close
io open="$MNT/k:rdonly" pr=0:4096:4 pr=8192:4096:4
umount /mnt/b || fail "umount of the fail=write:2 mount failed"

# The healthy mount was not disturbed.
io open="$MNT/f:rdonly" pr=0:64k:1 eof=64k
umount "$MNT" || fail "umount failed"
