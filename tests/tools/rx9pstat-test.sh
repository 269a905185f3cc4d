#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rx9pstat-test.sh: the host test of tools/rx9pstat (no kernel, no VM).
# Builds it as make tools does (-Werror), statically as the test VM does,
# and with ASan/UBSan, then runs the plain and the sanitized build over the
# mountstats fixtures in tests/tools/fixtures/:
#   mountstats-a.txt, -b.txt  two snapshots of the same mounts 5 s apart:
#                      /mnt/rx (tcp) read 10 MiB in 200 READs meanwhile
#                      (plus 12 GETATTR, 3 LOOKUP of which one failed, an
#                      OPEN and a CLOSE); "/mnt/sock dir" (unix) was idle
#   mixed-nfs.txt      snapshot a with nfs4 and 9p mounts in between
#   no-rx9p.txt        no rx9p mount at all
#   malformed.txt      broken lines of every kind among valid ones
#   mountstats-nc.txt  /mnt/rx of snapshot a mounted nconnect=4: a chan:
#                      line per channel, and two broken ones
# and asserts the numbers (rates worked out from the deltas by hand,
# below), the exit status and messages of each error, and that broken or
# mutated input never crashes nor trips a sanitizer.  Prints one line per
# check and "rx9pstat-test: N passed, N failed"; exits 1 on any failure.
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

need_pkgs gcc libc6-dev

fx=$RDBSS_TOP/tests/tools/fixtures
src=("$RDBSS_TOP"/tools/rx9pstat/*.c)
out=$RDBSS_TOP/out/tools
mkdir -p "$out"
version=$(cat "$RDBSS_TOP/VERSION")
passed=0
failed=0

ok() {
	echo "ok - $*"
	passed=$((passed + 1))
}

not_ok() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}

# check WHAT CMD...: one assertion.
check() {
	local what=$1
	shift
	if "$@"; then
		ok "$what"
	else
		not_ok "$what"
	fi
}

# run NAME RC ARGS...: run $bin with ARGS; stdout in $out/NAME.out,
# stderr in $out/NAME.err; the exit status must be RC, and stderr free
# of sanitizer reports.
run() {
	local name=$1 want=$2 rc=0
	shift 2
	"$bin" "$@" >"$out/$name.out" 2>"$out/$name.err" || rc=$?
	if [ "$rc" != "$want" ]; then
		not_ok "$name: rx9pstat $* exited $rc, expected $want"
		sed 's/^/    /' "$out/$name.err" | head -n 20
		return
	fi
	if grep -Eq 'Sanitizer|runtime error' "$out/$name.err"; then
		not_ok "$name: sanitizer report"
		head -n 20 "$out/$name.err"
		return
	fi
	ok "$name: exit $rc"
}

# The report lines of NAME with runs of blanks made one: "READ 40.000 ...".
squeeze() {
	sed -e 's/^ *//' -e 's/  */ /g' "$out/$1.out"
}

# has NAME LINE: NAME's output has LINE (blanks squeezed).
has() {
	squeeze "$1" | grep -qxF -- "$2"
}

# in_report NAME TITLE LINE: LINE is in the report whose title line
# starts with TITLE (it ends at a blank line).
in_report() {
	squeeze "$1" | awk -v t="$2" -v l="$3" '
		index($0, t) == 1 { on = 1; next }
		/^$/ { on = 0 }
		on && $0 == l { found = 1 }
		END { exit !found }'
}

# err_has NAME TEXT: NAME's stderr has TEXT.
err_has() {
	grep -qF -- "$2" "$out/$1.err"
}

# count_lines NAME REGEX: how many output lines match.
count_lines() {
	grep -Ec -- "$2" "$out/$1.out" || true
}

build() {
	log "building rx9pstat: plain (-Werror), static, ASan/UBSan"
	check "gcc -O2 -Wall -Wextra -Werror" \
		gcc -O2 -Wall -Wextra -Werror -DRX9PSTAT_VERSION="\"$version\"" \
		-o "$out/rx9pstat" "${src[@]}"
	check "gcc -static -O2 -Wall -Wextra -Werror" \
		gcc -static -O2 -Wall -Wextra -Werror -o "$out/rx9pstat-static" "${src[@]}"
	check "gcc -fsanitize=address,undefined" \
		gcc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -Wall -Wextra -Werror \
		-DRX9PSTAT_VERSION="\"$version\"" -o "$out/rx9pstat-asan" "${src[@]}"
}

# The checks, for one build ($bin, $tag).
suite() {
	local a=$fx/mountstats-a.txt b=$fx/mountstats-b.txt t=$tag

	run "$t-help" 0 -h
	check "$t: -h prints the usage" has "$t-help" \
		"Usage: rx9pstat [-i] [-m] [-f FILE]... [INTERVAL [COUNT]] [MOUNTPOINT...]"
	run "$t-version" 0 -V
	check "$t: -V" has "$t-version" "rx9pstat $version"

	## -l: the totals of snapshot a, as the fixture has them
	run "$t-list" 0 -l -f "$a"
	check "$t -l: two mounts" [ "$(count_lines "$t-list" '^/')" = 2 ]
	check "$t -l: /mnt/rx title" has "$t-list" \
		"/mnt/rx: 127.0.0.1 (tcp port 564, msize 65536), age 300 s, statvers 1.0"
	# \040 in the mount point is a blank
	check "$t -l: unix mount, name unescaped" has "$t-list" \
		"/mnt/sock dir: /run/diod-unix.sock (unix, msize 524288), age 290 s, statvers 1.0"
	## nconnect: the rx9p: line's count and a line per channel
	run "$t-nc" 0 -l -f "$fx/mountstats-nc.txt"
	check "$t -l nconnect: title" has "$t-nc" \
		"/mnt/rx: 127.0.0.1 (tcp port 564, msize 65536, nconnect 4), age 300 s, statvers 1.0"
	check "$t -l nconnect: a channel reconnecting" has "$t-nc" \
		"chan 1: recovering, reconnects 1, in flight 3, requests 40, bytes sent 1000000, received 1000000, open files 1"
	check "$t -l nconnect: four channels, the broken chan: lines ignored" \
		[ "$(count_lines "$t-nc" '^ *chan ')" = 4 ]
	check "$t -l: no channel lines with nconnect=1" \
		[ "$(count_lines "$t-list" '^ *chan ')" = 0 ]
	# READ: 20 ops, 1 MiB, 128498 us in all (6.425 ms each), max 11971 us
	check "$t -l: READ totals" in_report "$t-list" /mnt/rx: \
		"READ 20 0 1048576 6.425 11.971"
	check "$t -l: LOOKUP errors" in_report "$t-list" /mnt/rx: \
		"LOOKUP 42 12 0 0.981 5.899"
	check "$t -l: an op that never ran is not listed" \
		bash -c "! grep -q RMDIR '$out/$t-list.out'"
	check "$t -l: bytes" in_report "$t-list" /mnt/rx: \
		"read from server 1048576 written to server 1048576"
	check "$t -l: connection" in_report "$t-list" /mnt/rx: \
		"connection: up, connects 1, reconnects 0, in flight 0 (max 4)"
	check "$t -l: transport counters" in_report "$t-list" /mnt/rx: \
		"requests 219, replies 219, bytes sent 1102318, received 1120411"
	# Tread: 20, 120100 us (6.005 ms each), max 11500 us
	check "$t -l: Tread" in_report "$t-list" /mnt/rx: "Tread 20 0 6.005 11.500"
	check "$t -l: unix mount's READ" in_report "$t-list" "/mnt/sock dir:" \
		"READ 1 0 4096 0.610 0.610"

	## interval mode: a, then b 5 s later
	run "$t-iv" 0 -f "$a" -f "$b" 5
	check "$t interval: four reports" [ "$(count_lines "$t-iv" '^/')" = 4 ]
	# first since the mount: 20 READs of 1 MiB in 300 s
	check "$t interval: since mount" in_report "$t-iv" \
		"/mnt/rx: 127.0.0.1 (tcp port 564, msize 65536), since mount (300 s)" \
		"READ 0.067 3.413 51.200 6.425 0"
	# then b - a over 5 s: 200 READs, 10485760 bytes, 250000 us
	# -> 40 ops/s, 10240 kB / 5 s = 2048 kB/s, 51.2 kB/op, 1.25 ms
	iv="/mnt/rx: 127.0.0.1 (tcp port 564, msize 65536), over 5.00 s"
	check "$t interval: READ rates" in_report "$t-iv" "$iv" \
		"READ 40.000 2048.000 51.200 1.250 0"
	check "$t interval: WRITE idle" in_report "$t-iv" "$iv" \
		"WRITE 0.000 0.000 0.000 0.000 0"
	# 3 LOOKUP in 1500 us, one failed; 12 GETATTR in 3000 us
	check "$t interval: LOOKUP" in_report "$t-iv" "$iv" "LOOKUP 0.600 - - 0.500 1"
	check "$t interval: GETATTR" in_report "$t-iv" "$iv" "GETATTR 2.400 - - 0.250 0"
	# 217 ops in 255330 us: 43.4/s, 1.177 ms
	check "$t interval: all ops" in_report "$t-iv" "$iv" "all ops 43.400 - - 1.177 1"
	check "$t interval: ops idle in the interval are left out" \
		bash -c "! awk '/over 5.00 s/ { on = 1 } on && /CREATE/' '$out/$t-iv.out' | grep -q ."
	check "$t interval: the idle mount" in_report "$t-iv" \
		"/mnt/sock dir: /run/diod-unix.sock (unix, msize 524288), over 5.00 s" \
		"all ops 0.000 - - 0.000 0"

	## -m: the connection and the 9P messages
	run "$t-m" 0 -m -f "$a" -f "$b" 5 /mnt/rx
	# 217 requests, 5425 bytes sent, 10488147 received in 5 s
	check "$t -m: connection rates" in_report "$t-m" "$iv" \
		"connection: up, in flight 0, reconnects 0, requests/s 43.400, kB/s sent 1.060, received 2048.466"
	# 200 Tread in 240000 us
	check "$t -m: Tread" in_report "$t-m" "$iv" "Tread 40.000 1.200 0"
	check "$t -m: Twalk error" in_report "$t-m" "$iv" "Twalk 0.600 0.400 1"
	check "$t -m: only the mount named" [ "$(count_lines "$t-m" '^/')" = 2 ]

	## choosing mounts and reports
	run "$t-named" 0 -f "$a" "/mnt/sock dir"
	check "$t: a mount point with a blank" [ "$(count_lines "$t-named" '^/mnt/sock dir: ')" = 1 ]
	(cd / && "$bin" -f "$a" mnt/./rx/../rx >"$out/$t-rel.out" 2>&1) || true
	check "$t: a relative, unnormalized mount point" \
		[ "$(count_lines "$t-rel" '^/')" = 1 ]
	run "$t-count" 0 -f "$a" -f "$b" 5 1
	check "$t: COUNT 1 is the since-mount report only" \
		[ "$(count_lines "$t-count" 'since mount')" = 2 ]
	run "$t-i" 0 -i -f "$a" /mnt/rx
	check "$t: -i without INTERVAL: one report" [ "$(count_lines "$t-i" '^/')" = 1 ]
	run "$t-reset" 0 -f "$b" -f "$a" 5 /mnt/rx
	check "$t: counters that go back" has "$t-reset" \
		"/mnt/rx: 127.0.0.1 (tcp port 564, msize 65536), counters reset, since mount (300 s)"

	## other file systems
	run "$t-mixed" 0 -l -f "$fx/mixed-nfs.txt"
	check "$t mixed: only the rx9p mounts" [ "$(count_lines "$t-mixed" '^/')" = 2 ]
	# the nfs4 entry before it has READ/WRITE/events lines of its own
	check "$t mixed: READ not taken from nfs" in_report "$t-mixed" /mnt/rx: \
		"READ 20 0 1048576 6.425 11.971"
	check "$t mixed: WRITE not taken from nfs" in_report "$t-mixed" /mnt/rx: \
		"WRITE 18 0 1048576 18.247 23.267"
	check "$t mixed: events not taken from nfs" in_report "$t-mixed" /mnt/rx: \
		"readahead 3 read_folio 1"
	check "$t mixed: same listing as without nfs" \
		cmp -s "$out/$t-mixed.out" "$out/$t-list.out"
	run "$t-nfs" 1 -l -f "$fx/mixed-nfs.txt" /mnt/nfs
	check "$t: an nfs mount named" err_has "$t-nfs" \
		"rx9pstat: /mnt/nfs: not an rx9p mount (fstype nfs4)"
	run "$t-v9" 1 -f "$fx/mixed-nfs.txt" /mnt/rx /mnt/v9 /mnt/none
	check "$t: a 9p mount named" err_has "$t-v9" \
		"rx9pstat: /mnt/v9: not an rx9p mount (fstype 9p)"
	check "$t: no mount named" err_has "$t-v9" "rx9pstat: /mnt/none: not a mount point"
	check "$t: nothing printed on a bad MOUNTPOINT" [ ! -s "$out/$t-v9.out" ]

	## errors
	run "$t-none" 1 -f "$fx/no-rx9p.txt"
	check "$t: no rx9p mounts" err_has "$t-none" "rx9pstat: no rx9p mounts in $fx/no-rx9p.txt"
	run "$t-none-l" 1 -l -f "$fx/no-rx9p.txt"
	run "$t-empty" 1 -l -f /dev/null
	run "$t-enoent" 1 -f "$out/no-such-file"
	check "$t: a missing file" err_has "$t-enoent" "No such file or directory"
	run "$t-eisdir" 1 -f "$fx"
	check "$t: a directory" err_has "$t-eisdir" "Is a directory"
	run "$t-enoent2" 1 -f "$a" -f "$out/no-such-file" 5
	run "$t-usage-l" 2 -l 5
	run "$t-usage-li" 2 -l -i
	run "$t-usage-f" 2 -f "$a" -f "$b"
	run "$t-usage-0" 2 0
	run "$t-usage-big" 2 99999999999999999999
	run "$t-usage-x" 2 -x
	run "$t-usage-count" 2 1 0

	## broken input: skipped line by line, the rest read
	run "$t-bad" 0 -l -f "$fx/malformed.txt"
	check "$t malformed: four rx9p entries" [ "$(count_lines "$t-bad" '^/')" = 4 ]
	check "$t malformed: statvers=2.0 warned" err_has "$t-bad" \
		"rx9pstat: /mnt/v2: format statvers=2.0, not one this rx9pstat knows (1.N); reading it anyway"
	check "$t malformed: no statvers warned" err_has "$t-bad" \
		"rx9pstat: /mnt/nover: no format version"
	check "$t malformed: fields appended later are ignored" in_report "$t-bad" /mnt/v2: \
		"READ 10 0 40960 2.000 3.000"
	check "$t malformed: short and non-numeric rows skipped" \
		bash -c "! awk '/^\\/mnt\\/v2/ { on = 1 } /^\$/ { on = 0 } on && /WRITE|GETATTR/' '$out/$t-bad.out' | grep -q ."
	check "$t malformed: overflow skipped, the largest number kept" in_report "$t-bad" /mnt/nover: \
		"OPEN 18446744073709551615 0 0 0.000 0.000"
	check "$t malformed: rows belong to the last table heading" in_report "$t-bad" /mnt/bad \
		"READ 2 0 8192 0.100 0.150"
	check "$t malformed: a row after a broken line is skipped" in_report "$t-bad" /mnt/bad \
		"WRITE 4 1 2048 0.010 0.030"
	check "$t malformed: messages" in_report "$t-bad" /mnt/bad "Twrite 3 0 0.100 0.200"
	check "$t malformed: control bytes escaped" has "$t-bad" \
		"/mnt/ctl: evil\\033[2J (tcp port 564, msize 8192), statvers 1.x"
	check "$t malformed: no raw control byte out" \
		bash -c "! LC_ALL=C grep -q '[[:cntrl:]]' '$out/$t-bad.out'"
	run "$t-bad-iv" 0 -m -f "$fx/malformed.txt" -f "$fx/malformed.txt" 1

	# a 70 KB line, a NUL byte, CRLF and no final newline, from a
	{
		sed '/^\t *READ:/s/$/'"$(printf '%*s' 70000 '')"'/' "$a"
		printf 'device x mounted on /mnt/nul with fstype rx9p statvers=1.0\n'
		printf '\tper-op statistics\n'
		printf '\t          READ: 1 0 0\0000 0 0 0 0 0 0 0 0\n'
		printf '\t          OPEN: 1 0 0 0 0 0 0 0 0 0 0\r\n'
		printf '\t         CLOSE: 1 0 0 0 0 0 0 0 0 0 0'
	} >"$out/generated.txt"
	run "$t-gen" 0 -l -f "$out/generated.txt"
	check "$t generated: an over-long line skipped" \
		bash -c "! awk '/^\\/mnt\\/rx:/ { on = 1 } /^\$/ { on = 0 } on && /^  READ /' '$out/$t-gen.out' | grep -q ."
	check "$t generated: lines after it read" in_report "$t-gen" /mnt/rx: \
		"WRITE 18 0 1048576 18.247 23.267"
	check "$t generated: no final newline" in_report "$t-gen" /mnt/nul: "CLOSE 1 0 0 0.000 0.000"
	check "$t generated: NUL and CR lines skipped" \
		bash -c "! awk '/^\\/mnt\\/nul:/ { on = 1 } on && /READ|OPEN/' '$out/$t-gen.out' | grep -q ."
	run "$t-elf" 1 -l -f "$bin"
}

# mutants N: N copies of snapshot a with a few bytes changed or cut,
# each read with -l and as the second snapshot of an interval.
mutants() {
	local i j size off m=$out/mutant.txt rc bad=0
	RANDOM=4242	# the same mutants every run
	size=$(stat -c %s "$fx/mountstats-a.txt")
	for ((i = 0; i < $1; i++)); do
		cp "$fx/mountstats-a.txt" "$m"
		for ((j = 0; j < 1 + RANDOM % 8; j++)); do
			off=$(((RANDOM * 32768 + RANDOM) % size))
			printf "\\$(printf %03o $((RANDOM % 256)))" |
				dd of="$m" bs=1 seek="$off" conv=notrunc status=none
		done
		[ $((RANDOM % 4)) = 0 ] && truncate -s $((RANDOM % size)) "$m"
		for args in "-l -f $m" "-m -f $fx/mountstats-a.txt -f $m 5"; do
			rc=0
			# shellcheck disable=SC2086 # the words of args
			"$bin" $args >/dev/null 2>"$out/mutant.err" || rc=$?
			if [ $rc -gt 1 ] || grep -Eq 'Sanitizer|runtime error' "$out/mutant.err"; then
				bad=$((bad + 1))
				cp "$m" "$out/mutant-$i.txt"
				echo "    mutant $i ($args): exit $rc, kept in $out/mutant-$i.txt"
				head -n 5 "$out/mutant.err"
			fi
		done
	done
	check "$tag: $1 mutated snapshots read without a crash ($bad bad)" [ "$bad" = 0 ]
}

build
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1
for tag in plain asan; do
	bin=$out/rx9pstat
	[ $tag = asan ] && bin=$out/rx9pstat-asan
	[ -x "$bin" ] || continue
	log "rx9pstat-test: the $tag build"
	suite
done
if [ -x "$out/rx9pstat-asan" ]; then
	bin=$out/rx9pstat-asan tag=asan
	log "rx9pstat-test: mutated input under ASan/UBSan"
	mutants 300
fi
# Without -f: the real /proc/self/mountstats, and a real 1 s interval.
bin=$out/rx9pstat tag=live
rc=0
"$bin" -l >/dev/null 2>"$out/live.err" || rc=$?
check "live: -l on this machine's mountstats (exit $rc: 0, or 1 for no rx9p mounts)" \
	[ $rc -le 1 ]
cp "$fx/mountstats-a.txt" "$out/live.txt"
run live-iv 0 -f "$out/live.txt" 1 2 /mnt/rx
check "live: a real interval of about 1 s" \
	bash -c "grep -Eq '^/mnt/rx: .*, over 1\\.[0-9]{2} s\$' '$out/live-iv.out'"

echo "rx9pstat-test: $passed passed, $failed failed"
[ "$failed" = 0 ]
