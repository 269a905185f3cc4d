#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Faults: broken framing.  A reply with a tag nobody waits for (or another
# request's), cut short before the connection closes, announcing a size
# beyond msize, or one byte short or long of what its type holds.  The
# client must not take a wrong answer: the caller gets a correct result
# (after a reconnect) or an error; the mount is usable again within 30 s.
# See faultlib.sh.
# needs: nomount
# targets: rx9p
# timeout: 900
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faultlib.sh"

# read_case SPEC [MOUNT-OPTS]: read a 2 MiB file cold.
read_case() {
	fmount "$2"
	mkfile a 2m 2
	drop_caches
	proxy_fault "$1"
	io_try open="$MNT/a:rdonly" pr=0:2m:2 close
	expect_outcome "read ($1)" "$IO_ERR"
	expect_fired
	usable
	intact a
}

case_wrongtag_getattr() { stat_case wrongtag,type=Rgetattr; }
case_wrongtag_read() { read_case wrongtag,type=Rread; }
# The tag of a request of another type (a stat running meanwhile): that
# request gets an Rread.  With none in flight, a tag nobody waits for.
case_wrongtag_other() {
	fmount cache=none
	mkfile a 2m 2
	mkfile b 4k 3
	bg_run sh -c "while :; do rxsys stat $MNT/b; done >/dev/null 2>&1"
	proxy_fault wrongtag=other,type=Rread
	io_try open="$MNT/a:rdonly" pr=0:2m:2 close
	expect_outcome "read (an Rread given to another request)" "$IO_ERR"
	expect_fired
	kill -9 "-$BG_LAST"
	usable
	intact a
	intact b
}
case_truncate_getattr() { stat_case truncate,type=Rgetattr; }
case_truncate_read() { read_case truncate,type=Rread; }
case_truncate_read_direct() { read_case truncate,type=Rread cache=none; }
case_truncate_header() { stat_case truncate=5,type=Rgetattr; }
case_bigsize_getattr() { stat_case bigsize,type=Rgetattr; }
case_bigsize_read() { read_case bigsize=0xffffffff,type=Rread; }
# Framing intact, content not: only this request fails.
case_shortbody_getattr() { stat_case shortbody,type=Rgetattr; }
case_longbody_getattr() { stat_case longbody,type=Rgetattr; }
case_shortbody_walk() { stat_case shortbody,type=Rwalk; }
case_longbody_walk() { stat_case longbody,type=Rwalk; }
case_shortbody_lopen() {
	fmount cache=none
	mkfile a 4k 3
	proxy_fault shortbody,type=Rlopen
	sys_try open "$MNT/a" rdonly
	expect_outcome "open (short Rlopen)" "$SYS_RESULT"
	expect_fired
	usable
}
case_shortbody_readdir() {
	fmount
	touch "$EXPORT/r1" "$EXPORT/r2" "$EXPORT/r3"
	proxy_fault shortbody,type=Rreaddir
	io_try ls="$MNT"
	expect_outcome "readdir (short Rreaddir)" "$IO_ERR"
	expect_fired
	usable
}
case_longbody_read() { read_case longbody,type=Rread cache=none; }

fault_main "$@" wrongtag_getattr wrongtag_read wrongtag_other truncate_getattr \
	truncate_read truncate_read_direct truncate_header bigsize_getattr \
	bigsize_read shortbody_getattr longbody_getattr shortbody_walk \
	longbody_walk shortbody_lopen shortbody_readdir longbody_read
