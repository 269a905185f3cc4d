#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kmake.sh KERNEL [make args...]: build the modules for one supported kernel
# in build/KERNEL/ (a copy of the sources, so kernels never share objects).
# The modules end up in build/KERNEL/fs/{rdbss,mrx9p}/*.ko.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kname=${1:?usage: kmake.sh 6.1|6.12|sid [make args]}
shift
need_pkgs rsync
load_kenv "$kname"
out=${KMAKE_OUT:-$RDBSS_TOP/build/$kname}
mkdir -p "$out"
# one build at a time per output tree
exec 7>"$out.lock"
flock 7
rsync -a --delete --exclude=/build --exclude=/.git --exclude='*.o' \
	--exclude='*.ko' --exclude='*.cmd' --exclude='*.mod*' \
	--exclude='modules.order' --exclude='Module.symvers' \
	--filter='P *.o' --filter='P *.ko' --filter='P .*.cmd' --filter='P *.mod*' \
	--filter='P modules.order' --filter='P Module.symvers' --filter='P .tmp*' \
	--filter='P *.a' \
	"$RDBSS_TOP/" "$out/"
krun make -C "$KDIR" M="$out" CONFIG_RDBSS=m CONFIG_MRX9P=m \
	CONFIG_RXLOOP=m "$@"
