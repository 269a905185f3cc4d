#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A name another client creates while ours still holds a negative dentry
# (cache=cto trusts it for up to 1 s): open(O_CREAT|O_TRUNC) opens and
# truncates that file instead of taking it for a new one (Tlcreate is
# exclusive; EEXIST makes the VFS look the name up again), and
# open(O_CREAT|O_EXCL) fails with EEXIST.
# targets: rx9p rx9p-ganesha
. "$(dirname "$0")/lib.sh"

umount "$MNT" || fail "umount"
do_mount cache=cto || fail "mount cache=cto: $SYS_RESULT"
mkdir "$MNT/d" || fail "mkdir"
ls "$MNT/d" >/dev/null

# a plain O_CREAT|O_TRUNC open of a name the server has meanwhile
[ -e "$MNT/d/x" ] && fail "d/x exists before the test"
printf 'from the server, longer than ours\n' >"$EXPORT/d/x"
echo ours >"$MNT/d/x" || fail "open(O_CREAT|O_TRUNC) of a name made elsewhere failed"
assert_eq "$(cat "$MNT/d/x")" ours "content through the mount"
assert_eq "$(cat "$EXPORT/d/x")" ours "content on the server"

# O_EXCL of such a name
[ -e "$MNT/d/y" ] && fail "d/y exists before the test"
echo theirs >"$EXPORT/d/y"
expect_errno EEXIST open "$MNT/d/y" wronly,creat,excl
assert_eq "$(cat "$EXPORT/d/y")" theirs "the other client's file after O_EXCL"

# and a name nobody made is still created (exclusively) as before
expect_ok open "$MNT/d/z" wronly,creat,excl
[ -f "$EXPORT/d/z" ] || fail "d/z not created on the server"
