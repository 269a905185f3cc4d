# SPDX-License-Identifier: GPL-2.0
#
# rdbss: user-facing targets.  The kernel build itself is driven by Kbuild.
#
#   make [modules]        build rdbss.ko and mrx9p.ko for the running kernel
#                         (or the newest installed headers); KVER=6.1|6.12|sid
#                         builds in build/KVER/ for a supported Debian kernel,
#                         KVER=<release> for /lib/modules/<release>/build
#   make tools            the user-space tools: out/tools/rx9pstat (rx9p
#                         mount statistics, like nfsiostat)
#   make install          modules_install for the kernel make built against,
#                         then rx9pstat to $(DESTDIR)$(PREFIX)/sbin and its
#                         manual to share/man/man8 (PREFIX: /usr/local)
#   make check            sparse, checkpatch --strict, W=1 on every kernel,
#                         the need_pkgs audit, the rx9pstat host test and
#                         a lint of the manual pages
#   make kunit            KUnit suites under UML
#   make vmtest           functional tests in a QEMU VM per kernel
#   make vmtest-debug     KUnit and functional tests (TARGETS, default
#                         rx9p; DEBUG_SKIP) on a 6.1 debug
#                         kernel (KASAN, lockdep, KFENCE, kmemleak,
#                         DEBUG_OBJECTS), built once, then a kmemleak scan
#   make demo             mount a real 9P server with rx9p and use it
#   make dkms-check       dkms add/build/install in each kernel's environment
#   make fuzz             the 9P codec under libFuzzer (FUZZ_SECONDS, default 60)
#   make fresh-check      make demo (then make, make install) in a pristine
#                         Debian 12 minbase chroot with an empty cache
#   make test             all of the above that CI runs
#
# KERNELS="6.1 sid" limits check/vmtest/dkms-check to some kernels.

KVER ?=
PREFIX ?= /usr/local
DESTDIR ?=
export KVER KERNELS

SCRIPTS := $(CURDIR)/scripts

all: modules

modules:
	@$(SCRIPTS)/build.sh modules

clean:
	@$(SCRIPTS)/build.sh clean
	rm -rf build out

tools:
	@$(SCRIPTS)/tools.sh build

install:
	@$(SCRIPTS)/build.sh modules_install
	@DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' $(SCRIPTS)/tools.sh install

check:
	@$(SCRIPTS)/check.sh

kunit:
	@$(SCRIPTS)/kunit.sh

vmtest:
	@$(SCRIPTS)/vmtest.sh

vmtest-debug:
	@$(SCRIPTS)/vmtest-debug.sh

demo:
	@$(SCRIPTS)/demo.sh

dkms-check:
	@$(SCRIPTS)/dkms-check.sh

fuzz:
	@$(SCRIPTS)/fuzz.sh $(FUZZ_SECONDS)

fresh-check:
	@$(SCRIPTS)/fresh-check.sh

test:
	@$(SCRIPTS)/test.sh

# bench/ is a directory: the target must be phony.
.PHONY: bench
bench:
	@$(SCRIPTS)/bench.sh

.PHONY: all modules tools clean install check kunit vmtest vmtest-debug demo dkms-check \
	fuzz fresh-check test
