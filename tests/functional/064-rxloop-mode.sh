#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Each rxloop column really completes low I/O in its mode: after reads and
# writes, RXLOOP_IOC_STATS counts completions in complete=MODE only, the
# bytes read and written, and /proc/mounts shows the mode.  The ioctl
# works on a file and on a directory.
# targets: rxloop
. "$(dirname "$0")/lib.sh"

m=$(grep " $MNT " /proc/mounts)
note "/proc/mounts: $m"
echo "$m" | grep -q "complete=$MODE" || fail "no complete=$MODE in /proc/mounts"
io open="$MNT/f:wronly,creat" pw=0:1m:1 fsync close
drop_caches
io open="$MNT/f:rdonly" pr=0:1m:1 close
io open="$MNT/f:rdwr,direct" pw=0:64k:2 pr=0:64k:2 close
rxio stats "$MNT/f" >/tmp/stats || fail "RXLOOP_IOC_STATS on a file failed: $(cat /tmp/stats)"
sed 's/^/stats: /' /tmp/stats
for k in inline softirq workqueue delayed; do
	c=$(sed -n "s/^completed_$k //p" /tmp/stats)
	if [ $k = "$MODE" ]; then
		[ "$c" -gt 0 ] || fail "no completions in mode $MODE"
	else
		assert_eq "$c" 0 "completions in mode $k on a complete=$MODE mount"
	fi
done
[ "$(sed -n 's/^bytes_written //p' /tmp/stats)" -ge $((1048576 + 65536)) ] ||
	fail "bytes_written below what was written"
[ "$(sed -n 's/^bytes_read //p' /tmp/stats)" -ge $((1048576 + 65536)) ] ||
	fail "bytes_read below what was read after drop_caches"
r=$(rxio stats "$MNT" server_mounts) || fail "RXLOOP_IOC_STATS on the root directory: $r"
assert_eq "$r" 2 "server_mounts (this mount and the cache=none one)"
