#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh KERNEL PAYLOAD: boot one test VM and collect its results.
# PAYLOAD is one of tests/vm/payloads/*.sh: vmtest (the functional tests,
# TAP), debug (KUnit, functional tests, kmemleak: make vmtest-debug),
# demo, selftest (the harness itself, against the distribution's
# v9fs, no modules of ours), or "shell" for an interactive VM.
#
# Builds the modules (scripts/kmake.sh KERNEL; not for the selftest
# payload), the initramfs (tests/vm/mkinitramfs.sh), boots the kernel under
# QEMU (TCG) with a hard time bound, and leaves in out/vm/:
#   KERNEL-PAYLOAD.log     the whole console
#   KERNEL-PAYLOAD.out     what the payload printed (TAP for vmtest)
#   KERNEL-PAYLOAD.dmesg   the kernel log, dumped at the end of the run
#   KERNEL-PAYLOAD.result  "PASSED FAILED SECONDS" for the aggregators
# Prints the payload's output, then TAP-style lines of its own for "the VM
# completed" and "the kernel log is clean" (no oops, BUG, WARNING, lockdep,
# KASAN/KFENCE/kmemleak report, hung task, panic), and a summary line.
# Exits non-zero if anything failed.  Only one VM runs at a time: every run
# takes ~/.cache/rdbss/vm/qemu.lock (other VM users should take it too;
# RDBSS_VM_LOCK names another file, e.g. the host's from a chroot).
#
# Environment:
#   VM_TIMEOUT=SECS   host-side bound on the QEMU run (default 1200)
#   VM_MEM, VM_SMP    guest size (2G, 2)
#   TESTS=A,B         run only the functional tests with these prefixes
#   TARGETS=A,B       only these functional test targets or groups (rx9p,
#                     v9fs, rxloop, rxloop-softirq, core, ...; see
#                     tests/functional/run.sh)
#   VM_APPEND="..."   more kernel command-line words (e.g. rdbss.verbose=1)
#   VM_EXTRA="F ..."  more host files for the initramfs (see mkinitramfs.sh)
#   VM_NOBUILD=1      do not rebuild the modules
#   VM_NAME=NAME      out/vm/KERNEL-NAME.* (default KERNEL-PAYLOAD.*)
#   VM_QUIET=1        do not print the payload's output
#   VERBOSE=1         also stream the console while the VM runs
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

kname=${1:?usage: run.sh KERNEL PAYLOAD}
payload=${2:-vmtest}
vm_timeout=${VM_TIMEOUT:-1200}
outdir=$RDBSS_TOP/out/vm
base=$outdir/$kname-${VM_NAME:-$payload}
mkdir -p "$outdir" "$RDBSS_CACHE/vm"

need_pkgs qemu-system-x86
load_kenv "$kname"

# build_fail WHAT: report a build problem as a failed run.
build_fail() {
	echo "not ok - $1 (log: $base.build)"
	echo "vm $kname $payload: 0 passed, 1 failed ($1)"
	echo "0 1 0" >"$base.result"
	exit 1
}

# The modules are copied out of build/KERNEL right after the build: other
# scripts (make check) rebuild that directory at any time.
modsnap=$(mktemp -d "${TMPDIR:-/tmp}/rdbss-vm-mods.XXXXXX")
res=
trap 'rm -rf "$modsnap" "$res" "$res.txt"' EXIT
if [ "$payload" != selftest ] && [ "$payload" != shell ]; then
	ok=0
	for try in 1 2 3; do
		if [ -z "${VM_NOBUILD:-}" ]; then
			log "building the modules for $kname ($KREL)"
			if ! "$RDBSS_TOP/scripts/kmake.sh" "$kname" >"$base.build" 2>&1; then
				tail -n 30 "$base.build" >&2
				build_fail "build modules for $kname"
			fi
		fi
		rm -f "$modsnap"/*.ko
		find "$RDBSS_TOP/build/$kname" -name '*.ko' -exec cp {} "$modsnap/" \; 2>/dev/null
		ok=1
		for m in rdbss mrx9p; do
			[ "$(modinfo -F vermagic "$modsnap/$m.ko" 2>/dev/null | cut -d' ' -f1)" = "$KREL" ] || ok=0
		done
		[ "$ok" = 1 ] && break
		[ -n "${VM_NOBUILD:-}" ] && build_fail "no modules for $KREL in build/$kname"
		log "build/$kname changed under us (a concurrent build?); building again"
		sleep $((try * 5))
	done
	[ "$ok" = 1 ] || build_fail "modules for $kname keep changing under us"
fi

initrd=$modsnap/initrd.cpio.gz
vm_extra=${VM_EXTRA:-}
if [ "$payload" = vmtest ] || [ "$payload" = debug ]; then
	# data verification and load tools of the functional suite
	need_pkgs fio stress-ng dbench
	vm_extra="$vm_extra /usr/bin/fio /usr/bin/stress-ng /usr/bin/dbench /usr/share/dbench/client.txt"
fi
# shellcheck disable=SC2086 # a list of files
RDBSS_MODULES_DIR=$modsnap "$RDBSS_TOP/tests/vm/mkinitramfs.sh" "$kname" "$initrd" $vm_extra

append="console=ttyS0 panic=-1 quiet rdbss.payload=$payload"
append+=" rdbss.watchdog=$((vm_timeout > 120 ? vm_timeout - 60 : vm_timeout * 3 / 4))"
[ -n "${TESTS:-}" ] && append+=" rdbss.tests=$TESTS"
[ -n "${TARGETS:-}" ] && append+=" rdbss.targets=$TARGETS"
[ -n "${VM_APPEND:-}" ] && append+=" $VM_APPEND"

# shellcheck disable=SC2054 # commas inside QEMU options
qemu=(qemu-system-x86_64 -accel tcg,thread=single -m "${VM_MEM:-2G}"
	-smp "${VM_SMP:-2}" -nographic -no-reboot -kernel "$VMLINUZ"
	-initrd "$initrd" -append "$append")

# One VM at a time on this machine: every harness takes this lock.
exec 8>"${RDBSS_VM_LOCK:-$RDBSS_CACHE/vm/qemu.lock}"
if ! flock -n 8; then
	log "waiting for another VM to finish"
	flock 8
fi

if [ "$payload" = shell ]; then
	"${qemu[@]}"
	exit
fi

res=$(mktemp "${TMPDIR:-/tmp}/rdbss-vm-res.XXXXXX")
qemu+=(-serial mon:stdio -serial "file:$res")

log "booting $kname ($KREL), payload $payload, bound ${vm_timeout}s"
t0=$(date +%s.%N)
set +e
if [ -n "${VERBOSE:-}" ]; then
	timeout -k 10 "$vm_timeout" "${qemu[@]}" </dev/null 2>&1 | tee "$base.log" >&2
	qrc=${PIPESTATUS[0]}
else
	timeout -k 10 "$vm_timeout" "${qemu[@]}" </dev/null >"$base.log" 2>&1
	qrc=$?
fi
set -e
t1=$(date +%s.%N)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
sed -i 's/\r$//' "$base.log"
tr -d '\r' <"$res" >"$res.txt"

# The payload's output and the kernel log, from the clean channel (or the
# console if the VM had no second serial port).
src=$res.txt
grep -q '^==== rdbss: payload .* begin' "$src" || src=$base.log
awk '/^==== rdbss: payload .* begin/ { on = 1; next }
     /^==== rdbss: (payload end|dmesg begin)/ { on = 0 }
     on' "$src" >"$base.out"
sed -n '/^==== rdbss: dmesg begin/,/^==== rdbss: dmesg end/p' "$src" |
	sed '1d;$d' >"$base.dmesg"

[ -n "${VM_QUIET:-}" ] || cat "$base.out"

# Our own verdicts.  "not ok ... # TODO" (a failure of the reference
# client, v9fs) fails nothing: TAP counts it with the passes.
pass=$(grep -cE '^ok [0-9]+|^not ok [0-9]+.* # TODO' "$base.out" || true)
fail=$(grep -E '^not ok [0-9]+' "$base.out" | grep -cv ' # TODO' || true)
n=$((pass + fail))
verdict() {
	n=$((n + 1))
	if [ "$1" = ok ]; then
		pass=$((pass + 1))
		echo "ok $n - $2"
	else
		fail=$((fail + 1))
		echo "not ok $n - $2"
	fi
}

prc=$(sed -n 's/^==== rdbss: payload end rc=\([0-9]*\).*/\1/p' "$src" | tail -n 1)
# A plan that promises more results than were printed means tests went
# missing (a crash in the middle of the run).
plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$base.out" | tail -n 1)
if [ -z "$prc" ]; then
	if grep -q '^Bail out! rdbss VM watchdog' "$src"; then
		verdict "not ok" "VM completed (the payload hung: the VM watchdog fired)"
	elif [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		verdict "not ok" "VM completed (killed after ${vm_timeout}s)"
	else
		verdict "not ok" "VM completed (QEMU exit $qrc; crashed or panicked, see $base.log)"
	fi
elif [ -n "$plan" ] && [ "$plan" != "$n" ]; then
	verdict "not ok" "VM completed ($n results for a plan of $plan)"
elif [ "$prc" != 0 ] && [ $n = 0 ]; then
	verdict "not ok" "VM completed (payload exit status $prc)"
else
	verdict ok "VM completed"
fi

# Kernel splats: in the dumped kernel log, or the console if there is none.
klog=$base.dmesg
[ -s "$klog" ] || klog=$base.log
splat_re=$(sed -n "s/^SPLAT_RE='\(.*\)'$/\1/p" "$RDBSS_TOP/tests/functional/lib.sh")
# (a kmemleak kernel's boot banner names a "memory leak detector")
splats=$(grep -E "$splat_re" "$klog" | grep -v '^# ' |
	grep -v 'kmemleak: Kernel memory leak detector initialized' || true)
if [ -n "$splats" ]; then
	verdict "not ok" "kernel log clean"
	printf '%s\n' "$splats" | head -n 20 | sed 's/^/# /'
else
	verdict ok "kernel log clean"
fi

boot=$(sed -n 's/^==== rdbss: payload .* begin .*uptime \([0-9.]*\)).*/\1/p' "$src" | head -n 1)
echo "$pass $fail $secs" >"$base.result"
echo "vm $kname $payload: $pass passed, $fail failed (${secs}s, boot ${boot:-?}s; log $base.log)"
[ "$fail" = 0 ] && [ "${prc:-1}" = 0 ]
