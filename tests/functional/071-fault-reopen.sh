#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Faults: the proxy drops the client's connection while nothing is in
# flight and accepts the next one (close-and-reopen), possibly refusing
# connections for a while first.  The client notices, reconnects (with
# backoff), re-attaches and reopens its files: the mount is usable again
# within 30 s, a file open across the reconnect keeps working, data
# fsync'd before is intact, and a process waiting for a server that stays
# away dies of SIGKILL.  See faultlib.sh.
# needs: nomount
# targets: rx9p
# timeout: 600
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faultlib.sh"

# wait_fired: until the armed fault fired (10 s).
wait_fired() {
	local i=0
	until [ "$(fired)" -gt 0 ]; do
		i=$((i + 1))
		[ $i -gt 200 ] && fail "'$FAULT_SPEC' did not fire within 10s"
		sleep 0.05
	done
}

case_reopen_idle() {
	fmount
	mkfile a 1m 1
	proxy_fault reopen
	wait_fired
	usable
	intact a
	drop_caches
	io open="$MNT/a:rdonly" pr=0:1m:1 close
}

# No server for 3 s: the first reconnect attempts are refused.
case_reopen_refused() {
	fmount
	mkfile a 64k 2
	proxy_fault reopen=3000
	wait_fired
	usable 30
	intact a
}

# A file open (and written) across the reconnect: its fid is reopened.
case_reopen_open_file() {
	fmount
	rm -f /tmp/go
	pattern 0 64k 3 >/tmp/ref.d
	pattern 64k 64k 4 >>/tmp/ref.d
	bg_run sh -c "rxio run open=$MNT/d:rdwr,creat pw=0:64k:3 fsync wait=/tmp/go:30 \
		pw=64k:64k:4 fsync pr=0:64k:3 pr=64k:64k:4 close >/tmp/rxio.d 2>&1; echo \$? >/tmp/rxio.d.rc"
	wait_for /tmp/rxio.d 10
	i=0
	until grep -q '^wait=' /tmp/rxio.d 2>/dev/null || grep -q '^fsync -> OK' /tmp/rxio.d; do
		i=$((i + 1))
		[ $i -gt 200 ] && fail "rxio did not get to its wait step: $(cat /tmp/rxio.d)"
		sleep 0.05
	done
	proxy_fault reopen
	wait_fired
	sleep 1
	touch /tmp/go
	wait_for /tmp/rxio.d.rc 40
	sed 's/^/  | /' /tmp/rxio.d
	assert_eq "$(cat /tmp/rxio.d.rc)" 0 "rxio across the reconnect"
	intact d
	usable
}

# The connection goes while a large write is being written back.
case_reopen_during_write() {
	fmount
	dd if=/dev/urandom of=/tmp/ref.big bs=1M count=16 2>/dev/null
	bg_run sh -c "dd if=/tmp/ref.big of=$MNT/big bs=1M conv=fsync 2>/tmp/dd.err; echo \$? >/tmp/dd.rc"
	i=0
	while [ "$(stat -c %s "$EXPORT/big" 2>/dev/null || echo 0)" -lt $((2 << 20)) ]; do
		i=$((i + 1))
		[ $i -gt 400 ] && fail "the write did not reach the server"
		sleep 0.05
	done
	proxy_fault reopen
	wait_fired
	wait_for /tmp/dd.rc 60
	note "dd: status $(cat /tmp/dd.rc) $(tail -n 1 /tmp/dd.err)"
	if [ "$(cat /tmp/dd.rc)" = 0 ]; then
		intact big
	else
		grep -q 'I/O error' /tmp/dd.err || fail "dd failed without EIO: $(cat /tmp/dd.err)"
	fi
	usable
}

# Three connections lost in a row, with some refusal between.
case_reopen_repeated() {
	fmount
	mkfile a 64k 5
	for n in 1 2 3; do
		proxy_fault reopen=500
		wait_fired
		usable 30
	done
	intact a
}

# The server stays away (60 s): a reader waiting for it can be killed.
case_reopen_kill_waiter() {
	fmount cache=none
	mkfile a 64k 6
	proxy_fault reopen=60000
	wait_fired
	bg_run rxio run open="$MNT/a:rdonly" pr=0:64k:6 close
	pid=$BG_LAST
	if still_running "$pid" 3; then
		kill_wait "$pid" "a lookup waiting for the server" ||
			fail "a lookup waiting for the server does not die of SIGKILL"
	else
		note "the lookup did not wait for the server"
	fi
	proxy_fault reopen=1
	usable 40
}

# The same with the file open before: the Tread waits for the reconnection.
case_reopen_kill_reader() {
	fmount cache=none
	mkfile a 64k 7
	rm -f /tmp/go
	bg_run sh -c "exec rxio run open=$MNT/a:rdonly wait=/tmp/go:60 pr=0:64k:7 close >/tmp/kr.out 2>&1"
	pid=$BG_LAST
	i=0
	until grep -q '^open=.* -> OK' /tmp/kr.out 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "rxio did not open the file: $(cat /tmp/kr.out)"
		sleep 0.05
	done
	proxy_fault reopen=60000
	wait_fired
	touch /tmp/go
	if ! still_running "$pid" 3; then
		note "the read did not wait for the server: $(cat /tmp/kr.out)"
	elif ! kill_wait "$pid" "a read waiting for the server"; then
		proxy_fault reopen=1
		i=0
		while alive "$pid" && [ $i -lt 800 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		alive "$pid" || note "it died $((i * 50))ms after the server came back"
		fail "a read waiting for the server does not die of SIGKILL"
	fi
	proxy_fault reopen=1
	usable 40
}

fault_main "$@" reopen_idle reopen_refused reopen_open_file reopen_during_write \
	reopen_repeated reopen_kill_waiter reopen_kill_reader
