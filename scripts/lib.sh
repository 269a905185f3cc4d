# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the rdbss scripts.  Source, do not execute.

RDBSS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RDBSS_CACHE=${RDBSS_CACHE:-$HOME/.cache/rdbss}
RDBSS_KERNELS_ALL="6.1 6.12 sid"
mkdir -p "$RDBSS_CACHE"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The Debian mirror, read from apt's own configuration (never written down).
rdbss_mirror() {
	if [ -n "${RDBSS_MIRROR:-}" ]; then
		echo "$RDBSS_MIRROR"
		return
	fi
	apt-get indextargets --no-release-info --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
		awk '$2 !~ /-/ { print $1; exit }'
}

# Install host packages that are missing (one apt-get update per cache
# lifetime unless a package cannot be found).
need_pkgs() {
	local missing=() p
	if ! command -v dpkg-query >/dev/null; then
		log "not a Debian system: make sure these are installed: $*"
		return 0
	fi
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	# One apt at a time among our scripts (make test runs some side by
	# side), and a wait rather than a failure if another apt holds dpkg.
	(
		flock 6
		log "installing host packages: ${missing[*]}"
		if [ ! -e "$RDBSS_CACHE/.apt-updated" ] ||
		   [ -n "$(find "$RDBSS_CACHE/.apt-updated" -mmin +720 2>/dev/null)" ]; then
			apt-get -o DPkg::Lock::Timeout=600 update -q >&2 &&
				touch "$RDBSS_CACHE/.apt-updated"
		fi
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
			install -y -q --no-install-recommends "${missing[@]}" >&2
	) 6>"$RDBSS_CACHE/.apt.lock" || die "apt-get install ${missing[*]} failed"
}

# The kernels asked for: KERNELS="6.1 sid" or all of them.
rdbss_kernels() { echo "${KERNELS:-$RDBSS_KERNELS_ALL}"; }

# Time a stage; records "name seconds status" in $RDBSS_TIMINGS if set.
stage() {
	local name=$1 t0 rc
	shift
	t0=$(date +%s)
	"$@"
	rc=$?
	[ -n "${RDBSS_TIMINGS:-}" ] &&
		echo "$name $(( $(date +%s) - t0 )) $rc" >>"$RDBSS_TIMINGS"
	return $rc
}

# chroot_run ROOT CMD...: run CMD inside a distribution chroot with its own
# /proc (sid's objtool reads it) and the project tree bind-mounted at the
# same path, so paths are identical inside and out.
chroot_run() {
	local root=$1
	shift
	unshare --mount --pid --fork --mount-proc="$root/proc" /bin/bash -c '
		root=$1; top=$2; shift 2
		mkdir -p "$root$top"
		mount --bind "$top" "$root$top"
		exec chroot "$root" /usr/bin/env -i \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
			INITRD=No DEBIAN_FRONTEND=noninteractive "$@"' \
		chroot_run "$root" "$RDBSS_TOP" "$@"
}

# load_kenv KERNEL: prepare that kernel's environment and import KREL,
# KROOT, KDIR, VMLINUZ, MODDIR.
load_kenv() {
	local out
	out=$("$RDBSS_TOP/scripts/kenv.sh" "$1") || die "environment for kernel $1"
	eval "$out"
}

# krun CMD...: run CMD in the loaded kernel's environment (host or chroot).
krun() {
	if [ "$KROOT" = / ]; then
		"$@"
	else
		chroot_run "$KROOT" "$@"
	fi
}
