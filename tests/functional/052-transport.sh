#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The transport is the one asked for: a mount over ::1 has a TCP
# connection to diod over IPv6 (and adds none over IPv4); a mount over a
# Unix socket adds no TCP connection and diod's socket has an accepted peer;
# /proc/mounts shows the source and trans=.
# needs: nomount
# targets: rx9p-ipv6 rx9p-unix
. "$(dirname "$0")/lib.sh"

# conns FILE...: ESTABLISHED TCP connections whose local port is 564.
conns() {
	awk '$2 ~ /:0234$/ && $4 == "01"' "$@" | wc -l
}

# unix_socks: sockets bound to the Unix socket path (listener + accepted).
unix_socks() {
	grep -c " $SERVER\$" /proc/net/unix
}

v4=$(conns /proc/net/tcp)
v6=$(conns /proc/net/tcp6)
us=$(unix_socks)
do_mount || fail "mount: $SYS_RESULT"
ls "$MNT" >/dev/null || fail "ls failed"
m=$(grep " $MNT " /proc/mounts)
note "/proc/mounts: $m"
assert_eq "$(echo "$m" | cut -d' ' -f1)" "$SERVER" "source in /proc/mounts"
echo "$m" | grep -q "trans=$TRANS" || fail "no trans=$TRANS in /proc/mounts"
case $TARGET in
rx9p-ipv6)
	# (+0 if a connection to ::1 an earlier test left is shared)
	n=$(conns /proc/net/tcp6)
	[ "$n" -ge 1 ] && [ "$n" -le $((v6 + 1)) ] ||
		fail "IPv6 connections to diod: $n, $v6 before the mount"
	assert_eq "$(conns /proc/net/tcp)" "$v4" "IPv4 connections to diod" ;;
rx9p-unix)
	assert_eq "$(conns /proc/net/tcp /proc/net/tcp6)" $((v4 + v6)) "TCP connections to diod"
	n=$(unix_socks)
	[ "$n" -ge 2 ] && [ "$n" -le $((us + 1)) ] ||
		fail "sockets bound to $SERVER: $n, $us before the mount (no accepted connection)" ;;
esac
umount "$MNT" || fail "umount failed"
