#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test.sh (make test, what CI runs): every stage in turn, each timed and
# logged to out/STAGE.log, continuing after a failed stage:
#   check       sparse, W=1 and checkpatch on every kernel
#   kunit       KUnit suites under UML
#   vmtest      functional tests in a QEMU VM per kernel
#   vmtest-debug  KUnit and functional tests on the 6.1 debug kernel
#   dkms-check  dkms add/build/install/remove per kernel
#   fresh-check make demo, make and make install in a pristine Debian 12
#               minbase chroot: nothing installed but what need_pkgs asks
# A VM under single-threaded TCG keeps one of the machine's two cores busy,
# so while vmtest runs, the work that needs no VM of its own runs beside it,
# niced: the debug kernel's build (once; vmtest-debug waits for it) and
# fresh-check (whose one VM waits for the VM lock, so two VMs never run at
# once).  fresh-check's output is shown in its place in the order.
# RDBSS_SERIAL=1 runs every stage in turn instead.
# Each stage appends "NAME PASSED FAILED" to $RDBSS_RESULTS; a stage that
# records nothing, or fails without recording a failed test, counts as one
# failure.  Ends with a timing table, the passed/failed tests of each stage
# and the line "N passed, N failed"; exits non-zero if anything failed.
# KERNELS="6.1 sid" limits the kernels.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out=$RDBSS_TOP/out
mkdir -p "$out"
export RDBSS_RESULTS=$out/results.txt
export RDBSS_TIMINGS=$out/timings.txt
: >"$RDBSS_RESULTS"
: >"$RDBSS_TIMINGS"

# stage name -> the key its script writes into $RDBSS_RESULTS
stages=(check kunit fuzz vmtest vmtest-debug dkms-check fresh-check)
declare -A key=([check]=check [kunit]=kunit [fuzz]=fuzz [vmtest]=vmtest
	[vmtest-debug]=debug [dkms-check]=dkms [fresh-check]=fresh)

run_stage() {
	local name=$1 script=$RDBSS_TOP/scripts/$1.sh
	if [ ! -x "$script" ]; then
		echo "$script: missing or not executable"
		return 127
	fi
	"$script" 2>&1 | tee "$out/$name.log"
	return "${PIPESTATUS[0]}"
}

# Sum the "KEY P F" lines of one stage: prints "P F LINES".
stage_counts() {
	awk -v k="$1" '$1 == k { p += $2; f += $3; n++ } END { print p + 0, f + 0, n + 0 }' \
		"$RDBSS_RESULTS"
}

# beside_vmtest: the background job started with vmtest.
beside_vmtest() {
	nice -n 19 "$RDBSS_TOP/scripts/kenv.sh" debug >"$out/debug-kernel-prep.log" 2>&1
	stage fresh-check nice -n 19 "$RDBSS_TOP/scripts/fresh-check.sh" \
		>"$out/fresh-check.log" 2>&1
}

t_start=$(date +%s)
bg=
for s in "${stages[@]}"; do
	echo
	echo "######## $s ########"
	if [ "$s" = vmtest ] && [ -z "${RDBSS_SERIAL:-}" ]; then
		echo "(beside it, niced: the debug kernel, once, and fresh-check; logs out/debug-kernel-prep.log, out/fresh-check.log)"
		beside_vmtest &
		bg=$!
	fi
	if [ "$s" = fresh-check ] && [ -n "$bg" ]; then
		wait "$bg"
		rc=$?
		cat "$out/fresh-check.log"
		echo "(fresh-check ran beside vmtest)"
	else
		stage "$s" run_stage "$s"
		rc=$?
	fi
	read -r p f n <<<"$(stage_counts "${key[$s]}")"
	if [ "$n" -eq 0 ] || { [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		# Died, or failed without recording a failed test.
		echo "${key[$s]} 0 1" >>"$RDBSS_RESULTS"
	fi
done

# The diagnostics of every failed VM test, so that the end of the output
# (all a CI summary may keep) says what failed and how.
failures() {
	local f
	for f in "$out"/vm/*-vmtest.out "$out"/vm/debug-debug.out; do
		[ -s "$f" ] || continue
		awk -v k="$(basename "$f" .out)" '
			/^(ok|not ok) / { show = /^not ok / && !/# TODO/; n = 0
				if (show) print k ": " $0; next }
			show && /^#.*([Ff][Aa][Ii][Ll]|hang|splat|BUG|WARN)/ && n < 12 {
				print k ": " $0; n++ }' "$f"
	done
}
fails=$(failures)
if [ -n "$fails" ]; then
	echo
	echo "== failed VM tests"
	printf '%s\n' "$fails"
fi

total_p=0
total_f=0
echo
echo "== timings"
printf '%-16s %8s  %s\n' stage seconds status
# The stages in order, each followed by the steps it timed itself
# (e.g. vmtest-6.1), indented.
timing_row() {
	local st
	if [ "$3" -eq 0 ]; then st=ok; else st="FAILED (exit $3)"; fi
	printf '%-16s %8s  %s\n' "$1" "$2" "$st"
}
for s in "${stages[@]}"; do
	while read -r name secs rc; do
		[ "$name" = "$s" ] && timing_row "$name" "$secs" "$rc"
	done <"$RDBSS_TIMINGS"
	while read -r name secs rc; do
		[ -n "${key[$name]:-}" ] && continue
		case $name in
		"$s"-* | "${key[$s]}"-*) timing_row "  $name" "$secs" "$rc" ;;
		esac
	done <"$RDBSS_TIMINGS"
done
printf '%-16s %8s\n' total "$(( $(date +%s) - t_start ))"
echo
echo "== results"
for s in "${stages[@]}"; do
	read -r p f n <<<"$(stage_counts "${key[$s]}")"
	printf '%-16s %4d passed, %4d failed\n' "$s" "$p" "$f"
	total_p=$((total_p + p))
	total_f=$((total_f + f))
done
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
