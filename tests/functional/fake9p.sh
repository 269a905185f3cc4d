#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# fake9p.sh MODE REPLY CAPTURE HOLD: a fake 9P server's side of one
# connection, run by "nc -l -p PORT -e" with the socket on stdin/stdout
# (see fake_server in lib.sh).
#   reply    read one 9P message (size-prefixed) into CAPTURE, answer with
#            the bytes of the file REPLY, keep the connection HOLD seconds
#   silent   read whatever comes into CAPTURE, never answer, HOLD seconds
#   hangup   close the connection at once
mode=$1 reply=$2 capture=$3 hold=${4:-30}
case $mode in
reply)
	dd bs=1 count=4 of="$capture.hdr" 2>/dev/null
	size=$(od -An -tu4 "$capture.hdr" | tr -d ' ')
	[ -n "$size" ] && [ "$size" -gt 4 ] &&
		dd bs=1 count=$((size - 4)) of="$capture.body" 2>/dev/null
	cat "$capture.hdr" "$capture.body" >"$capture" 2>/dev/null
	rm -f "$capture.hdr" "$capture.body"
	cat "$reply"
	sleep "$hold"
	;;
silent)
	timeout "$hold" cat >"$capture"
	;;
hangup)
	;;
esac
