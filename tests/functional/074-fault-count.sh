#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Faults: counts that lie.  An Rread carrying more bytes than the request
# asked for (size and count agree), a count of 0xffffffff, the same for
# Rreaddir, an Rwrite claiming more than was sent, and Rwrite counts of 0
# from a server that keeps saying so.  No extra byte may reach a caller,
# no write may be reported larger than it was, and nothing may loop for
# ever.  See faultlib.sh.
# needs: nomount
# targets: rx9p
# timeout: 900
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faultlib.sh"

read_case() {
	fmount "$2"
	mkfile a 1m 1
	drop_caches
	proxy_fault "$1"
	io_try open="$MNT/a:rdonly" pr=0:1m:1 eof=1m close
	expect_outcome "read ($1)" "$IO_ERR"
	expect_fired
	usable
	intact a
}

case_bigcount_read() { read_case bigcount,type=Rread; }
case_bigcount_read_direct() { read_case bigcount=4096,type=Rread cache=none; }
case_countmax_read() { read_case countmax,type=Rread; }
case_countmax_read_direct() { read_case countmax,type=Rread cache=none; }

readdir_case() {
	fmount
	for n in 1 2 3 4 5; do touch "$EXPORT/r$n"; done
	proxy_fault "$1"
	io_try ls="$MNT"
	expect_outcome "readdir ($1)" "$IO_ERR"
	if [ "$IO_ERR" = OK ]; then
		for n in 1 2 3 4 5; do
			echo "$W_OUT" | grep -q " r$n\( \|$\)" || fail "r$n missing from the listing"
		done
	fi
	expect_fired
	usable
}

case_countmax_readdir() { readdir_case countmax,type=Rreaddir; }
case_bigcount_readdir() { readdir_case bigcount=64,type=Rreaddir; }

# write_case SPEC [MOUNT-OPTS]: a write whose Rwrite lies; the size and
# data the server has must be what the caller was told.
write_case() {
	fmount "$2"
	mkfile a 64k 2
	pattern 0 256k 3 >/tmp/ref.b
	proxy_fault "$1"
	io_try open="$MNT/b:wronly,creat" pw=0:256k:3 fsync close
	expect_outcome "write ($1)" "$IO_ERR"
	expect_fired
	proxy_fault none
	size=$(stat -c %s "$EXPORT/b" 2>/dev/null || echo 0)
	[ "$size" -le $((256 << 10)) ] || fail "the server's file has $size bytes"
	sys_try stat "$MNT/b"
	s2=$(stat -c %s "$MNT/b" 2>/dev/null || echo 0)
	[ "$s2" -le $((256 << 10)) ] || fail "the client shows $s2 bytes for a 256 KiB write"
	[ "$IO_ERR" = OK ] && intact b
	usable
	intact a
}

case_bigcount_write() { write_case bigcount,type=Rwrite; }
case_countmax_write() { write_case countmax,type=Rwrite; }
case_countmax_write_direct() { write_case countmax,type=Rwrite cache=none; }
# A server that always answers "0 bytes written": an error, not a loop.
case_zerocount_write() { write_case setcount=0,type=Rwrite,times=0 cache=none; }

# A server that always lies about Rread counts: reconnecting and asking
# again cannot help; the reader must get an error in bounded time, and
# SIGKILL must end it meanwhile.
case_countmax_read_always() {
	fmount cache=none
	mkfile a 64k 4
	proxy_fault countmax,type=Rread,times=0
	bg_run rxio run open="$MNT/a:rdonly" pr=0:64k:4 close >/tmp/always.out 2>&1
	pid=$BG_LAST
	i=0
	while alive "$pid" && [ $i -lt 150 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if alive "$pid"; then
		note "the reader has no answer after 15s: $(fired) bad replies, $(grep -c ': open$' "$PROXY_LOG") connections"
		kill_wait "$pid" "the reader" ||
			note "(it dies when umount -f gives up on the server)"
		fail "a read from a server that always lies got no error in 15s"
	fi
	sed 's/^/  | /' /tmp/always.out
	grep -q '^pr=.* -> OK' /tmp/always.out && fail "read succeeded although every Rread was bad"
	expect_fired
	proxy_fault none
	usable
}

fault_main "$@" bigcount_read bigcount_read_direct countmax_read countmax_read_direct \
	countmax_readdir bigcount_readdir bigcount_write countmax_write \
	countmax_write_direct zerocount_write countmax_read_always
