#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Payload "debug" (make vmtest-debug, on the debug kernel: KASAN, lockdep,
# KFENCE, kmemleak, object debugging).  One TAP stream of:
#   kunit/SUITE.CASE  the KUnit suites: the test variants of our modules
#                     and rdbss_kunit.ko in /modules/kunit/ are loaded (the
#                     suites run when rdbss_kunit.ko is), each case's KTAP
#                     result becomes a line, and all are unloaded again;
#   TARGET/TEST ...   the functional suite (tests/functional/run.sh, with
#                     RDBSS_TARGETS as given), renumbered into this stream;
#   kmemleak          with nothing of ours mounted or loaded any more, two
#                     scans (kmemleak only reports an object unchanged
#                     across two); any unreferenced object fails it, and
#                     kmemleak's report follows as diagnostics.
# What kmemleak finds before the first test (early boot) is cleared and
# not counted.  The kernel log itself is checked by tests/vm/run.sh.
KML=/sys/kernel/debug/kmemleak
KUNIT=/modules/kunit
# load order
KUNIT_MODS="rdbss mrx9p rxloop rdbss_kunit"
n=0
nfail=0

# tap ok|fail NAME: one TAP line.
tap() {
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2"
	else
		nfail=$((nfail + 1))
		echo "not ok $n - $2"
	fi
}

# klog_from LINE: the kernel log from line LINE on, without timestamps.
klog_from() {
	dmesg | tail -n +"$1" | sed 's/^\[[ 0-9.]*\] //'
}

echo "# rdbss debug payload: kernel $(uname -r)"
if [ -w $KML ]; then
	echo scan >$KML
	echo "# kmemleak: $(grep -c '^unreferenced object' $KML) objects unreferenced before the tests, cleared"
	echo clear >$KML
fi

## KUnit
from=$(($(dmesg | wc -l) + 1))
loaded=
all=1
for m in $KUNIT_MODS; do
	if ! insmod "$KUNIT/$m.ko" >/tmp/kunit.insmod 2>&1; then
		all=0
		break
	fi
	loaded="$m $loaded"
done
if [ $all = 1 ]; then
	klog_from "$from" >/tmp/kunit.log
	# Cases are the results indented once ("    ok 3 name"); a failing
	# case gets the log lines since the previous result.
	awk -v n=$n '
		/^    # Subtest: / { suite = $3; buf = ""; next }
		/^    (not )?ok [0-9]+ / {
			line = $0
			sub(/^    /, "", line)
			bad = (line ~ /^not /)
			sub(/^(not )?ok [0-9]+ (- )?/, "", line)
			dir = ""
			if (line ~ / # /) {
				dir = line
				sub(/^[^#]* # /, "", dir)
				sub(/ # .*$/, "", line)
			}
			n++
			printf "%s %d - kunit/%s.%s%s\n", bad ? "not ok" : "ok", n,
				suite, line, dir != "" ? " # " dir : ""
			if (bad)
				printf "%s", buf
			buf = ""
			next
		}
		{ buf = buf "# " $0 "\n" }
		END { print n > "/tmp/kunit.n" }' /tmp/kunit.log >/tmp/kunit.tap
	cat /tmp/kunit.tap
	ran=$(($(cat /tmp/kunit.n) - n))
	nfail=$((nfail + $(grep -c '^not ok' /tmp/kunit.tap)))
	n=$(cat /tmp/kunit.n)
	if [ "$ran" -gt 0 ]; then
		tap ok "kunit: rdbss_kunit.ko ran $ran test cases"
	else
		tap fail "kunit: rdbss_kunit.ko ran no test case"
		sed 's/^/# /' /tmp/kunit.log
	fi
else
	tap fail "kunit: insmod $KUNIT_MODS"
	sed 's/^/# /' /tmp/kunit.insmod
	klog_from "$from" | tail -n 40 | sed 's/^/# kernel: /'
fi
: >/tmp/kunit.rmmod
st=ok
for m in $loaded; do
	rmmod "$m" >>/tmp/kunit.rmmod 2>&1 || st=fail
done
tap $st "kunit: rmmod$(echo " $loaded" | sed 's/ $//')"
[ $st = ok ] || sed 's/^/# /' /tmp/kunit.rmmod

## the functional suite, renumbered after the KUnit results
sh /tests/functional/run.sh 2>&1 | awk -v n=$n '
	/^1\.\.[0-9]+$/ { next }
	/^(not )?ok [0-9]+/ {
		n++
		sub(/ok [0-9]+/, "ok " n)
		if ($0 ~ /^not ok/ && $0 !~ / # TODO/)
			f++
	}
	{ print; fflush() }
	END { print n, f + 0 > "/tmp/functional.n" }'
read -r n f </tmp/functional.n
nfail=$((nfail + f))

## kmemleak, with nothing of ours left
awk '$3 == "rx9p" || $3 == "rxloop" || $3 == "9p" { print $2 }' /proc/mounts |
	while read -r m; do
		echo "# still mounted: $m"
		umount "$m" 2>/dev/null || umount -l "$m"
	done
for m in rdbss_kunit rxloop mrx9p rdbss; do
	if grep -q "^$m " /proc/modules; then
		echo "# still loaded: $m"
		rmmod "$m"
	fi
done
if [ -w $KML ]; then
	t0=$(cut -d' ' -f1 /proc/uptime)
	sleep 5
	echo scan >$KML
	sleep 5
	echo scan >$KML
	cat $KML >/tmp/kmemleak.txt
	leaks=$(grep -c '^unreferenced object' /tmp/kmemleak.txt)
	echo "# kmemleak: two scans in $(echo "$t0 $(cut -d' ' -f1 /proc/uptime)" |
		awk '{ printf "%.1f", $2 - $1 }')s"
	if [ "$leaks" = 0 ]; then
		tap ok "kmemleak: no unreferenced objects"
	else
		tap fail "kmemleak: $leaks unreferenced objects"
		head -n 600 /tmp/kmemleak.txt | sed 's/^/# /'
	fi
else
	tap fail "kmemleak: no $KML (not the debug kernel?)"
fi

echo "1..$n"
echo "# $((n - nfail)) passed, $nfail failed"
[ $nfail = 0 ]
