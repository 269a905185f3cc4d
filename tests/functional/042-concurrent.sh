#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Concurrent writers: four processes write 1 MiB files each, then four
# write distinct regions of one file (page-aligned, then with boundaries
# inside pages, and for our clients with O_DIRECT); every byte is right
# through the mount, on the server and after drop_caches.
# targets: all
. "$(dirname "$0")/lib.sh"

# wait_all PIDS...: every background writer succeeded.
wait_all() {
	local p rc=0
	for p in "$@"; do
		wait "$p" || rc=1
	done
	[ $rc = 0 ] || { cat /tmp/w.*.log; fail "a concurrent writer failed"; }
}

pids=
for i in 1 2 3 4; do
	rxio run open="$MNT/c$i:wronly,creat,trunc" pw=0:1m:$i:$((i * 12288 + 1000)) close \
		>/tmp/w.$i.log 2>&1 &
	pids="$pids $!"
done
wait_all $pids
for i in 1 2 3 4; do
	io open="$MNT/c$i:rdonly" pr=0:1m:$i eof=1m
	io open="$EXPORT/c$i:rdonly" pr=0:1m:$i eof=1m
done

# regions SIZE [FLAGS]: four writers of SIZE bytes each into one file.
regions() {
	local size=$1 flags=${2:+,$2} pids='' i
	io open="$MNT/one:wronly,creat,trunc" ftrunc=$((size * 4)) close
	for i in 0 1 2 3; do
		rxio run open="$MNT/one:wronly$flags" pw=$((i * size)):$size:9:$((4096 + i * 5000)) fsync close \
			>/tmp/w.$i.log 2>&1 &
		pids="$pids $!"
	done
	wait_all $pids
	io open="$MNT/one:rdonly" pr=0:$((size * 4)):9 eof=$((size * 4))
	io open="$EXPORT/one:rdonly" pr=0:$((size * 4)):9 eof=$((size * 4))
	drop_caches
	io open="$MNT/one:rdonly" pr=0:$((size * 4)):9 eof=$((size * 4))
}
regions 524288
regions 250001
# O_DIRECT writers inside the file share i_rwsem (rx_direct_io)
[ "$FSTYPE" = 9p ] || regions 250001 direct
