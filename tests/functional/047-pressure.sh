#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Load under memory pressure: in a memory cgroup smaller than the data
# written, fio jobs write and verify, stress-ng's file stressors and
# dbench run against the mount for a bounded time, so writeback and
# reclaim run all along (the PASSIVE workqueue must keep making progress).
# Pass: every tool exits 0, no verification failure, and (checked after
# every test) a clean kernel log.
# targets: rx9p rxloop-softirq
# timeout: 400
. "$(dirname "$0")/lib.sh"

for t in fio stress-ng dbench; do
	command -v $t >/dev/null || fail "$t is not in the test image"
done
CG=/sys/fs/cgroup
grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 none $CG ||
	fail "cannot mount cgroup2"
echo +memory >$CG/cgroup.subtree_control 2>/dev/null
mkdir -p $CG/rdbss-pressure || fail "cannot make a memory cgroup"
# The machine's dirty limits are 20 % of 2 GiB, far above the cgroup's
# size.  Cgroup writeback holds one writer to the cgroup's own share (049),
# but with eight writers at once the cgroup still filled with dirty pages
# on 6.12 (43 MB dirty when the OOM killer ended fio; why the cgroup's
# throttling let that through is not yet known).  Limits below the
# cgroup's size make the writers wait for writeback instead, which is what
# this test is about.
old_dirty=$(cat /proc/sys/vm/dirty_bytes)
old_bg=$(cat /proc/sys/vm/dirty_background_bytes)
old_ratio=$(cat /proc/sys/vm/dirty_ratio)
old_bg_ratio=$(cat /proc/sys/vm/dirty_background_ratio)
restore_dirty() {
	if [ "$old_dirty" != 0 ]; then
		echo "$old_dirty" >/proc/sys/vm/dirty_bytes
	else
		echo "$old_ratio" >/proc/sys/vm/dirty_ratio
	fi
	if [ "$old_bg" != 0 ]; then
		echo "$old_bg" >/proc/sys/vm/dirty_background_bytes
	else
		echo "$old_bg_ratio" >/proc/sys/vm/dirty_background_ratio
	fi
}
trap 'restore_dirty; bg_cleanup' EXIT
echo $((8 << 20)) >/proc/sys/vm/dirty_bytes
echo $((4 << 20)) >/proc/sys/vm/dirty_background_bytes
echo 40M >$CG/rdbss-pressure/memory.max || fail "no memory controller"

# limited CMD...: run CMD inside the cgroup.
limited() {
	sh -c 'echo $$ >'"$CG"'/rdbss-pressure/cgroup.procs && exec "$@"' limited "$@"
}

mkdir -p "$MNT/fio" "$MNT/stress" "$MNT/dbench"
# (stress-ng's defaults, 8192 directories and 2048 dentries, and its link
# and symlink stressors, 8192 links in one operation, kept it 35 s past
# its timeout: time that tests nothing; 037 tests links)
limited fio --name=pressure --directory="$MNT/fio" --ioengine=psync \
	--rw=randwrite --bs=64k --size=12m --numjobs=4 --verify=crc32c \
	--verify_fatal=1 --do_verify=1 --output=/tmp/pressure-fio.out &
fpid=$!
limited stress-ng --temp-path "$MNT/stress" --timeout 15s --metrics-brief \
	--hdd 2 --hdd-bytes 8m --dir 1 --dir-dirs 512 --rename 1 --dentry 1 \
	--dentries 512 >/tmp/pressure-stress.out 2>&1 &
spid=$!
limited dbench -t 15 -D "$MNT/dbench" -c /usr/share/dbench/client.txt 2 \
	>/tmp/pressure-dbench.out 2>&1 &
dpid=$!

wait $fpid || { cat /tmp/pressure-fio.out; fail "fio under pressure"; }
wait $spid || { tail -n 30 /tmp/pressure-stress.out; fail "stress-ng under pressure"; }
wait $dpid || { tail -n 30 /tmp/pressure-dbench.out; fail "dbench under pressure"; }
grep -q "err= 0" /tmp/pressure-fio.out || { cat /tmp/pressure-fio.out; fail "fio errors"; }
note "memory.events: $(tr '\n' ' ' <$CG/rdbss-pressure/memory.events)"
note "dbench: $(grep -i throughput /tmp/pressure-dbench.out | tail -n 1)"
grep -q "successful run completed" /tmp/pressure-stress.out ||
	{ tail -n 30 /tmp/pressure-stress.out; fail "stress-ng did not complete"; }
rm -rf "$MNT/fio" "$MNT/stress" "$MNT/dbench"
rmdir $CG/rdbss-pressure 2>/dev/null
