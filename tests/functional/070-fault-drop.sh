#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Faults: the server's connection drops in the middle of a request (the
# proxy closes both sides instead of forwarding the reply).  The caller
# gets its answer after the client reconnects (idempotent requests are
# sent again) or a clear error (EIO for a create that may have happened);
# never wrong data; data fsync'd before the drop is intact on the server;
# the mount is usable again within 30 s.  See faultlib.sh.
# needs: nomount
# targets: rx9p
# timeout: 900
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faultlib.sh"

# An Rread dropped: a cold read through the page cache (readahead).
case_drop_read() {
	fmount
	mkfile a 1m 1
	drop_caches
	proxy_fault drop,type=Rread
	io_try open="$MNT/a:rdonly" pr=0:1m:1 close
	expect_outcome "read across a dropped connection" "$IO_ERR"
	expect_fired
	intact a
	usable
}

# An Rread dropped with cache=none: the reply was to land in user pages.
case_drop_read_direct() {
	fmount cache=none
	mkfile a 256k 2
	proxy_fault drop,type=Rread
	io_try open="$MNT/a:rdonly" pr=0:256k:2 close
	expect_outcome "uncached read across a dropped connection" "$IO_ERR"
	expect_fired
	intact a
	usable
}

# An Rwrite dropped: what was fsync'd before is intact; what the write
# reported written is on the server.
case_drop_write() {
	fmount
	mkfile a 128k 3
	proxy_fault drop,type=Rwrite
	pattern 0 512k 4 >/tmp/ref.b
	io_try open="$MNT/b:wronly,creat" pw=0:512k:4 fsync close
	expect_outcome "write + fsync across a dropped connection" "$IO_ERR"
	expect_fired
	intact a
	[ "$IO_ERR" = OK ] && intact b
	usable
}

case_drop_getattr() {
	fmount cache=none
	mkfile a 4k 5
	proxy_fault drop,type=Rgetattr
	sys_try stat "$MNT/a"
	expect_outcome "stat across a dropped connection" "$SYS_RESULT"
	expect_fired
	usable
	intact a
}

case_drop_walk() {
	fmount
	echo there >"$EXPORT/w"
	proxy_fault drop,type=Rwalk
	sys_try stat "$MNT/w"
	expect_outcome "lookup across a dropped connection" "$SYS_RESULT"
	expect_fired
	usable
	assert_eq "$(cat "$MNT/w")" there "w read after the reconnect"
}

# Tlcreate is not idempotent: the create may or may not have happened.
case_drop_create() {
	fmount
	proxy_fault drop,type=Rlcreate
	sys_try open "$MNT/c" wronly,creat,excl
	expect_outcome "create across a dropped connection" "$SYS_RESULT"
	expect_fired
	usable
}

case_drop_readdir() {
	fmount
	touch "$EXPORT/r1" "$EXPORT/r2"
	proxy_fault drop,type=Rreaddir
	io_try ls="$MNT"
	expect_outcome "readdir across a dropped connection" "$IO_ERR"
	if [ "$IO_ERR" = OK ]; then
		echo "$W_OUT" | grep -q ' r1 .*r2\| r2 .*r1' ||
			fail "the listing lacks r1 or r2"
	fi
	expect_fired
	usable
}

case_drop_fsync() {
	fmount
	proxy_fault drop,type=Rfsync
	pattern 0 64k 6 >/tmp/ref.f
	io_try open="$MNT/f:wronly,creat" pw=0:64k:6 fsync close
	expect_outcome "fsync across a dropped connection" "$IO_ERR"
	expect_fired
	[ "$IO_ERR" = OK ] && intact f
	usable
}

fault_main "$@" drop_read drop_read_direct drop_write drop_getattr drop_walk \
	drop_create drop_readdir drop_fsync
