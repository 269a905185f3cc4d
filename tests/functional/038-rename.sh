#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rename: over an existing file (the old target's data is gone), over an
# empty directory, the errors of a local filesystem (ENOTEMPTY/EEXIST,
# ENOTDIR, EISDIR, EINVAL), renameat2 RENAME_NOREPLACE; a directory with
# files inside renamed while one is open and another process has its cwd
# in it: the open file, the cwd and the new paths all work.
# targets: all core
. "$(dirname "$0")/lib.sh"

echo a >"$MNT/f1"
echo b >"$MNT/f2"
mv "$MNT/f1" "$MNT/f2" || fail "rename over a file failed"
assert_eq "$(cat "$MNT/f2")" a "content after rename over a file"
[ -e "$MNT/f1" ] && fail "the old name is still there"
[ -e "$EXPORT/f1" ] && fail "the old name is still on the server"
assert_eq "$(cat "$EXPORT/f2")" a "server content after rename over a file"

mkdir "$MNT/d1" "$MNT/d2" "$MNT/full" "$MNT/e"
echo x >"$MNT/d1/in"
echo y >"$MNT/full/in"
expect_ok rename "$MNT/d1" "$MNT/d2"
assert_eq "$(cat "$MNT/d2/in")" x "content after rename over an empty directory"
[ -d "$EXPORT/d2" ] && [ ! -e "$EXPORT/d1" ] || fail "server: d1 not renamed to d2"
sys rename "$MNT/e" "$MNT/full"
case $SYS_RESULT in
ENOTEMPTY|EEXIST) ;;
*) fail "rename over a non-empty directory: $SYS_RESULT, expected ENOTEMPTY or EEXIST" ;;
esac
expect_errno ENOTDIR rename "$MNT/e" "$MNT/f2"
expect_errno EISDIR rename "$MNT/f2" "$MNT/e"
expect_errno EINVAL rename "$MNT/d2" "$MNT/d2/sub"
expect_errno ENOENT rename "$MNT/nothing" "$MNT/x"

io rename2="$MNT/f2:$MNT/d2/in:noreplace!EEXIST"
assert_eq "$(cat "$MNT/d2/in")" x "target after a refused RENAME_NOREPLACE"
io rename2="$MNT/f2:$MNT/f3:noreplace"
assert_eq "$(cat "$MNT/f3")" a "content after RENAME_NOREPLACE"
[ -e "$EXPORT/f3" ] && [ ! -e "$EXPORT/f2" ] || fail "server: f2 not renamed to f3"

# A directory with files inside, renamed while in use.
mkdir -p "$MNT/D/sub"
echo one >"$MNT/D/a"
echo two >"$MNT/D/sub/b"
rm -f /tmp/cwd.go /tmp/cwd.ready
(cd "$MNT/D" && touch /tmp/cwd.ready && while [ ! -e /tmp/cwd.go ]; do sleep 0.05; done &&
	cat a sub/b >/tmp/cwd.out && echo three >>sub/b) &
cwdpid=$!
n=0
while [ ! -e /tmp/cwd.ready ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
exec 3<"$MNT/D/a" 4>>"$MNT/D/sub/b"
mv "$MNT/D" "$MNT/E" || fail "rename of a directory with files failed"
touch /tmp/cwd.go
wait $cwdpid || fail "a process with its cwd in the renamed directory failed"
assert_eq "$(tr '\n' ' ' </tmp/cwd.out)" "one two " "files read relative to a renamed cwd"
echo four >&4
assert_eq "$(cat <&3)" one "reading a file opened before its directory was renamed"
exec 3<&- 4>&-
assert_eq "$(cat "$MNT/E/a")" one "E/a"
assert_eq "$(tr '\n' ' ' <"$MNT/E/sub/b")" "two three four " "E/sub/b"
[ -e "$MNT/D" ] && fail "the old directory name is still there"
assert_eq "$(tr '\n' ' ' <"$EXPORT/E/sub/b")" "two three four " "server E/sub/b"
echo five >"$MNT/E/sub/new" || fail "create in the renamed directory failed"
assert_eq "$(cat "$EXPORT/E/sub/new")" five "server E/sub/new"
mv "$MNT/E/a" "$MNT/moved" || fail "rename out of a renamed directory failed"
assert_eq "$(cat "$EXPORT/moved")" one "server copy after moving a file out"
