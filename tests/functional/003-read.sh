#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# walk + lopen + read: files created on the server read back through the
# mount with the same bytes: small, empty, larger than msize, odd-sized,
# at an offset, twice.
# targets: all core
. "$(dirname "$0")/lib.sh"

printf 'Hello from the server\n' >"$EXPORT/hello.txt"
: >"$EXPORT/empty"
dd if=/dev/urandom of="$EXPORT/rand" bs=1024 count=1024 2>/dev/null
dd if=/dev/urandom of="$EXPORT/odd" bs=70001 count=1 2>/dev/null
mkdir "$EXPORT/d"
printf 'deep\n' >"$EXPORT/d/deep.txt"

assert_eq "$(cat "$MNT/hello.txt")" "Hello from the server" "cat hello.txt"
assert_same "$MNT/hello.txt" "$EXPORT/hello.txt"
assert_eq "$(wc -c <"$MNT/empty")" 0 "size read from an empty file"
assert_same "$MNT/rand" "$EXPORT/rand"
assert_same "$MNT/odd" "$EXPORT/odd"
assert_same "$MNT/d/deep.txt" "$EXPORT/d/deep.txt"

dd if="$MNT/rand" of=/tmp/part bs=1 skip=123457 count=5000 2>/dev/null
dd if="$EXPORT/rand" of=/tmp/want bs=1 skip=123457 count=5000 2>/dev/null
assert_same /tmp/part /tmp/want
dd if="$MNT/rand" of=/tmp/part bs=4096 skip=100 count=3 2>/dev/null
dd if="$EXPORT/rand" of=/tmp/want bs=4096 skip=100 count=3 2>/dev/null
assert_same /tmp/part /tmp/want

# Again (from whatever the client cached).
assert_same "$MNT/rand" "$EXPORT/rand"
expect_errno ENOENT open "$MNT/no-such-file"
expect_errno ENOENT open "$MNT/d/no-such-file"
expect_errno ENOTDIR open "$MNT/hello.txt/x"
