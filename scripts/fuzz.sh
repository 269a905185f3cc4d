#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fuzz.sh [SECONDS | --replay]: fuzz the 9P2000.L wire code (fs/mrx9p/wire.c)
# in user space with the harness tests/fuzz/fuzz_*.c (entry points in
# fuzz_wire.c).
#
#   1. Installs clang and its runtime (libclang-rt-N-dev) when missing.
#   2. Builds out/fuzz/replay, a plain program (-fsanitize=address,undefined,
#      no libFuzzer) that runs every file of the seed corpus tests/fuzz/corpus
#      and of the accumulated corpus ~/.cache/rdbss/fuzz-corpus through the
#      fuzz target once: a regression test that works without libFuzzer.
#   3. Builds out/fuzz/fuzz_wire (-fsanitize=fuzzer,address,undefined) and
#      runs it for SECONDS (default 60; 0 or --replay: skip) on the
#      accumulated corpus plus a copy of the seeds, -max_len=4096.  New
#      inputs land in the accumulated corpus, so coverage builds up from run
#      to run; past FUZZ_CACHE_MAX files (default 3000) it is minimized with
#      -merge=1.
#
# Fails on any failed invariant, crash, leak, timeout or sanitizer report;
# then prints the report, and the failing input in hex (it is kept in
# out/fuzz/artifacts/; reproduce with out/fuzz/replay FILE).  Prints execs,
# execs/s, corpus size and coverage (cov/ft from libFuzzer's final line).
# Appends "fuzz 1 0" or "fuzz 0 1" to $RDBSS_RESULTS when set.
#
# FUZZ_COVERAGE=1 adds a line/branch coverage report of wire.c (llvm-cov).
# FUZZ_STRICT=1 also insists on wire.h's letter where wire.c is known to
# differ harmlessly (see dec_wire_probe() in fuzz_dec.c).  FUZZ_ARGS adds
# libFuzzer options.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

secs=60
case "${1:-}" in
'') ;;
--replay) secs=0 ;;
-h | --help)
	sed -n '3,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 0 ;;
*)
	[[ $1 =~ ^[0-9]+$ ]] || die "usage: $0 [SECONDS | --replay]"
	secs=$1 ;;
esac

top=$RDBSS_TOP
out=$top/out/fuzz
seeds=$top/tests/fuzz/corpus
cache=$RDBSS_CACHE/fuzz-corpus
cache_max=${FUZZ_CACHE_MAX:-3000}
mkdir -p "$out" "$cache"

result() {
	[ -n "${RDBSS_RESULTS:-}" ] && echo "fuzz $1 $2" >>"$RDBSS_RESULTS"
	return 0
}
fail() {
	echo "fuzz: FAILED: $*"
	result 0 1
	exit 1
}

# A sanitizer or invariant report in a log: print it and say so.
reported() {
	local pat='ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:|invariant failed|^SUMMARY: |ALARM: working on the last Unit|Test unit written to'
	grep -qE "$pat" "$1" || return 1
	echo "---- report ($1) ----"
	awk -v pat="$pat" 'found || $0 ~ pat { found = 1; print }' "$1" |
		grep -vE '^(MS: |base unit: |0x[0-9a-f]+,)' | head -120
	return 0
}

# The failing inputs, in hex.
show_artifacts() {
	local f
	for f in "$out"/artifacts/*; do
		[ -f "$f" ] || continue
		echo "---- input $f ($(stat -c %s "$f") bytes) ----"
		od -An -v -tx1 "$f" | tr -d ' \n' | fold -w 64
		echo
		echo "reproduce: $out/replay $f"
	done
}

# FUZZ_COVERAGE=1: line and branch coverage of wire.c by the whole corpus.
coverage() {
	local cov_bin=$out/replay-cov

	[ "${FUZZ_COVERAGE:-0}" = 1 ] || return 0
	need_pkgs "llvm-$clang_major"
	rm -f "$out"/cov.prof*
	if clang "${cflags[@]}" -O0 -fprofile-instr-generate \
		-fcoverage-mapping "${srcs[@]}" "$top/tests/fuzz/replay.c" \
		-o "$cov_bin" >>"$out/build.log" 2>&1 &&
	   LLVM_PROFILE_FILE=$out/cov.profraw "$cov_bin" "$seeds" "$cache" \
		>/dev/null 2>&1 &&
	   "llvm-profdata-$clang_major" merge -o "$out/cov.profdata" \
		"$out/cov.profraw"; then
		"llvm-cov-$clang_major" report "$cov_bin" \
			-instr-profile="$out/cov.profdata" "$top/fs/mrx9p/wire.c" |
			awk 'NR == 1 || /wire\.c/'
		"llvm-cov-$clang_major" show "$cov_bin" \
			-instr-profile="$out/cov.profdata" \
			"$top/fs/mrx9p/wire.c" >"$out/wire.c.cov"
		echo "fuzz: annotated source: $out/wire.c.cov"
	else
		log "fuzz: coverage report failed (see $out/build.log)"
	fi
}

# ---- tools ----
need_pkgs clang
clang_major=$(clang -dumpversion | cut -d. -f1)
if apt-cache show "libclang-rt-$clang_major-dev" >/dev/null 2>&1; then
	need_pkgs "libclang-rt-$clang_major-dev"
else
	# before LLVM 14 Debian shipped compiler-rt in the common package
	need_pkgs "libclang-common-$clang_major-dev"
fi

# One run at a time: the accumulated corpus is shared.
exec 9>"$RDBSS_CACHE/fuzz.lock"
if ! flock -n 9; then
	log "fuzz: another run holds $RDBSS_CACHE/fuzz.lock; waiting"
	flock 9
fi

# ---- build ----
cflags=(-std=gnu11 -g -O1 -Wall -Wextra -fno-omit-frame-pointer
	-fno-sanitize-recover=all -I "$top/fs/mrx9p" -I "$top/tests/fuzz")
[ "${FUZZ_STRICT:-0}" = 1 ] && cflags+=(-DFUZZ_STRICT)
srcs=("$top/fs/mrx9p/wire.c" "$top"/tests/fuzz/fuzz_*.c)

log "fuzz: building $out/replay (clang $clang_major, ASan+UBSan)"
clang "${cflags[@]}" -fsanitize=address,undefined "${srcs[@]}" \
	"$top/tests/fuzz/replay.c" -o "$out/replay" >"$out/build.log" 2>&1 || {
	cat "$out/build.log"
	fail "cannot build the replay driver"
}
have_fuzzer=1
if [ "$secs" -gt 0 ]; then
	log "fuzz: building $out/fuzz_wire (libFuzzer, ASan+UBSan)"
	if ! clang "${cflags[@]}" -fsanitize=fuzzer,address,undefined \
		"${srcs[@]}" -o "$out/fuzz_wire" >>"$out/build.log" 2>&1; then
		cat "$out/build.log"
		log "fuzz: libFuzzer unavailable for clang $clang_major: corpus replay only"
		have_fuzzer=0
	fi
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# ---- replay: the seeds and everything fuzzing has kept so far ----
rm -rf "$out/artifacts"
mkdir -p "$out/artifacts"
log "fuzz: replaying $seeds and $cache"
"$out/replay" "$seeds" "$cache" >"$out/replay.log" 2>&1
rc=$?
if [ $rc -ne 0 ] || reported "$out/replay.log" >/dev/null; then
	reported "$out/replay.log" || tail -20 "$out/replay.log"
	fail "corpus replay (exit $rc)"
fi
replay_line=$(grep '^replay:' "$out/replay.log" | tail -1)
echo "$replay_line"

if [ "$secs" -eq 0 ] || [ $have_fuzzer -eq 0 ]; then
	coverage
	echo "fuzz: replay only; corpus clean"
	result 1 0
	exit 0
fi

# ---- fuzz ----
# libFuzzer writes new inputs into the first directory only: the cache.
# The seeds go in as a copy, so nothing can touch the tree.
rm -rf "$out/seeds"
cp -r "$seeds" "$out/seeds"
before=$(find "$cache" -type f | wc -l)
log "fuzz: fuzzing for ${secs}s ($before inputs accumulated so far)"
# shellcheck disable=SC2086
(cd "$out" && exec ./fuzz_wire -max_total_time="$secs" -max_len=4096 \
	-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$out/artifacts/" ${FUZZ_ARGS:-} \
	"$cache" "$out/seeds") >"$out/fuzz.log" 2>&1
rc=$?

# libFuzzer's final statistics
final_stat() { awk -v k="stat::$1:" '$1 == k { print $2 }' "$out/fuzz.log" | tail -1; }
execs=$(final_stat number_of_executed_units)
rate=$(final_stat average_exec_per_sec)
added=$(final_stat new_units_added)
last=$(grep -E '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$out/fuzz.log" | tail -1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")

if [ $rc -ne 0 ] || reported "$out/fuzz.log" >/dev/null ||
   [ -n "$(ls -A "$out/artifacts")" ]; then
	reported "$out/fuzz.log" || tail -40 "$out/fuzz.log"
	show_artifacts
	fail "fuzz_wire (exit $rc) after ${execs:-?} execs; log $out/fuzz.log"
fi

# Keep the accumulated corpus small: minimize it when it grows.
n=$(find "$cache" -type f | wc -l)
if [ "$n" -gt "$cache_max" ]; then
	log "fuzz: minimizing the accumulated corpus ($n inputs)"
	rm -rf "$cache.new"
	mkdir -p "$cache.new"
	if (cd "$out" && ./fuzz_wire -merge=1 -max_len=4096 \
		"$cache.new" "$cache") >"$out/merge.log" 2>&1; then
		rm -rf "$cache.old"
		mv "$cache" "$cache.old" && mv "$cache.new" "$cache" &&
			rm -rf "$cache.old"
	else
		log "fuzz: merge failed (kept the corpus as it was): $out/merge.log"
		rm -rf "$cache.new"
	fi
	n=$(find "$cache" -type f | wc -l)
fi

coverage

echo "fuzz: ${secs}s clean: ${execs:-?} execs, ${rate:-?} execs/s, \
cov ${cov:-?}, ft ${ft:-?}, corp ${corp:-?} (units/bytes), \
${added:-0} new inputs; accumulated corpus $n files ($before before)"
result 1 0
exit 0
