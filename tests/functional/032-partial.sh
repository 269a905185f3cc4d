#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Partial-page writes: single bytes and short runs written with
# "dd conv=notrunc bs=1 seek=..." at and around page boundaries of a file
# that is not in the cache (the rest of each page must come from the
# server), then past the end of the file (leaving a hole); the result
# matches a local copy given the same writes, through the mount, on the
# server and after drop_caches.
# targets: all core
. "$(dirname "$0")/lib.sh"

pattern 0 20000 4 >/tmp/ref
cp /tmp/ref "$MNT/p" || fail "cp failed"
drop_caches

# poke OFFSET TEXT: the same write to the mount and to the local copy.
poke() {
	printf '%s' "$2" | dd of="$MNT/p" bs=1 seek="$1" conv=notrunc 2>/dev/null ||
		fail "dd seek=$1 failed"
	printf '%s' "$2" | dd of=/tmp/ref bs=1 seek="$1" conv=notrunc 2>/dev/null
}

for off in 0 1 4095 4096 4097 8191 12288 19999; do
	poke $off Z
done
poke 8188 ABCDEFGH
poke 16380 0123456789
assert_same "$MNT/p" /tmp/ref
assert_server p /tmp/ref
drop_caches
assert_same "$MNT/p" /tmp/ref

# Past the end of the file: a hole of zeros, then the bytes.
poke 30000 END
assert_eq "$(stat -c %s "$MNT/p")" 30003 "size after writing past the end"
assert_same "$MNT/p" /tmp/ref
assert_server p /tmp/ref
drop_caches
assert_same "$MNT/p" /tmp/ref
io open="$MNT/p:rdonly" pr=20000:10000:z

# Several partial writes through one descriptor, some in the same page.
io open="$MNT/q:rdwr,creat,trunc" pw=100:10:5 pw=4090:12:5 pw=4000:3:5 pw=9000:1:5 close
drop_caches
io open="$MNT/q:rdonly" pr=0:100:z pr=100:10:5 pr=110:3890:z pr=4000:3:5 pr=4003:87:z \
	pr=4090:12:5 pr=4102:4898:z pr=9000:1:5 eof=9001
io open="$EXPORT/q:rdonly" pr=0:100:z pr=100:10:5 pr=4090:12:5 pr=9000:1:5 eof=9001
