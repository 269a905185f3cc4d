#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An unknown mount option, or a bad value, fails with EINVAL and one clear
# kernel message naming the option; nothing is left mounted.
# needs: nomount
# targets: rx9p
. "$(dirname "$0")/lib.sh"

kmsg_mark
do_mount bogusopt=1 && fail "mount with bogusopt=1 succeeded"
assert_eq "$SYS_RESULT" EINVAL "errno for an unknown option"
expect_kmsg bogusopt
assert_not_mounted

kmsg_mark
do_mount port=notanumber && fail "mount with port=notanumber succeeded"
assert_eq "$SYS_RESULT" EINVAL "errno for port=notanumber"
expect_kmsg
assert_not_mounted

kmsg_mark
do_mount trans=carrier-pigeon && fail "mount with trans=carrier-pigeon succeeded"
assert_eq "$SYS_RESULT" EINVAL "errno for an unknown transport"
expect_kmsg
assert_not_mounted
