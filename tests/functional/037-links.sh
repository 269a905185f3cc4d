#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Hard links: nlink counts through the mount and on the server, data
# written through one name read through the other, the file survives the
# removal of its first name; link errors.  Symbolic links: readlink, stat
# follows, lstat does not, absolute, relative and dangling targets,
# O_NOFOLLOW.
# targets: all
. "$(dirname "$0")/lib.sh"

echo data >"$MNT/f" || fail "create failed"
ln "$MNT/f" "$MNT/g" || fail "ln failed"
assert_eq "$(stat -c %h "$MNT/f") $(stat -c %h "$MNT/g")" "2 2" "nlink of both names"
assert_eq "$(stat -c %i "$MNT/f")" "$(stat -c %i "$MNT/g")" "inode numbers of both names"
assert_eq "$(stat -c %h "$EXPORT/f")" 2 "nlink on the server"
echo more >>"$MNT/g" || fail "append through the second name failed"
assert_eq "$(cat "$MNT/f")" "$(printf 'data\nmore')" "data through the first name"
mkdir "$MNT/sub"
ln "$MNT/f" "$MNT/sub/h" || fail "ln into a subdirectory failed"
assert_eq "$(stat -c %h "$MNT/g")" 3 "nlink after a third link"
rm "$MNT/f" || fail "rm of the first name failed"
assert_eq "$(stat -c %h "$MNT/g")" 2 "nlink after removing one name"
assert_eq "$(cat "$MNT/sub/h")" "$(printf 'data\nmore')" "data after removing one name"
assert_eq "$(stat -c %h "$EXPORT/g")" 2 "server nlink after removing one name"
expect_errno EEXIST link "$MNT/g" "$MNT/sub/h"
expect_errno EPERM link "$MNT/sub" "$MNT/dirlink"
expect_errno ENOENT link "$MNT/nothing" "$MNT/x"

ln -s g "$MNT/s" || fail "ln -s failed"
assert_eq "$(readlink "$MNT/s")" g "readlink"
assert_eq "$(readlink "$EXPORT/s")" g "readlink on the server"
assert_eq "$(cat "$MNT/s")" "$(printf 'data\nmore')" "reading through a symlink"
assert_eq "$(stat -c %F "$MNT/s")" "symbolic link" "lstat type"
assert_eq "$(stat -L -c '%F %i' "$MNT/s")" "regular file $(stat -c %i "$MNT/g")" "stat follows"
ln -s ../g "$MNT/sub/rel" || fail "relative ln -s failed"
assert_eq "$(cat "$MNT/sub/rel")" "$(printf 'data\nmore')" "relative symlink"
ln -s "$MNT/sub" "$MNT/abs" || fail "absolute ln -s failed"
assert_eq "$(ls "$MNT/abs/" | tr '\n' ' ')" "h rel " "listing through a symlink to a directory"
ln -s nowhere "$MNT/dangling" || fail "dangling ln -s failed"
expect_errno ENOENT open "$MNT/dangling"
expect_errno ELOOP open "$MNT/s" rdonly,nofollow
long=$(printf '%0200d' 0 | tr 0 x)
ln -s "$long" "$MNT/long" || fail "ln -s with a 200-byte target failed"
assert_eq "$(readlink "$MNT/long")" "$long" "a 200-byte target"
echo via-link >"$MNT/s" || fail "write through a symlink failed"
assert_eq "$(cat "$EXPORT/g")" via-link "server copy written through a symlink"
