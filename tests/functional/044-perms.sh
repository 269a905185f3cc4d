#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Permissions as a second uid (1000): reading a 0600 file and writing a
# 0644 one of root's fail with EACCES, creating in a root-owned 0755
# directory and removing root's files there fail with EACCES, chmod and
# chown of root's file fail with EPERM; in a 0777 directory the user
# creates files and directories owned by it (also on the server), and
# reads and writes its own file.
# targets: all
. "$(dirname "$0")/lib.sh"

# as_user OP ARGS...: one rxsys call as uid/gid 1000.
as_user() {
	local out
	out=$(rxio asuser 1000 1000 rxsys "$@")
	SYS_RESULT=${out%% *}
}

# as_user_errno ERRNO OP ARGS...
as_user_errno() {
	local want=$1
	shift
	as_user "$@"
	[ "$SYS_RESULT" = "$want" ] || fail "as uid 1000: $*: got $SYS_RESULT, expected $want"
}

echo secret >"$MNT/secret"
chmod 600 "$MNT/secret"
echo public >"$MNT/ro"
chmod 644 "$MNT/ro"
mkdir "$MNT/pub"
chmod 777 "$MNT/pub"
assert_eq "$(stat -c %a "$EXPORT/pub")" 777 "mode of pub on the server"

as_user_errno EACCES open "$MNT/secret" rdonly
as_user_errno OK open "$MNT/ro" rdonly
assert_eq "$(rxio asuser 1000 1000 cat "$MNT/ro")" public "reading a 0644 file as uid 1000"
as_user_errno EACCES open "$MNT/ro" wronly
as_user_errno EACCES open "$MNT/new" wronly,creat
as_user_errno EACCES mkdir "$MNT/newdir"
as_user_errno EACCES unlink "$MNT/ro"
as_user_errno EPERM chmod "$MNT/ro" 666
as_user_errno EPERM chown "$MNT/ro" 1000 1000
assert_eq "$(cat "$EXPORT/ro")" public "root's file after the refused calls"
[ -e "$EXPORT/new" ] && fail "a refused create left a file on the server"

as_user_errno OK open "$MNT/pub/mine" wronly,creat
as_user_errno OK mkdir "$MNT/pub/mydir"
assert_eq "$(stat -c '%u %g' "$MNT/pub/mine")" "1000 1000" "owner through the mount"
assert_eq "$(stat -c '%u %g' "$EXPORT/pub/mine")" "1000 1000" "owner on the server"
assert_eq "$(stat -c '%u' "$EXPORT/pub/mydir")" 1000 "owner of the new directory on the server"
rxio asuser 1000 1000 rxio run open="$MNT/pub/mine:wronly" pw=0:10000:3 close \
	>/tmp/u.log 2>&1 || { cat /tmp/u.log; fail "writing its own file as uid 1000"; }
io open="$EXPORT/pub/mine:rdonly" pr=0:10000:3 eof=10000
as_user_errno OK chmod "$MNT/pub/mine" 600
as_user_errno OK open "$MNT/pub/mine" rdonly
assert_eq "$(stat -c %a "$EXPORT/pub/mine")" 600 "mode set by the owner, on the server"
