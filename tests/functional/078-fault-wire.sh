#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What the client sends: the proxy records every byte of a workload that
# uses most 9P2000.L requests, and "p9proxy --check-zero" walks the
# recording: no bytes after a request's last field, no undefined bits in
# masks and flags, Tsetattr fields whose valid bit is clear all zero,
# names that are one path component (see tests/proxy/README).  The
# checker itself is checked on a recording made by hand.  See faultlib.sh.
# needs: nomount
# targets: rx9p
# timeout: 300
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faultlib.sh"
PROXY_CAPTURE=1

case_zero_fields() {
	local t missing=
	fmount
	sys_try mkdir "$MNT/d"
	io open="$MNT/d/f:rdwr,creat,excl" pw=0:100k:1 fsync ftrunc=50k fstat=50k \
		setlk=w:0:10 getlk=r:0:10:u setlk=u:0:10 close
	sys_try chmod "$MNT/d/f" 600
	sys_try chown "$MNT/d/f" 1 1
	sys_try truncate "$MNT/d/f" 4096
	touch -d '2020-01-02 03:04:05' "$MNT/d/f"
	touch "$MNT/d/f"
	sys_try symlink f "$MNT/d/s"
	readlink "$MNT/d/s" >/dev/null
	sys_try link "$MNT/d/f" "$MNT/d/h"
	mkfifo "$MNT/d/p" || note "mkfifo failed"
	sys_try rename "$MNT/d/h" "$MNT/d/h2"
	rxio run setx="$MNT/d/f:user.k:v!?" getx="$MNT/d/f:user.k!?" \
		listx="$MNT/d/f:user.k!?" rmx="$MNT/d/f:user.k!?" >/dev/null
	stat -f "$MNT" >/dev/null
	ls -la "$MNT/d" >/dev/null
	drop_caches
	cat "$MNT/d/f" >/dev/null
	rm -f "$MNT/d/f" "$MNT/d/s" "$MNT/d/h2" "$MNT/d/p"
	sys_try rmdir "$MNT/d"
	umount "$MNT" || fail "umount"
	within 60 p9proxy --check-zero -v "$PROXY_DIR/capture"
	printf '%s\n' "$W_OUT" | grep -v '^message .* size [0-9]*$' | sed 's/^/  /'
	[ "$W_RC" = 0 ] || fail "the client sent nonzero reserved fields (above)"
	for t in Tversion Tattach Twalk Tgetattr Tsetattr Tlcreate Tlopen Tread Twrite \
		 Tfsync Treaddir Tmkdir Tsymlink Treadlink Tlink Tmknod Tlock Tgetlock \
		 Tstatfs Tclunk Txattrwalk; do
		printf '%s\n' "$W_OUT" | grep -q "^message [0-9]* (offset [0-9]*) $t " ||
			missing="$missing $t"
	done
	note "requests checked: $(printf '%s\n' "$W_OUT" | sed -n 's/^message [0-9]* (offset [0-9]*) \([A-Za-z]*\) .*/\1/p' |
		sort | uniq -c | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')"
	[ -z "$missing" ] || note "not in the recording:$missing"
	case "$missing" in
	*Tsetattr*|*Tlcreate*|*Tgetattr*) fail "the workload did not send$missing" ;;
	esac
}

# A recording with three planted faults: the checker names each.
case_checker_selftest() {
	{
		le32 67; u8 26; le16 1; le32 1; le32 1; le32 420; le32 0; le32 0
		le32 0; le32 0; le32 5; le32 0; le32 0; le32 0; le32 0; le32 0
		le32 0; le32 0
		le32 19; u8 24; le16 2; le32 1; le32 65536; le32 0
		le32 12; u8 120; le16 3; le32 1; u8 0
	} >/tmp/planted.cap
	within 10 p9proxy --check-zero /tmp/planted.cap
	printf '%s\n' "$W_OUT" | sed 's/^/  | /'
	assert_eq "$W_RC" 1 "checker status on a bad recording"
	printf '%s\n' "$W_OUT" | grep -q 'Tsetattr tag 1: atime_sec = 0x5 with its valid bit' ||
		fail "the nonzero atime_sec was not reported"
	printf '%s\n' "$W_OUT" | grep -q 'Tgetattr tag 2: request_mask 0x10000' ||
		fail "the undefined getattr mask bit was not reported"
	printf '%s\n' "$W_OUT" | grep -q 'Tclunk tag 3: 1 byte(s) after the last field' ||
		fail "the trailing byte was not reported"
	printf '%s\n' "$W_OUT" | grep -q '3 messages, 3 finding(s)' || fail "wrong totals"
}

fault_main "$@" zero_fields checker_selftest
