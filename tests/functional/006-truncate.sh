#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# truncate: ": > file" (O_TRUNC) empties a file on the server; truncate(2)
# shrinks and extends (with zeros); rewriting a longer file with a shorter
# content leaves no tail.
# targets: all core
. "$(dirname "$0")/lib.sh"

printf 'some content that will go away\n' >"$EXPORT/t.txt"
: >"$MNT/t.txt" || fail ": > failed"
assert_eq "$(stat -c %s "$EXPORT/t.txt")" 0 "server size after : >"
assert_eq "$(stat -c %s "$MNT/t.txt")" 0 "size through the mount after : >"

cp /etc/services "$EXPORT/s"
truncate -s 100 "$MNT/s" || fail "truncate -s 100 failed"
head -c 100 /etc/services >/tmp/want
assert_same "$EXPORT/s" /tmp/want
assert_same "$MNT/s" /tmp/want

truncate -s 5000 "$MNT/s" || fail "truncate -s 5000 failed"
dd if=/dev/zero bs=4900 count=1 2>/dev/null >>/tmp/want
assert_same "$EXPORT/s" /tmp/want
assert_same "$MNT/s" /tmp/want

cp /etc/services "$MNT/w" || fail "cp failed"
echo short >"$MNT/w" || fail "echo > over a longer file failed"
echo short >/tmp/want
assert_same "$EXPORT/w" /tmp/want
assert_same "$MNT/w" /tmp/want
expect_ok truncate "$MNT/w" 0
assert_eq "$(stat -c %s "$EXPORT/w")" 0 "server size after truncate(2) to 0"
