#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Extended attributes on a file and a directory: set, get (with a size
# query and ERANGE for a short buffer), list, replace, remove, ENODATA,
# XATTR_CREATE/XATTR_REPLACE errors, a 2000-byte value; the server's copy
# has them, and they survive drop_caches.  The namespace is user., or
# trusted. where the server's filesystem has no user xattrs (tmpfs before
# 6.6).
# targets: all
. "$(dirname "$0")/lib.sh"

ns=user
if is_9p; then
	: >"$EXPORT/.probe"
	rxio run setx="$EXPORT/.probe:user.probe:1" >/dev/null 2>&1 || ns=trusted
	rm -f "$EXPORT/.probe"
fi
note "namespace: $ns"
f=$MNT/x
echo data >"$f"
mkdir "$MNT/dir"
io setx="$f:$ns.a:hello" getx="$f:$ns.a:hello" listx="$f:$ns.a" \
	setx="$f:$ns.b:world:create" listx="$f:$ns.a,$ns.b" \
	setx="$f:$ns.a:other:create!EEXIST" setx="$f:$ns.c:v:replace!ENODATA" \
	setx="$f:$ns.a:replaced:replace" getx="$f:$ns.a:replaced" \
	rmx="$f:$ns.b" getx="$f:$ns.b!ENODATA" rmx="$f:$ns.b!ENODATA" listx="$f:$ns.a" \
	getx="$f:$ns.none!ENODATA"
big=$(head -c 3000 /etc/services | tr -d '\n:' | head -c 2000)
io setx="$f:$ns.big:$big" getx="$f:$ns.big:$big" listx="$f:$ns.a,$ns.big"
io setx="$MNT/dir:$ns.d:on-a-directory" getx="$MNT/dir:$ns.d:on-a-directory" listx="$MNT/dir:$ns.d"

# The server's copy.
io getx="$EXPORT/x:$ns.a:replaced" getx="$EXPORT/x:$ns.big:$big" listx="$EXPORT/x:$ns.a,$ns.big" \
	getx="$EXPORT/x:$ns.b!ENODATA" getx="$EXPORT/dir:$ns.d:on-a-directory"
drop_caches
io getx="$f:$ns.a:replaced" listx="$f:$ns.a,$ns.big" getx="$MNT/dir:$ns.d:on-a-directory"
assert_eq "$(cat "$f")" data "data after the xattr calls"
