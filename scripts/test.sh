#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test.sh (make test, what CI runs): every stage, each timed and logged to
# out/STAGE.log, continuing after a failed stage:
#   vmtest      functional tests in a QEMU VM per kernel
#   vmtest-debug  KUnit and functional tests on the 6.1 debug kernel
#   check       sparse, W=1 and checkpatch on every kernel
#   kunit       KUnit suites under UML
#   fuzz        the 9P2000.L wire code fuzzed in user space
#   dkms-check  dkms add/build/install/remove per kernel
#   fresh-check make demo, make and make install in a pristine Debian 12
#               minbase chroot: nothing installed but what need_pkgs asks
# A VM under single-threaded TCG keeps one of the machine's two cores busy
# and the VMs run one at a time, so the two VM stages run in turn in the
# foreground while everything that needs no VM of its own runs beside
# them on the other core, niced, one job after another: check, the debug
# kernel's build (once; vmtest-debug waits for it), kunit, fuzz,
# dkms-check and fresh-check (whose one VM waits for the VM lock, so two
# VMs never run at once).  Each kernel's build environment is made by
# whichever stage needs it first (scripts/kenv.sh locks it).  The output of
# the stages beside is shown after the VM stages, in the order above.
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
stages=(vmtest vmtest-debug check kunit fuzz dkms-check fresh-check)
# the stages that run beside the VM stages, in this order
beside=(check kunit fuzz dkms-check fresh-check)
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

is_beside() {
	[ -z "${RDBSS_SERIAL:-}" ] && [[ " ${beside[*]} " == *" $1 "* ]]
}

# beside_vms: the background job.  Each stage's exit status goes to
# out/STAGE.rc when it ends; the debug kernel is built after check.
beside_vms() {
	local s
	for s in "${beside[@]}"; do
		stage "$s" nice -n 19 "$RDBSS_TOP/scripts/$s.sh" >"$out/$s.log" 2>&1
		echo $? >"$out/$s.rc"
		[ "$s" = check ] && nice -n 19 "$RDBSS_TOP/scripts/kenv.sh" debug \
			>"$out/debug-kernel-prep.log" 2>&1
	done
}

t_start=$(date +%s)
bg=
for s in "${beside[@]}"; do
	rm -f "$out/$s.rc"
done
for s in "${stages[@]}"; do
	echo
	echo "######## $s ########"
	if [ "$s" = vmtest ] && [ -z "${RDBSS_SERIAL:-}" ]; then
		echo "(beside the VM stages, niced: ${beside[*]} and the debug kernel's build; logs out/STAGE.log, out/debug-kernel-prep.log)"
		beside_vms &
		bg=$!
	fi
	if is_beside "$s" && [ -n "$bg" ]; then
		while [ ! -e "$out/$s.rc" ] && kill -0 "$bg" 2>/dev/null; do
			sleep 2
		done
		cat "$out/$s.log"
		rc=$(cat "$out/$s.rc" 2>/dev/null || echo 1)
		echo "($s ran beside the VM stages)"
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
[ -n "$bg" ] && wait "$bg"

# The diagnostics of every failed VM test, so that the end of the output
# (all a CI summary may keep) says what failed and how.
failures() {
	local f
	for f in "$out"/vm/*-vmtest*.out "$out"/vm/debug-debug.out; do
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
printf '%-20s %8s  %s\n' stage seconds status
# The stages in order, each followed by the steps it timed itself
# (e.g. vmtest-6.1), indented.
timing_row() {
	local st
	if [ "$3" -eq 0 ]; then st=ok; else st="FAILED (exit $3)"; fi
	printf '%-20s %8s  %s\n' "$1" "$2" "$st"
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
printf '%-20s %8s\n' total "$(( $(date +%s) - t_start ))"
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
