#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# umount -f of a busy mount aborts its connection for good; the mount
# lingers (umount -l) while a process keeps a file open.  A new mount of
# the same server must get a working connection, not the aborted one.
# Found by the fault cases, whose cleanup does exactly this.  See
# faultlib.sh.
# needs: nomount
# targets: rx9p
# timeout: 300
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faultlib.sh"

case_abort_then_mount() {
	fmount
	mkfile a 4k 1
	rm -f /tmp/never
	bg_run rxio run open="$MNT/a:rdonly" wait=/tmp/never:60 close
	sleep 1
	within 10 rxsys umount "$MNT"
	note "umount while a is open: $W_OUT"
	within 10 umount -f "$MNT"
	note "umount -f while a is open: status $W_RC"
	within 10 rxsys umount "$MNT" detach
	note "umount -l: $W_OUT"
	is_mounted && fail "still mounted after umount -l"
	do_mount timeout=10
	note "a new mount of the same server: $SYS_RESULT"
	assert_eq "$SYS_RESULT" OK "mount after umount -f of a busy mount"
	usable 10
}

fault_main "$@" abort_then_mount
