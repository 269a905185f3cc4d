#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# O_APPEND: ">>" appends; two append descriptors interleave in order; an
# append after lseek(0) still goes to the end; an append follows data
# another descriptor wrote past the old end, and data the server's copy
# gained behind the mount's back.
# targets: all
. "$(dirname "$0")/lib.sh"

echo one >"$MNT/a" || fail "create failed"
echo two >>"$MNT/a" || fail ">> failed"
exec 3>>"$MNT/a" 4>>"$MNT/a"
echo three >&3
echo four >&4
echo five >&3
exec 3>&- 4>&-
io open="$MNT/a:wronly,append" seek=0 write=six close
printf 'one\ntwo\nthree\nfour\nfive\nsix' >/tmp/want
assert_same "$MNT/a" /tmp/want
assert_server a /tmp/want

# Data written past the end by another descriptor, then an append.
io open="$MNT/b:wronly,append,creat" open="$MNT/b:wronly" pw=0:10000:5 fd=0 write=tail close fd=1 close
io open="$MNT/b:rdonly" pr=0:10000:5 fstat=10004
assert_eq "$(tail -c 4 "$MNT/b")" tail "the appended bytes"
assert_eq "$(stat -c %s "$EXPORT/b")" 10004 "server size"

# The server's copy grew (written from the server side): the next append
# goes after it.
printf 'server\n' >>"$EXPORT/a" || fail "server-side append failed"
echo seven >>"$MNT/a" || fail ">> after a server-side append failed"
printf 'one\ntwo\nthree\nfour\nfive\nsixserver\nseven\n' >/tmp/want
assert_server a /tmp/want
assert_same "$MNT/a" /tmp/want
