#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Faults: hostile directory entries.  The proxy puts entries in front of
# a real Rreaddir: a name with '/', one with a NUL, "." and ".." again, a
# 300-byte name, an empty name.  A listing must show none of them (and no
# second "." or ".."), and every real entry exactly once.  See faultlib.sh.
# needs: nomount
# targets: rx9p
# timeout: 600
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/faultlib.sh"

# dirent_case KIND: list a directory of a, b, c with KIND injected.
dirent_case() {
	local names n
	fmount
	mkdir "$EXPORT/d"
	touch "$EXPORT/d/a" "$EXPORT/d/b" "$EXPORT/d/c"
	proxy_fault "dirent=$1"
	io_try ls="$MNT/d"
	expect_fired
	expect_outcome "listing with hostile entries ($1)" "$IO_ERR"
	if [ "$IO_ERR" = OK ]; then
		# "  ls: N entries: NAME NAME ..."; an empty name is two spaces
		names=$(printf '%s\n' "$W_OUT" | sed -n 's/^  ls: [0-9]* entries: //p')
		case " $names " in *"  "*) fail "an empty name is listed" ;; esac
		names=$(printf '%s\n' "$names" | tr ' ' '\n')
		for n in a b c; do
			assert_eq "$(printf '%s\n' "$names" | grep -cx "$n")" 1 "times '$n' is listed"
		done
		[ "$(printf '%s\n' "$names" | grep -cx '\.')" -le 1 ] || fail "'.' is listed twice"
		[ "$(printf '%s\n' "$names" | grep -cx '\.\.')" -le 1 ] || fail "'..' is listed twice"
		printf '%s\n' "$names" | grep -q / && fail "a name with '/' is listed"
		printf '%s\n' "$names" | grep -qi 'nul\|\\x00' && fail "the name with a NUL is listed"
		printf '%s\n' "$names" | grep -q 'LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL' &&
			fail "a name longer than NAME_MAX is listed"
	fi
	# the names do not resolve either
	sys_try stat "$MNT/d/p9proxy/slash"
	[ "$SYS_RESULT" != OK ] || fail "d/p9proxy/slash resolves"
	io_try ls="$MNT/d"
	assert_eq "$IO_ERR" OK "listing d again"
	usable
}

case_dirent_slash() { dirent_case slash; }
case_dirent_nul() { dirent_case nul; }
case_dirent_dot() { dirent_case dot; }
case_dirent_dotdot() { dirent_case dotdot; }
case_dirent_long() { dirent_case long; }
case_dirent_empty() { dirent_case empty; }
case_dirent_all() { dirent_case all; }

fault_main "$@" dirent_slash dirent_nul dirent_dot dirent_dotdot dirent_long \
	dirent_empty dirent_all
