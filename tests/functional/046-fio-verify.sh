#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Data integrity with fio --verify=crc32c: a sequential 1 MiB-block write
# of one file and a random 4 KiB write by four jobs of a file each, both
# verified as written and again, caches dropped, from the server.
# targets: 9p rxloop-softirq
# timeout: 300
. "$(dirname "$0")/lib.sh"

command -v fio >/dev/null || fail "fio is not in the test image"

# run_fio NAME ARGS...: one fio job set; its output is shown on failure.
run_fio() {
	local name=$1
	shift
	fio --name="$name" --directory="$MNT" --ioengine=psync \
		--verify=crc32c --verify_fatal=1 --output=/tmp/fio.out "$@" || {
		cat /tmp/fio.out
		fail "fio $name $*"
	}
	grep -q "err= 0" /tmp/fio.out || {
		cat /tmp/fio.out
		fail "fio $name reported errors"
	}
}

SEQ="--rw=write --bs=1m --size=16m --end_fsync=1"
RAND="--rw=randwrite --bs=4k --size=4m --numjobs=4 --end_fsync=1"
run_fio seq $SEQ --do_verify=1
run_fio rand $RAND --do_verify=1
drop_caches
run_fio seq $SEQ --verify_only
run_fio rand $RAND --verify_only
rm -f "$MNT"/seq.* "$MNT"/rand.*
