# SPDX-License-Identifier: GPL-2.0
# Helpers for the functional tests (busybox sh, inside the test VM).
# Source from a test:  . "$(dirname "$0")/lib.sh"
#
# A test is tests/functional/NNN-name.sh, run by run.sh once per target it
# applies to, with MNT (the mount point, already mounted unless the test
# says "# needs: nomount") and EXPORT, the server's copy of what MNT shows:
# for 9P targets the directory the server (diod or nfs-ganesha) exports,
# seen directly; for rxloop targets a second mount of the same in-memory
# server with cache=none.
# Also set: TARGET (v9fs, rx9p, rx9p-ipv6, rx9p-unix, v9fs-ganesha,
# rx9p-ganesha, rxloop-MODE), KIND (9p or rxloop), FSTYPE (9p, rx9p,
# rxloop), SRV (diod, ganesha or rxloop), SERVER (the mount source),
# TRANS, PORT, ANAME (9P), MODE (rxloop's complete=).
# Exit 0: pass; 77: skip; anything else: fail.  Whatever the test prints
# becomes TAP diagnostics.
#
# Header lines run.sh reads:
#   # targets: WORDS      where the test runs (default all; see run.sh)
#   # needs: nomount      do not mount before the test (it mounts itself)
#   # mount-opts: a=b,c   extra mount options (all targets but v9fs ones)
#   # v9fs-opts: a=b      v9fs's cache option (default cache=none)
#   # timeout: SECS       bound for this test (default RDBSS_TIMEOUT, 120)

: "${MNT:=/mnt/rx}" "${EXPORT:=/srv/export}" "${FSTYPE:=rx9p}"
: "${KIND:=9p}" "${TARGET:=$FSTYPE}" "${ANAME:=/srv/export}" "${TRANS:=tcp}"
SERVER=${SERVER:-127.0.0.1}
FUNC_DIR=${FUNC_DIR:-/tests/functional}
PORT=${PORT-564}
MSIZE=524288

# Results of sys and do_mount, read by the tests.
SYS_RESULT=
SYS_MS=0
export SYS_RESULT SYS_MS

# Kernel log lines that mean something went wrong (shared with run.sh).
SPLAT_RE='Oops|BUG:|WARNING:|cut here|Kernel panic|general protection fault|Unable to handle|KASAN:|KFENCE:|UBSAN:|kmemleak:.*(leak|unreferenced)|unreferenced object|possible circular locking|possible recursive locking|inconsistent lock state|lock held when returning|suspicious RCU usage|blocked for more than|soft lockup|hard LOCKUP|detected stall|list_add corruption|list_del corruption|refcount_t:|Call Trace:'

fail() {
	echo "FAIL: $*"
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

note() {
	echo "$*"
}

# assert CMD...: run CMD, fail if it fails.
assert() {
	"$@" || fail "command failed: $*"
}

# assert_eq ACTUAL EXPECTED [WHAT]
assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: got '$1', expected '$2'"
}

# assert_same FILE1 FILE2: byte-identical (small files are shown).
assert_same() {
	cmp "$1" "$2" >/dev/null 2>&1 || {
		note "$(cmp "$1" "$2" 2>&1)"
		note "sizes: $(stat -c '%s' "$1" 2>&1) vs $(stat -c '%s' "$2" 2>&1)"
		if [ "$(stat -c %s "$1" 2>/dev/null || echo 0)" -le 256 ] &&
		   [ "$(stat -c %s "$2" 2>/dev/null || echo 0)" -le 256 ]; then
			note "$1: $(od -An -c "$1" 2>&1 | tr -s ' \n' '  ')"
			note "$2: $(od -An -c "$2" 2>&1 | tr -s ' \n' '  ')"
		fi
		fail "$1 and $2 differ"
	}
}

# sys OP ARGS...: one system call through rxsys; sets SYS_RESULT (OK or an
# errno name) and SYS_MS (milliseconds it took).  Returns rxsys' status.
sys() {
	local out rc
	out=$(rxsys "$@")
	rc=$?
	SYS_RESULT=${out%% *}
	SYS_MS=${out##* }
	[ -n "$SYS_RESULT" ] || SYS_RESULT=EUNKNOWN
	return $rc
}

# expect_errno ERRNO OP ARGS...: the rxsys call must fail with ERRNO.
expect_errno() {
	local want=$1
	shift
	sys "$@"
	[ "$SYS_RESULT" = "$want" ] ||
		fail "$*: got $SYS_RESULT, expected $want"
}

# expect_ok OP ARGS...: the rxsys call must succeed.
expect_ok() {
	sys "$@" || fail "$*: $SYS_RESULT"
}

# mount_opts [EXTRA]: the standard mount options of the target.
mount_opts() {
	local o
	case $FSTYPE in
	rxloop) o="complete=${MODE:-inline}" ;;
	*)
		o="trans=$TRANS${PORT:+,port=$PORT},aname=$ANAME,uname=root,msize=$MSIZE"
		[ "$FSTYPE" = 9p ] && o="$o,version=9p2000.L" ;;
	esac
	echo "$o${1:+,$1}"
}

# do_mount [EXTRA-OPTS [SOURCE [TARGET]]]: mount the export (rxloop: the
# server), bounded in time; sets SYS_RESULT/SYS_MS like sys.
do_mount() {
	local out rc
	out=$(timeout -k 5 120 rxsys mount "${2:-$SERVER}" "${3:-$MNT}" "$FSTYPE" "$(mount_opts "$1")")
	rc=$?
	SYS_RESULT=${out%% *}
	SYS_MS=${out##* }
	[ -n "$SYS_RESULT" ] || SYS_RESULT="TIMEOUT(rc=$rc)"
	return $rc
}

is_mounted() {
	grep -q " ${1:-$MNT} " /proc/mounts
}

assert_not_mounted() {
	if is_mounted "${1:-$MNT}"; then
		note "$(grep " ${1:-$MNT} " /proc/mounts)"
		umount -l "${1:-$MNT}" 2>/dev/null
		fail "${1:-$MNT} is mounted"
	fi
}

# Kernel log since a mark.
kmsg_mark() {
	KMSG_MARK=$(dmesg | wc -l)
}

kmsg_since() {
	dmesg | tail -n +$((KMSG_MARK + 1)) | grep .
}

# expect_kmsg [PATTERN]: since the mark, the kernel logged at least one and
# at most three lines (for a failed mount: one clear line, no spam), and
# one matches PATTERN (an extended regex) if given.  Shows the lines.
expect_kmsg() {
	local lines n
	lines=$(kmsg_since)
	n=$(printf '%s\n' "$lines" | grep -c .)
	printf '%s\n' "$lines" | sed -n '/./s/^/kernel: /p'
	[ "$n" -ge 1 ] || fail "no kernel message"
	[ "$n" -le 3 ] || fail "$n kernel messages for one error"
	if [ -n "$1" ]; then
		printf '%s\n' "$lines" | grep -Eq "$1" ||
			fail "no kernel message matching /$1/"
	fi
}

# wait_listen PORT: until something listens on TCP PORT (5 s at most).
wait_listen() {
	local i=0
	until netstat -ltn 2>/dev/null | grep -q ":$1 "; do
		i=$((i + 1))
		[ $i -gt 50 ] && fail "nothing listens on port $1"
		sleep 0.1
	done
}

# Background helpers (fake servers) are killed when the test exits.
BG_PIDS=
bg_cleanup() {
	local p
	for p in $BG_PIDS; do
		kill "$p" 2>/dev/null
	done
	BG_PIDS=
}
trap bg_cleanup EXIT

# Little-endian integers as raw bytes, for canned 9P messages.
# shellcheck disable=SC2059 # the format is the escape for one byte
u8() { printf "\\$(printf %03o "$1")"; }
le16() { u8 $(($1 & 255)); u8 $(($1 >> 8 & 255)); }
le32() { le16 $(($1 & 65535)); le16 $(($1 >> 16 & 65535)); }

# rversion VERSION [MSIZE [TAG]]: the bytes of an Rversion (type 101).
rversion() {
	local v=$1 msize=${2:-8192} tag=${3:-65535}
	le32 $((4 + 1 + 2 + 4 + 2 + ${#v}))
	u8 101
	le16 "$tag"
	le32 "$msize"
	le16 ${#v}
	printf '%s' "$v"
}

# fake_server PORT MODE [REPLYFILE [HOLD]]: accept one connection on PORT
# and play a fake 9P server (fake9p.sh): MODE reply (answer the first
# message with the bytes of REPLYFILE), silent (never answer) or hangup
# (close at once); the connection stays open HOLD seconds (default 30).
# What the client sent is in /tmp/fake9p.PORT.
fake_server() {
	rm -f "/tmp/fake9p.$1"
	nc -l -p "$1" -e "$FUNC_DIR/fake9p.sh" "$2" "${3:--}" "/tmp/fake9p.$1" "${4:-30}" \
		</dev/null >/dev/null 2>&1 &
	BG_PIDS="$BG_PIDS $!"
	wait_listen "$1"
}

# hexbytes FILE: the bytes of FILE as space-separated hex.
hexbytes() {
	od -An -tx1 -v "$1" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'
}

# mod_refcnt MODULE: its reference count from /proc/modules (- if absent).
mod_refcnt() {
	awk -v m="$1" '$1 == m { print $3; f = 1 } END { if (!f) print "-" }' /proc/modules
}

is_loaded() {
	grep -q "^$1 " /proc/modules
}

# splat_count: kernel log lines matching SPLAT_RE so far.
splat_count() {
	dmesg | grep -Ec "$SPLAT_RE"
}

# is_9p, is_rxloop: the kind of target.
is_9p() { [ "$KIND" = 9p ]; }
is_rxloop() { [ "$KIND" = rxloop ]; }

# io STEP...: rxio run STEP... (see tests/vm/rxio.c), failing the test
# with the steps' output if one gives an unexpected result.
io() {
	rxio run "$@" || fail "rxio run $*"
}

# pattern OFF LEN SEED: the pattern bytes rxio writes, on stdout.
pattern() {
	rxio pattern "$@"
}

# drop_caches: write back, then drop the clean page cache, dentries and
# inodes, so the next reads go to the server.
drop_caches() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

# assert_server FILE REF: the server's copy of FILE (relative to MNT) has
# REF's bytes.
assert_server() {
	assert_same "$EXPORT/$1" "$2"
}

# mount_again DIR [EXTRA-OPTS]: a second mount of the same export or
# server on DIR (created).
mount_again() {
	mkdir -p "$1"
	do_mount "$2" "$SERVER" "$1" || fail "second mount on $1: $SYS_RESULT"
}

# wait_for FILE [SECS]: until FILE exists (10 s by default).
wait_for() {
	local i=0 max=$((${2:-10} * 20))
	while [ ! -e "$1" ]; do
		i=$((i + 1))
		[ $i -gt $max ] && fail "$1 did not appear within ${2:-10}s"
		sleep 0.05
	done
}
