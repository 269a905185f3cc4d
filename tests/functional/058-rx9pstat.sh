#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rx9pstat (tools/rx9pstat/, Documentation/rx9pstat.8) on a live mount.
# After known I/O (1 MiB written with fsync, read back cold):
#   - `rx9pstat -l MNT` names the mount, its server and transport, and
#     shows, line for line, the numbers /proc/self/mountstats has for it
#     (the expected listing is worked out here with awk from the same
#     entry); WRITE moved exactly the megabyte;
#   - `rx9pstat 1 2 MNT` prints two reports: the first since the mount
#     (its WRITE kB/s times the age is the megabyte), the second over about
#     1 s of an idle mount, every rate zero;
#   - a report over an interval with 1 MiB written in it gives WRITE's and
#     Twrite's rates over that interval (rate x seconds = the counts
#     mountstats gained meanwhile);
#   - a second mount on a path holding a blank, ESC and a tab is listed
#     with the path unescaped and its control characters as \ooo, and no
#     output of rx9pstat holds a raw control character;
#   - `rx9pstat -l /nonexistent` (and a non-rx9p mount) exit 1 with a
#     message naming the path and print nothing on stdout.
# needs: nomount
# targets: rx9p rx9p-unix
. "$(dirname "$0")/lib.sh"

MSIZE=65536
ESC=$(printf '\033')
TAB=$(printf '\t')
# the second mount: kernel-escaped (blank, tab) and raw (ESC) characters
CTL="/tmp/rx9pstat ctl${ESC}[2J${TAB}x"
CTL_SHOWN='/tmp/rx9pstat ctl\033[2J\011x'
O=/tmp/rx9pstat.058
rm -rf "$O"
mkdir -p "$O"

# on the way out, whatever happened: the helpers, then both mounts
trap 'bg_cleanup; umount "$CTL" 2>/dev/null; rmdir "$CTL" 2>/dev/null; umount "$MNT" 2>/dev/null' EXIT

command -v rx9pstat >/dev/null ||
	fail "no rx9pstat in the VM (tests/vm/mkinitramfs.sh builds it)"
# the control-character check below must be able to fail
printf 'a%sb\n' "$ESC" | LC_ALL=C grep -q '[[:cntrl:]]' ||
	fail "grep does not see control characters: the check would be void"

# closetimeo=0: no delayed close ends in the idle second checked below
do_mount closetimeo=0 || fail "mount: $SYS_RESULT"

# entry: this mount's lines of /proc/self/mountstats.
entry() {
	awk -v mnt="$MNT" '
		/^device / { on = ($5 == mnt) }
		on' /proc/self/mountstats
}

# squeeze FILE: its lines with leading blanks dropped and runs of blanks
# made one, as the expected listing is written.
squeeze() {
	sed -e 's/^ *//' -e 's/  */ /g' "$1"
}

# shown NAME: an rx9pstat output file, for a failure message.
shown() {
	sed 's/^/    | /' "$O/$1"
}

# no_cntrl FILE...: no raw control character in what rx9pstat printed.
no_cntrl() {
	local f
	for f in "$@"; do
		if LC_ALL=C grep -q '[[:cntrl:]]' "$O/$f"; then
			note "$(od -c "$O/$f" | head -n 20)"
			fail "raw control character in $f"
		fi
	done
}

# expect_list < ENTRY: what rx9pstat -l prints for the entry, squeezed,
# the age made "N".
expect_list() {
	awk '
	function ms(t, n) { return n ? sprintf("%.3f", t / n / 1000) : "0.000" }
	function pairs(names, v, n,   i, l) {
		for (i = 1; i <= n; i++) {
			l = (i % 2) ? names[i] " " v[i] : l " " names[i] " " v[i]
			if (i % 2 == 0 || i == n)
				print l
		}
	}
	BEGIN {
		nb = split("read|written|read O_DIRECT|written O_DIRECT|read from server|written to server|pages read|pages written", bn, "|")
		ne = split("readahead|read_folio|writeback batches|folios written|invalidations|attr cached|attr from server|dentry kept|dentry dropped|done at DISPATCH|posted to PASSIVE", en, "|")
	}
	/^device / {
		mnt = $5
		for (i = 6; i <= NF; i++)
			if ($i ~ /^statvers=/)
				sv = substr($i, 10)
		next
	}
	{ sub(/^[ \t]+/, "") }
	$1 == "opts:" { sub(/^opts:[ \t]*/, ""); opts = $0; next }
	$1 == "bytes:" { hb = 1; for (i = 1; i <= nb; i++) b[i] = $(i + 1); next }
	$1 == "events:" { he = 1; for (i = 1; i <= ne; i++) e[i] = $(i + 1); next }
	$0 == "per-op statistics" { sec = "op"; next }
	$0 == "per-message statistics" { sec = "msg"; next }
	$1 == "rx9p:" {
		for (i = 2; i <= NF; i++) {
			k = $i; sub(/=.*/, "", k); v = $i; sub(/^[^=]*=/, "", v)
			r[k] = v
		}
		next
	}
	$1 == "xprt:" { hx = 1; for (i = 1; i <= 13; i++) x[i] = $(i + 1); next }
	sec == "op" && $1 ~ /^[A-Z]+:$/ {
		if ($2 > 0)
			ops[++nops] = sprintf("%s %s %s %s %s %.3f", substr($1, 1, length($1) - 1),
				$2, $3, $4, ms($5, $2), $6 / 1000)
		next
	}
	sec == "msg" && $1 ~ /^T[a-z]+:$/ {
		if ($2 > 0)
			msg[++nmsg] = sprintf("%s %s %s %s %.3f", substr($1, 1, length($1) - 1),
				$2, $3, ms($4, $2), $5 / 1000)
		next
	}
	END {
		port = (r["port"] + 0 > 0) ? " port " r["port"] : ""
		print mnt ": " r["server"] " (" r["trans"] port ", msize " r["msize"] "), age N s, statvers " sv
		print "opts: " opts
		print "protocol: " r["vers"]
		if (hx) {
			print "connection: " x[1] ", connects " x[2] ", reconnects " x[3] ", in flight " x[4] " (max " x[5] ")"
			print "requests " x[6] ", replies " x[7] ", bytes sent " x[8] ", received " x[9]
			print "resent " x[10] ", Tflush " x[11] ", protocol errors " x[12] ", timeouts " x[13]
		}
		if (hb) { print "bytes:"; pairs(bn, b, nb) }
		if (he) { print "events:"; pairs(en, e, ne) }
		if (nops)
			print "op ops errors bytes avg ms max ms"
		for (i = 1; i <= nops; i++)
			print ops[i]
		if (nmsg)
			print "message count errors avg ms max ms"
		for (i = 1; i <= nmsg; i++)
			print msg[i]
	}'
}

# field FILE KEY N: field N of the line "KEY: ..." of a saved entry.
field() {
	awk -v k="$2:" -v n="$3" '
		{ sub(/^[ \t]+/, "") }
		$1 == k { print $(n + 1); found = 1; exit }
		END { if (!found) print "missing" }' "$1"
}

## known I/O on a fresh mount
io open="$MNT/rx9pstat-zq8:rdwr,creat" pw=0:1m:1 fsync close
drop_caches
io open="$MNT/rx9pstat-zq8:rdonly" pr=0:1m:1 close
mount_again "$CTL" closetimeo=0

## -l: the listing against mountstats, read just before and after it
i=0
while :; do
	entry | grep -v '^	age:' >"$O/before"
	rc=0
	rx9pstat -l "$MNT" >"$O/list.out" 2>"$O/list.err" || rc=$?
	entry >"$O/entry"
	grep -v '^	age:' "$O/entry" >"$O/after"
	cmp -s "$O/before" "$O/after" && break
	i=$((i + 1))
	[ $i -lt 5 ] || fail "the mountstats of an idle mount keep changing"
	sleep 1
done
note "$(head -n 1 "$O/list.out")"
assert_eq "$rc" 0 "rx9pstat -l $MNT: exit status"
[ -s "$O/list.err" ] && fail "rx9pstat -l printed on stderr: $(cat "$O/list.err")"
grep -q "^device .* mounted on $MNT with fstype rx9p statvers=1\.0\$" "$O/entry" ||
	fail "no rx9p entry for $MNT: $(head -n 1 "$O/entry")"
if [ "$TRANS" = unix ]; then
	title="$MNT: $SERVER (unix, msize $MSIZE), age "
else
	title="$MNT: $SERVER (tcp port $PORT, msize $MSIZE), age "
fi
case $(head -n 1 "$O/list.out") in
"$title"[0-9]*" s, statvers 1.0") ;;
*) fail "title: '$(head -n 1 "$O/list.out")', expected '${title}N s, statvers 1.0'" ;;
esac
expect_list <"$O/entry" >"$O/list.want"
squeeze "$O/list.out" | sed 's/, age [0-9]* s, /, age N s, /' >"$O/list.got"
if ! cmp -s "$O/list.got" "$O/list.want"; then
	note "rx9pstat -l $MNT:"
	shown list.out
	note "expected (blanks squeezed), from the mountstats entry:"
	sed 's/^/    | /' "$O/list.want"
	note "first difference: $(cmp "$O/list.got" "$O/list.want" 2>&1)"
	fail "rx9pstat -l does not show what mountstats says"
fi
# and against what the I/O was, whatever the entry says
grep -q '^WRITE [1-9][0-9]* 0 1048576 ' "$O/list.got" ||
	fail "WRITE row: $(grep '^WRITE ' "$O/list.got"), expected 1048576 bytes, no error"
grep -qx 'read from server [0-9]* written to server 1048576' "$O/list.got" ||
	fail "bytes: $(grep 'written to server' "$O/list.got")"
rb=$(awk '$1 == "READ" { print $4 }' "$O/list.got")
[ "${rb:-0}" -ge 1048576 ] || fail "READ moved ${rb:-no} bytes for a 1 MiB read"
grep -q '^Twrite [1-9]' "$O/list.got" || fail "no Twrite row"
grep -q '^connection: up, ' "$O/list.got" || fail "connection: $(grep '^connection' "$O/list.got")"

## every rx9p mount, and the one with control characters in its path
rc=0
rx9pstat -l >"$O/all.out" 2>"$O/all.err" || rc=$?
assert_eq "$rc" 0 "rx9pstat -l: exit status"
grep -q "^$MNT: " "$O/all.out" || { shown all.out; fail "rx9pstat -l does not list $MNT"; }
grep -qF "$CTL_SHOWN: $SERVER (" "$O/all.out" ||
	{ shown all.out; fail "rx9pstat -l does not list the mount on $CTL_SHOWN, so escaped"; }
grep -q "$ESC" /proc/self/mountstats ||
	note "(the kernel escaped ESC in the mount point itself)"
rc=0
rx9pstat -l "$CTL" >"$O/ctl.out" 2>"$O/ctl.err" || rc=$?
assert_eq "$rc" 0 "rx9pstat -l on the path with control characters: exit status"
assert_eq "$(grep -c '^/' "$O/ctl.out")" 1 "mounts listed for that path"
grep -qF "$CTL_SHOWN: " "$O/ctl.out" || { shown ctl.out; fail "that mount's title"; }

## two reports a second apart on the idle mount
rc=0
rx9pstat 1 2 "$MNT" >"$O/iv.out" 2>"$O/iv.err" || rc=$?
assert_eq "$rc" 0 "rx9pstat 1 2: exit status"
[ -s "$O/iv.err" ] && fail "rx9pstat 1 2 printed on stderr: $(cat "$O/iv.err")"
assert_eq "$(grep -c "^$MNT: " "$O/iv.out")" 2 "reports of rx9pstat 1 2 $MNT"
assert_eq "$(grep -c '^/' "$O/iv.out")" 2 "reports of rx9pstat 1 2 $MNT (all mounts)"
squeeze "$O/iv.out" >"$O/iv.sq"
# first: since the mount, over its age; its WRITE kB/s x age = 1024 kB
age=$(sed -n "1s|^$MNT: .*, since mount (\([0-9]*\) s)\$|\1|p" "$O/iv.sq")
[ -n "$age" ] || { shown iv.out; fail "the first report is not since the mount"; }
awk -v a="$age" '$1 == "WRITE" { w = $3 * a; exit }
	END { if (w < 1024 - 0.001 * a - 0.01 || w > 1024 + 0.001 * a + 0.01) exit 1 }' "$O/iv.sq" ||
	{ shown iv.out; fail "since mount: WRITE kB/s x $age s is not the 1024 kB written"; }
# second: over about 1 s, nothing happened
secs=$(sed -n "s|^$MNT: .*, over \([0-9.]*\) s\$|\1|p" "$O/iv.sq")
[ -n "$secs" ] || { shown iv.out; fail "the second report is not over an interval"; }
awk -v s="$secs" 'BEGIN { exit !(s >= 0.95 && s < 3) }' ||
	fail "rx9pstat 1 2: second report over $secs s, not about 1 s"
sed -n '/, over /,$p' "$O/iv.sq" | sed 1d >"$O/iv.second"
printf '%s\n' "op ops/s kB/s kB/op avg ms errors" \
	"READ 0.000 0.000 0.000 0.000 0" "WRITE 0.000 0.000 0.000 0.000 0" \
	"all ops 0.000 - - 0.000 0" >"$O/iv.want"
cmp -s "$O/iv.second" "$O/iv.want" ||
	{ shown iv.out; fail "the idle second's report is not all zero"; }

## an interval with 1 MiB written in it
# active IV LIMIT: rx9pstat -m IV 2 with the write inside its interval;
# returns 1 if the write took more than LIMIT s (it may then have run
# past the interval: try a longer one).
active() {
	local pid i=0 t0 t1 rc
	: >"$O/act.out"
	rx9pstat -m "$1" 2 "$MNT" >"$O/act.out" 2>"$O/act.err" &
	pid=$!
	BG_PIDS="$BG_PIDS $pid"
	until [ "$(grep -c "^$MNT: " "$O/act.out")" -ge 1 ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "rx9pstat -m $1 2: no first report in 10 s"
		sleep 0.1
	done
	t0=$(cut -d' ' -f1 /proc/uptime)
	entry >"$O/act.0"
	io open="$MNT/rx9pstat-iv-zq8:wronly,creat" pw=0:1m:2 fsync close
	entry >"$O/act.1"
	t1=$(cut -d' ' -f1 /proc/uptime)
	i=$(grep -c "^$MNT: " "$O/act.out")
	rc=0
	wait "$pid" || rc=$?
	BG_PIDS=
	assert_eq "$rc" 0 "rx9pstat -m $1 2: exit status"
	note "1 MiB written and synced in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s of a $1 s interval"
	[ "$i" = 1 ] && awk -v a="$t0" -v b="$t1" -v l="$2" 'BEGIN { exit !(b - a <= l) }'
}
active 4 2 || active 15 10 || fail "writing 1 MiB took too long for a 15 s interval"
squeeze "$O/act.out" >"$O/act.sq"
assert_eq "$(grep -c "^$MNT: " "$O/act.sq")" 2 "reports of rx9pstat -m 4 2"
secs=$(sed -n "s|^$MNT: .*, over \([0-9.]*\) s\$|\1|p" "$O/act.sq")
[ -n "$secs" ] || { shown act.out; fail "no report over an interval"; }
dw=$(($(field "$O/act.1" WRITE 1) - $(field "$O/act.0" WRITE 1)))
db=$(($(field "$O/act.1" WRITE 3) - $(field "$O/act.0" WRITE 3)))
dt=$(($(field "$O/act.1" Twrite 1) - $(field "$O/act.0" Twrite 1)))
assert_eq "$db" 1048576 "WRITE bytes mountstats gained in the interval"
note "in the interval: $dw WRITE, $dt Twrite; report over $secs s:"
note "$(sed -n '/, over /,$p' "$O/act.sq" | grep -E '^(WRITE|Twrite|connection)')"
sed -n '/, over /,$p' "$O/act.sq" | awk -v s="$secs" -v dw="$dw" -v db="$db" -v dt="$dt" '
	function near(got, want) { return got >= want * 0.99 - 0.05 && got <= want * 1.01 + 0.05 }
	$1 == "WRITE" && !w {
		w = 1
		if (!near($2 * s, dw)) { print "WRITE ops/s " $2 " x " s " s is not " dw; bad = 1 }
		if (!near($3 * s, db / 1024)) { print "WRITE kB/s " $3 " x " s " s is not " db / 1024; bad = 1 }
		if ($4 != sprintf("%.3f", db / 1024 / dw)) { print "WRITE kB/op " $4; bad = 1 }
		if ($6 != 0) { print "WRITE errors " $6; bad = 1 }
	}
	$1 == "Twrite" {
		t = 1
		if (!near($2 * s, dt)) { print "Twrite count/s " $2 " x " s " s is not " dt; bad = 1 }
	}
	END {
		if (!w) print "no WRITE row"
		if (!t) print "no Twrite row"
		exit bad || !w || !t
	}' >"$O/act.bad" || {
	shown act.out
	fail "the interval's rates: $(cat "$O/act.bad")"
}

## what is not an rx9p mount
rc=0
rx9pstat -l /nonexistent >"$O/none.out" 2>"$O/none.err" || rc=$?
assert_eq "$rc" 1 "rx9pstat -l /nonexistent: exit status"
assert_eq "$(cat "$O/none.err")" "rx9pstat: /nonexistent: not a mount point" \
	"rx9pstat -l /nonexistent: message"
[ -s "$O/none.out" ] && fail "rx9pstat -l /nonexistent printed: $(cat "$O/none.out")"
rc=0
rx9pstat -l /proc >"$O/proc.out" 2>"$O/proc.err" || rc=$?
assert_eq "$rc" 1 "rx9pstat -l /proc: exit status"
assert_eq "$(cat "$O/proc.err")" "rx9pstat: /proc: not an rx9p mount (fstype proc)" \
	"rx9pstat -l /proc: message"
[ -s "$O/proc.out" ] && fail "rx9pstat -l /proc printed: $(cat "$O/proc.out")"
rc=0
rx9pstat -l 1 >"$O/usage.out" 2>"$O/usage.err" || rc=$?
assert_eq "$rc" 2 "rx9pstat -l 1 (a usage error): exit status"

no_cntrl list.out list.err all.out all.err ctl.out ctl.err iv.out iv.err \
	act.out act.err none.out none.err proc.out proc.err usage.out usage.err

umount "$CTL" || fail "umount $CTL_SHOWN"
rmdir "$CTL"
umount "$MNT" || fail "umount"
exit 0
