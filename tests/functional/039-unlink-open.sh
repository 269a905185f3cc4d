#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# unlink of an open file: the name goes at once (through the mount and on
# the server), the open descriptor keeps reading and writing (nlink 0),
# and a new file of the same name is independent of it.  rmdir of a
# non-empty directory fails with ENOTEMPTY, of an emptied one succeeds.
# targets: all
. "$(dirname "$0")/lib.sh"

io open="$MNT/u:rdwr,creat" pw=0:100k:1 close
io open="$MNT/u:rdwr" unlink="$MNT/u" pr=0:100k:1 pw=100k:50k:2 pr=100k:50k:2 \
	fstat=153600:0 fsync pr=0:100k:1 close
[ -e "$MNT/u" ] && fail "unlinked name still visible through the mount"
[ -e "$EXPORT/u" ] && fail "unlinked name still on the server"

io open="$MNT/v:rdwr,creat" pw=0:8192:3 unlink="$MNT/v" open="$MNT/v:rdwr,creat,excl" \
	pw=0:4096:4 fd=0 pr=0:8192:3 fstat=8192:0 fd=1 pr=0:4096:4 fstat=4096:1 close fd=0 close
io open="$EXPORT/v:rdonly" pr=0:4096:4 eof=4096

# Another process holds the file open while it is unlinked.
rm -f /tmp/held /tmp/gone
rxio run open="$MNT/w:rdwr,creat" pw=0:64k:5 touch=/tmp/held wait=/tmp/gone:20 \
	pr=0:64k:5 pw=64k:4096:6 pr=64k:4096:6 fstat=69632:0 close >/tmp/holder.log 2>&1 &
holder=$!
wait_for /tmp/held
rm "$MNT/w" || fail "rm of a file open elsewhere failed"
touch /tmp/gone
wait $holder || { cat /tmp/holder.log; fail "I/O on a descriptor of an unlinked file"; }

mkdir -p "$MNT/dir/sub"
echo x >"$MNT/dir/file"
expect_errno ENOTEMPTY rmdir "$MNT/dir"
rm "$MNT/dir/file"
expect_errno ENOTEMPTY rmdir "$MNT/dir"
expect_ok rmdir "$MNT/dir/sub"
expect_ok rmdir "$MNT/dir"
[ -e "$EXPORT/dir" ] && fail "rmdir: still on the server"
true
