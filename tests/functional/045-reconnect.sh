#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Reconnection: diod is killed during a large write and during a large
# read and started again; both complete with the right data (nothing
# fsync'd is lost), the mount stays usable, and the kernel says it
# reconnected, and mountstats counts the reconnects.  Then, with the server down for good, umount -f ends a
# process waiting for it and unmounts.
# needs: nomount
# targets: rx9p
# timeout: 240
. "$(dirname "$0")/lib.sh"

DPORT=5646
DIOD=

start_diod() {
	diod -f -n -N -l 127.0.0.1:$DPORT -e "$EXPORT" -L /tmp/diod-reconnect.log &
	DIOD=$!
	BG_PIDS="$BG_PIDS $DIOD"
	wait_listen $DPORT
}

kill_diod() {
	kill -9 "$DIOD" 2>/dev/null
	wait "$DIOD" 2>/dev/null
	DIOD=
}

# wait_size FILE BYTES: until FILE holds at least BYTES (30 s at most).
wait_size() {
	local i=0
	while [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -gt 600 ] && fail "$1 never reached $2 bytes"
		sleep 0.05
	done
}

start_diod
PORT=$DPORT
kmsg_mark
do_mount || fail "mount: $SYS_RESULT"
dd if=/dev/urandom of=/tmp/rc.src bs=1M count=64 2>/dev/null

# A large write: the server dies while write-behind flushes it.
rm -f "$EXPORT/big"
(dd if=/tmp/rc.src of="$MNT/big" bs=1M conv=fsync 2>/tmp/rc.dd; echo $? >/tmp/rc.wrc) &
wpid=$!
wait_size "$EXPORT/big" $((4 << 20))
kill_diod
sleep 1
start_diod
wait $wpid
assert_eq "$(cat /tmp/rc.wrc)" 0 "dd across a server restart ($(cat /tmp/rc.dd))"
assert_same "$EXPORT/big" /tmp/rc.src
kmsg_since | grep -q "rx9p: .*reconnected" || {
	kmsg_since | sed 's/^/kernel: /'
	fail "no 'reconnected' message"
}

# A large read: the server dies while readahead fills the page cache.
drop_caches
rm -f /tmp/rc.read
(cat "$MNT/big" >/tmp/rc.read; echo $? >/tmp/rc.rrc) &
rpid=$!
wait_size /tmp/rc.read $((4 << 20))
kill_diod
sleep 1
start_diod
wait $rpid
assert_eq "$(cat /tmp/rc.rrc)" 0 "cat across a server restart"
assert_same /tmp/rc.read /tmp/rc.src

# Still usable: a new file, its data, and the namespace.
echo after >"$MNT/after" || fail "create after the restarts failed"
assert_eq "$(cat "$EXPORT/after")" after "server copy of a file made after"
assert_eq "$(ls "$MNT" | grep -c '^big$')" 1 "listing after the restarts"
rm -f "$MNT/after" "$MNT/big"

# mountstats (Documentation/filesystems/rx9p.rst): the xprt: line counts
# the first connection and both reconnects, and the connection is up.
xprt=$(awk -v mnt="$MNT" '/^device / { on = ($5 == mnt) }
	on && $1 == "xprt:" { print; exit }' /proc/self/mountstats)
note "after two restarts: $xprt"
# shellcheck disable=SC2086 # the fields
set -- $xprt
assert_eq "$2" up "the connection's state"
[ "$3" -ge 3 ] || fail "connections made: $3, want at least 3"
[ "$4" -ge 2 ] || fail "reconnects: $4, want at least 2"

# The server goes away for good: a process waits for it; umount -f ends
# the wait with an error and unmounts.
kill_diod
(cat "$MNT/never-there" >/dev/null 2>&1; echo $? >/tmp/rc.brc) &
bpid=$!
sleep 2
kill -0 $bpid 2>/dev/null || note "the waiting process ended by itself"
i=0
until umount -f "$MNT" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "umount -f did not succeed in 10 s"
	sleep 0.1
done
wait $bpid
[ "$(cat /tmp/rc.brc)" != 0 ] || fail "the waiting process succeeded"
assert_not_mounted
rm -f /tmp/rc.src /tmp/rc.read
