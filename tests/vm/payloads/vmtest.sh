#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Payload "vmtest": the functional test suite with our modules (TAP).
exec sh /tests/functional/run.sh
