#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# stat of the mount root: a directory whose type, mode and owner are the
# export's; the mount shows up in /proc/mounts with its type.
# targets: all core
. "$(dirname "$0")/lib.sh"

assert stat "$MNT" >/dev/null
[ -d "$MNT" ] || fail "$MNT is not a directory"
m=$(grep " $MNT " /proc/mounts) || fail "$MNT not in /proc/mounts"
note "/proc/mounts: $m"
assert_eq "$(echo "$m" | cut -d' ' -f3)" "$FSTYPE" "fs type in /proc/mounts"
assert_eq "$(stat -c '%F %a %u %g' "$MNT")" "$(stat -c '%F %a %u %g' "$EXPORT")" \
	"type, mode, uid, gid of the root"
note "statfs: $(stat -f -c 'type=%T bsize=%s blocks=%b bfree=%f' "$MNT" 2>&1)"
