#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# nfs-ganesha's 9P front end in the test VM, for tests/functional/run.sh
# (targets v9fs-ganesha and rx9p-ganesha) and the bench payload (its
# *-ganesha clients).  Sourced, not run.
#
# A 9P-only configuration: no NFS, NLM or RQUOTA listeners (nothing
# registers with rpcbind), no grace period (Tlock would wait for it),
# owners mapped with getpwnam (libnfsidmap's mapper wants /etc/idmapd.conf
# and fails the start without it), and attributes never cached
# (Attr_Expiration_Time = 0) so that what the tests do to the export
# directly shows through 9P at once, as with diod.  There is no D-Bus in
# the VM: ganesha logs that and goes on.

# The 9P port and the export (a tmpfs of its own: diod's is /srv/export).
GANESHA_PORT=5640
GANESHA_EXPORT=/srv/ganesha
GANESHA=

# start_ganesha [MSIZE]: start ganesha.nfsd and wait until it listens.
# MSIZE is the largest msize it grants (_9P_TCP_Msize); without it, its
# default, 64 KiB, which is what the functional tests use.
start_ganesha() {
	local i=0 ms=
	[ -n "${1:-}" ] && ms="_9P_TCP_Msize = $1;"
	mkdir -p $GANESHA_EXPORT /var/lib/nfs/ganesha /var/run/ganesha
	grep -q " $GANESHA_EXPORT " /proc/mounts ||
		mount -t tmpfs -o mode=755 tmpfs $GANESHA_EXPORT
	cat >/tmp/ganesha.conf <<-EOF
	NFS_CORE_PARAM {
		Protocols = 9P;
		Enable_NLM = false;
		Enable_RQUOTA = false;
	}
	NFSv4 {
		Graceless = true;
		UseGetpwnam = true;
	}
	_9P {
		_9P_TCP_Port = $GANESHA_PORT;
		$ms
	}
	EXPORT {
		Export_Id = 1;
		Path = $GANESHA_EXPORT;
		Pseudo = $GANESHA_EXPORT;
		Protocols = 9P;
		Access_Type = RW;
		Squash = None;
		Attr_Expiration_Time = 0;
		FSAL {
			Name = VFS;
		}
	}
	EOF
	rm -f /run/ganesha.pid
	ganesha.nfsd -F -f /tmp/ganesha.conf -L /tmp/ganesha.log -p /run/ganesha.pid \
		-N NIV_EVENT </dev/null >/tmp/ganesha.out 2>&1 &
	GANESHA=$!
	# It listens within a second under TCG; allow it 30.
	until netstat -ltn 2>/dev/null | grep -q ":$GANESHA_PORT "; do
		ganesha_alive || { GANESHA=; return 1; }
		i=$((i + 1))
		[ $i -gt 300 ] && return 1
		sleep 0.1
	done
}

# ganesha_alive: our ganesha.nfsd runs (a dead one stays a zombie until
# the shell reaps it, so kill -0 is not enough).
ganesha_alive() {
	[ -n "$GANESHA" ] && [ -r /proc/$GANESHA/stat ] &&
		! grep -q '^[0-9]* ([^)]*) Z' /proc/$GANESHA/stat
}
