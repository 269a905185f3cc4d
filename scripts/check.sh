#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh (make check): static checks of the project on every supported
# kernel (KERNELS="6.1 sid" limits them):
#   - a W=1 build (gcc extra warnings, modpost warnings),
#   - a sparse run over every source file (C=2, or KBUILD_CHECKSRC=2 where
#     the headers lack scripts/checker-valid.sh and C=2 silently skips),
#     with that kernel's own sparse,
# and once, checkpatch.pl --strict on every project .c/.h file (user-space
# programs, tools/ included, without the advice that only fits kernel
# code), scripts/deps-audit.py (each host script's need_pkgs cover what it
# runs), the host test of tools/rx9pstat (tests/tools/rx9pstat-test.sh:
# each of its failed assertions is a finding), groff's warnings on the
# manual pages (Documentation/*.8) and docutils' on Documentation/**/*.rst.
# Prints each finding, a summary per kernel and a final line; exits non-zero
# on any finding.  Appends "check P F" (one test per kernel per checker) to
# $RDBSS_RESULTS when set.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# Where checkpatch comes from: the linux-source package of the host (6.1).
CHECKPATCH_DIR=$RDBSS_CACHE/checkpatch

logdir=$RDBSS_TOP/out/check
mkdir -p "$logdir"
findings=$logdir/findings
: >"$findings"
passed=0
failed=0
total=0
summary=()

# Top-level directories of the project: a path naming a project file
# starts with one of them (relative) or with the build copy's path.
projdirs=$(cd "$RDBSS_TOP" && find . -mindepth 1 -maxdepth 1 -type d \
	! -name build ! -name out ! -name '.*' -printf '%f|')
projdirs=${projdirs%|}

# project_lines LOG OUTDIR: the warning/error lines of a build log that name
# a project file, paths made relative to the project top, each once.
project_lines() {
	sed -e "s|$2/||g" "$1" | awk -v dirs="$projdirs" '
		BEGIN { path = "(^|[ \\[(\x27\"])(" dirs ")/[A-Za-z0-9_.+-/]+" }
		/^make(\[[0-9]+\])?: / { next }
		/:[0-9]+:[0-9]+: note:/ { next }
		!/(^|[^A-Za-z])([Ww]arning|[Ee]rror|WARNING|ERROR)([: ]|$)|multiple definition|undefined reference/ { next }
		$0 !~ path { next }
		!seen[$0]++ { print }'
}

# sparse_lines LOG OUTDIR: every sparse diagnostic naming a project file
# (warnings, errors and their "expected/got" continuation lines); gcc's own
# warnings ("[-W...]") and modpost's are the W=1 build's business.
sparse_lines() {
	sed -e "s|$2/||g" "$1" | awk -v dirs="$projdirs" '
		BEGIN { loc = "^(" dirs ")/[^: ]+:[0-9]+:[0-9]+: " }
		$0 !~ loc { next }
		/\[-W[^]]*\]$/ { next }
		/:[0-9]+:[0-9]+: note:/ { next }
		!seen[$0]++ { print }'
}

# checked_files LOG: how many files sparse checked (kbuild may print a
# CHECK line twice for a file it also recompiled).
checked_files() {
	grep '^ *CHECK ' "$1" | sort -u | wc -l
}

# report LABEL LINES...: print findings and record them.
report() {
	local label=$1 l
	shift
	for l in "$@"; do
		printf '[%s] %s\n' "$label" "$l"
		printf '[%s] %s\n' "$label" "$l" >>"$findings"
	done
}

# count_result N: one check with N findings.
count_result() {
	total=$((total + $1))
	if [ "$1" -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
}

check_kernel() {
	local k=$1 out=$RDBSS_TOP/build/check-$1 wlog=$logdir/$1-w1.log slog=$logdir/$1-sparse.log
	local env krel sparse_arg rc nw ns nchecked herr lines=()
	# -k: a file that does not compile must not hide the others' findings.
	local -a mk=(-k -j"$(nproc)" -Otarget)

	log "check $k: W=1 build"
	if ! env=$("$RDBSS_TOP/scripts/kenv.sh" "$k"); then
		report "$k" "cannot prepare the build environment for $k"
		summary+=("$k: environment failed")
		count_result 1
		count_result 1
		return
	fi
	eval "$env"
	krel=$KREL

	# W=1: from clean, so that every file is compiled with the extra
	# warnings.  Failed builds are findings too.
	rm -rf "$out"
	KMAKE_OUT=$out "$RDBSS_TOP/scripts/kmake.sh" "$k" "${mk[@]}" W=1 modules >"$wlog" 2>&1
	rc=$?
	mapfile -t lines < <(project_lines "$wlog" "$out")
	[ $rc -ne 0 ] && lines+=("W=1 build failed (make exit $rc), log: ${wlog#"$RDBSS_TOP"/}")
	if [ $rc -ne 0 ] && [ ${#lines[@]} -eq 1 ]; then
		# Nothing names a project file: show the end of the log.
		tail -n 15 "$wlog" | sed "s|^|[$k W=1 log] |"
	fi
	nw=${#lines[@]}
	report "$k W=1" "${lines[@]}"
	count_result "$nw"

	# sparse: same flags as above so nothing is recompiled and the log
	# holds only what sparse says about each file.  On headers without
	# scripts/checker-valid.sh (sid) C=2 silently skips sparse: then set
	# the variable C=2 would set, on the command line, instead.
	log "check $k: sparse"
	sparse_arg=C=2
	KMAKE_OUT=$out "$RDBSS_TOP/scripts/kmake.sh" "$k" "${mk[@]}" W=1 "$sparse_arg" modules >"$slog" 2>&1
	rc=$?
	nchecked=$(checked_files "$slog")
	if [ "$nchecked" -eq 0 ]; then
		sparse_arg=KBUILD_CHECKSRC=2
		KMAKE_OUT=$out "$RDBSS_TOP/scripts/kmake.sh" "$k" "${mk[@]}" W=1 "$sparse_arg" modules >"$slog" 2>&1
		rc=$?
		nchecked=$(checked_files "$slog")
	fi
	mapfile -t lines < <(sparse_lines "$slog" "$out")
	ns=$(printf '%s\n' "${lines[@]}" | grep -cE ': ([Ww]arning|[Ee]rror):')
	[ $rc -ne 0 ] && {
		lines+=("sparse build failed (make exit $rc), log: ${slog#"$RDBSS_TOP"/}")
		ns=$((ns + 1))
	}
	# sparse errors outside the project (e.g. a sparse too old for the
	# kernel's headers) mean files went unchecked.
	herr=$(sed -e "s|$out/||g" "$slog" | grep -E '^/[^ ]+:[0-9]+:[0-9]+: error:')
	if [ -n "$herr" ]; then
		lines+=("sparse failed on kernel headers ($(wc -l <<<"$herr") errors), first: $(head -n 1 <<<"$herr")")
		ns=$((ns + 1))
	fi
	if [ "$nchecked" -eq 0 ]; then
		lines+=("sparse did not run ($sparse_arg printed no CHECK line), log: ${slog#"$RDBSS_TOP"/}")
		ns=$((ns + 1))
	fi
	report "$k sparse" "${lines[@]}"
	count_result "$ns"

	summary+=("$k ($krel): W=1 $nw finding(s); sparse $(krun sparse --version 2>/dev/null | head -1) ($sparse_arg, $nchecked files checked) $ns finding(s)")
}

# Extract checkpatch.pl and its data files from the host's linux-source
# tarball once; re-extract when the package version changes.
checkpatch_setup() {
	local ver tarball=/usr/src/linux-source-6.1.tar.xz tmp
	need_pkgs linux-source-6.1 perl xz-utils
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
	if [ "$(cat "$CHECKPATCH_DIR/.version" 2>/dev/null)" = "$ver" ] &&
	   [ -e "$CHECKPATCH_DIR/checkpatch.pl" ]; then
		return 0
	fi
	log "extracting checkpatch.pl from linux-source-6.1 $ver (once)"
	tmp=$CHECKPATCH_DIR.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	tar -xJf "$tarball" -C "$tmp" --strip-components=2 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch || return 1
	echo "$ver" >"$tmp/.version"
	rm -rf "$CHECKPATCH_DIR"
	mv "$tmp" "$CHECKPATCH_DIR"
}

# is_kernel_source FILE: part of a kernel build (include/, or below a
# directory with a Kbuild file other than the top one) rather than a
# user-space program (fuzzing, VM helpers, benchmarks).
is_kernel_source() {
	local d
	case $1 in include/*) return 0 ;; esac
	d=$(dirname "$1")
	while [ "$d" != . ]; do
		[ -e "$RDBSS_TOP/$d/Kbuild" ] && return 0
		d=$(dirname "$d")
	done
	return 1
}

# What checkpatch says that only applies to kernel code: kernel types,
# macros and APIs user space does not have, the kernel's negative-errno
# convention, and names fixed by outside interfaces (LLVMFuzzer*).
USERSPACE_IGNORE=PREFER_KERNEL_TYPES,ARRAY_SIZE,BIT_MACRO,USE_NEGATIVE_ERRNO
USERSPACE_IGNORE+=,PREFER_DEFINED_ATTRIBUTE_MACRO,PREFER_PACKED,PREFER_ALIGNED
USERSPACE_IGNORE+=,PREFER_PRINTF,PREFER_SCANF,PREFER_FALLTHROUGH,AVOID_EXTERNS
USERSPACE_IGNORE+=,CAMELCASE,EMBEDDED_FUNCTION_NAME,VOLATILE,SSCANF_TO_KSTRTO
USERSPACE_IGNORE+=,STRCPY,STRLCPY,STRNCPY
# Test tools keep compact one-line case tables and long usage strings.
USERSPACE_IGNORE+=,TRAILING_STATEMENTS,COMPARISON_TO_NULL,SPLIT_STRING
USERSPACE_IGNORE+=,PARENTHESIS_ALIGNMENT

run_checkpatch() {
	local files=() f lines=() n nk=0 nu=0
	local -a extra
	log "checkpatch --strict"
	if ! checkpatch_setup; then
		report checkpatch "cannot extract checkpatch.pl from linux-source-6.1"
		summary+=("checkpatch: setup failed")
		count_result 1
		return
	fi
	mapfile -t files < <(cd "$RDBSS_TOP" && find . \( -path ./build -o -path ./out \
		-o -path ./.git \) -prune -o -type f \( -name '*.c' -o -name '*.h' \) \
		-printf '%P\n' | sort)
	for f in "${files[@]}"; do
		if is_kernel_source "$f"; then
			extra=()
			nk=$((nk + 1))
			# Tracepoint headers are written in TRACE_EVENT()'s own
			# layout (TP_STRUCT__entry( on a line of its own, fields
			# indented by one tab), as the kernel's own are.
			[[ $f == */trace.h ]] &&
				extra=(--ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT)
		else
			extra=(--ignore "$USERSPACE_IGNORE")
			nu=$((nu + 1))
		fi
		# --terse: one line per finding, "FILE:LINE: LEVEL:TYPE: text".
		# Kernel-version tests are confined to compat.h by design: there,
		# and only there, "#if LINUX_VERSION_CODE < KERNEL_VERSION(...)"
		# is expected (checkpatch calls it LINUX_VERSION_CODE and, as
		# both sides are constants, CONSTANT_COMPARISON).
		mapfile -t -O ${#lines[@]} lines < <(cd "$RDBSS_TOP" &&
			perl "$CHECKPATCH_DIR/checkpatch.pl" --strict --no-tree --terse \
				--show-types --no-summary --color=never "${extra[@]}" \
				-f "$f" 2>&1 |
			awk -v f="$f" '
				BEGIN {
					if (f ~ /(^|\/)compat\.h$/)
						while ((getline l < f) > 0)
							vc[++n] = (l ~ /LINUX_VERSION_CODE/)
				}
				/:(LINUX_VERSION_CODE|CONSTANT_COMPARISON):/ {
					split($0, a, ":")
					if (vc[a[2] + 0])
						next
				}
				NF { print }')
	done
	n=${#lines[@]}
	report checkpatch "${lines[@]}"
	count_result "$n"
	summary+=("checkpatch --strict (linux-source-6.1 $(cat "$CHECKPATCH_DIR/.version")): $n finding(s) in $nk kernel and $nu user-space files")
}

# Every host script installs what it runs (scripts/deps-audit.py): a
# missing need_pkgs is invisible on a machine that has the package.
run_deps_audit() {
	local lines=()
	log "deps-audit: need_pkgs against the commands each script runs"
	need_pkgs python3
	mapfile -t lines < <(python3 "$RDBSS_TOP/scripts/deps-audit.py" "$RDBSS_TOP" 2>&1)
	report deps "${lines[@]}"
	count_result "${#lines[@]}"
	summary+=("deps-audit: ${#lines[@]} finding(s) in $(python3 "$RDBSS_TOP/scripts/deps-audit.py" --count "$RDBSS_TOP") host scripts")
}

# The host test of rx9pstat (no kernel, no VM): each "FAIL:" line it prints
# is a finding, and so is an exit without its summary line.
run_tools_test() {
	local tlog=$logdir/rx9pstat-test.log lines=() rc res
	log "rx9pstat-test: tools/rx9pstat against tests/tools/fixtures"
	bash "$RDBSS_TOP/tests/tools/rx9pstat-test.sh" >"$tlog" 2>&1
	rc=$?
	mapfile -t lines < <(sed -n 's/^FAIL: //p' "$tlog")
	res=$(grep -E '^rx9pstat-test: [0-9]+ passed, [0-9]+ failed$' "$tlog" | tail -n 1)
	if [ -z "$res" ] || { [ $rc -ne 0 ] && [ ${#lines[@]} -eq 0 ]; }; then
		lines+=("rx9pstat-test.sh ended with exit $rc${res:+ ($res)}, log: ${tlog#"$RDBSS_TOP"/}")
		tail -n 15 "$tlog" | sed 's/^/[rx9pstat-test log] /'
	fi
	report rx9pstat-test "${lines[@]}"
	count_result "${#lines[@]}"
	summary+=("${res:-rx9pstat-test: did not finish}: ${#lines[@]} finding(s)")
}

# The manual pages: every warning groff gives (-ww) is a finding.
run_man_check() {
	local pages=() lines=() p
	log "manual pages: groff -man -ww"
	need_pkgs groff-base
	mapfile -t pages < <(cd "$RDBSS_TOP" && find Documentation -name '*.[1-8]' | sort)
	for p in "${pages[@]}"; do
		mapfile -t -O ${#lines[@]} lines < <(cd "$RDBSS_TOP" &&
			groff -man -Tutf8 -ww -z "$p" 2>&1 | sed "s|^|$p: |")
	done
	report man "${lines[@]}"
	count_result "${#lines[@]}"
	summary+=("manual pages (groff -ww): ${#lines[@]} finding(s) in ${#pages[@]} page(s)")
}

# The documentation: every docutils warning or error on an .rst file
# (malformed tables, broken markup) is a finding; Debian's docutils.
run_rst_check() {
	local docs=() lines=() d
	log "documentation: docutils"
	need_pkgs python3 python3-docutils
	mapfile -t docs < <(cd "$RDBSS_TOP" && find Documentation -name '*.rst' | sort)
	for d in "${docs[@]}"; do
		mapfile -t -O ${#lines[@]} lines < <(cd "$RDBSS_TOP" &&
			/usr/bin/python3 -c '
import sys, docutils.core
src = open(sys.argv[1]).read()
docutils.core.publish_doctree(src, source_path=sys.argv[1],
	settings_overrides={"report_level": 2, "halt_level": 5})' "$d" 2>&1 |
			grep -E '\((WARNING|ERROR|SEVERE)/[0-9]\)')
	done
	report rst "${lines[@]}"
	count_result "${#lines[@]}"
	summary+=("documentation (docutils): ${#lines[@]} finding(s) in ${#docs[@]} file(s)")
}

run_deps_audit
for k in $(rdbss_kernels); do
	check_kernel "$k"
done
run_checkpatch
run_tools_test
run_man_check
run_rst_check

echo
echo "== check summary"
printf '%s\n' "${summary[@]}"
[ -n "${RDBSS_RESULTS:-}" ] && echo "check $passed $failed" >>"$RDBSS_RESULTS"
if [ "$total" -eq 0 ] && [ "$failed" -eq 0 ]; then
	echo "check: passed ($passed checks, 0 findings)"
	exit 0
fi
echo "check: FAILED ($failed of $((passed + failed)) checks, $total finding(s); list in ${findings#"$RDBSS_TOP"/})"
exit 1
