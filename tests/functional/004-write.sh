#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# create + write: files written through the mount (echo >, cp, dd, append,
# overwrite in place) are on the server with the same bytes as soon as the
# writer has closed them, and read back through the mount.
# targets: all core
. "$(dirname "$0")/lib.sh"

# check NAME REFERENCE: the server's copy, then the mount's, match.
check() {
	cmp -s "$EXPORT/$1" "$2" || {
		note "server copy of $1 differs right after close"
		sync
		cmp -s "$EXPORT/$1" "$2" && note "... and matches after sync"
		assert_same "$EXPORT/$1" "$2"
	}
	assert_same "$MNT/$1" "$2"
}

echo 'written through the mount' >"$MNT/echo.txt" || fail "echo > failed"
echo 'written through the mount' >/tmp/want
check echo.txt /tmp/want
assert_eq "$(stat -c '%a %u' "$EXPORT/echo.txt")" "644 0" "mode (umask 022) and owner on the server"

cp /etc/services "$MNT/services" || fail "cp failed"
check services /etc/services

dd if=/dev/urandom of=/tmp/rand bs=1024 count=1500 2>/dev/null
dd if=/tmp/rand of="$MNT/rand" bs=65536 2>/dev/null || fail "dd failed"
check rand /tmp/rand
dd if=/tmp/rand of="$MNT/rand4k" bs=4096 2>/dev/null || fail "dd bs=4096 failed"
check rand4k /tmp/rand

echo 'one more line' >>"$MNT/echo.txt" || fail "append failed"
echo 'one more line' >>/tmp/want
check echo.txt /tmp/want

printf 'XXXX' | dd of="$MNT/rand" bs=1 seek=100000 conv=notrunc 2>/dev/null
printf 'XXXX' | dd of=/tmp/rand bs=1 seek=100000 conv=notrunc 2>/dev/null
check rand /tmp/rand

mkdir "$EXPORT/d"
cp /etc/passwd "$MNT/d/passwd" || fail "cp into a subdirectory failed"
check d/passwd /etc/passwd
