#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools.sh build|install: the user-space tools of tools/ (make tools, make
# install).  For now one: rx9pstat, the statistics of rx9p mounts read from
# /proc/self/mountstats (manual: Documentation/rx9pstat.8).
#   build    out/tools/rx9pstat, gcc -O2 -Wall -Wextra -Werror, with the
#            VERSION file's version
#   install  build, then install rx9pstat to $DESTDIR$PREFIX/sbin and its
#            manual to $DESTDIR$PREFIX/share/man/man8 (PREFIX /usr/local
#            unless set)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

action=${1:-build}
out=$RDBSS_TOP/out/tools
prefix=${PREFIX:-/usr/local}
destdir=${DESTDIR:-}

build() {
	local version
	need_pkgs gcc libc6-dev
	version=$(cat "$RDBSS_TOP/VERSION")
	mkdir -p "$out"
	log "building $out/rx9pstat ($version)"
	gcc -O2 -Wall -Wextra -Werror -DRX9PSTAT_VERSION="\"$version\"" \
		-o "$out/rx9pstat.tmp" "$RDBSS_TOP"/tools/rx9pstat/*.c
	mv "$out/rx9pstat.tmp" "$out/rx9pstat"
}

case $action in
build)
	build
	;;
install)
	build
	log "installing rx9pstat in $destdir$prefix/sbin, rx9pstat.8 in $destdir$prefix/share/man/man8"
	install -d "$destdir$prefix/sbin" "$destdir$prefix/share/man/man8"
	install -m 755 "$out/rx9pstat" "$destdir$prefix/sbin/rx9pstat"
	install -m 644 "$RDBSS_TOP/Documentation/rx9pstat.8" \
		"$destdir$prefix/share/man/man8/rx9pstat.8"
	;;
*)
	die "usage: tools.sh build|install"
	;;
esac
