#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Payload "demo": what a user would type to use rx9p against a real 9P
# server (diod, exporting /srv/export on 127.0.0.1:564), each command
# echoed with its output; stops at the first failing step and ends with
# "demo: SUCCESS" or "demo: FAILED".
OPTS=trans=tcp,port=564,aname=/srv/export,uname=root

# step CMD: show it as typed, run it; the demo fails if it fails.
step() {
	echo
	echo "# $1"
	if ! timeout -k 5 120 sh -c "$1" 2>&1; then
		echo "(failed)"
		fail "$1"
	fi
}

# server CMD: something done on the server side, shown as such.
server() {
	echo
	echo "# $1        (on the 9P server)"
	sh -c "$1" 2>&1
}

fail() {
	echo
	echo "demo: FAILED at: $1"
	echo "--- kernel messages:"
	dmesg | tail -n 30
	umount /mnt 2>/dev/null
	rmmod mrx9p 2>/dev/null
	rmmod rdbss 2>/dev/null
	exit 1
}

echo "rdbss demo: the rx9p client on $(uname -r), against diod, a 9P2000.L"
echo "server exporting /srv/export on 127.0.0.1 port 564."

# Distribution modules ours depend on, if any (not part of the story).
if [ -f /modules/deps/load.order ]; then
	for m in $(cat /modules/deps/load.order); do
		insmod "/modules/deps/$m" 2>/dev/null
	done
fi

server "echo 'Hello from the 9P server!' > /srv/export/hello.txt"
step "insmod /modules/rdbss.ko"
step "insmod /modules/mrx9p.ko"
step "grep rx9p /proc/filesystems"
step "mount -t rx9p -o $OPTS 127.0.0.1 /mnt"
step "grep rx9p /proc/mounts"
step "cp /etc/services /mnt/"
step "ls -la /mnt"
step "cmp /etc/services /mnt/services && echo identical"
server "cmp /etc/services /srv/export/services && echo identical"
step "cat /mnt/hello.txt"
step "cp /mnt/services /tmp/x"
step "cmp /etc/services /tmp/x && echo identical"
step "mkdir /mnt/newdir && echo 'written through rx9p' > /mnt/newdir/note.txt"
server "ls -la /srv/export /srv/export/newdir && cat /srv/export/newdir/note.txt"
step "rm -r /mnt/newdir && ls /mnt"
step "umount /mnt"
step "rmmod mrx9p rdbss"
step "lsmod"
step "grep rx9p /proc/mounts || echo 'no rx9p mounts left'"
echo
echo "demo: SUCCESS"
