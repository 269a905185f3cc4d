#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# mkdir, rmdir, unlink through the mount are seen on the server, with the
# errors a local filesystem gives; server-side removals do not linger in
# listings.
# targets: all core
. "$(dirname "$0")/lib.sh"

mkdir "$MNT/d" || fail "mkdir failed"
[ -d "$EXPORT/d" ] || fail "mkdir: no directory on the server"
assert_eq "$(stat -c '%a' "$EXPORT/d")" 755 "mode of the new directory"
mkdir -p "$MNT/d/e/f" || fail "mkdir -p failed"
[ -d "$EXPORT/d/e/f" ] || fail "mkdir -p: not on the server"
expect_errno EEXIST mkdir "$MNT/d"
echo x >"$MNT/d/file" || fail "create in a new directory failed"
expect_errno ENOTEMPTY rmdir "$MNT/d/e"
expect_errno ENOTDIR rmdir "$MNT/d/file"
expect_errno EISDIR unlink "$MNT/d/e"
expect_errno ENOENT unlink "$MNT/no-such-file"
expect_errno ENOENT rmdir "$MNT/no-such-dir"

rmdir "$MNT/d/e/f" || fail "rmdir failed"
[ -e "$EXPORT/d/e/f" ] && fail "rmdir: still on the server"
rm "$MNT/d/file" || fail "rm failed"
[ -e "$EXPORT/d/file" ] && fail "rm: still on the server"
[ -e "$MNT/d/file" ] && fail "rm: still visible through the mount"
rm -r "$MNT/d" || fail "rm -r failed"
[ -e "$EXPORT/d" ] && fail "rm -r: still on the server"

mkdir "$EXPORT/server-dir"
: >"$EXPORT/server-file"
ls "$MNT" >/tmp/l1
grep -qx server-dir /tmp/l1 || fail "server-side mkdir not listed"
rmdir "$EXPORT/server-dir"
rm "$EXPORT/server-file"
ls "$MNT" >/tmp/l2
grep -qx server-dir /tmp/l2 && fail "server-side rmdir still listed"
grep -qx server-file /tmp/l2 && fail "server-side rm still listed"
true
