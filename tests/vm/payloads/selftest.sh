#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Payload "selftest": checks the harness itself without our modules: diod
# listens on 127.0.0.1 and ::1, the rxsys helper works, then the functional
# suite runs against the distribution's v9fs on the same server (TAP).
ok=1
for a in '127\.0\.0\.1:564 ' '::1:564 '; do
	if netstat -ltn | grep -q "$a"; then
		echo "# diod listens on $(echo "$a" | tr -d '\\ ')"
	else
		echo "# diod does not listen on $(echo "$a" | tr -d '\\ ')"
		ok=0
	fi
done
r=$(rxsys mkdir /tmp)
case $r in EEXIST*) echo "# rxsys: mkdir /tmp -> $r" ;; *) echo "# rxsys broken: $r"; ok=0 ;; esac
if [ $ok = 0 ]; then
	netstat -ltn | sed 's/^/# /'
	sed 's/^/# diod: /' /tmp/diod.log
	echo "Bail out! harness self-test failed"
	exit 1
fi
RDBSS_FSTYPE=9p exec sh /tests/functional/run.sh
