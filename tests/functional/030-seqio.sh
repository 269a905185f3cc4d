#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Buffered sequential I/O: a 4 MiB file written through the mount reads
# back with the same bytes through the mount (from the cache, in several
# block sizes, and after drop_caches) and on the server; an overwrite of
# the middle with other block sizes leaves the rest intact.
# targets: all core
. "$(dirname "$0")/lib.sh"

pattern 0 4m 1 >/tmp/ref
dd if=/tmp/ref of="$MNT/seq" bs=65536 2>/dev/null || fail "dd to the mount failed"
assert_eq "$(stat -c %s "$MNT/seq")" 4194304 "size through the mount"
assert_same "$MNT/seq" /tmp/ref
assert_server seq /tmp/ref
io open="$MNT/seq:rdonly" pr=0:4m:1:4096 pr=0:4m:1:1m pr=1234567:100000:1:777 eof=4m

drop_caches
assert_same "$MNT/seq" /tmp/ref
io open="$MNT/seq:rdonly" pr=3m:1m:1:5000 pr=0:1m:1:131072 eof=4m

# Overwrite [1m, 2m) in odd-sized pieces, read back from the cache, the
# server and after drop_caches.
io open="$MNT/seq:wronly" pw=1m:1m:2:3000 close
io open="$MNT/seq:rdonly" pr=0:1m:1 pr=1m:1m:2 pr=2m:2m:1 eof=4m
io open="$EXPORT/seq:rdonly" pr=0:1m:1 pr=1m:1m:2 pr=2m:2m:1 eof=4m
drop_caches
io open="$MNT/seq:rdonly" pr=0:1m:1:65536 pr=1m:1m:2:65536 pr=2m:2m:1:65536 eof=4m

# A second file written with write(2) sizes that straddle pages, then
# read with cat.
io open="$MNT/seq2:wronly,creat,trunc" pw=0:3m:3:12345 close
pattern 0 3m 3 >/tmp/ref
cat "$MNT/seq2" >/tmp/got || fail "cat failed"
assert_same /tmp/got /tmp/ref
assert_server seq2 /tmp/ref
