#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# mmap: stores through a shared writable mapping, after msync, read back
# through read(), from the server and after drop_caches; a mapping sees
# data written with write() through another descriptor and by another
# process; read() sees stores through a mapping before any msync.
# targets: all core
# v9fs-opts: cache=loose
. "$(dirname "$0")/lib.sh"

io open="$MNT/m:rdwr,creat,trunc" pw=0:256k:1 close
io open="$MNT/m:rdwr" map=0:256k mw=4096:8192:2 mw=100000:5000:2 msync unmap close
io open="$MNT/m:rdonly" pr=0:4096:1 pr=4096:8192:2 pr=12288:87712:1 pr=100000:5000:2 \
	pr=105000:157144:1 eof=256k
io open="$EXPORT/m:rdonly" pr=0:4096:1 pr=4096:8192:2 pr=12288:87712:1 pr=100000:5000:2 \
	pr=105000:157144:1 eof=256k
drop_caches
io open="$MNT/m:rdonly" map=0:256k mr=0:4096:1 mr=4096:8192:2 mr=100000:5000:2 mr=200000:4096:1

# The mapping and write() through another descriptor, in one process.
io open="$MNT/m:rdwr" map=0:256k mr=0:4096:1 open="$MNT/m:wronly" pw=0:4096:3 \
	fd=0 mr=0:4096:3 mw=8192:4096:4 pr=8192:4096:4 msync unmap

# Another process writes while the mapping is held.
rm -f /tmp/mapped /tmp/written
rxio run open="$MNT/m:rdonly" map=0:256k mr=16384:4096:1 touch=/tmp/mapped \
	wait=/tmp/written:20 mr=16384:4096:5 >/tmp/reader.log 2>&1 &
reader=$!
wait_for /tmp/mapped
io open="$MNT/m:wronly" pw=16384:4096:5 close
touch /tmp/written
wait $reader || { cat /tmp/reader.log; fail "the mapping did not see another process's write()"; }

# A file written with write() and mapped by a new open after drop_caches.
io open="$MNT/m:rdonly" pr=0:4096:3 pr=8192:4096:4 pr=16384:4096:5
io open="$EXPORT/m:rdonly" pr=0:4096:3 pr=8192:4096:4 pr=16384:4096:5
