#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rx9p cache modes, as seen by a program: /proc/mounts shows each mount's
# options; cache=none sees a change made on the server at once (through a
# descriptor opened before it, and in stat); cache=cto sees it after a
# reopen, and a write is on the server after close; cache=loose writes
# reach the server by fsync and server changes show after drop_caches.
# needs: nomount
# targets: rx9p
. "$(dirname "$0")/lib.sh"

# server_write SEED [LEN]: rewrite the server's copy of f.
server_write() {
	io open="$EXPORT/f:wronly,creat" pw=0:${2:-4096}:$1 close
}

for mode in none cto loose; do
	note "== cache=$mode"
	server_write 1
	do_mount cache=$mode || fail "mount with cache=$mode: $SYS_RESULT"
	m=$(grep " $MNT " /proc/mounts)
	note "/proc/mounts: $m"
	for o in cache=$mode trans=tcp port=564 aname=/srv/export uname=root msize=; do
		echo "$m" | grep -q "[ ,]$o" || fail "cache=$mode: $o not in /proc/mounts"
	done
	io open="$MNT/f:rdonly" pr=0:4096:1
	case $mode in
	none)
		rm -f /tmp/r.ready /tmp/r.go
		rxio run open="$MNT/f:rdonly" pr=0:4096:1 touch=/tmp/r.ready wait=/tmp/r.go:20 \
			pr=0:4096:2 >/tmp/r.log 2>&1 &
		reader=$!
		wait_for /tmp/r.ready
		server_write 2
		touch /tmp/r.go
		wait $reader || { cat /tmp/r.log; fail "cache=none: an open descriptor reads stale data"; }
		server_write 2 8192
		assert_eq "$(stat -c %s "$MNT/f")" 8192 "cache=none: size right after a server-side change"
		echo short >"$EXPORT/s"
		assert_eq "$(cat "$MNT/s")" short "cache=none: sendfile(2) (cat) of a 6-byte file"
		echo short >/tmp/want
		cmp "$MNT/s" /tmp/want || fail "cache=none: read(2) of a 6-byte file"
		;;
	cto)
		server_write 2
		io open="$MNT/f:rdonly" pr=0:4096:2
		io open="$MNT/f:wronly" pw=0:4096:3 close
		io open="$EXPORT/f:rdonly" pr=0:4096:3
		;;
	loose)
		io open="$MNT/f:wronly" pw=0:4096:3 fsync close
		io open="$EXPORT/f:rdonly" pr=0:4096:3
		server_write 4
		drop_caches
		io open="$MNT/f:rdonly" pr=0:4096:4
		;;
	esac
	umount "$MNT" || fail "umount (cache=$mode) failed"
done
