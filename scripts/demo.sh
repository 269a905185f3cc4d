#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# demo.sh (make demo): boot one VM (the first of KERNELS, default 6.1) with
# the "demo" payload: load the modules, mount a real 9P2000.L server (diod)
# with rx9p, copy files both ways, compare them, unmount, unload; every
# command shown as a user would type it, with its output.  Ends with a
# success or failure line; exits non-zero on failure.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

k=${KERNELS:-6.1}
k=${k%% *}
mkdir -p "$RDBSS_TOP/out/vm"
log "demo on kernel $k (a QEMU VM; takes about a minute)"
VM_TIMEOUT=${VM_TIMEOUT:-600} "$RDBSS_TOP/tests/vm/run.sh" "$k" demo >"$RDBSS_TOP/out/vm/$k-demo.summary" 2>&1
rc=$?
out=$RDBSS_TOP/out/vm/$k-demo.out
if [ -s "$out" ]; then
	cat "$out"
else
	cat "$RDBSS_TOP/out/vm/$k-demo.summary"
fi
echo
if [ $rc = 0 ] && grep -q '^demo: SUCCESS' "$out"; then
	echo "==> rdbss demo on $k: SUCCESS"
else
	grep -E '^(not ok|# )' "$RDBSS_TOP/out/vm/$k-demo.summary" | grep -v '^# .*kernel:' || true
	echo "==> rdbss demo on $k: FAILED (console log: out/vm/$k-demo.log)"
	exit 1
fi
