#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rsize= and wsize= (Documentation/filesystems/rx9p.rst, mount options):
# /proc/mounts shows the sizes in use (msize's by default, in whole pages;
# a cap above that is lowered to it; below a page is refused with EINVAL);
# with rsize=16384,wsize=8192, 256 KiB written through the page cache and
# fsync'd goes out in at least 32 WRITE low I/O operations, read back cold
# in at least 16 READ, and a 64 KiB direct (cache=none) read in at least
# 4, the data intact each time.
# needs: nomount
# targets: rx9p rx9p-unix rx9p-ganesha
. "$(dirname "$0")/lib.sh"

MSIZE=65536
# what msize leaves for data: msize less the 24-byte Tread/Twrite header,
# in whole pages
DFLT=$(((MSIZE - 24) / 4096 * 4096))

# mopt NAME: the value of NAME= in this mount's /proc/mounts line.
mopt() {
	grep " $MNT rx9p " /proc/mounts | cut -d" " -f4 | tr ',' '\n' | sed -n "s/^$1=//p"
}

# op NAME N: field N of this mount's per-op line NAME in mountstats.
op() {
	awk -v mnt="$MNT" -v k="$1:" -v n="$2" '
		/^device / { on = ($5 == mnt) }
		on { sub(/^[ \t]+/, "") }
		on && $1 == k { print $(n + 1); exit }' /proc/self/mountstats
}

## the defaults and what is refused
do_mount || fail "mount: $SYS_RESULT"
assert_eq "$(mopt rsize)" "$DFLT" "rsize shown by default"
assert_eq "$(mopt wsize)" "$DFLT" "wsize shown by default"
umount "$MNT" || fail "umount"
do_mount rsize=8388608,wsize=8388608 || fail "mount with sizes above msize: $SYS_RESULT"
assert_eq "$(mopt rsize)" "$DFLT" "rsize above msize lowered to msize's"
assert_eq "$(mopt wsize)" "$DFLT" "wsize above msize lowered to msize's"
umount "$MNT" || fail "umount"
do_mount rsize=100
assert_eq "$SYS_RESULT" EINVAL "rsize=100"
assert_not_mounted
do_mount wsize=4095
assert_eq "$SYS_RESULT" EINVAL "wsize=4095"
assert_not_mounted
do_mount rsize=20000
assert_eq "$SYS_RESULT" OK "rsize=20000"
assert_eq "$(mopt rsize)" 16384 "rsize=20000 in whole pages"
umount "$MNT" || fail "umount"

## the page cache: writeback and readahead in pieces of the caps
do_mount rsize=16384,wsize=8192 || fail "mount rsize=16384,wsize=8192: $SYS_RESULT"
assert_eq "$(mopt rsize)" 16384 "rsize shown"
assert_eq "$(mopt wsize)" 8192 "wsize shown"
wo=$(op WRITE 1) wb=$(op WRITE 3)
io open="$MNT/caps:rdwr,creat,trunc" pw=0:256k:5 fsync close
assert_eq "$(($(op WRITE 3) - wb))" 262144 "WRITE bytes"
n=$(($(op WRITE 1) - wo))
[ $n -ge 32 ] || fail "256 KiB written in $n WRITE, wsize=8192 needs at least 32"
note "256 KiB in $n WRITE"
pattern 0 262144 5 >/tmp/caps.ref
assert_server caps /tmp/caps.ref
drop_caches
ro=$(op READ 1)
io open="$MNT/caps:rdonly" pr=0:256k:5 close
n=$(($(op READ 1) - ro))
[ $n -ge 16 ] || fail "256 KiB read cold in $n READ, rsize=16384 needs at least 16"
note "256 KiB in $n READ"
umount "$MNT" || fail "umount"

## direct I/O (cache=none): one 64 KiB read is split at rsize
do_mount cache=none,rsize=16384 || fail "mount cache=none,rsize=16384: $SYS_RESULT"
ro=$(op READ 1)
io open="$MNT/caps:rdonly" pr=65536:64k:5 close
n=$(($(op READ 1) - ro))
[ $n -ge 4 ] || fail "a 64 KiB direct read in $n READ, rsize=16384 needs at least 4"
wo=$(op WRITE 1)
io open="$MNT/caps:rdwr" pw=0:64k:6 close
n=$(($(op WRITE 1) - wo))
[ $n -ge 1 ] || fail "a 64 KiB direct write sent no WRITE"
pattern 0 65536 6 >/tmp/caps.ref
pattern 65536 196608 5 >>/tmp/caps.ref
assert_server caps /tmp/caps.ref
rm -f "$MNT/caps" /tmp/caps.ref
umount "$MNT" || fail "umount"
exit 0
