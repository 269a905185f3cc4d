#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Delayed close (closetimeo=S, Documentation/filesystems/rx9p.rst): the
# last close of a file leaves it open on the server for S seconds, and an
# open meanwhile takes it up again without a Tlopen or a Tclunk:
#   - five open-read-close rounds of one file cost one Tlopen, no Tclunk;
#   - the server's copy changed behind the mount is what the next open
#     reads (close-to-open holds across a taken-up open);
#   - past the delay the file is closed (one Tclunk; diod holds no
#     descriptor of it);
#   - an unlink, or a rename, closes a dormant open first (diod holds no
#     descriptor of the unlinked file);
#   - umount closes every dormant open (diod holds none);
#   - closetimeo=0 closes on every last close; /proc/mounts shows the
#     option; closetimeo above 600 is refused.
# needs: nomount
# targets: rx9p rx9p-unix rx9p-ganesha
. "$(dirname "$0")/lib.sh"

M2=/tmp/dc.mnt2
trap 'umount "$M2" 2>/dev/null; rmdir "$M2" 2>/dev/null; umount "$MNT" 2>/dev/null' EXIT

# msg M T: the count of T-message T on mount M (per-message statistics).
msg() {
	awk -v mnt="$1" -v k="$2:" '
		/^device / { on = ($5 == mnt); next }
		on { sub(/^[ \t]+/, "") }
		on && $1 == k { print $2; found = 1; exit }
		END { if (!found) print "missing" }' /proc/self/mountstats
}

# held NAME: how many descriptors diod holds on $EXPORT/NAME (0 on other
# servers, whose descriptor caches outlive a Tclunk: not checked there).
held() {
	[ "$SRV" = diod ] || { echo 0; return; }
	ls -l /proc/[0-9]*/fd 2>/dev/null | grep -c -- "-> $EXPORT/$1\( (deleted)\)\?\$"
}

# rounds M NAME N: N rounds of open, read, close of M/NAME.
rounds() {
	local i=0
	while [ $i -lt "$3" ]; do
		cat "$1/$2" >/dev/null || fail "read $1/$2 (round $i)"
		i=$((i + 1))
	done
}

printf 'first version\n' >"$EXPORT/dc-a"
printf 'b\n' >"$EXPORT/dc-b"
printf 'c\n' >"$EXPORT/dc-c"
do_mount closetimeo=600 || fail "mount: $SYS_RESULT"
grep -q " $MNT rx9p .*,closetimeo=600" /proc/mounts ||
	fail "/proc/mounts: $(grep " $MNT " /proc/mounts)"

## five rounds, one open
o0=$(msg "$MNT" Tlopen) c0=$(msg "$MNT" Tclunk)
rounds "$MNT" dc-a 5
o1=$(msg "$MNT" Tlopen) c1=$(msg "$MNT" Tclunk)
note "5 rounds: Tlopen +$((o1 - o0)), Tclunk +$((c1 - c0))"
assert_eq "$((o1 - o0))" 1 "Tlopen for 5 open-read-close rounds"
assert_eq "$((c1 - c0))" 0 "Tclunk for 5 rounds, the file dormant"
[ "$SRV" = diod ] && assert_eq "$(held dc-a)" 1 "diod's descriptors of the dormant file"

## changed on the server: the next open reads the new copy
printf 'second, longer version\n' >"$EXPORT/dc-a"
assert_eq "$(cat "$MNT/dc-a")" "second, longer version" "read after the server's copy changed"
assert_eq "$(msg "$MNT" Tlopen)" "$o1" "Tlopen: the dormant open was taken up"

## unlink closes the dormant open first
rounds "$MNT" dc-b 1
[ "$SRV" = diod ] && assert_eq "$(held dc-b)" 1 "diod's descriptors of dc-b, dormant"
c2=$(msg "$MNT" Tclunk)
rm "$MNT/dc-b" || fail "rm dc-b"
[ -e "$EXPORT/dc-b" ] && fail "dc-b still on the server"
assert_eq "$(held dc-b)" 0 "diod's descriptors of dc-b after the unlink"
[ "$(msg "$MNT" Tclunk)" -gt "$c2" ] || fail "no Tclunk for the unlinked file's open"

## rename closes it too, and the file reads on under its new name
rounds "$MNT" dc-c 1
mv "$MNT/dc-c" "$MNT/dc-c2" || fail "mv dc-c dc-c2"
assert_eq "$(held dc-c)" 0 "diod's descriptors of the renamed file's old name"
assert_eq "$(cat "$MNT/dc-c2")" "c" "read after the rename"

## umount closes every dormant open
rounds "$MNT" dc-a 1
rounds "$MNT" dc-c2 1
[ "$SRV" = diod ] && assert_eq "$(($(held dc-a) + $(held dc-c2)))" 2 "diod's descriptors before umount"
umount "$MNT" || fail "umount with dormant opens"
assert_eq "$(($(held dc-a) + $(held dc-c2)))" 0 "diod's descriptors after umount"

## the delay runs out: closed by the scavenger
do_mount closetimeo=1 || fail "mount closetimeo=1: $SYS_RESULT"
c0=$(msg "$MNT" Tclunk)
rounds "$MNT" dc-a 3
assert_eq "$(msg "$MNT" Tclunk)" "$c0" "Tclunk within the delay"
i=0
while [ "$(msg "$MNT" Tclunk)" = "$c0" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "not closed 10 s after a 1 s delay"
	sleep 0.1
done
assert_eq "$(($(msg "$MNT" Tclunk) - c0))" 1 "Tclunk once the delay ran out"
assert_eq "$(held dc-a)" 0 "diod's descriptors once the delay ran out"

## closetimeo=0: every last close closes
mount_again "$M2" closetimeo=0
o0=$(msg "$M2" Tlopen) c0=$(msg "$M2" Tclunk)
rounds "$M2" dc-a 3
assert_eq "$(($(msg "$M2" Tlopen) - o0))" 3 "Tlopen for 3 rounds, closetimeo=0"
assert_eq "$(($(msg "$M2" Tclunk) - c0))" 3 "Tclunk for 3 rounds, closetimeo=0"
assert_eq "$(held dc-a)" 0 "diod's descriptors, closetimeo=0"
umount "$M2" || fail "umount $M2"

## out of range
do_mount closetimeo=601 "$SERVER" "$M2" && fail "closetimeo=601 accepted"
assert_eq "$SYS_RESULT" EINVAL "closetimeo=601"
exit 0
