#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# POSIX locks between processes: F_SETLK on a held range fails with
# EAGAIN, F_GETLK reports the holder's type (write and read), read locks
# share, the holder's close releases (while it lives), F_SETLKW waits until
# then, a signal ends a waiting F_SETLKW with EINTR and leaves nothing
# behind; on rxloop, disjoint ranges do not conflict (diod locks whole
# files).  flock: LOCK_EX|LOCK_NB conflicts between two opens and between
# two processes, LOCK_UN releases.
# targets: all core
. "$(dirname "$0")/lib.sh"

f=$MNT/lk
echo data >"$f"
rm -f /tmp/A.* /tmp/B.*

# holder NAME STEPS...: a background rxio run; /tmp/NAME.log has its output.
holder() {
	local name=$1
	shift
	rxio run "$@" >/tmp/$name.log 2>&1 &
	eval "${name}_pid=$!"
}

# finish NAME: wait for a holder; it must have succeeded.
finish() {
	eval "wait \$${1}_pid" || { cat /tmp/$1.log; fail "lock holder $1 failed"; }
}

# A write lock on [0, 100), released by close while A lives on.
holder A open="$f:rdwr" setlk=w:0:100 touch=/tmp/A.locked wait=/tmp/A.go:30 close \
	touch=/tmp/A.closed wait=/tmp/A.exit:30
wait_for /tmp/A.locked
io open="$f:rdwr" setlk=w:0:1!EAGAIN setlk=r:50:10!EAGAIN setlk=w:0:0!EAGAIN \
	getlk=w:0:0:w getlk=r:99:1:w
# F_SETLKW waits for the holder.
holder B open="$f:rdwr" setlkw=w:0:100 touch=/tmp/B.got wait=/tmp/B.done:30
sleep 1
[ -e /tmp/B.got ] && fail "F_SETLKW returned while the range was locked"
touch /tmp/A.go
wait_for /tmp/A.closed
wait_for /tmp/B.got 10
io open="$f:rdwr" setlk=w:50:1!EAGAIN getlk=r:0:0:w
touch /tmp/B.done /tmp/A.exit
finish A
finish B
io open="$f:rdwr" setlk=w:0:0 getlk=w:0:0:u close

# Read locks share; a writer conflicts and sees a read lock.
rm -f /tmp/A.*
holder A open="$f:rdonly" setlk=r:0:0 touch=/tmp/A.locked wait=/tmp/A.go:30
wait_for /tmp/A.locked
io open="$f:rdwr" setlk=r:0:0 setlk=u:0:0 setlk=w:0:0!EAGAIN getlk=w:0:0:r getlk=r:0:0:u
touch /tmp/A.go
finish A

# A signal interrupts a waiting F_SETLKW.
rm -f /tmp/A.*
holder A open="$f:rdwr" setlk=w:0:0 touch=/tmp/A.locked wait=/tmp/A.go:30
wait_for /tmp/A.locked
t0=$(cut -d' ' -f1 /proc/uptime)
timeout -s INT -k 5 2 rxio run open="$f:rdwr" setlkw=w:0:0!EINTR ||
	fail "F_SETLKW was not interrupted by SIGINT with EINTR"
t1=$(cut -d' ' -f1 /proc/uptime)
note "EINTR after $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')s"
io open="$f:rdwr" setlk=w:0:0!EAGAIN
touch /tmp/A.go
finish A
io open="$f:rdwr" setlk=w:0:0 close

# Disjoint ranges (rxloop's servers keep real byte-range locks).
if is_rxloop; then
	rm -f /tmp/A.*
	holder A open="$f:rdwr" setlk=w:0:100 setlk=r:200:50 touch=/tmp/A.locked wait=/tmp/A.go:30
	wait_for /tmp/A.locked
	io open="$f:rdwr" setlk=w:100:100 setlk=r:200:10 setlk=w:250:0 getlk=w:0:50:w \
		getlk=w:220:1:r setlk=w:99:2!EAGAIN
	touch /tmp/A.go
	finish A
fi

# flock: two opens in one process, then two processes.
io open="$f:rdonly" flock=ex open="$f:rdonly" flock=ex,nb!EWOULDBLOCK \
	flock=sh,nb!EWOULDBLOCK fd=0 flock=un fd=1 flock=ex,nb flock=un
rm -f /tmp/A.*
holder A open="$f:rdonly" flock=sh touch=/tmp/A.locked wait=/tmp/A.go:30
wait_for /tmp/A.locked
io open="$f:rdonly" flock=sh,nb flock=un flock=ex,nb!EWOULDBLOCK
touch /tmp/A.go
finish A
io open="$f:rdonly" flock=ex,nb
