#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kunit.sh (make kunit): run the KUnit suites under UML (User Mode Linux)
# with the Debian 6.1 kernel source (package linux-source-6.1).
#
# The source is extracted once to ~/.cache/rdbss/uml/ and the project is
# put into it as fs/rdbss-ext/ (hooked into fs/Makefile and fs/Kconfig);
# tools/testing/kunit/kunit.py then configures, builds and boots it with
# tests/kunit/.kunitconfig.  The build directory ~/.cache/rdbss/uml/build is
# kept, so a second run only recompiles what changed.  Only files whose
# content changed are copied into the tree, so make sees exactly those as new.
#
# Fails if a test fails, if no test ran, or if the kernel reported a bug
# (KASAN, lockdep, list or object debugging) during the run.  Appends
# "kunit P F" (test cases) to $RDBSS_RESULTS when set.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

uml=$RDBSS_CACHE/uml
src=$uml/linux-source-6.1
bdir=$uml/build
tarball=/usr/src/linux-source-6.1.tar.xz
kunitconfig=$RDBSS_TOP/tests/kunit/.kunitconfig
outdir=$RDBSS_TOP/out/kunit
mkdir -p "$uml" "$outdir"

result() {
	[ -n "${RDBSS_RESULTS:-}" ] && echo "kunit $1 $2" >>"$RDBSS_RESULTS"
	return 0
}
fail() {
	echo "kunit: FAILED: $*"
	result 0 1
	exit 1
}

need_pkgs linux-source-6.1 gcc make flex bison bc python3 perl rsync \
	xz-utils libc6-dev

# One run at a time: the tree and build directory are shared.
exec 8>"$uml/.lock"
flock 8

# Extract the source once per linux-source-6.1 version; a new version starts
# from an empty build directory.
ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
if [ "$(cat "$src/.rdbss-version" 2>/dev/null)" != "$ver" ]; then
	log "extracting linux-source-6.1 $ver to $src (once)"
	rm -rf "$uml/extract" "$src" "$bdir"
	mkdir -p "$uml/extract"
	tar -xJf "$tarball" -C "$uml/extract" || fail "cannot extract $tarball"
	mv "$uml/extract/linux-source-6.1" "$src"
	rmdir "$uml/extract"
	echo "$ver" >"$src/.rdbss-version"
fi

# Hook fs/rdbss-ext/ into the kernel's fs/ once.
grep -q 'rdbss-ext/' "$src/fs/Makefile" ||
	echo 'obj-$(CONFIG_RDBSS)		+= rdbss-ext/' >>"$src/fs/Makefile"
grep -q 'fs/rdbss-ext/Kconfig' "$src/fs/Kconfig" ||
	echo 'source "fs/rdbss-ext/Kconfig"' >>"$src/fs/Kconfig"

# The project tree, without build products (make would find stale objects
# through VPATH) or anything else that is not source.  --checksum without
# --times: unchanged files keep their old mtime, changed ones get a new one.
rsync -rl --checksum --delete \
	--exclude=/build --exclude=/out --exclude=/.git --exclude=/.ci \
	--exclude='*.o' --exclude='*.ko' --exclude='*.a' --exclude='.*.cmd' \
	--exclude='*.mod' --exclude='*.mod.c' --exclude='*.o.d' \
	--exclude='modules.order' --exclude='Module.symvers' --exclude='.tmp*' \
	"$RDBSS_TOP/" "$src/fs/rdbss-ext/" || fail "cannot copy the tree into $src"

log "kunit: configure, build (cached in $bdir) and run under UML"
t0=$(date +%s)
rm -f "$outdir/results.json" "$outdir/test.log" "$bdir/test.log"
(cd "$src" && python3 tools/testing/kunit/kunit.py run --arch=um \
	--kunitconfig="$kunitconfig" --build_dir="$bdir" --jobs="$(nproc)" \
	--timeout="${KUNIT_TIMEOUT:-300}" --json="$outdir/results.json") 2>&1 |
	tee "$outdir/kunit.log"
rc=${PIPESTATUS[0]}
secs=$(( $(date +%s) - t0 ))
cp -f "$bdir/test.log" "$outdir/test.log" 2>/dev/null

# Count the test cases (leaves) from kunit.py's JSON.
counts=$(python3 - "$outdir/results.json" <<'EOF' 2>/dev/null
import json, sys
p = f = s = 0
failed = []
def walk(g):
    global p, f, s
    for c in g.get("test_cases", []):
        if c["status"] == "PASS":
            p += 1
        elif c["status"] == "SKIP":
            s += 1
        else:
            f += 1
            failed.append("%s.%s (%s)" % (g["name"], c["name"], c["status"]))
    for sg in g.get("sub_groups", []):
        walk(sg)
walk(json.load(open(sys.argv[1])))
print(p, f, s)
for name in failed:
    print(name)
EOF
)
read -r npass nfail nskip <<<"$(head -n 1 <<<"${counts:-0 0 0}")"
failed_names=$(tail -n +2 <<<"$counts")

# Compiler warnings about project files (the KUnit suites are compiled only
# here): shown, not fatal; make check is the gate for warnings.
warnings=$(grep -E 'fs/rdbss-ext/.*: (warning|error):' "$outdir/kunit.log" |
	sed -E 's|^.*fs/rdbss-ext/||' | sort -u)

# Kernel bug reports fail the run even when every assertion held.
splats=$(grep -E 'BUG: |WARNING: |Oops|Kernel panic|possible (circular|recursive) locking|inconsistent lock state|ODEBUG:|list_(add|del) corruption' \
	"$outdir/test.log" 2>/dev/null | grep -v '^ *$' | head -20)

echo
echo "== kunit summary (UML, linux-source-6.1 $ver, ${secs}s)"
echo "test cases: $npass passed, $nfail failed, $nskip skipped"
[ -n "$failed_names" ] && echo "$failed_names" | sed 's/^/  failed: /'
[ -n "$warnings" ] && echo "$warnings" | sed 's/^/  build warning: /'
if [ -n "$splats" ]; then
	echo "kernel reports during the run (full log: ${outdir#"$RDBSS_TOP"/}/test.log):"
	echo "$splats" | sed 's/^/  /'
	nfail=$((nfail + 1))
fi
if [ $((npass + nfail)) -eq 0 ]; then
	[ $rc -ne 0 ] && fail "kunit.py exit $rc and no test ran (log: ${outdir#"$RDBSS_TOP"/}/kunit.log)"
	fail "no test ran"
fi
if [ $rc -ne 0 ] && [ "$nfail" -eq 0 ]; then
	nfail=1
	echo "kunit.py exit status $rc"
fi
result "$npass" "$nfail"
if [ "$nfail" -ne 0 ]; then
	echo "kunit: FAILED ($nfail failed, $npass passed)"
	exit 1
fi
echo "kunit: passed ($npass test cases)"
