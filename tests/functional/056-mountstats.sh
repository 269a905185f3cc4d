#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /proc/self/mountstats (Documentation/filesystems/rdbss.rst, "Observing a
# mount"): after a known workload (1 MiB written through the page cache
# with fsync, read back cold, 10 creates, 10 stats, a failed lookup, 10
# unlinks) the counters say exactly what happened: the bytes written and
# read, WRITE low I/O moving the megabyte in pieces of at most the mount's
# largest I/O, 10 CREATE and 10 UNLINK, a LOOKUP error; on rx9p (msize
# 64 KiB) also at least 1 MiB / msize Twrite and 10 Tlcreate.  The format
# holds (statvers=1.0, every op and message line, numbers only) and no
# file name shows.
# needs: nomount
# targets: rx9p rxloop-softirq
. "$(dirname "$0")/lib.sh"

MSIZE=65536
do_mount || fail "mount: $SYS_RESULT"

# entry: this mount's lines of /proc/self/mountstats.
entry() {
	awk -v mnt="$MNT" '
		/^device / { on = ($5 == mnt) }
		on' /proc/self/mountstats
}

# field KEY N: field N of the line "KEY: ..." of the entry (per-op and
# per-message lines too: KEY is LOOKUP, Twrite, ...).
field() {
	entry | awk -v k="$1:" -v n="$2" '
		{ sub(/^[ \t]+/, "") }
		$1 == k { print $(n + 1); found = 1; exit }
		END { if (!found) print "missing" }'
}

# bytes N, event N, op NAME N: one number of the entry.
bytes() { field bytes "$1"; }
event() { field events "$1"; }
op() { field "$1" "$2"; }

entry >/tmp/ms.0
note "$(head -n 6 /tmp/ms.0)"
head -n 1 /tmp/ms.0 | grep -q " with fstype $FSTYPE statvers=1\.0\$" ||
	fail "no statvers=1.0 on the device line: $(head -n 1 /tmp/ms.0)"
for k in opts age bytes events; do
	grep -q "^	$k:	" /tmp/ms.0 || fail "no $k: line"
done
assert_eq "$(awk '$1 == "bytes:" { print NF - 1 }' /tmp/ms.0)" 8 "bytes: fields"
assert_eq "$(awk '$1 == "events:" { print NF - 1 }' /tmp/ms.0)" 11 "events: fields"
ops="LOOKUP OPEN CREATE MKDIR UNLINK RMDIR RENAME LINK SYMLINK MKNOD READLINK CLOSE GETATTR SETATTR STATFS READDIR FSYNC GETXATTR SETXATTR READ WRITE LOCK UNLOCK FSCTL IOCTL"
got=$(awk '/per-op statistics/ { on = 1; next } on && /^\t *[A-Z]+: / { k = $1; sub(/:$/, "", k); printf "%s ", k; next } on && !/^\t *[A-Z]+: / { on = 0 }' /tmp/ms.0)
assert_eq "$got" "$ops " "the per-op lines"
bad=$(awk '/per-op statistics/ { on = 1; next } on && /^\t *[A-Z]+: / {
	if (NF != 12) print; for (i = 2; i <= NF; i++) if ($i !~ /^[0-9]+$/) print }' /tmp/ms.0)
[ -z "$bad" ] || fail "per-op lines not 11 numbers: $bad"

w0=$(bytes 2) sw0=$(bytes 6) r0=$(bytes 1) sr0=$(bytes 5)
wo0=$(op WRITE 1) wb0=$(op WRITE 3) cr0=$(op CREATE 1) un0=$(op UNLINK 1)
le0=$(op LOOKUP 2) ah0=$(event 6) am0=$(event 7)

io open="$MNT/statsfile-zq7:rdwr,creat" pw=0:1m:1 fsync close
drop_caches
io open="$MNT/statsfile-zq7:rdonly" pr=0:1m:1 close
i=0
while [ $i -lt 10 ]; do
	: >"$MNT/statsname-zq7.$i" || fail "create $i"
	i=$((i + 1))
done
i=0
while [ $i -lt 10 ]; do
	stat "$MNT/statsname-zq7.$i" >/dev/null || fail "stat $i"
	i=$((i + 1))
done
stat "$MNT/statsnone-zq7" >/dev/null 2>&1 && fail "a name that is not there"
i=0
while [ $i -lt 10 ]; do
	rm "$MNT/statsname-zq7.$i" || fail "unlink $i"
	i=$((i + 1))
done
entry >/tmp/ms.1

assert_eq "$(($(bytes 2) - w0))" 1048576 "bytes written through the page cache"
assert_eq "$(($(bytes 6) - sw0))" 1048576 "bytes WRITE low I/O sent"
assert_eq "$(($(op WRITE 3) - wb0))" 1048576 "the WRITE op's bytes"
assert_eq "$(($(bytes 1) - r0))" 1048576 "bytes read through the page cache"
[ $(($(bytes 5) - sr0)) -ge 1048576 ] ||
	fail "READ low I/O brought $(($(bytes 5) - sr0)) bytes for a 1 MiB read"
if is_9p; then
	# rx9p's largest I/O: msize less the Twrite header, in whole pages
	max_io=$((MSIZE - 4096))
	[ $(($(op WRITE 1) - wo0)) -ge $((1048576 / max_io)) ] ||
		fail "$(($(op WRITE 1) - wo0)) WRITE for 1 MiB in pieces of at most $max_io"
fi
# the 1 MiB file and the 10 names
assert_eq "$(($(op CREATE 1) - cr0))" 11 "CREATE ops"
assert_eq "$(($(op UNLINK 1) - un0))" 10 "UNLINK ops"
[ $(($(op LOOKUP 2) - le0)) -ge 1 ] || fail "the failed lookup is no LOOKUP error"
[ $(($(event 6) + $(event 7) - ah0 - am0)) -ge 10 ] ||
	fail "10 stats made $(($(event 6) + $(event 7) - ah0 - am0)) attribute checks"
[ "$(op WRITE 5)" -le "$(op WRITE 4)" ] || fail "WRITE: max above total"
grep -q zq7 /tmp/ms.1 && fail "a file name shows in mountstats: $(grep zq7 /tmp/ms.1)"

if [ "$FSTYPE" = rx9p ]; then
	note "$(grep -E '^	(rx9p|xprt):' /tmp/ms.1)"
	grep -q "^	rx9p:	vers=9P2000.L trans=$TRANS .* msize=$MSIZE nconnect=1\$" /tmp/ms.1 ||
		fail "rx9p: line: $(grep '^	rx9p:' /tmp/ms.1)"
	assert_eq "$(field xprt 1)" up "connection state"
	assert_eq "$(awk '$1 == "xprt:" { print NF - 1 }' /tmp/ms.1)" 13 "xprt: fields"
	[ "$(field xprt 2)" -ge 1 ] || fail "no connect counted"
	nmsg=$(awk '/per-message statistics/ { on = 1; next } on && /^\t *T[a-z]+: / && NF == 5 { n++ } END { print n + 0 }' /tmp/ms.1)
	assert_eq "$nmsg" 27 "per-message lines"
	tw=$(awk '/per-message statistics/ { on = 1 } on && $1 == "Twrite:" { print $2 }' /tmp/ms.1)
	tw0=$(awk '/per-message statistics/ { on = 1 } on && $1 == "Twrite:" { print $2 }' /tmp/ms.0)
	[ $((tw - tw0)) -ge $((1048576 / MSIZE)) ] ||
		fail "$((tw - tw0)) Twrite for 1 MiB with msize $MSIZE"
	tc=$(awk '/per-message statistics/ { on = 1 } on && $1 == "Tlcreate:" { print $2 }' /tmp/ms.1)
	tc0=$(awk '/per-message statistics/ { on = 1 } on && $1 == "Tlcreate:" { print $2 }' /tmp/ms.0)
	assert_eq "$((tc - tc0))" 11 "Tlcreate"
	[ "$(field xprt 7)" -le "$(field xprt 6)" ] ||
		fail "more replies than requests: $(grep '^	xprt:' /tmp/ms.1)"
fi
note "$(grep -E '^	 *(WRITE|READ|CREATE|UNLINK|LOOKUP):' /tmp/ms.1)"
umount "$MNT" || fail "umount"
exit 0
