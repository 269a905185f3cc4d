#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# truncate up and down, holes and large offsets: extension reads as zeros
# (also where data was cut off before), holes between written ranges read
# as zeros, a pwrite at 5 GiB gives the right size and reads back, and a
# truncation back below 4 GiB cuts there; the server agrees, and (on 9P)
# the holes take no space on the server.
# targets: all
. "$(dirname "$0")/lib.sh"

io open="$MNT/t:rdwr,creat,trunc" pw=0:10000:1 ftrunc=1m fstat=1m pr=0:10000:1 \
	pr=10000:1038576:z ftrunc=5000 fstat=5000 pr=0:5000:1 eof=5000 \
	ftrunc=20000 pr=0:5000:1 pr=5000:15000:z eof=20000 close
assert_eq "$(stat -c %s "$EXPORT/t")" 20000 "server size after truncate up and down"
io open="$EXPORT/t:rdonly" pr=0:5000:1 pr=5000:15000:z eof=20000
drop_caches
io open="$MNT/t:rdonly" pr=0:5000:1 pr=5000:15000:z eof=20000

# Holes between written ranges.
io open="$MNT/h:rdwr,creat,trunc" pw=1m:4096:2 pw=3m:100:2 fstat=3145828 close
drop_caches
io open="$MNT/h:rdonly" pr=0:1m:z pr=1m:4096:2 pr=1052672:2093056:z pr=3m:100:2 eof=3145828
io open="$EXPORT/h:rdonly" pr=0:1m:z pr=1m:4096:2 pr=3m:100:2 eof=3145828
if is_9p; then
	blocks=$(stat -c %b "$EXPORT/h")
	note "server blocks for h: $blocks"
	[ "$blocks" -lt 2048 ] || fail "the holes of h take $blocks blocks on the server"
fi

# Beyond 4 GiB.
io open="$MNT/big:rdwr,creat,trunc" pw=5g:64k:7 fstat=5368774656 pr=5g:64k:7 \
	pr=4g:64k:z pr=5368705024:4096:z eof=5368774656 close
assert_eq "$(stat -c %s "$MNT/big")" 5368774656 "size through the mount"
assert_eq "$(stat -c %s "$EXPORT/big")" 5368774656 "size on the server"
io open="$EXPORT/big:rdonly" pr=5g:64k:7 pr=4294963200:8192:z
drop_caches
io open="$MNT/big:rdonly" pr=5g:64k:7 pr=4294963200:8192:z
io open="$MNT/big:rdwr" pw=4294967290:12:8 ftrunc=4294967297 fstat=4294967297 \
	pr=4294967290:7:8 eof=4294967297 close
assert_eq "$(stat -c %s "$EXPORT/big")" 4294967297 "server size after truncating below 5 GiB"
io open="$EXPORT/big:rdonly" pr=4294967290:7:8 eof=4294967297
truncate -s 0 "$MNT/big" || fail "truncate -s 0 failed"
assert_eq "$(stat -c %s "$EXPORT/big")" 0 "server size after truncate -s 0"
