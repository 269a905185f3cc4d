#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# readdir + getattr: files created on the server are listed through the
# mount with the same names, types, sizes, modes, owners and mtimes; a
# directory big enough to need several Treaddir calls lists completely.
# targets: all core
. "$(dirname "$0")/lib.sh"

cd "$EXPORT" || fail "no $EXPORT"
printf 'hello\n' >a.txt
chmod 640 a.txt
: >empty
dd if=/dev/zero of=big.bin bs=1000 count=300 2>/dev/null
printf 'x' >'name with spaces'
mkdir sub
chmod 750 sub
printf 'inner\n' >sub/inner.txt
chmod 4755 sub/inner.txt 2>/dev/null
mkdir many
i=0
while [ $i -lt 300 ]; do
	: >"many/file-with-a-fairly-long-name-to-fill-the-buffer-$i"
	i=$((i + 1))
done
cd /

ls -la "$MNT" || fail "ls -la $MNT failed"

attrs() {
	(cd "$1" && for f in * .; do stat -c '%n %F %s %a %u %g %Y' "$f"; done)
}
attrs "$EXPORT" >/tmp/want
attrs "$MNT" >/tmp/got
if ! cmp -s /tmp/want /tmp/got; then
	diff /tmp/want /tmp/got
	fail "attributes differ (- server, + mount)"
fi

(cd "$EXPORT/sub" && ls -a) >/tmp/want
(cd "$MNT/sub" && ls -a) >/tmp/got || fail "ls $MNT/sub failed"
cmp -s /tmp/want /tmp/got || { diff /tmp/want /tmp/got; fail "sub/ lists differently"; }
assert_eq "$(stat -c '%s %a' "$MNT/sub/inner.txt")" "$(stat -c '%s %a' "$EXPORT/sub/inner.txt")" \
	"size and mode of sub/inner.txt"

(cd "$EXPORT/many" && ls -a) >/tmp/want
(cd "$MNT/many" && ls -a) >/tmp/got || fail "ls $MNT/many failed"
cmp -s /tmp/want /tmp/got || {
	note "server has $(wc -l </tmp/want) entries, the mount $(wc -l </tmp/got)"
	diff /tmp/want /tmp/got | head -n 20
	fail "many/ (300 entries) lists differently"
}
note "many/: $(wc -l </tmp/got) entries"
