#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Tracepoints (fs/rdbss/trace.h, fs/mrx9p/trace.h) through tracefs: a cold
# read records rdbss_lowio_submit (READ) and rdbss_lowio_complete with the
# level the completion ran at; on rx9p also mrx9p_request and mrx9p_reply
# (a Tread, 116, answered by Rread, 117) with the same tag; the format
# files name the levels for perf and trace-cmd; no file name is traced.
# targets: rx9p rxloop-softirq
. "$(dirname "$0")/lib.sh"

T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
if [ ! -d $T/events/rdbss ]; then
	# the debug kernel is built without tracing; the Debian ones have it
	uname -r | grep -q rdbss-debug && skip "no tracing in this kernel"
	fail "no rdbss events in $T/events"
fi
grep -q 'DISPATCH' $T/events/rdbss/rdbss_lowio_complete/format ||
	fail "the completion level's names are not in the format file"

io open="$MNT/traced-qx3:wronly,creat" pw=0:256k:3 fsync close
drop_caches
events="rdbss/rdbss_lowio_submit rdbss/rdbss_lowio_complete"
[ "$FSTYPE" = rx9p ] && events="$events mrx9p/mrx9p_request mrx9p/mrx9p_reply"
echo 0 >$T/tracing_on
: >$T/trace
for e in $events; do
	echo 1 >$T/events/$e/enable || fail "enable $e"
done
echo 1 >$T/tracing_on
io open="$MNT/traced-qx3:rdonly" pr=0:256k:3 close
echo 0 >$T/tracing_on
for e in $events; do
	echo 0 >$T/events/$e/enable
done
cat $T/trace >/tmp/trace.out
: >$T/trace
note "$(grep -c . /tmp/trace.out) trace lines; first events:"
note "$(grep -E 'rdbss_|mrx9p_' /tmp/trace.out | head -n 6)"

grep -q 'rdbss_lowio_submit: .* READ ino=[0-9]* offset=0 ' /tmp/trace.out ||
	fail "no rdbss_lowio_submit of a READ at offset 0"
grep -Eq 'rdbss_lowio_complete: .* READ status=0 information=[1-9][0-9]* level=(PASSIVE|DISPATCH) (woke|inline|posted)' /tmp/trace.out ||
	fail "no rdbss_lowio_complete of the READ with its level"
# every completion names the context a submit named
sub=$(sed -n 's/.*rdbss_lowio_submit: c=\([^ ]*\) READ.*/\1/p' /tmp/trace.out | sort -u)
for c in $(sed -n 's/.*rdbss_lowio_complete: c=\([^ ]*\) READ.*/\1/p' /tmp/trace.out | sort -u); do
	echo "$sub" | grep -qx "$c" || fail "a completion of $c, which no submit named"
done
if [ "$FSTYPE" = rx9p ]; then
	tag=$(sed -n 's/.*mrx9p_request: .* tag=\([0-9]*\) type=116 .*/\1/p' /tmp/trace.out | head -n 1)
	[ -n "$tag" ] || fail "no mrx9p_request of a Tread"
	grep -Eq "mrx9p_reply: .* tag=$tag type=116 rtype=117 size=[0-9]+ status=0 rtt_us=[0-9]+" /tmp/trace.out ||
		fail "no mrx9p_reply Rread for tag $tag"
fi
grep -q qx3 /tmp/trace.out && fail "a file name in the trace"
exit 0
