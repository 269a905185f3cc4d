#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Security boundaries: only a privileged user can mount (rx9p has no
# FS_USERNS_MOUNT); the module's parameters and debugfs files are
# root-only; with access=user, a file root read (and cached) stays closed
# to another user, and what that user creates belongs to it on the server.
# needs: nomount
# targets: rx9p
. "$(dirname "$0")/lib.sh"

out=$(rxio asuser 1000 1000 rxsys mount "$SERVER" "$MNT" rx9p "$(mount_opts)")
assert_eq "${out%% *}" EPERM "mount as uid 1000"
assert_not_mounted

for p in /sys/module/mrx9p/parameters/* /sys/module/rdbss/parameters/*; do
	[ -e "$p" ] || continue
	mode=$(stat -c %a "$p")
	case $mode in
	600 | 400 | 200) ;;
	*) fail "$p is mode $mode: parameters are root-only" ;;
	esac
done
if [ -d /sys/kernel/debug ]; then
	for d in /sys/kernel/debug/rdbss /sys/kernel/debug/mrx9p; do
		[ -e "$d" ] || continue
		# debugfs makes directories 0755: files must be root's only
		bad=$(find "$d" \( -type f -perm /077 \) -o \( -type d -perm /022 \) | head -n 1)
		[ -z "$bad" ] || fail "$bad is open to other users ($(stat -c %a "$bad"))"
	done
fi

do_mount access=user || fail "mount access=user: $SYS_RESULT"
echo secret >"$MNT/secret"
chmod 600 "$MNT/secret"
assert_eq "$(cat "$MNT/secret")" secret "root reads its file"
out=$(rxio asuser 1000 1000 rxsys open "$MNT/secret" rdonly)
assert_eq "${out%% *}" EACCES "uid 1000 opens root's cached 0600 file"
mkdir -m 777 "$MNT/pub"
rxio asuser 1000 1000 rxio run open="$MNT/pub/mine:wronly,creat" close >/dev/null ||
	fail "uid 1000 cannot create in a 0777 directory"
assert_eq "$(stat -c %u "$EXPORT/pub/mine")" 1000 "owner on the server of uid 1000's file"
rm -rf "$MNT/pub" "$MNT/secret"
umount "$MNT" || fail "umount"
