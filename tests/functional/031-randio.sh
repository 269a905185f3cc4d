#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Buffered random I/O: 600 random preads and pwrites (1 byte to 200 KB)
# over a 3 MiB file, each read checked against what was written; the
# whole file then matches through the mount, on the server and after
# drop_caches.
# targets: all
. "$(dirname "$0")/lib.sh"

rxio randio "$MNT/rand" 3m 600 11 /tmp/shadow || fail "random I/O through the mount"
assert_same "$MNT/rand" /tmp/shadow
assert_server rand /tmp/shadow
drop_caches
assert_same "$MNT/rand" /tmp/shadow

# Again on the file as it is (not truncated): reopen and keep going.
rxio randio "$MNT/rand2" 1m 300 12 /tmp/shadow2 || fail "random I/O on a second file"
drop_caches
assert_same "$MNT/rand2" /tmp/shadow2
assert_server rand2 /tmp/shadow2
