#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Payload "bench": the workloads of `make bench` (scripts/bench.sh) against
# every client of one diod server (and NFS, tmpfs), in alternation.
#
# Needs what scripts/bench.sh adds to the initramfs: fio, /bin/rxbench,
# /bench/tree.tar and, for NFS, /modules/nfs/ plus rpc.mountd, exportfs
# and rpc.nfsd.  Kernel command line (all optional):
#   bench.reps=3           repetitions (clients rotate between them)
#   bench.seqmb=64         size of the sequential file, MiB
#   bench.rt=1             seconds per random I/O run
#   bench.nfiles=500       files of the metadata run
#   bench.tcpmb=512        MiB of the loopback TCP copy
#   bench.msize=524288     msize asked for by rx9p and v9fs
#   bench.gmsize=1048576   the *-ganesha clients' msize, granted by
#                          nfs-ganesha (its _9P_TCP_Msize); rx9p reads
#                          with rsize=65536 and v9fs uses msize=65536:
#                          ganesha 4.3 crashes on a Tread above ~70 KB
#   bench.clients=all      or e.g. rx9p-cto,v9fs-loose,tmpfs (rx9p-MODE-ncN:
#                          cache=MODE,nconnect=N; rx9p-MODE-ganesha and
#                          v9fs-MODE-ganesha: against nfs-ganesha's 9P
#                          front end instead of diod, fio only)
#   bench.work=fio,meta,tree   workload groups
#   bench.perf=1           after the repetitions, profile some workloads
#                          of some clients (bench.perfclients=ID,...) with
#                          perf (needs /usr/bin/perf): "PERF ..." lines
#
# Prints "R WORKLOAD CLIENT MODE REP VALUE UNIT" per result,
# "bench-note: ..." for what is not available (n/a in the table) and
# "bench-error: ..." for a workload that failed (make bench then fails).
# Always exits 0: scripts/bench.sh judges.

arg() {
	v=$2
	# shellcheck disable=SC2013 # words, not lines
	for w in $(cat /proc/cmdline); do
		case $w in "$1"=*) v=${w#*=} ;; esac
	done
	echo "$v"
}

REPS=$(arg bench.reps 3)
SEQMB=$(arg bench.seqmb 64)
RT=$(arg bench.rt 1)
NFILES=$(arg bench.nfiles 500)
TCPMB=$(arg bench.tcpmb 512)
MSIZE=$(arg bench.msize 524288)
GMSIZE=$(arg bench.gmsize 1048576)
CLIENTS=$(arg bench.clients all | tr , ' ')
WORK=$(arg bench.work fio,meta,tree | tr , ' ')
PERF=$(arg bench.perf 0)
PERF_CLIENTS=$(arg bench.perfclients rx9p-none,rx9p-cto,v9fs-none,v9fs-loose | tr , ' ')
STEP_TIMEOUT=600
B=/mnt/b

note() { echo "bench-note: $*"; }
err() { echo "bench-error: $*"; }
now() { cut -d' ' -f1 /proc/uptime; }
want_work() { case " $WORK " in *" $1 "*) return 0 ;; esac; return 1; }
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches; }

# ins FILE: insmod unless a module of that name is loaded.
ins() {
	n=$(basename "$1" .ko | tr - _)
	grep -q "^$n " /proc/modules && return 0
	insmod "$1" 2>/tmp/insmod.err && return 0
	grep -q "^$n " /proc/modules && return 0
	echo "insmod $1: $(cat /tmp/insmod.err)"
	return 1
}

load_dir() {
	[ -f "$1/load.order" ] || return 0
	for m in $(cat "$1/load.order"); do
		ins "$1/$m" || return 1
	done
}

echo "# bench on $(uname -r): reps=$REPS seqmb=$SEQMB rt=$RT nfiles=$NFILES msize=$MSIZE gmsize=$GMSIZE"
echo "# $(grep -c ^processor /proc/cpuinfo) cpus, $(awk '/MemTotal/ { print $2 / 1024 " MiB" }' /proc/meminfo)"

if ! command -v fio >/dev/null || ! command -v rxbench >/dev/null || [ ! -f /bench/tree.tar ]; then
	err "setup: fio, rxbench or /bench/tree.tar missing from the initramfs (run through make bench)"
	exit 0
fi

KMSG0=$(dmesg | wc -l)
r=$(load_dir /modules/deps) || err "setup: $r"
for m in rdbss mrx9p; do
	r=$(ins /modules/$m.ko) || err "setup: $r"
done
r=$(load_dir /modules/dist) || err "setup: $r"

OPTS9=trans=tcp,port=564,aname=/srv/export,uname=root,msize=$MSIZE
. /tests/functional/ganesha.sh
OPTSG=trans=tcp,port=$GANESHA_PORT,aname=$GANESHA_EXPORT,uname=root

# ganesha_up: nfs-ganesha runs, started with GMSIZE on first use.
ganesha_up() {
	ganesha_alive && return 0
	[ -n "$GANESHA_DIED" ] && return 1
	if ! start_ganesha "$GMSIZE"; then
		GANESHA_DIED=1
		err "nfs-ganesha does not start: $(tail -n 3 /tmp/ganesha.log /tmp/ganesha.out 2>/dev/null | tr '\n' ' ')"
		return 1
	fi
}
GANESHA_DIED=

ACTIVE=
# add_client ID: mount it (ID = CLIENT-MODE), make its work directory.
add_client() {
	id=$1 client=${1%%-*} mode=${1#*-}
	mkdir -p $B/$id
	srv=$OPTS9
	case $client:$mode in
	rx9p:*-ganesha) ganesha_up || return 1; srv=$OPTSG,msize=$GMSIZE,rsize=65536 ;;
	v9fs:*-ganesha) ganesha_up || return 1; srv=$OPTSG,msize=65536 ;;
	esac
	case $client in
	rx9p)
		# MODE-ncN: cache=MODE,nconnect=N
		o="cache=${mode%%-*}"
		case $mode in *-nc*) o="$o,nconnect=${mode##*-nc}" ;; esac
		out=$(mount -t rx9p -o "$srv,$o" 127.0.0.1 $B/$id 2>&1) ||
			{ err "mount rx9p $o: $out"; return 1; } ;;
	v9fs)
		if ! out=$(mount -t 9p -o "$srv,version=9p2000.L,cache=${mode%%-*}" 127.0.0.1 $B/$id 2>&1); then
			case ${mode%%-*} in
			none | loose | mmap) err "mount v9fs cache=$mode: $out" ;;
			*) note "v9fs cache=$mode not accepted by $(uname -r): $out" ;;
			esac
			return 1
		fi ;;
	nfs)
		# The server's grace period passes while the others run.
		nfs_setup >/tmp/nfs-setup.out 2>&1 &
		NFS_PID=$!
		ACTIVE="$ACTIVE $id"
		return 0 ;;
	tmpfs)
		mount -t tmpfs -o size=1536m tmpfs $B/$id || { err "mount tmpfs"; return 1; } ;;
	esac
	if ! mkdir -p $B/$id/$id; then
		err "mkdir on $id"
		return 1
	fi
	echo "# mounted $id: $(grep " $B/$id " /proc/mounts)"
	ms=$(grep " $B/$id " /proc/mounts | sed -n 's/.*[,]msize=\([0-9]*\).*/\1/p')
	case $client in
	rx9p | v9fs) echo "M $client $mode msize ${ms:-default}" ;;
	esac
	ACTIVE="$ACTIVE $id"
}

# nfs_ready: whether the background nfs_setup succeeded (waits for it).
NFS_PID= NFS_OK=
nfs_ready() {
	if [ -n "$NFS_PID" ]; then
		wait "$NFS_PID" && NFS_OK=1 && mkdir -p $B/nfs-4.2/nfs-4.2 || NFS_OK=
		NFS_PID=
		cat /tmp/nfs-setup.out
		[ -n "$NFS_OK" ] && echo "# mounted nfs-4.2: $(grep " $B/nfs-4.2 " /proc/mounts)"
	fi
	[ -n "$NFS_OK" ]
}

# nfs_setup: kernel nfsd exporting a tmpfs, NFSv4 only (no rpcbind), and
# an NFSv4.2 mount of it over loopback on $B/nfs-4.2.
nfs_setup() {
	if [ ! -f /modules/nfs/load.order ] || ! command -v rpc.mountd >/dev/null; then
		note "nfs: no nfsd modules or nfs-utils in the initramfs"
		return 1
	fi
	r=$(load_dir /modules/nfs) || { note "nfs: $r"; return 1; }
	mkdir -p /srv/nfs /proc/fs/nfsd /var/lib/nfs/v4recovery
	mount -t tmpfs -o mode=755,size=1536m tmpfs /srv/nfs
	mount -t nfsd nfsd /proc/fs/nfsd || { note "nfs: cannot mount the nfsd filesystem"; return 1; }
	touch /var/lib/nfs/etab /var/lib/nfs/rmtab
	echo '/srv/nfs 127.0.0.1(rw,sync,no_root_squash,insecure,no_subtree_check,fsid=0)' >/etc/exports
	# The shortest grace period the server accepts.
	echo 10 >/proc/fs/nfsd/nfsv4leasetime 2>/dev/null
	echo 10 >/proc/fs/nfsd/nfsv4gracetime 2>/dev/null
	out=$(exportfs -ra 2>&1) || { note "nfs: exportfs: $out"; return 1; }
	rpc.mountd -N 2 -N 3 >/tmp/mountd.log 2>&1 ||
		{ note "nfs: rpc.mountd: $(cat /tmp/mountd.log)"; return 1; }
	# Kernels without NFSv2 refuse "-N 2".
	no2=
	grep -q '[-+]2 ' /proc/fs/nfsd/versions && no2="-N 2"
	out=$(rpc.nfsd $no2 -N 3 -U 8 2>&1) || { note "nfs: rpc.nfsd: $out"; return 1; }
	echo "# nfsd versions: $(cat /proc/fs/nfsd/versions), threads $(cat /proc/fs/nfsd/threads)"
	out=$(timeout 60 rxsys mount 127.0.0.1:/ $B/nfs-4.2 nfs4 vers=4.2,addr=127.0.0.1,proto=tcp 2>&1)
	case $out in
	OK*) ;;
	*) note "nfs: mount: $out"; dmesg | tail -n 5 | sed 's/^/# /'; return 1 ;;
	esac
	# The first open waits out the server's grace period.
	t0=$(now)
	if ! timeout 120 sh -c "echo x >$B/nfs-4.2/.grace && rm $B/nfs-4.2/.grace"; then
		note "nfs: first write failed"
		return 1
	fi
	echo "# nfs: first write after $(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }') s (grace period)"
}

# result WORKLOAD ID REP VALUE UNIT
result() {
	echo "R $1 ${2%%-*} ${2#*-} $3 $4 $5"
}

# fio_jobs DIR: the fio job file of one client.
fio_jobs() {
	cat <<EOF
[global]
directory=$1
filename=seqfile
size=${SEQMB}m
ioengine=psync
thread=1
group_reporting=1
[seqwrite]
rw=write
bs=1m
end_fsync=1
[seqread-cold]
stonewall
new_group
exec_prerun=/tmp/dropcaches.sh
rw=read
bs=1m
[seqread-warm]
stonewall
new_group
invalidate=0
rw=read
bs=1m
EOF
	for rw in randread randwrite; do
		for j in 1 4; do
			cat <<EOF
[$rw-${j}j]
stonewall
new_group
invalidate=0
rw=$rw
bs=4k
numjobs=$j
time_based=1
runtime=$RT
EOF
			[ $rw = randwrite ] && echo end_fsync=1
		done
	done
}

# fio_jobs_4f DIR: four jobs, a file each (what nconnect spreads).
fio_jobs_4f() {
	cat <<EOF
[global]
directory=$1
filename_format=par.\$jobnum
size=$((SEQMB / 4))m
numjobs=4
ioengine=psync
thread=1
group_reporting=1
bs=1m
[seqwrite-4f]
rw=write
end_fsync=1
[seqread-4f]
stonewall
new_group
exec_prerun=/tmp/dropcaches.sh
rw=read
EOF
}

run_fio() {
	id=$1 rep=$2 d=$B/$1/$1
	fio_jobs $d >/tmp/$id.fio
	printf '#!/bin/sh\nsync\necho 3 >/proc/sys/vm/drop_caches\n' >/tmp/dropcaches.sh
	chmod +x /tmp/dropcaches.sh
	fio_jobs_4f $d >/tmp/$id-4f.fio
	: >/tmp/fio.out
	for f in /tmp/$id.fio /tmp/$id-4f.fio; do
		if ! timeout $STEP_TIMEOUT fio --minimal $f >>/tmp/fio.out 2>/tmp/fio.err; then
			err "fio on $id ($f): $(tail -n 3 /tmp/fio.err | tr '\n' ' ')"
		fi
	done
	# terse v3: 3 name, 5 error, 7/8 read KiB/s, IOPS, 48/49 write
	grep '^3;' /tmp/fio.out | while IFS= read -r line; do
		echo "$line" | awk -F';' -v id="$id" -v rep="$rep" '
		{
			name = $3; e = $5
			if (e != 0) { print "bench-error: fio " name " on " id ": error " e; next }
			# CLIENT-MODE, where MODE may have a dash (cto-nc4)
			c[1] = substr(id, 1, index(id, "-") - 1)
			c[2] = substr(id, index(id, "-") + 1)
			w = name ~ /write/
			bw = w ? $48 : $7; iops = w ? $49 : $8
			if (name ~ /^rand/)
				printf "R %s %s %s %s %.1f IOPS\n", name, c[1], c[2], rep, iops
			else
				printf "R %s %s %s %s %.1f MB/s\n", name, c[1], c[2], rep, bw * 1.024 / 1000
		}'
	done
	rm -f $d/seqfile $d/par.*
}

run_meta() {
	id=$1 rep=$2 d=$B/$1/$1
	out=$(timeout $STEP_TIMEOUT rxbench meta $d/meta "$NFILES" 2>&1)
	case $out in *error*) err "meta on $id: $(echo "$out" | grep error)" ;; esac
	echo "$out" | awk -v id="$id" -v rep="$rep" '
		/^meta/ {
			printf "R %s %s %s %s %s ops/s\n", $1, substr(id, 1, index(id, "-") - 1),
				substr(id, index(id, "-") + 1), rep, $2
		}'
	rm -rf $d/meta
	run_orc "$id" "$rep" $d
	# rx9p's delayed close against none: the same mount options, closetimeo=0
	if [ "$id" = rx9p-cto ]; then
		mkdir -p $B/rx9p-cto0
		if out=$(mount -t rx9p -o "$OPTS9,cache=cto,closetimeo=0" 127.0.0.1 $B/rx9p-cto0 2>&1); then
			run_orc rx9p-cto0 "$rep" $B/rx9p-cto0/$id
			umount $B/rx9p-cto0
		else
			err "mount rx9p cache=cto,closetimeo=0: $out"
		fi
	fi
}

# run_orc ID REP DIR: 5 passes of open-read-close over 200 small files.
run_orc() {
	out=$(timeout $STEP_TIMEOUT rxbench orc $3/orc 200 5 2>&1)
	case $out in
	orc*) result orc "$1" "$2" "$(echo "$out" | cut -d' ' -f2)" opens/s ;;
	*) err "orc on $1: $out" ;;
	esac
	rm -rf $3/orc
}

# timed WORKLOAD ID REP COUNT CMD...: files per second of a command.
timed() {
	wl=$1 id=$2 rep=$3 count=$4
	shift 4
	out=$(timeout $STEP_TIMEOUT rxbench time "$@" 2>&1)
	t=$(echo "$out" | sed -n 's/^time \([0-9.]*\) s$/\1/p')
	if [ -z "$t" ]; then
		err "$wl on $id: $(echo "$out" | tail -n 3 | tr '\n' ' ')"
		return 1
	fi
	result "$wl" "$id" "$rep" "$(awk -v n="$count" -v t="$t" 'BEGIN { printf "%.1f", n / t }')" files/s
}

run_tree() {
	id=$1 rep=$2 d=$B/$1/$1
	timed untar "$id" "$rep" "$NTREE" tar -xf /bench/tree.tar -C $d || return
	drop_caches
	timed tar-read "$id" "$rep" "$NTREE" tar -cf /dev/null -C $d tree
	drop_caches
	out=$(timeout $STEP_TIMEOUT rxbench stattree $d/tree 2 2>&1)
	case $out in
	stat-tree*) result stat-2x "$id" "$rep" "$(echo "$out" | cut -d' ' -f2)" stats/s ;;
	*) err "stat-2x on $id: $out" ;;
	esac
	timed rm-rf "$id" "$rep" "$NTREE" rm -rf $d/tree
	[ -e $d/tree ] && err "rm-rf on $id left $d/tree"
	rm -rf $d/tree
}

# profile ID WORKLOAD CMD...: run CMD under a system-wide perf record and
# print where the CPUs spent their time: per command, then the hottest
# symbols ("PERF ID WORKLOAD comm|sym: ...").
profile() {
	pid=$1 pwl=$2
	shift 2
	if ! timeout $STEP_TIMEOUT perf record -q -a -e cpu-clock -F 499 -o /tmp/perf.data \
		-- "$@" >/dev/null 2>/tmp/perf.err; then
		note "perf on $pid $pwl: $(tail -n 2 /tmp/perf.err | tr '\n' ' ')"
		return
	fi
	perf report -i /tmp/perf.data --stdio --no-children --sort comm -g none 2>/dev/null |
		awk -v p="PERF $pid $pwl comm:" '/%/ && n < 8 { s = s " " $2 " " $1; n++ } END { print p s }'
	perf report -i /tmp/perf.data --stdio --no-children --sort dso,sym -g none 2>/dev/null |
		grep '%' | head -n 15 | sed "s/^ */PERF $pid $pwl sym: /"
	rm -f /tmp/perf.data
}

run_perf() {
	id=$1 d=$B/$1/$1
	fio_jobs $d >/tmp/$id.fio
	for sec in seqwrite seqread-cold randread-4j randwrite-4j; do
		profile "$id" "$sec" fio --minimal --section=$sec /tmp/$id.fio
	done
	rm -f $d/seqfile
	if want_work tree; then
		profile "$id" untar tar -xf /bench/tree.tar -C $d
		drop_caches
		profile "$id" stat-2x rxbench stattree $d/tree 2
		rm -rf $d/tree
	fi
}

if [ "$CLIENTS" = all ]; then
	CLIENTS="rx9p-none rx9p-cto rx9p-loose rx9p-cto-nc4 rx9p-none-nc4 v9fs-none v9fs-loose v9fs-mmap v9fs-readahead nfs-4.2 tmpfs-ram"
	CLIENTS="$CLIENTS rx9p-none-ganesha rx9p-cto-ganesha v9fs-none-ganesha v9fs-loose-ganesha"
fi
for c in $CLIENTS; do
	add_client "$c"
done
NTREE=$(tar -tf /bench/tree.tar | wc -l)
echo "# clients:$ACTIVE; tree: $NTREE entries, $(du -k /bench/tree.tar | cut -f1) KiB"

T0=$(now)
rep=1
while [ $rep -le "$REPS" ]; do
	# Rotate the clients between repetitions so that no one always runs
	# first or last.
	set -- $ACTIVE
	i=1
	while [ $i -lt "$rep" ]; do
		first=$1
		shift
		set -- "$@" "$first"
		i=$((i + 1))
	done
	for id in "$@"; do
		case $id in nfs-*) nfs_ready || continue ;; esac
		tc0=$(now)
		for w in fio meta tree; do
			want_work $w || continue
			# v9fs's mmap and readahead modes cache data only: their
			# names and attributes behave as in cache=none
			case $id:$w in
			v9fs-mmap:fio | v9fs-readahead:fio) ;;
			v9fs-mmap:* | v9fs-readahead:*) continue ;;
			# nconnect spreads open files' data; metadata stays on
			# the first connection
			*-nc[0-9]*:fio) ;;
			*-nc[0-9]*:*) continue ;;
			# the large-msize server: what the data path does
			*-ganesha:fio) ;;
			*-ganesha:*) continue ;;
			esac
			t1=$(now)
			run_$w "$id" "$rep"
			case $id in
			*-ganesha)
				ganesha_alive || [ -n "$GANESHA_DIED" ] || {
					GANESHA_DIED=1
					err "nfs-ganesha died during $id $w: $(tail -n 3 /tmp/ganesha.log | tr '\n' ' ')"
				} ;;
			esac
			echo "# rep $rep $id $w: $(awk -v a="$t1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s"
		done
		echo "# rep $rep $id done in $(awk -v a="$tc0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }') s"
	done
	# after the clients: the NFS server's start no longer competes
	r=$(rxbench tcp "$TCPMB")
	case $r in
	tcp*) echo "R tcp-loopback tcp - $rep $(echo "$r" | cut -d' ' -f2) MB/s" ;;
	*) err "tcp: $r" ;;
	esac
	rep=$((rep + 1))
done
echo "# workloads took $(awk -v a="$T0" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }') s"

if [ "$PERF" = 1 ]; then
	if command -v perf >/dev/null; then
		for id in $PERF_CLIENTS; do
			case " $ACTIVE " in *" $id "*) run_perf "$id" ;; esac
		done
	else
		note "perf: not in the initramfs (make bench BENCH_PERF=1 adds it)"
	fi
fi

for id in $ACTIVE; do
	case $id in nfs-*) nfs_ready || continue ;; esac
	umount $B/$id 2>/dev/null || err "umount $B/$id: busy or failed"
done
# What the kernel said while the clients were in use (module taint
# messages aside).
dmesg | tail -n +"$((KMSG0 + 1))" | grep -v -e 'module verification failed' \
	-e 'loading out-of-tree module' | sed 's/^/K /'
exit 0
