#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Faults: attributes and qids that make no sense.  Qids with every type
# bit set (in Rwalk, Rgetattr, Rlcreate, Rreaddir, Rattach), file modes of
# no known type or of no type, a directory that turns into a file, an
# Rwalk with more qids than names.  The kernel must not build inodes of
# unknown types nor trip over them.  See faultlib.sh.
# needs: nomount
# targets: rx9p
# timeout: 900
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faultlib.sh"

case_badqid_walk() { stat_case badqid,type=Rwalk; }
case_badqid_getattr() { stat_case badqid,type=Rgetattr; }
case_badqid_create() {
	fmount
	proxy_fault badqid,type=Rlcreate
	sys_try open "$MNT/c" wronly,creat
	expect_outcome "create (bad qid)" "$SYS_RESULT"
	expect_fired
	usable
}
case_badqid_readdir() {
	fmount
	touch "$EXPORT/r1" "$EXPORT/r2"
	proxy_fault badqid,type=Rreaddir
	io_try ls="$MNT"
	expect_outcome "readdir (bad qids)" "$IO_ERR"
	expect_fired
	usable
}
# At mount time: the root's qid.
case_badqid_attach() {
	proxy_fault badqid,type=Rattach
	do_mount timeout=10
	note "mount with a bad root qid: $SYS_RESULT"
	expect_outcome "mount (bad root qid)" "$SYS_RESULT" EIO EPROTO
	expect_fired
	is_mounted && usable
	true
}

# mode_case MODE WHAT: a new name whose Rgetattr reports MODE: an error,
# or (if the kernel takes it) a known file type.
mode_case() {
	fmount cache=none
	mkfile a 4k 2
	proxy_fault "badmode=$1,type=Rgetattr"
	sys_try stat "$MNT/a"
	expect_outcome "stat of a file with mode $1 ($2)" "$SYS_RESULT"
	expect_fired
	if [ "$SYS_RESULT" = OK ]; then
		t=$(stat -c %F "$MNT/a" 2>&1)
		note "stat shows: $t"
	fi
	[ "$SYS_RESULT" != OK ] ||
		fail "mode $1 ($2) from the server was accepted (the name stat()s fine)"
	usable
	sys_try stat "$MNT/a"
	assert_eq "$SYS_RESULT" OK "stat once the server is sane again"
}

case_badmode_unknown_type() { mode_case 0170644 "S_IFMT all set"; }
case_badmode_no_type() { mode_case 0644 "no type bits"; }

# A directory the kernel knows comes back as a regular file.
case_badmode_dir_to_file() {
	fmount cache=none
	mkdir "$EXPORT/d"
	touch "$EXPORT/d/x"
	sys_try stat "$MNT/d/x"
	assert_eq "$SYS_RESULT" OK "stat d/x before"
	proxy_fault badmode=0100644,type=Rgetattr
	sys_try stat "$MNT/d"
	expect_outcome "stat of a directory reported as a file" "$SYS_RESULT" EIO EPROTO ESTALE
	expect_fired
	if [ "$SYS_RESULT" = OK ]; then
		t=$(stat -c %F "$MNT/d")
		[ "$t" = directory ] || fail "d now shows as '$t'"
	fi
	usable
	io_try ls="$MNT/d"
	assert_eq "$IO_ERR" OK "listing d afterwards"
}

# One qid more than names: the client cannot know what the server did
# with the new fid; later walks must still work.
case_walkextra() {
	fmount cache=none
	mkfile a 4k 3
	proxy_fault walkextra,type=Rwalk
	sys_try stat "$MNT/a"
	expect_outcome "stat (Rwalk with an extra qid)" "$SYS_RESULT" EIO EPROTO ENOENT
	expect_fired
	usable
	for n in 1 2 3 4; do
		sys_try stat "$MNT/a"
		assert_eq "$SYS_RESULT" OK "stat a (walk $n after the bad Rwalk)"
	done
}

fault_main "$@" badqid_walk badqid_getattr badqid_create badqid_readdir \
	badqid_attach badmode_unknown_type badmode_no_type badmode_dir_to_file \
	walkextra
