#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Path fids under concurrency (cache=none): every lookup of a name walks
# a new path fid and replaces the inode's old one, while other processes
# send requests naming the old one (chmod, stat).  The files are held open
# (their inodes stay) and used by a second name (a hard link, whose
# dentry is not in use, so it is looked up each time).  A replaced fid
# must not be clunked, nor its number given to another walk, while a
# request still names it: no call fails, and a file nobody changes keeps
# its mode.
# targets: rx9p rx9p-ganesha
. "$(dirname "$0")/lib.sh"

umount "$MNT" || fail "umount"
do_mount cache=none || fail "mount cache=none: $SYS_RESULT"
mkdir "$MNT/d" || fail "mkdir"
echo f >"$MNT/d/f" && echo g >"$MNT/d/g" || fail "create"
chmod 640 "$MNT/d/g" || fail "chmod g"
ln "$MNT/d/f" "$MNT/d/hf" && ln "$MNT/d/g" "$MNT/d/hg" || fail "link"

# worker N KIND: 120 rounds of one kind of request on d/hf (and d/hg).
worker() {
	local i=0
	while [ $i -lt 120 ]; do
		case $2 in
		chmod) chmod $((600 + (i % 2) * 44)) "$MNT/d/hf" ;;
		stat) stat -c %a "$MNT/d/hf" "$MNT/d/hg" >/dev/null ;;
		ls) ls -l "$MNT/d" >/dev/null ;;
		esac || echo "round $i: $2 failed"
		i=$((i + 1))
	done
}

exec 3<"$MNT/d/f" 4<"$MNT/d/g"	# the inodes stay
pids=
n=0
for kind in chmod chmod stat stat ls; do
	n=$((n + 1))
	worker $n $kind >/tmp/pf.$n.log 2>&1 &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p"
done
exec 3<&- 4<&-
cat /tmp/pf.*.log >/tmp/pf.all
if [ -s /tmp/pf.all ]; then
	head -n 20 /tmp/pf.all | sed 's/^/  /'
	fail "$(wc -l </tmp/pf.all) calls failed under concurrent lookups"
fi
assert_eq "$(stat -c %a "$MNT/d/g")" 640 "mode of the file nobody changed"
assert_eq "$(stat -c %a "$EXPORT/d/g")" 640 "mode of that file on the server"
case $(stat -c %a "$EXPORT/d/f") in
600 | 644) ;;
*) fail "mode of d/f on the server: $(stat -c %a "$EXPORT/d/f")" ;;
esac
