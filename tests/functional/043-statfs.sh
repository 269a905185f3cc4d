#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# statfs (df): sane numbers (blocks > 0, free <= blocks, available <=
# free, a block size, a name length); on 9P the size is the exported
# filesystem's; writing 4 MiB takes at least 3 MiB of free space and
# removing the file gives it back (within 10 s).
# targets: all
. "$(dirname "$0")/lib.sh"

# fs PATH: "blocks free avail bsize namelen" of statfs(PATH).
fs() {
	stat -f -c '%b %f %a %S %l' "$1" || fail "statfs $1 failed"
}

# shellcheck disable=SC2046 # five numbers
set -- $(fs "$MNT")
note "statfs $MNT: blocks $1 free $2 avail $3 bsize $4 namelen $5"
[ "$1" -gt 0 ] || fail "no blocks"
[ "$2" -le "$1" ] || fail "more free blocks ($2) than blocks ($1)"
[ "$3" -le "$2" ] || fail "more available blocks ($3) than free ($2)"
[ "$4" -gt 0 ] || fail "block size $4"
[ "$5" -ge 255 ] || fail "name length $5"
df "$MNT" >/tmp/df.out || fail "df failed"
note "$(cat /tmp/df.out)"
grep -q " $MNT\$" /tmp/df.out || fail "df does not show $MNT"
if is_9p; then
	total=$(($1 * $4))
	# shellcheck disable=SC2046 # five numbers
	set -- $(fs "$EXPORT")
	assert_eq "$total" "$(($1 * $4))" "size of the mount and of the exported filesystem"
fi

free_bytes() {
	# shellcheck disable=SC2046 # five numbers
	set -- $(fs "$MNT")
	echo $(($3 * $4))
}
before=$(free_bytes)
io open="$MNT/fill:wronly,creat" pw=0:4m:1 fsync close
sync
after=$(free_bytes)
note "available: $before before, $after after writing 4 MiB"
[ $((before - after)) -ge 3145728 ] || fail "writing 4 MiB took $((before - after)) bytes"
rm "$MNT/fill" || fail "rm failed"
i=0
while [ $(($(free_bytes) + 1048576)) -lt "$before" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "space not given back 10 s after rm: $(free_bytes) < $before"
	sleep 0.1
done
