#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Faults: Rlerror with odd errnos in place of the real reply.  0 (an
# "error" that is no error), -1 and -5 as u32, 4095, 100000, 512
# (ERESTARTSYS, kernel-internal) must all reach the caller as EIO; a
# real errno (EOPNOTSUPP, ENOENT) passes through.  Only the one request
# fails: the mount stays usable at once.  See faultlib.sh.
# needs: nomount
# targets: rx9p
# timeout: 900
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faultlib.sh"

# stat_case ECODE WANT: stat answered with Rlerror ECODE gives WANT.
stat_case() {
	fmount cache=none
	mkfile a 4k 1
	proxy_fault "lerror=$1,type=Rgetattr"
	sys_try stat "$MNT/a"
	assert_eq "$SYS_RESULT" "$2" "stat answered by Rlerror $1"
	expect_fired
	sys_try stat "$MNT/a"
	assert_eq "$SYS_RESULT" OK "the next stat"
	usable 5
}

case_lerror_0_getattr() { stat_case 0 EIO; }
case_lerror_minus1_getattr() { stat_case 0xffffffff EIO; }
case_lerror_minus5_getattr() { stat_case 0xfffffffb EIO; }
case_lerror_4095_getattr() { stat_case 4095 EIO; }
case_lerror_100000_getattr() { stat_case 100000 EIO; }
case_lerror_512_getattr() { stat_case 512 EIO; }
case_lerror_95_getattr() { stat_case 95 EOPNOTSUPP; }

# read_case ECODE WANT [MOUNT-OPTS]: every Rread is Rlerror ECODE (a
# failed readahead is tried again by a plain read), then none.
read_case() {
	fmount "$3"
	mkfile a 256k 2
	drop_caches
	proxy_fault "lerror=$1,type=Rread,times=0"
	io_try open="$MNT/a:rdonly" pr=0:256k:2 close
	assert_eq "$IO_ERR" "$2" "read answered by Rlerror $1"
	expect_fired
	proxy_fault none
	io_try open="$MNT/a:rdonly" pr=0:256k:2 close
	assert_eq "$IO_ERR" OK "the next read"
	usable 5
}

case_lerror_0_read() { read_case 0 EIO; }
case_lerror_0_read_direct() { read_case 0 EIO cache=none; }
case_lerror_4095_read() { read_case 4095 EIO; }

case_lerror_512_write() {
	fmount cache=none
	proxy_fault lerror=512,type=Rwrite
	# one Twrite: of two, the server may answer the second first, and
	# failing that one is a short write, not an error
	io_try open="$MNT/b:wronly,creat" pw=0:16k:3 close
	assert_eq "$IO_ERR" EIO "write answered by Rlerror 512"
	expect_fired
	usable 5
}

case_lerror_0_walk() {
	fmount
	echo x >"$EXPORT/w"
	proxy_fault lerror=0,type=Rwalk
	sys_try stat "$MNT/w"
	assert_eq "$SYS_RESULT" EIO "lookup answered by Rlerror 0"
	expect_fired
	usable 5
}

case_lerror_2_walk() {
	fmount
	echo x >"$EXPORT/w"
	proxy_fault lerror=2,type=Rwalk
	sys_try stat "$MNT/w"
	assert_eq "$SYS_RESULT" ENOENT "lookup answered by Rlerror ENOENT"
	expect_fired
	usable 5
}

case_lerror_0_lopen() {
	fmount cache=none
	mkfile a 4k 4
	proxy_fault lerror=0,type=Rlopen
	sys_try open "$MNT/a" rdonly
	assert_eq "$SYS_RESULT" EIO "open answered by Rlerror 0"
	expect_fired
	usable 5
}

case_lerror_0_create() {
	fmount
	proxy_fault lerror=0,type=Rlcreate
	sys_try open "$MNT/c" wronly,creat
	assert_eq "$SYS_RESULT" EIO "create answered by Rlerror 0"
	expect_fired
	usable 5
}

fault_main "$@" lerror_0_getattr lerror_minus1_getattr lerror_minus5_getattr \
	lerror_4095_getattr lerror_100000_getattr lerror_512_getattr \
	lerror_95_getattr lerror_0_read lerror_0_read_direct lerror_4095_read \
	lerror_512_write lerror_0_walk lerror_2_walk lerror_0_lopen lerror_0_create
