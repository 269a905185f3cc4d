#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Cgroup writeback: a writer in a memory cgroup is held to the cgroup's
# own dirty limit (a share of what the cgroup may use), not to the
# machine's.  The writer here writes several times its cgroup's size
# with the machine's dirty limits far above it: without cgroup writeback
# the cgroup fills with dirty pages its reclaim cannot free.  Pass: the
# data reaches the server intact and the cgroup's dirty and writeback
# pages never exceed half of its limit.
# targets: rx9p rxloop-softirq
# timeout: 300
. "$(dirname "$0")/lib.sh"

CG=/sys/fs/cgroup
grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 none $CG ||
	fail "cannot mount cgroup2"
grep -qw io $CG/cgroup.controllers || skip "no io controller on cgroup2"
echo +memory >$CG/cgroup.subtree_control 2>/dev/null
G=$CG/rdbss-cgwb
mkdir -p $G || fail "cannot make a memory cgroup"
trap 'bg_cleanup; rmdir $G 2>/dev/null' EXIT
echo 64M >$G/memory.max || fail "no memory controller"
note "dirty_ratio $(cat /proc/sys/vm/dirty_ratio) dirty_bytes $(cat /proc/sys/vm/dirty_bytes) MemTotal $(awk '/MemTotal/ {print $2}' /proc/meminfo) kB"

# dirty_kb: the cgroup's dirty plus under-writeback page cache, in KiB.
dirty_kb() {
	awk '$1 == "file_dirty" || $1 == "file_writeback" { s += $2 }
	     END { print int(s / 1024) }' $G/memory.stat
}

# the data: 192 MiB of a repeating 1 MiB random block, checked by sum
head -c 1048576 /dev/urandom >/tmp/cgwb-block
sum_block=$(md5sum </tmp/cgwb-block)
sh -c 'echo $$ >'"$G"'/cgroup.procs &&
	for i in $(seq 192); do cat /tmp/cgwb-block; done |
	dd of="$1/cgwb" bs=1M iflag=fullblock 2>/dev/null' cgwb "$MNT" &
wpid=$!
max=0
while kill -0 $wpid 2>/dev/null; do
	d=$(dirty_kb)
	[ "$d" -gt "$max" ] && max=$d
	sleep 0.2
done
wait $wpid || fail "the writer failed"
note "most dirty+writeback in the 64 MiB cgroup: $max KiB"
note "memory.events: $(tr '\n' ' ' <$G/memory.events)"
sync "$MNT/cgwb" || fail "fsync"
assert_eq "$(stat -c %s "$MNT/cgwb")" $((192 << 20)) "size written"
drop_caches
bad=$(for i in $(seq 0 191); do
	dd if="$MNT/cgwb" bs=1M skip=$i count=1 2>/dev/null | md5sum
done | grep -vc "$sum_block")
assert_eq "$bad" 0 "blocks that differ"
rm -f "$MNT/cgwb" /tmp/cgwb-block
[ "$max" -lt 32768 ] ||
	fail "the cgroup held $max KiB of dirty and writeback pages (limit 64 MiB)"
