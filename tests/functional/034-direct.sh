#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# O_DIRECT with aligned buffers: writes and reads of 1 MiB and of single
# pages; the server's copy matches; direct and buffered I/O on the same
# file see each other's data (a direct read after a buffered write, a
# buffered read of cached pages after a direct write); a direct write
# extends the file.
# targets: all
. "$(dirname "$0")/lib.sh"

io open="$MNT/d:rdwr,creat,trunc,direct" pw=0:1m:1 pr=0:1m:1 pw=4096:8192:2 \
	pr=0:4096:1 pr=4096:8192:2 pr=12288:1036288:1 fstat=1m close
io open="$EXPORT/d:rdonly" pr=0:4096:1 pr=4096:8192:2 pr=12288:1036288:1 eof=1m

# Buffered write (dirty in the cache), then a direct read by another fd.
io open="$MNT/d:rdwr" pw=0:64k:3 open="$MNT/d:rdonly,direct" pr=0:64k:3 pr=64k:4096:1
# Cached pages, then a direct write: the buffered fd reads the new data.
io open="$MNT/d:rdonly" pr=0:64k:3 open="$MNT/d:rdwr,direct" pw=0:64k:4 fd=0 pr=0:64k:4
io open="$EXPORT/d:rdonly" pr=0:64k:4 pr=64k:4096:1

# A direct write past the end extends the file, leaving a hole.
io open="$MNT/d:rdwr,direct" pw=2m:64k:5 fstat=2162688 pr=1m:1m:z pr=2m:64k:5 close
assert_eq "$(stat -c %s "$EXPORT/d")" 2162688 "server size after a direct extend"
drop_caches
io open="$MNT/d:rdonly" pr=0:64k:4 pr=64k:4096:1 pr=1m:1m:z pr=2m:64k:5 eof=2162688
