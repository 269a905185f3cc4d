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
	sent0="$sent0 $(chan $k 6)"
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
	now=$(chan $k 6)
	note "channel $k: $((now - s)) requests, $(chan $k 8) bytes sent"
	[ "$now" -gt "$((s + 4))" ] || fail "channel $k carried no file's I/O"
	total=$((total + now))
	k=$((k + 1))
done
assert_eq "$(xprt 6)" "$total" "xprt: requests sent, the channels added up"
rm -f "$MNT"/nc.*

## one file across channels: a lock and a size
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
umount "$MNT" || fail "umount nconnect=4"

## out of range
do_mount nconnect=0 && fail "nconnect=0 accepted"
assert_eq "$SYS_RESULT" EINVAL "nconnect=0"
do_mount nconnect=17 && fail "nconnect=17 accepted"
assert_eq "$SYS_RESULT" EINVAL "nconnect=17"
exit 0
