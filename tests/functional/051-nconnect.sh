#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# nconnect=N (Documentation/filesystems/rx9p.rst): N connections to the
# server behind one mount, open files spread over them:
#   - /proc/mounts shows nconnect=4; mountstats has nconnect=4 on its
#     rx9p: line, a chan: line per connection, and the server sees four
#     connections;
#   - fio with four jobs, a file each, written and verified (and verified
#     again from the server after the caches are dropped): every channel
#     carried reads and writes, and xprt: adds the channels up;
#   - a file open on another channel is still one file: a lock taken
#     through it is seen by an open on channel 0, and its size after a
#     write is what a stat through the path says;
#   - through the fault proxy, one channel's connection dropped mid-write:
#     that channel reconnects, the other writers never notice, what was
#     fsync'd is on the server (TCP targets);
#   - nconnect=0 and nconnect=17 are refused (EINVAL).
# needs: nomount
# targets: rx9p rx9p-unix rx9p-ganesha
# timeout: 300
. "$(dirname "$0")/lib.sh"

command -v fio >/dev/null || fail "fio is not in the test image"
trap 'umount "$MNT" 2>/dev/null' EXIT

# chan K FIELD: field FIELD (1: state) of channel K's chan: line.
chan() {
	awk -v mnt="$MNT" -v k="$1" -v f="$2" '
		/^device / { on = ($5 == mnt); next }
		on && $1 == "chan:" && $2 == k { print $(f + 2); exit }' \
		/proc/self/mountstats
}

# xprt FIELD: field FIELD of the xprt: line.
xprt() {
	awk -v mnt="$MNT" -v f="$1" '
		/^device / { on = ($5 == mnt); next }
		on && $1 == "xprt:" { print $(f + 1); exit }' /proc/self/mountstats
}

do_mount nconnect=4 || fail "mount nconnect=4: $SYS_RESULT"
grep -q " $MNT rx9p .*,nconnect=4" /proc/mounts ||
	fail "/proc/mounts: $(grep " $MNT " /proc/mounts)"
grep -q "^	rx9p:	.* nconnect=4\$" /proc/self/mountstats ||
	fail "rx9p: line: $(grep '^	rx9p:' /proc/self/mountstats)"
for k in 0 1 2 3; do
	assert_eq "$(chan $k 1)" up "channel $k state"
done
[ -z "$(chan 4 1)" ] || fail "a fifth chan: line"
# rx9pstat reads the same lines
rx9pstat -l "$MNT" >/tmp/nc-stat.out 2>&1 || fail "rx9pstat: $(cat /tmp/nc-stat.out)"
grep -q "^$MNT: .*, nconnect 4), age " /tmp/nc-stat.out ||
	fail "rx9pstat title: $(head -n 1 /tmp/nc-stat.out)"
assert_eq "$(grep -c '^    chan [0-3]: up, ' /tmp/nc-stat.out)" 4 "rx9pstat's chan lines"
if [ "$TRANS" = tcp ]; then
	# (a Unix socket's peer shows no port)
	n=$(netstat -tn 2>/dev/null | awk -v p=":$PORT" \
		'$6 == "ESTABLISHED" && substr($5, length($5) - length(p) + 1) == p' |
		wc -l)
	assert_eq "$n" 4 "connections to the server's port $PORT"
fi

## data: four jobs, a file each, over the channels
sent0=""
for k in 0 1 2 3; do
	sent0="$sent0 $(chan $k 8)"
done
FIO="--directory=$MNT --ioengine=psync --rw=randwrite --bs=16k --size=2m
	--numjobs=4 --verify=crc32c --verify_fatal=1 --end_fsync=1"
# shellcheck disable=SC2086 # an option list
fio --name=nc $FIO --do_verify=1 --output=/tmp/nc-fio.out ||
	{ cat /tmp/nc-fio.out; fail "fio across 4 connections"; }
grep -q "err= 0" /tmp/nc-fio.out || { cat /tmp/nc-fio.out; fail "fio errors"; }
drop_caches
# shellcheck disable=SC2086
fio --name=nc $FIO --verify_only --output=/tmp/nc-fio2.out ||
	{ cat /tmp/nc-fio2.out; fail "fio verify from the server"; }
k=0
total=0
for s in $sent0; do
	now=$(chan $k 8)
	note "channel $k: $(chan $k 6) requests, $((now - s)) bytes sent by fio"
	# a file each: 2 MiB written, whether or not its create was here
	[ "$((now - s))" -ge 1048576 ] || fail "channel $k carried no file's data"
	total=$((total + $(chan $k 6)))
	k=$((k + 1))
done
assert_eq "$(xprt 6)" "$total" "xprt: requests sent, the channels added up"
rm -f "$MNT"/nc.*

## one file across channels: a lock and a size
# (the flags of another target's run must not count)
rm -f /tmp/lk.held /tmp/lk.done
printf 'x' >"$MNT/lk" || fail "create lk"
# Two opens of a file at once: the second lands on another channel than
# the first (fewest open files); channel 0 serves stat.
rxio run open="$MNT/lk:rdwr" setlk=w:0:1 pw=0:64k:3 fsync \
	touch=/tmp/lk.held wait=/tmp/lk.done:30 close >/tmp/lk.A 2>&1 &
apid=$!
wait_for /tmp/lk.held 20
assert_eq "$(stat -c %s "$MNT/lk")" 65536 "size through the path after a write on a channel"
io open="$MNT/lk:rdwr" 'setlk=w:0:1!EAGAIN' getlk=w:0:1:w close
touch /tmp/lk.done
wait $apid || fail "lock holder: $(cat /tmp/lk.A)"
assert_eq "$(chan 0 1)" up "channel 0 after the lock test"
rm -f "$MNT/lk"
umount "$MNT" || fail "umount nconnect=4"

## one connection lost: through the fault proxy (TCP only), a reply
## dropped closes the session of one channel; that channel reconnects,
## the others never notice, nothing fsync'd is lost
if [ "$TRANS" = tcp ]; then
	PROXY_SERVER=127.0.0.1:$PORT PROXY_PORT=5701
	. "$(dirname "$0")/faultlib.sh"
	proxy_start
	trap 'umount "$MNT" 2>/dev/null; kill $PROXY_PID 2>/dev/null' EXIT
	do_mount nconnect=4,timeout=10 || fail "mount through the proxy: $SYS_RESULT"
	rm -f /tmp/d.go /tmp/d?.a
	pids=""
	for k in 1 2 3 4; do
		pattern 0 512k "$k" >"/tmp/ref.d$k"
		rxio run open="$MNT/d$k:rdwr,creat" pw=0:256k:"$k" fsync \
			touch="/tmp/d$k.a" wait=/tmp/d.go:30 pw=256k:256k:"$k" \
			fsync close >"/tmp/d$k.out" 2>&1 &
		pids="$pids $!"
	done
	for k in 1 2 3 4; do
		wait_for "/tmp/d$k.a" 20
	done
	opens=$(for k in 0 1 2 3; do chan $k 14; done | tr '\n' ' ')
	note "open files per channel: $opens"
	assert_eq "$opens" "1 1 1 1 " "open files per channel, four files open"
	proxy_fault drop,type=Rwrite
	touch /tmp/d.go
	failed=0
	for p in $pids; do
		wait "$p" || failed=$((failed + 1))
	done
	expect_fired
	# the writer whose channel dropped may get EIO (a write that may or
	# may not have happened); every other one must not notice
	[ "$failed" -le 1 ] || fail "$failed writers failed: $(cat /tmp/d?.out)"
	for k in 1 2 3 4; do
		if grep -q ' -> E' "/tmp/d$k.out"; then
			note "writer $k: $(grep ' -> E' "/tmp/d$k.out" | head -n 1)"
			cmp -n 262144 "$EXPORT/d$k" "/tmp/ref.d$k" >/dev/null ||
				fail "d$k: what was fsync'd before the drop is lost"
		else
			assert_same "$EXPORT/d$k" "/tmp/ref.d$k"
		fi
	done
	usable
	rc=0
	for k in 0 1 2 3; do
		assert_eq "$(chan $k 1)" up "channel $k after the drop"
		rc=$((rc + $(chan $k 3)))
	done
	assert_eq "$rc" 1 "reconnects over all the channels (one channel lost)"
	assert_eq "$(xprt 1)" up "xprt: state after the drop"
	umount "$MNT" || fail "umount after the drop"
	rm -f "$EXPORT"/d?
	kill "$PROXY_PID" 2>/dev/null
	# shellcheck disable=SC2034 # lib.sh's do_mount reads PORT
	PORT=${PROXY_SERVER##*:}
fi

## out of range
do_mount nconnect=0 && fail "nconnect=0 accepted"
assert_eq "$SYS_RESULT" EINVAL "nconnect=0"
do_mount nconnect=17 && fail "nconnect=17 accepted"
assert_eq "$SYS_RESULT" EINVAL "nconnect=17"
exit 0
