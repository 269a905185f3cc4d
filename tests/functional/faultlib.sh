# SPDX-License-Identifier: GPL-2.0
# faultlib.sh: fault-injection cases through tests/proxy/p9proxy (busybox
# sh, inside the test VM).  Source after lib.sh from a
# tests/functional/07x-fault-*.sh test, define one function case_NAME per
# case, and end with
#   fault_main "$@" NAME...
#
# Every case starts from nothing: a fresh proxy on PROXY_PORT in front of
# diod (127.0.0.1:564) with no fault armed, nothing mounted, an empty
# export.  The case mounts through the proxy (fmount), arms faults
# (proxy_fault), drives the kernel and asserts; it runs as a child
# "sh TEST --case NAME" bounded by CASE_TIMEOUT seconds.  Afterwards the
# parent checks what every case must leave behind:
#   - the child ended in time (a hang fails the case) and passed;
#   - no kernel splat (SPLAT_RE) since the case began;
#   - the mount goes away: umount, or umount -f / -l if the connection is
#     dead (noted);
#   - the proxy is still running (otherwise the tool broke, not the
#     client).
# Each case is recorded in FAULTS_FILE ("TARGET TEST/CASE begin", then
# "... clean" if it passed all of this, "... skipped" if the case found
# nothing to test on this kernel: skip in a case); run.sh prints the
# "faults KERNEL: N cases, N clean[, N skipped]" line from it.  The test fails if any
# case is not clean, unless tests/functional/known-failures names the case
# as TARGET/TEST/CASE (an open defect: reported with its cause, still not
# clean).
#
# Helpers for cases:
#   fmount [OPTS]        mount through the proxy (fails the case if not)
#   proxy_fault SPEC     arm SPEC (see p9proxy's usage) and wait until the
#                        proxy has read it
#   expect_fired         the armed fault fired at least once
#   expect_flushed       a Tflush came for the tag the last fault fired on
#   within SECS CMD...   CMD bounded: W_RC, W_OUT, W_MS; a timeout fails
#   io_try STEP...       rxio run STEP... within IO_SECS: IO_ERR is the
#                        first non-OK step result (OK if none); wrong data
#                        (rxio MISMATCH) fails the case
#   sys_try OP ARGS...   rxsys OP within IO_SECS: SYS_RESULT
#   expect_outcome WHAT RESULT [ALLOWED...]   RESULT is OK or one of the
#                        errnos allowed (default: EIO EPROTO ECONNRESET
#                        ECONNABORTED); anything else fails
#   mkfile NAME SIZE SEED   write the pattern through the mount, fsync, and
#                        check the server's copy; /tmp/ref.NAME keeps it
#   intact NAME          the server's copy of NAME is still /tmp/ref.NAME
#   usable [SECS]        within SECS (30) a new file can be created through
#                        the mount, read back and seen on the server
#   bg_run CMD...        CMD in the background (killed after the case)
#   kill_wait PID WHAT   SIGKILL ends PID within 5 s (else its stack shows
#                        and it returns 1)
#   kill_lost PID WHAT   PID waits for a swallowed reply: kill_wait, then
#                        expect_flushed

PROXY_PORT=${PROXY_PORT:-5700}
PROXY_DIR=${PROXY_DIR:-/tmp/p9proxy}
PROXY_LOG=$PROXY_DIR/log
# read by run.sh (RES=/tmp/results there) for the "faults" summary line
FAULTS_FILE=${FAULTS_FILE:-/tmp/results/faults}
CASE_TIMEOUT=${CASE_TIMEOUT:-90}
IO_SECS=${IO_SECS:-60}
# shellcheck disable=SC2034 # lib.sh's mount helpers read PORT
PORT=$PROXY_PORT
export PROXY_PORT PROXY_DIR FAULTS_FILE CASE_TIMEOUT IO_SECS

now_ms() {
	awk '{ printf "%d", $1 * 1000 }' /proc/uptime
}

fmount() {
	do_mount "timeout=10${1:+,$1}" ||
		fail "mount through the proxy: $SYS_RESULT (${SYS_MS}ms)"
}

armed_count() {
	local n
	n=$(grep -c '^\[[0-9.]*\] armed ' "$PROXY_LOG" 2>/dev/null)
	echo "${n:-0}"
}

# proxy_fault SPEC: arm SPEC; "none" disarms.
proxy_fault() {
	local n i=0
	n=$(armed_count)
	# before: reopen fires while it is being armed
	FIRED_MARK=$(grep -c ' fired ' "$PROXY_LOG")
	printf '%s\n' "$1" >"$PROXY_DIR/ctl.tmp"
	mv "$PROXY_DIR/ctl.tmp" "$PROXY_DIR/ctl"
	until [ "$(armed_count)" -gt "$n" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && fail "the proxy did not take '$1' within 5s"
		sleep 0.05
	done
	grep -q "bad fault '" "$PROXY_LOG" && fail "the proxy refused '$1': $(grep "bad fault" "$PROXY_LOG")"
	FAULT_SPEC=$1
}

# fired: how many times the armed fault fired.
fired() {
	echo $(($(grep -c ' fired ' "$PROXY_LOG") - FIRED_MARK))
}

expect_fired() {
	[ "$(fired)" -gt 0 ] || fail "the fault '$FAULT_SPEC' never fired (the operation did not reach the server?)"
	note "proxy: $(grep ' fired ' "$PROXY_LOG" | tail -n 1 | cut -d' ' -f2-)"
}

# expect_flushed: the client sent Tflush for the request whose reply the
# last fired fault held back or swallowed (within 2 s).
expect_flushed() {
	local tag i=0
	tag=$(grep ' fired ' "$PROXY_LOG" | tail -n 1 | sed -n 's/.* tag \([0-9]*\) (session.*/\1/p')
	[ -n "$tag" ] || fail "no fired fault names a tag"
	until grep -q " Tflush tag [0-9]* oldtag $tag\$" "$PROXY_LOG"; do
		i=$((i + 1))
		[ $i -gt 40 ] && fail "no Tflush for tag $tag, the request given up"
		sleep 0.05
	done
	note "Tflush for tag $tag"
}

within() {
	local secs=$1 t0
	shift
	t0=$(now_ms)
	W_OUT=$(timeout -k 3 "$secs" "$@" 2>&1)
	W_RC=$?
	# shellcheck disable=SC2034 # for the cases
	W_MS=$(($(now_ms) - t0))
	case $W_RC in
	124|137|143) fail "hang: '$*' did not end within ${secs}s${W_OUT:+: $W_OUT}" ;;
	esac
}

io_try() {
	within "$IO_SECS" rxio run "$@"
	printf '%s\n' "$W_OUT" | sed 's/^/  | /'
	printf '%s\n' "$W_OUT" | grep -q -- '-> MISMATCH' &&
		fail "rxio run $*: wrong data or result, not an error"
	IO_ERR=$(printf '%s\n' "$W_OUT" |
		sed -n 's/.* -> \([A-Z][A-Z0-9_]*\) ([0-9]*ms)$/\1/p' |
		grep -v '^OK$' | head -n 1)
	: "${IO_ERR:=OK}"
}

sys_try() {
	within "$IO_SECS" rxsys "$@"
	SYS_RESULT=${W_OUT%% *}
	[ -n "$SYS_RESULT" ] || SYS_RESULT=EUNKNOWN
	note "  | rxsys $*: $W_OUT"
}

expect_outcome() {
	local what=$1 got=$2 a
	shift 2
	[ $# -gt 0 ] || set -- EIO EPROTO ECONNRESET ECONNABORTED
	[ "$got" = OK ] && return 0
	for a in "$@"; do
		[ "$got" = "$a" ] && return 0
	done
	fail "$what: $got, expected success or one of: $*"
}

mkfile() {
	pattern 0 "$2" "$3" >"/tmp/ref.$1"
	io open="$MNT/$1:wronly,creat,trunc" pw=0:"$2":"$3" fsync close
	assert_same "$EXPORT/$1" "/tmp/ref.$1"
}

intact() {
	assert_same "$EXPORT/$1" "/tmp/ref.$1"
}

usable() {
	local secs=${1:-30} t0 i=0 f
	t0=$(now_ms)
	while :; do
		i=$((i + 1))
		f=usable.$i
		if timeout -k 2 10 sh -c "echo probe-$i >'$MNT/$f' && [ \"\$(cat '$MNT/$f')\" = probe-$i ]" \
			>/dev/null 2>&1 &&
		   [ "$(cat "$EXPORT/$f" 2>/dev/null)" = "probe-$i" ]; then
			note "usable: a new file after $(($(now_ms) - t0))ms"
			rm -f "$MNT/$f"
			return 0
		fi
		[ $(($(now_ms) - t0)) -gt $((secs * 1000)) ] &&
			fail "the mount is not usable ${secs}s after the fault"
		sleep 0.5
	done
}

# In a process group of its own, so that what it starts goes with it.
bg_run() {
	setsid "$@" &
	BG_LAST=$!
	echo "$BG_LAST" >>"$PROXY_DIR/bgpids"
}

# group_alive PGID: a process of that group still runs (zombies do not).
group_alive() {
	cat /proc/[0-9]*/stat 2>/dev/null | sed 's/.*) //' |
		awk -v g="$1" '$3 == g && $1 != "Z" { f = 1 } END { exit !f }'
}

# alive PID: PID runs (is not a zombie).
alive() {
	[ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1)" != Z ]
}

# still_running PID SECS: PID is still running after SECS seconds.
still_running() {
	sleep "$2"
	alive "$1"
}

# kill_wait PID WHAT: SIGKILL ends PID within 5 s; if not, its state and
# kernel stack are shown and it returns 1.
kill_wait() {
	local t0 i=0
	t0=$(now_ms)
	kill -9 "$1" 2>/dev/null
	while alive "$1"; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			note "$2 (pid $1) is alive 5s after SIGKILL: state $(sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1), wchan $(cat "/proc/$1/wchan" 2>/dev/null)"
			sed 's/^/    /' "/proc/$1/stack" 2>/dev/null
			return 1
		fi
		sleep 0.05
	done
	note "$2 died $(($(now_ms) - t0))ms after SIGKILL"
}

# kill_lost PID WHAT: PID waits for a reply the proxy swallowed: SIGKILL
# ends it within 5 s and its request is flushed (if it waited at all).
kill_lost() {
	if still_running "$1" 3; then
		kill_wait "$1" "$2" || fail "$2 does not die of SIGKILL"
		expect_flushed
	else
		note "$2: it did not wait for the lost reply"
	fi
}

# stat_case SPEC: a case that stats a file whose attributes must come
# from the server, with SPEC armed: success or a clear errno, and the mount
# stays usable with the file intact.
stat_case() {
	fmount cache=none
	mkfile a 4k 1
	proxy_fault "$1"
	sys_try stat "$MNT/a"
	expect_outcome "stat ($1)" "$SYS_RESULT"
	expect_fired
	usable
	intact a
}

# bg_kill: SIGKILL what bg_run started; wait (10 s) until it is gone.
# Returns 1 if something would not die (stuck in the kernel).
bg_kill() {
	local p i=0 left
	[ -f "$PROXY_DIR/bgpids" ] || return 0
	for p in $(cat "$PROXY_DIR/bgpids"); do
		kill -9 "-$p" 2>/dev/null
	done
	while :; do
		left=
		for p in $(cat "$PROXY_DIR/bgpids"); do
			group_alive "$p" && left="$left $p"
		done
		[ -z "$left" ] && break
		i=$((i + 1))
		if [ $i -gt 200 ]; then
			echo "  processes that would not die of SIGKILL in 10s:$left" >>"$CASE_OUT"
			for p in $left; do
				echo "  $p: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) $(sed 's/.*) //' "/proc/$p/stat" | cut -d' ' -f1)" >>"$CASE_OUT"
				sed 's/^/    /' "/proc/$p/stack" >>"$CASE_OUT" 2>/dev/null
			done
			return 1
		fi
		sleep 0.05
	done
	rm -f "$PROXY_DIR/bgpids"
}

# ---- the parent: one case ----

proxy_start() {
	local i=0
	rm -rf "$PROXY_DIR"
	mkdir -p "$PROXY_DIR"
	: >"$PROXY_DIR/ctl"
	p9proxy -l "$PROXY_PORT" -s "${PROXY_SERVER:-127.0.0.1:564}" -c "$PROXY_DIR/ctl" -L "$PROXY_LOG" \
		${PROXY_CAPTURE:+-w "$PROXY_DIR/capture"} &
	PROXY_PID=$!
	BG_PIDS="$BG_PIDS $PROXY_PID"
	until grep -q ' listening on ' "$PROXY_LOG" 2>/dev/null; do
		i=$((i + 1))
		if ! kill -0 "$PROXY_PID" 2>/dev/null || [ $i -ge 100 ]; then
			fail "p9proxy did not start: $(cat "$PROXY_LOG" 2>/dev/null)"
		fi
		sleep 0.05
	done
}

proxy_stop() {
	kill "$PROXY_PID" 2>/dev/null
	wait "$PROXY_PID" 2>/dev/null
}

# mnt_users_kill: SIGKILL processes with a file or cwd under MNT (the
# VM's busybox has no fuser).
mnt_users_kill() {
	local d l
	for d in /proc/[0-9]*; do
		[ "${d#/proc/}" = $$ ] && continue
		for l in "$d/cwd" "$d"/fd/*; do
			case $(readlink "$l" 2>/dev/null) in
			"$MNT" | "$MNT"/*) kill -9 "${d#/proc/}" 2>/dev/null; break ;;
			esac
		done
	done
}

# fault_unmount: take MNT away; prints how ("" if it was not mounted).
# Processes the case left using it (a reader a timeout gave up on) go
# first.
fault_unmount() {
	is_mounted || return 0
	mnt_users_kill
	sleep 0.2
	if timeout -k 5 30 umount "$MNT" 2>/dev/null; then
		echo umount
	elif timeout -k 5 30 umount -f "$MNT" 2>/dev/null; then
		echo "umount -f"
	elif umount -l "$MNT" 2>/dev/null; then
		echo "umount -l"
	else
		echo "no way"
	fi
}

fault_case() {
	local name=$1 t0 rc why='' how splats known skipped=''
	t0=$(now_ms)
	rm -rf "${EXPORT:?}"/* "$EXPORT"/.[!.]* 2>/dev/null
	proxy_start
	kmsg_mark
	splats=$(splat_count)
	echo "$TARGET $TEST/$name begin" >>"$FAULTS_FILE"
	CASE_OUT=/tmp/fault.$name.out
	timeout -k 5 "$CASE_TIMEOUT" sh "$0" --case "$name" >"$CASE_OUT" 2>&1
	rc=$?
	case $rc in
	0) ;;
	77) skipped=$(sed -n 's/^SKIP: //p' "$CASE_OUT" | head -n 1) ;;
	124|137|143) why="hang: not done within ${CASE_TIMEOUT}s" ;;
	*) why="failed" ;;
	esac
	bg_kill || why="${why:+$why; }unkillable process"
	kill -0 "$PROXY_PID" 2>/dev/null || why="${why:+$why; }p9proxy died"
	how=$(fault_unmount)
	case $how in
	"no way") why="${why:+$why; }cannot unmount" ;;
	umount|'') ;;
	*) echo "  (needed $how)" >>"/tmp/fault.$name.out" ;;
	esac
	proxy_stop
	if [ "$(splat_count)" -gt "$splats" ]; then
		why="${why:+$why; }kernel splat"
	fi
	t0=$(echo "$t0 $(now_ms)" | awk '{ printf "%.1f", ($2 - $1) / 1000 }')
	if [ -z "$why" ] && [ -n "$skipped" ]; then
		# not run here (nothing to count as clean or not)
		echo "$TARGET $TEST/$name skipped" >>"$FAULTS_FILE"
		echo "case $name: skipped (${t0}s): $skipped"
	elif [ -z "$why" ]; then
		echo "$TARGET $TEST/$name clean" >>"$FAULTS_FILE"
		known=$(known_case "$TARGET/$TEST/$name") &&
			known=" (listed in known-failures, but clean: remove the line)"
		echo "case $name: clean (${t0}s)$known"
		sed 's/^/  /' "/tmp/fault.$name.out"
	else
		if known=$(known_case "$TARGET/$TEST/$name"); then
			why="$why (known defect: $known)"
		else
			FAULT_FAILS="$FAULT_FAILS $name"
		fi
		echo "case $name: NOT CLEAN (${t0}s): $why"
		sed 's/^/  /' "/tmp/fault.$name.out"
		echo "  proxy log:"
		grep -v ' session [0-9]*: open$' "$PROXY_LOG" | tail -n 15 | sed 's/^/    /'
	fi
	kmsg_since | tail -n 15 | sed 's/^/  kernel: /'
	rm -f "/tmp/fault.$name.out"
}

# known_case ID: the cause known-failures gives for ID (TARGET/TEST/CASE).
known_case() {
	local glob reason
	[ -f "$(dirname "$0")/known-failures" ] || return 1
	while read -r glob reason; do
		case $glob in '' | '#'*) continue ;; esac
		# shellcheck disable=SC2254 # a glob
		case $1 in $glob) echo "$reason"; return 0 ;; esac
	done <"$(dirname "$0")/known-failures"
	return 1
}

# fault_main "$@" NAME...: run the cases (or, as the child, one of them).
fault_main() {
	local name
	TEST=$(basename "$0" .sh)
	if [ "$1" = --case ]; then
		cd /tmp || exit 1
		trap 'bg_kill; bg_cleanup' EXIT
		CASE_OUT=/dev/stdout
		"case_$2"
		exit 0
	fi
	FAULT_FAILS=
	for name in "$@"; do
		fault_case "$name"
	done
	[ -z "$FAULT_FAILS" ] || fail "cases not clean:$FAULT_FAILS"
}
