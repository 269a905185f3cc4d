#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cache=none on rxloop: a mount with cache=none (EXPORT) sees data written
# and synced through another mount of the same server at once, through a
# descriptor opened before, and its size in stat; writes through it are
# seen by the other mount (close-to-open) after a reopen.  Reads that
# reach the end of the file return what is there, with read(2) (cmp) and
# with sendfile(2) (busybox cat).
# targets: rxloop
. "$(dirname "$0")/lib.sh"

grep " $EXPORT " /proc/mounts | grep -q 'cache=none' || fail "no cache=none on $EXPORT"
io open="$MNT/f:wronly,creat" pw=0:4096:1 close
rm -f /tmp/r.ready /tmp/r.go
rxio run open="$EXPORT/f:rdonly" pr=0:4096:1 touch=/tmp/r.ready wait=/tmp/r.go:20 \
	pr=0:4096:2 pr=4096:4096:2 fstat=8192 >/tmp/r.log 2>&1 &
reader=$!
wait_for /tmp/r.ready
io open="$MNT/f:wronly" pw=0:8192:2 fsync
assert_eq "$(stat -c %s "$EXPORT/f")" 8192 "size through the cache=none mount"
touch /tmp/r.go
wait $reader || { cat /tmp/r.log; fail "the cache=none mount read stale data"; }

io open="$EXPORT/f:wronly" pw=0:4096:3 close
io open="$MNT/f:rdonly" pr=0:4096:3 pr=4096:4096:2

echo short >"$MNT/s" || fail "create failed"
assert_eq "$(stat -c %s "$EXPORT/s")" 6 "size of a short file through the cache=none mount"
echo short >/tmp/want
cmp "$EXPORT/s" /tmp/want || fail "read(2) of a 6-byte file through the cache=none mount"
assert_eq "$(cat "$EXPORT/s")" short "sendfile(2) (cat) of a 6-byte file through the cache=none mount"
io open="$EXPORT/f:rdonly" pr=0:4096:3 pr=4096:4096:2 eof=8192
