#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vmtest.sh: the functional tests in a QEMU VM for each supported kernel
# (KERNELS="6.1 sid" to choose), via tests/vm/run.sh KERNEL vmtest.
# Prints "vmtest KERNEL: N passed, N failed" per kernel (a kernel splat or
# a VM that did not complete counts as a failure), preceded by the
# kernel's "parity SERVER KERNEL: rx9p X/N v9fs Y/N" lines, one per 9P
# server (diod, ganesha: rx9p against the distribution's v9fs on the tests
# both ran against that server), and a total line; exits
# non-zero on any failure.  Appends "vmtest PASSED FAILED" to
# $RDBSS_RESULTS when that is set.  Logs: out/vm/KERNEL-vmtest*.*
#
# What runs on which kernel: every test on every kernel against rx9p
# (IPv4, IPv6, Unix socket, diod and nfs-ganesha) and against the
# distribution's v9fs (the parity reference), except two sets of tests of
# code that is the same on every kernel, which run on the kernels in
# FAULT_KERNELS and RXLOOP_KERNELS (default 6.1 for both; "all" for every
# kernel; CI's time is bounded):
#   - the fault-injection tests (07x, about 4 minutes a kernel): mrx9p's
#     transport, request table and reply decoding, which call the kernel
#     only through the socket calls that every rx9p test makes;
#   - rxloop, in its four completion modes (inline, softirq, workqueue,
#     delayed: which context calls rx_lowio_completion()): rdbss's own
#     completion code.  On every kernel rx9p completes its reads and
#     writes from softirq (the TCP reader), which is the path where the
#     kernel's VFS and folio calls may not sleep; the completion modes also
#     run in the KUnit suites, under UML and on the debug kernel.
# Each set boots its own VM (stages vmtest-K, vmtest-faults-K,
# vmtest-rxloop-K; logs out/vm/K-vmtest.*, K-vmtest-faults.*,
# K-vmtest-rxloop.*).  TESTS and TARGETS, when given, are used as they
# are, in one boot.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

FAULT_KERNELS=${FAULT_KERNELS:-6.1}
RXLOOP_KERNELS=${RXLOOP_KERNELS:-6.1}

# The tests of the suite but the 07x ones, as a TESTS list of prefixes.
tests_without_faults() {
	(cd "$RDBSS_TOP/tests/functional" && ls [0-9]*.sh | sed 's/-.*//' |
		grep -v '^07' | sort -u | paste -sd,)
}

# part K NAME TESTS TARGETS: boot kernel K once (out/vm/K-NAME.*) with
# those tests and targets; adds its counts and summary lines.
part() {
	local k=$1 name=$2 result out rc p f
	result=$RDBSS_TOP/out/vm/$k-$name.result
	out=$RDBSS_TOP/out/vm/$k-$name.out
	rm -f "$result" "$out"
	TESTS=$3 TARGETS=$4 VM_NAME=$name VM_NOBUILD=${nobuild:-} \
		stage "$name-$k" "$RDBSS_TOP/tests/vm/run.sh" "$k" vmtest
	rc=$?
	# the modules are built once per kernel
	[ "$rc" = 0 ] && nobuild=1
	if [ -s "$result" ]; then
		read -r p f _ <"$result"
	else
		p=0 f=1
	fi
	# A failing run must show as at least one failure.
	[ "$rc" != 0 ] && [ "$f" = 0 ] && f=1
	# rx9p against the distribution's v9fs, per server (diod, ganesha);
	# "faults KERNEL: N cases, N clean" (tests/functional/07x-fault-*)
	summary+=("$(grep -h '^parity \|^faults ' "$out" 2>/dev/null || true)")
	summary+=("$name $k: $p passed, $f failed")
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

total_pass=0
total_fail=0
summary=()
for k in $(rdbss_kernels); do
	log "vmtest: kernel $k"
	nobuild=
	if [ -n "${TESTS:-}${TARGETS:-}" ]; then
		part "$k" vmtest "${TESTS:-}" "${TARGETS:-}"
		continue
	fi
	# One boot for what runs on every kernel, and one for each extra
	# set, so that no boot comes near its time bound and a hang in one
	# set leaves the others' results.
	part "$k" vmtest "$(tests_without_faults)" 9p,core
	case " $FAULT_KERNELS " in
	" all " | *" $k "*) part "$k" vmtest-faults 07 rx9p ;;
	esac
	case " $RXLOOP_KERNELS " in
	" all " | *" $k "*) part "$k" vmtest-rxloop "$(tests_without_faults)" rxloop ;;
	esac
done

echo
printf '%s\n' "${summary[@]}" | grep -v '^$'
echo "$total_pass passed, $total_fail failed"
[ -n "${RDBSS_RESULTS:-}" ] && echo "vmtest $total_pass $total_fail" >>"$RDBSS_RESULTS"
[ "$total_fail" = 0 ]
