#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Two rxloop mounts of one SERVERNAME share one server (srv_call): the
# same server_id and server_mounts 2 in RXLOOP_IOC_STATS, each sees the
# other's files, directories and data, and a lock taken through one
# conflicts with the other; another name is another server.  The server
# lives while one mount does and goes with the last.
# needs: nomount
# targets: rxloop
. "$(dirname "$0")/lib.sh"

mkdir -p /mnt/b /mnt/c
do_mount || fail "mount: $SYS_RESULT"
mount_again /mnt/b
do_mount "" "$SERVER-other" /mnt/c || fail "mount of another server: $SYS_RESULT"

echo from-a >"$MNT/f" || fail "create through the first mount failed"
assert_eq "$(cat /mnt/b/f)" from-a "read through the second mount"
[ -e /mnt/c/f ] && fail "the other server sees the file"
: >/mnt/c/other
ida=$(rxio stats "$MNT/f" server_id) || fail "RXLOOP_IOC_STATS: $ida"
idb=$(rxio stats /mnt/b/f server_id)
idc=$(rxio stats /mnt/c/other server_id)
note "server ids: $ida $idb $idc"
assert_eq "$idb" "$ida" "server_id of the second mount"
[ "$idc" != "$ida" ] || fail "another server name has the same server_id"
assert_eq "$(rxio stats "$MNT/f" server_mounts)" 2 "server_mounts (first mount)"
assert_eq "$(rxio stats /mnt/b/f server_mounts)" 2 "server_mounts (second mount)"
assert_eq "$(rxio stats /mnt/c/other server_mounts)" 1 "server_mounts of the other server"
mkdir /mnt/b/dir || fail "mkdir through the second mount failed"
io open=/mnt/b/dir/data:wronly,creat pw=0:300k:2 close
io open="$MNT/dir/data:rdonly" pr=0:300k:2 eof=300k
io open="$MNT/dir/data:wronly" pw=100k:8k:3 close
io open=/mnt/b/dir/data:rdonly pr=0:100k:2 pr=100k:8k:3 pr=108k:192k:2
assert_eq "$(ls /mnt/b | tr '\n' ' ')" "dir f " "listing through the second mount"

rm -f /tmp/A.*
rxio run open="$MNT/f:rdwr" setlk=w:0:0 touch=/tmp/A.locked wait=/tmp/A.go:30 \
	>/tmp/A.log 2>&1 &
holder=$!
wait_for /tmp/A.locked
io open=/mnt/b/f:rdwr setlk=w:0:0!EAGAIN getlk=r:0:0:w
touch /tmp/A.go
wait $holder || { cat /tmp/A.log; fail "lock holder failed"; }
io open=/mnt/b/f:rdwr setlk=w:0:0

umount /mnt/b || fail "umount of the second mount failed"
assert_eq "$(rxio stats "$MNT/f" server_mounts)" 1 "server_mounts after one umount"
assert_eq "$(cat "$MNT/f")" from-a "the file after the second mount went away"
umount /mnt/c || fail "umount of the other server failed"
umount "$MNT" || fail "umount failed"
do_mount || fail "mount again: $SYS_RESULT"
assert_eq "$(ls -A "$MNT" | wc -l)" 0 "entries in a server mounted again after its last umount"
umount "$MNT" || fail "umount failed"
