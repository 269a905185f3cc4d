// SPDX-License-Identifier: GPL-2.0
/*
 * rxio: file I/O with data checks for the functional tests, where busybox
 * has no tool for it (pwrite/pread with patterns, O_DIRECT, mmap, locks,
 * flock, renameat2, xattrs, another uid).  Built statically by
 * tests/vm/mkinitramfs.sh.
 *
 * Data is a deterministic pattern: the byte at file offset O for seed S is
 * a hash of (O / 8, S), so any region can be checked without a second copy
 * and misplaced data shows.  Seed "z" means zeros (holes).
 *
 *   rxio pattern OFF LEN SEED          the pattern bytes, on stdout
 *   rxio randio FILE SIZE OPS SEED SHADOW
 *                                      OPS random preads/pwrites over a
 *                                      SIZE-byte file (created), each read
 *                                      checked against an in-memory copy;
 *                                      then the whole file; the copy is
 *                                      written to SHADOW
 *   rxio stats PATH [FIELD]            rxloop's RXLOOP_IOC_STATS counters
 *   rxio asuser UID GID CMD [ARGS...]  run CMD with these real, effective
 *                                      and saved ids and no groups
 *   rxio run STEP...                   a script of steps, below
 *
 * Steps are NAME[=ARG:ARG...].  A step must succeed, unless it ends in
 * "!ERRNO" (it must fail with that errno, e.g. "setlk=w:0:0!EAGAIN") or
 * "!?" (any result).  Each step's result is printed; the first unexpected
 * one ends the run with status 1.  Offsets and lengths take k, m, g.
 *
 *   open=PATH[:FLAGS]   FLAGS: rdonly,wronly,rdwr,creat,excl,trunc,append,
 *                       direct,sync (default rdwr,creat); the new fd becomes
 *                       current; fds are numbered from 0 as opened
 *   fd=N  close  fsync  seek=OFF  ftrunc=LEN  fstat=SIZE[:NLINK] ("-": any)
 *   pw=OFF:LEN:SEED[:BS]   pwrite the pattern in BS pieces (default 64k)
 *   pr=OFF:LEN:SEED[:BS]   pread and compare; a short read fails
 *   eof=OFF                pread at OFF finds the end of file
 *   write=TEXT             write(2) TEXT at the file position
 *   map=OFF:LEN            mmap MAP_SHARED (rdwr fds: read+write)
 *   mw=OFF:LEN:SEED  mr=OFF:LEN:SEED   write / compare through the map
 *   msync  unmap
 *   setlk=T:START:LEN  setlkw=T:START:LEN   T: r, w or u (unlock)
 *   getlk=T:START:LEN:WANT   WANT: u (no conflict), r or w (the holder's)
 *   flock=ex|sh|un[,nb]
 *   unlink=PATH  rename2=OLD:NEW:noreplace|exchange|none
 *   setx=PATH:NAME:VALUE[:create|replace]  getx=PATH:NAME[:VALUE]
 *   listx=PATH:NAME,NAME...  (exactly these names; "-" for none)
 *   rmx=PATH:NAME
 *   touch=PATH  wait=PATH[:SECS]  sleep=MS
 *   ls=DIR              readdir(3) DIR to the end; prints "  ls: N entries:"
 *                       and the names, bytes outside [!-~] and '\' as \xHH
 *
 * SIGINT and SIGTERM are caught without SA_RESTART, so a blocking step
 * they interrupt fails with EINTR ("timeout -s INT 2 rxio run ...").
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "rxloop_ioctl.h"

#define MAX_FDS		16
#define MAX_ARGS	6
#define ALIGN		4096

static int fds[MAX_FDS];
static int nfds;
static int cur = -1;
static unsigned char *map_addr;
static size_t map_len;
static uint64_t map_off;	/* file offset of map_addr[0] */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("rxio: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static const char *errname(int err)
{
	const char *name;

	if (!err)
		return "OK";
	name = strerrorname_np(err);
	return name ? name : "EUNKNOWN";
}

static int errno_of(const char *name)
{
	int e;

	if (!strcmp(name, "OK"))
		return 0;
	if (!strcmp(name, "EWOULDBLOCK"))
		return EWOULDBLOCK;
	if (!strcmp(name, "ENOTSUP"))
		return ENOTSUP;
	for (e = 1; e < 256; e++) {
		const char *n = strerrorname_np(e);

		if (n && !strcmp(n, name))
			return e;
	}
	die("unknown errno name %s", name);
}

static uint64_t num(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		die("not a number: %s", s);
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end)
		die("not a number: %s", s);
	return v;
}

/* The pattern: one 64-bit hash per aligned 8 bytes. */
static uint64_t mix(uint64_t word, unsigned int seed)
{
	uint64_t x = word * 0x9E3779B97F4A7C15ull ^ (seed + 1) * 0xD1B54A32D192ED03ull;

	x ^= x >> 31;
	x *= 0xBF58476D1CE4E5B9ull;
	x ^= x >> 29;
	x *= 0x94D049BB133111EBull;
	return x ^ (x >> 32);
}

/* seed < 0: zeros. */
static void fill(unsigned char *buf, uint64_t off, size_t len, long seed)
{
	size_t i = 0;

	if (seed < 0) {
		memset(buf, 0, len);
		return;
	}
	while (i < len) {
		uint64_t o = off + i, x = mix(o >> 3, seed);
		unsigned int b;

		for (b = o & 7; b < 8 && i < len; b++, i++)
			buf[i] = x >> (b * 8);
	}
}

static long seed_of(const char *s)
{
	return !strcmp(s, "z") ? -1 : (long)num(s);
}

/* Compare BUF (LEN bytes at file offset OFF) with the pattern. */
static int check(const char *what, const unsigned char *buf, uint64_t off,
		 size_t len, long seed)
{
	unsigned char want[4096];
	size_t i, n;

	for (i = 0; i < len; i += n) {
		n = len - i < sizeof(want) ? len - i : sizeof(want);
		fill(want, off + i, n, seed);
		if (memcmp(buf + i, want, n)) {
			size_t j = 0;

			while (buf[i + j] == want[j])
				j++;
			printf("FAIL: %s: byte at offset %" PRIu64
			       " is 0x%02x, expected 0x%02x (seed %s)\n", what,
			       off + i + j, buf[i + j], want[j],
			       seed < 0 ? "z" : "given");
			return -1;
		}
	}
	return 0;
}

static void *alloc(size_t len)
{
	void *p;

	if (posix_memalign(&p, ALIGN, len ? len : 1))
		die("out of memory");
	return p;
}

static int open_flags(const char *s)
{
	static const struct { const char *name; int flag; } tab[] = {
		{ "rdonly", O_RDONLY }, { "wronly", O_WRONLY }, { "rdwr", O_RDWR },
		{ "creat", O_CREAT }, { "excl", O_EXCL }, { "trunc", O_TRUNC },
		{ "append", O_APPEND }, { "direct", O_DIRECT }, { "sync", O_SYNC },
	};
	char *copy = strdup(s), *tok, *save = NULL;
	int flags = 0;
	size_t i;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
			if (!strcmp(tok, tab[i].name))
				break;
		if (i == sizeof(tab) / sizeof(tab[0]))
			die("unknown open flag '%s'", tok);
		flags |= tab[i].flag;
	}
	free(copy);
	return flags;
}

/*
 * The I/O steps.  Each returns 0 or an errno; a data mismatch prints its
 * own message and returns -1.
 */
static int do_pwrite(int fd, uint64_t off, uint64_t len, long seed, size_t bs)
{
	unsigned char *buf = alloc(bs);
	uint64_t done = 0;

	while (done < len) {
		size_t n = len - done < bs ? len - done : bs;
		ssize_t r;

		fill(buf, off + done, n, seed);
		r = pwrite(fd, buf, n, off + done);
		if (r < 0) {
			free(buf);
			return errno;
		}
		if (r == 0) {
			free(buf);
			return EIO;
		}
		done += r;
	}
	free(buf);
	return 0;
}

static int do_pread(int fd, uint64_t off, uint64_t len, long seed, size_t bs)
{
	unsigned char *buf = alloc(bs);
	uint64_t done = 0;
	int ret = 0;

	while (done < len) {
		size_t n = len - done < bs ? len - done : bs;
		ssize_t r = pread(fd, buf, n, off + done);

		if (r < 0) {
			ret = errno;
			break;
		}
		if (r == 0) {
			printf("FAIL: pread: end of file at %" PRIu64
			       ", expected %" PRIu64 " more bytes\n",
			       off + done, len - done);
			ret = -1;
			break;
		}
		if (check("pread", buf, off + done, r, seed)) {
			ret = -1;
			break;
		}
		done += r;
	}
	free(buf);
	return ret;
}

static int lock_type(const char *s)
{
	switch (*s) {
	case 'r': return F_RDLCK;
	case 'w': return F_WRLCK;
	case 'u': return F_UNLCK;
	}
	die("lock type %s: use r, w or u", s);
}

static int do_fcntl_lock(int cmd, char **a, int n)
{
	struct flock fl = { 0 };

	if (n < 3)
		die("lock steps take TYPE:START:LEN");
	fl.l_type = lock_type(a[0]);
	fl.l_whence = SEEK_SET;
	fl.l_start = num(a[1]);
	fl.l_len = num(a[2]);
	if (fcntl(fds[cur], cmd, &fl) < 0)
		return errno;
	if (cmd == F_GETLK) {
		char got = fl.l_type == F_UNLCK ? 'u' : fl.l_type == F_RDLCK ? 'r' : 'w';

		printf("  getlk: %c start %lld len %lld pid %d\n", got,
		       (long long)fl.l_start, (long long)fl.l_len, (int)fl.l_pid);
		if (n > 3 && got != a[3][0]) {
			printf("FAIL: getlk reports '%c', expected '%c'\n", got, a[3][0]);
			return -1;
		}
	}
	return 0;
}

static int do_flock(const char *how)
{
	int op;

	if (!strncmp(how, "ex", 2))
		op = LOCK_EX;
	else if (!strncmp(how, "sh", 2))
		op = LOCK_SH;
	else if (!strncmp(how, "un", 2))
		op = LOCK_UN;
	else
		die("flock=ex|sh|un[,nb]");
	if (strstr(how, ",nb"))
		op |= LOCK_NB;
	return flock(fds[cur], op) < 0 ? errno : 0;
}

static int do_map(uint64_t off, uint64_t len)
{
	int acc = fcntl(fds[cur], F_GETFL) & O_ACCMODE;
	int prot = PROT_READ | (acc == O_RDWR ? PROT_WRITE : 0);
	uint64_t start = off & ~(uint64_t)(ALIGN - 1);
	void *p;

	if (map_addr)
		die("map: unmap first");
	p = mmap(NULL, off + len - start, prot, MAP_SHARED, fds[cur], start);
	if (p == MAP_FAILED)
		return errno;
	map_addr = p;
	map_len = off + len - start;
	map_off = start;
	return 0;
}

static unsigned char *in_map(uint64_t off, uint64_t len)
{
	if (!map_addr || off < map_off || off + len > map_off + map_len)
		die("region %" PRIu64 "+%" PRIu64 " is not mapped", off, len);
	return map_addr + (off - map_off);
}

static int do_setx(char **a, int n)
{
	int flags = 0;

	if (n < 3)
		die("setx=PATH:NAME:VALUE[:create|replace]");
	if (n > 3 && !strcmp(a[3], "create"))
		flags = XATTR_CREATE;
	else if (n > 3 && !strcmp(a[3], "replace"))
		flags = XATTR_REPLACE;
	else if (n > 3)
		die("setx: %s: use create or replace", a[3]);
	return setxattr(a[0], a[1], a[2], strlen(a[2]), flags) < 0 ? errno : 0;
}

static int do_getx(char **a, int n)
{
	char buf[65536];
	ssize_t len, size;

	if (n < 2)
		die("getx=PATH:NAME[:VALUE]");
	size = getxattr(a[0], a[1], NULL, 0);
	if (size < 0)
		return errno;
	len = getxattr(a[0], a[1], buf, sizeof(buf) - 1);
	if (len < 0)
		return errno;
	buf[len] = 0;
	printf("  getx: %zd bytes (size query %zd): %.60s\n", len, size, buf);
	if (size != len) {
		printf("FAIL: size query gave %zd, the value has %zd bytes\n", size, len);
		return -1;
	}
	if (n > 2 && ((size_t)len != strlen(a[2]) || memcmp(buf, a[2], len))) {
		printf("FAIL: value differs from '%.60s'\n", a[2]);
		return -1;
	}
	if (len > 1) {	/* a buffer one byte short must give ERANGE */
		if (getxattr(a[0], a[1], buf, len - 1) >= 0 || errno != ERANGE) {
			printf("FAIL: getxattr into a short buffer: %s, expected ERANGE\n",
			       errname(errno));
			return -1;
		}
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names listed, sorted and comma-separated, must be WANT's. */
static int do_listx(char **a, int n)
{
	char buf[65536], got[65536] = "", *names[1024], *p;
	char *want, *wv[1024];
	ssize_t len;
	int i, k = 0, nw = 0;

	if (n < 2)
		die("listx=PATH:NAME,NAME...");
	len = listxattr(a[0], buf, sizeof(buf));
	if (len < 0)
		return errno;
	for (p = buf; p < buf + len && k < 1024; p += strlen(p) + 1)
		if (strncmp(p, "security.", 9) && strncmp(p, "system.", 7))
			names[k++] = p;
	qsort(names, k, sizeof(names[0]), cmp_str);
	for (i = 0; i < k; i++) {
		strcat(got, i ? "," : "");
		strncat(got, names[i], sizeof(got) - strlen(got) - 2);
	}
	want = strdup(strcmp(a[1], "-") ? a[1] : "");
	for (p = strtok(want, ","); p && nw < 1024; p = strtok(NULL, ","))
		wv[nw++] = p;
	qsort(wv, nw, sizeof(wv[0]), cmp_str);
	printf("  listx: %s\n", k ? got : "-");
	for (i = 0; i < nw || i < k; i++) {
		if (i >= nw || i >= k || strcmp(wv[i], names[i])) {
			printf("FAIL: listxattr gives '%s', expected '%s'\n", got, a[1]);
			free(want);
			return -1;
		}
	}
	free(want);
	return 0;
}

/* List DIR: every name, escaped so odd bytes show; returns an errno. */
static int do_ls(const char *path)
{
	const unsigned char *p;
	struct dirent *de;
	unsigned long n = 0;
	size_t cap = 4096, len = 0, need;
	char *out = malloc(cap);
	DIR *d = opendir(path);
	int err;

	if (!d || !out) {
		err = errno;
		free(out);
		return err;
	}
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de)
			break;
		n++;
		need = len + 2 + 4 * strlen(de->d_name);
		if (need > cap) {
			cap = 2 * need;
			out = realloc(out, cap);
			if (!out)
				die("out of memory");
		}
		out[len++] = ' ';	/* an empty name shows as two spaces */
		for (p = (const unsigned char *)de->d_name; *p; p++) {
			if (*p > ' ' && *p <= '~' && *p != '\\')
				out[len++] = *p;
			else
				len += sprintf(out + len, "\\x%02x", *p);
		}
	}
	err = errno;
	closedir(d);
	out[len] = 0;
	printf("  ls: %lu entries:%s\n", n, out);
	free(out);
	return err;
}

static int do_wait(const char *path, double secs)
{
	double t0 = now_ms();

	while (access(path, F_OK)) {
		if (now_ms() - t0 > secs * 1000) {
			printf("FAIL: %s did not appear within %.0fs\n", path, secs);
			return -1;
		}
		usleep(10000);
	}
	return 0;
}

static int need_fd(void)
{
	if (cur < 0)
		die("no open file");
	return fds[cur];
}

/* Split S at ':' into at most MAX fields, the last one taking the rest. */
static int split(char *s, char **a, int max)
{
	int n = 0;

	if (!s)
		return 0;
	while (n < max - 1) {
		char *c = strchr(s, ':');

		a[n++] = s;
		if (!c)
			return n;
		*c = 0;
		s = c + 1;
	}
	a[n++] = s;
	return n;
}

/* Run one step NAME=ARGS; return 0, an errno or -1 (already reported). */
static int step(const char *name, char *argstr)
{
	char *a[MAX_ARGS] = { 0 };
	struct stat st;
	int n;

	n = split(argstr, a, !strcmp(name, "write") || !strcmp(name, "touch") ||
		  !strcmp(name, "unlink") ? 1 : MAX_ARGS);

	if (!strcmp(name, "open")) {
		int fd;

		if (n < 1 || nfds == MAX_FDS)
			die("open=PATH[:FLAGS]");
		fd = open(a[0], n > 1 ? open_flags(a[1]) : O_RDWR | O_CREAT, 0644);
		if (fd < 0)
			return errno;
		fds[nfds] = fd;
		cur = nfds++;
		return 0;
	}
	if (!strcmp(name, "fd")) {
		cur = n ? (int)num(a[0]) : -1;
		if (cur < 0 || cur >= nfds)
			die("fd=%s: no such fd", n ? a[0] : "");
		return 0;
	}
	if (!strcmp(name, "close"))
		return close(need_fd()) < 0 ? errno : 0;
	if (!strcmp(name, "fsync"))
		return fsync(need_fd()) < 0 ? errno : 0;
	if (!strcmp(name, "seek"))
		return lseek(need_fd(), num(a[0] ? a[0] : "0"), SEEK_SET) < 0 ? errno : 0;
	if (!strcmp(name, "ftrunc"))
		return ftruncate(need_fd(), num(a[0] ? a[0] : "0")) < 0 ? errno : 0;
	if (!strcmp(name, "fstat")) {
		if (fstat(need_fd(), &st) < 0)
			return errno;
		printf("  fstat: size %lld nlink %lu blocks %lld\n", (long long)st.st_size,
		       (unsigned long)st.st_nlink, (long long)st.st_blocks);
		if (n > 0 && strcmp(a[0], "-") && (uint64_t)st.st_size != num(a[0])) {
			printf("FAIL: size %lld, expected %s\n", (long long)st.st_size, a[0]);
			return -1;
		}
		if (n > 1 && strcmp(a[1], "-") && st.st_nlink != num(a[1])) {
			printf("FAIL: nlink %lu, expected %s\n", (unsigned long)st.st_nlink, a[1]);
			return -1;
		}
		return 0;
	}
	if (!strcmp(name, "pw") || !strcmp(name, "pr")) {
		size_t bs = n > 3 ? num(a[3]) : 65536;

		if (n < 3)
			die("%s=OFF:LEN:SEED[:BS]", name);
		return (name[1] == 'w' ? do_pwrite : do_pread)(need_fd(), num(a[0]),
				num(a[1]), seed_of(a[2]), bs);
	}
	if (!strcmp(name, "eof")) {
		char c;
		ssize_t r = pread(need_fd(), &c, 1, num(a[0] ? a[0] : "0"));

		if (r < 0)
			return errno;
		if (r) {
			printf("FAIL: data at %s, expected the end of file\n", a[0]);
			return -1;
		}
		return 0;
	}
	if (!strcmp(name, "write")) {
		const char *t = a[0] ? a[0] : "";
		ssize_t r = write(need_fd(), t, strlen(t));

		if (r < 0)
			return errno;
		return (size_t)r == strlen(t) ? 0 : EIO;
	}
	if (!strcmp(name, "map")) {
		if (n < 2)
			die("map=OFF:LEN");
		need_fd();
		return do_map(num(a[0]), num(a[1]));
	}
	if (!strcmp(name, "mw") || !strcmp(name, "mr")) {
		uint64_t off, len;

		if (n < 3)
			die("%s=OFF:LEN:SEED", name);
		off = num(a[0]);
		len = num(a[1]);
		if (name[1] == 'w') {
			fill(in_map(off, len), off, len, seed_of(a[2]));
			return 0;
		}
		return check("mmap read", in_map(off, len), off, len, seed_of(a[2]));
	}
	if (!strcmp(name, "msync")) {
		if (!map_addr)
			die("msync: nothing mapped");
		return msync(map_addr, map_len, MS_SYNC) < 0 ? errno : 0;
	}
	if (!strcmp(name, "unmap")) {
		int r = map_addr ? munmap(map_addr, map_len) : 0;

		map_addr = NULL;
		return r < 0 ? errno : 0;
	}
	if (!strcmp(name, "setlk") || !strcmp(name, "setlkw") || !strcmp(name, "getlk")) {
		need_fd();
		return do_fcntl_lock(!strcmp(name, "setlk") ? F_SETLK :
				     !strcmp(name, "setlkw") ? F_SETLKW : F_GETLK, a, n);
	}
	if (!strcmp(name, "flock")) {
		need_fd();
		return do_flock(a[0] ? a[0] : "");
	}
	if (!strcmp(name, "unlink"))
		return unlink(a[0] ? a[0] : "") < 0 ? errno : 0;
	if (!strcmp(name, "rename2")) {
		unsigned int flags = 0;

		if (n < 3)
			die("rename2=OLD:NEW:noreplace|exchange|none");
		if (!strcmp(a[2], "noreplace"))
			flags = RENAME_NOREPLACE;
		else if (!strcmp(a[2], "exchange"))
			flags = RENAME_EXCHANGE;
		return syscall(SYS_renameat2, AT_FDCWD, a[0], AT_FDCWD, a[1], flags) < 0 ?
			errno : 0;
	}
	if (!strcmp(name, "setx"))
		return do_setx(a, n);
	if (!strcmp(name, "getx"))
		return do_getx(a, n);
	if (!strcmp(name, "listx"))
		return do_listx(a, n);
	if (!strcmp(name, "rmx")) {
		if (n < 2)
			die("rmx=PATH:NAME");
		return removexattr(a[0], a[1]) < 0 ? errno : 0;
	}
	if (!strcmp(name, "touch")) {
		int fd = open(a[0] ? a[0] : "", O_WRONLY | O_CREAT, 0644);

		if (fd < 0)
			return errno;
		close(fd);
		return 0;
	}
	if (!strcmp(name, "ls"))
		return do_ls(a[0] ? a[0] : ".");
	if (!strcmp(name, "wait"))
		return do_wait(a[0] ? a[0] : "", n > 1 ? (double)num(a[1]) : 30);
	if (!strcmp(name, "sleep")) {
		usleep(num(a[0] ? a[0] : "0") * 1000);
		return 0;
	}
	die("unknown step %s", name);
}

static void on_signal(int sig)
{
	(void)sig;
}

static int cmd_run(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int i;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < argc; i++) {
		char *s = strdup(argv[i]), *bang = strrchr(s, '!'), *eq;
		const char *want = "OK";
		double t0;
		int err;

		if (bang) {
			*bang = 0;
			want = bang + 1;
		}
		eq = strchr(s, '=');
		if (eq)
			*eq++ = 0;
		t0 = now_ms();
		errno = 0;
		err = step(s, eq);
		printf("%s -> %s (%.0fms)\n", argv[i], err < 0 ? "MISMATCH" : errname(err),
		       now_ms() - t0);
		if (err < 0)
			return 1;
		if (strcmp(want, "?") && err != errno_of(want)) {
			printf("FAIL: %s: got %s, expected %s\n", argv[i], errname(err), want);
			return 1;
		}
		free(s);
	}
	return 0;
}

static int cmd_pattern(char **argv)
{
	uint64_t off = num(argv[0]), len = num(argv[1]);
	long seed = seed_of(argv[2]);
	unsigned char buf[65536];

	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		fill(buf, off, n, seed);
		if (fwrite(buf, 1, n, stdout) != n)
			return 1;
		off += n;
		len -= n;
	}
	return fflush(stdout) ? 1 : 0;
}

/* xorshift64 for the random I/O. */
static uint64_t rnd_state;
static uint64_t rnd(uint64_t bound)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state % bound;
}

static int cmd_randio(char **argv)
{
	const char *file = argv[0], *shadow_path = argv[4];
	uint64_t size = num(argv[1]), ops = num(argv[2]), i;
	unsigned int seed = num(argv[3]);
	unsigned char *shadow = calloc(1, size), *buf = malloc(size);
	uint64_t written = 0, readb = 0;
	FILE *out;
	int fd;

	if (!shadow || !buf || !size)
		die("randio: bad size");
	rnd_state = 0x2545F4914F6CDD1Dull ^ seed;
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		printf("FAIL: open %s: %s\n", file, errname(errno));
		return 1;
	}
	if (ftruncate(fd, size) < 0) {
		printf("FAIL: ftruncate: %s\n", errname(errno));
		return 1;
	}
	for (i = 0; i < ops; i++) {
		uint64_t off = rnd(size), max = size - off, len;
		const char *op;
		ssize_t r;

		/* mostly small, sometimes page-sized and larger */
		len = 1 + rnd(rnd(4) ? 5000 : 200000);
		if (len > max)
			len = max;
		op = rnd(2) ? "pwrite" : "pread";
		if (op[1] == 'w') {
			fill(shadow + off, off, len, seed + i + 1);
			memcpy(buf, shadow + off, len);
			r = pwrite(fd, buf, len, off);
			written += len;
		} else {
			r = pread(fd, buf, len, off);
			readb += len;
			if (r == (ssize_t)len && memcmp(buf, shadow + off, len)) {
				uint64_t j = 0;

				while (buf[j] == shadow[off + j])
					j++;
				printf("FAIL: op %" PRIu64 ": pread(%" PRIu64 ", %" PRIu64
				       "): byte at %" PRIu64 " is 0x%02x, expected 0x%02x\n",
				       i, off, len, off + j, buf[j], shadow[off + j]);
				return 1;
			}
		}
		if (r != (ssize_t)len) {
			printf("FAIL: op %" PRIu64 ": %s(%" PRIu64 ", %" PRIu64 ") gave %zd (%s)\n",
			       i, op, off, len, r,
			       r < 0 ? errname(errno) : "short");
			return 1;
		}
	}
	if (pread(fd, buf, size, 0) != (ssize_t)size || memcmp(buf, shadow, size)) {
		printf("FAIL: the whole file differs from the expected content after %" PRIu64
		       " operations\n", ops);
		return 1;
	}
	if (close(fd) < 0) {
		printf("FAIL: close: %s\n", errname(errno));
		return 1;
	}
	out = fopen(shadow_path, "w");
	if (!out || fwrite(shadow, 1, size, out) != size || fclose(out))
		die("cannot write %s", shadow_path);
	printf("randio: %" PRIu64 " ops, %" PRIu64 " bytes written, %" PRIu64 " read\n",
	       ops, written, readb);
	free(shadow);
	free(buf);
	return 0;
}

/* One counter: all of them are printed, or only WANT's value. */
static void stat_line(const char *want, const char *name, __u64 v)
{
	if (!want)
		printf("%s %llu\n", name, (unsigned long long)v);
	else if (!strcmp(want, name))
		printf("%llu\n", (unsigned long long)v);
}

static int cmd_stats(char **argv, int argc)
{
	static const char *const ops[] = { "read", "write", "sharedlock",
		"exclusivelock", "unlock", "unlock_multiple", "fsctl", "ioctl" };
	static const char *const modes[] = { "inline", "softirq", "workqueue", "delayed" };
	const char *want = argc > 1 ? argv[1] : NULL;
	struct rxloop_stats s;
	char name[64];
	int fd = open(argv[0], O_RDONLY), i;

	if (fd < 0 || ioctl(fd, RXLOOP_IOC_STATS, &s) < 0) {
		printf("%s\n", errname(errno));
		return 1;
	}
	close(fd);
	for (i = 0; i < RXLOOP_OP_NR; i++) {
		snprintf(name, sizeof(name), "op_%s", ops[i]);
		stat_line(want, name, s.ops[i]);
	}
	for (i = 0; i < RXLOOP_MODE_NR; i++) {
		snprintf(name, sizeof(name), "completed_%s", modes[i]);
		stat_line(want, name, s.completions[i]);
	}
	stat_line(want, "cancelled", s.cancelled);
	stat_line(want, "injected", s.injected);
	stat_line(want, "lock_waits", s.lock_waits);
	stat_line(want, "bytes_read", s.bytes_read);
	stat_line(want, "bytes_written", s.bytes_written);
	stat_line(want, "opens", s.opens);
	stat_line(want, "closes", s.closes);
	stat_line(want, "flushes", s.flushes);
	stat_line(want, "server_id", s.server_id);
	stat_line(want, "server_mounts", s.server_mounts);
	stat_line(want, "server_used", s.server_used);
	stat_line(want, "server_size", s.server_size);
	stat_line(want, "server_nodes", s.server_nodes);
	return 0;
}

static int cmd_asuser(char **argv)
{
	uid_t uid = num(argv[0]);
	gid_t gid = num(argv[1]);

	if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
		die("cannot become %u:%u: %s", uid, gid, errname(errno));
	execvp(argv[2], argv + 2);
	die("exec %s: %s", argv[2], errname(errno));
}

static void usage(void)
{
	fprintf(stderr, "usage: rxio pattern OFF LEN SEED | randio FILE SIZE OPS SEED SHADOW |\n"
		"       stats PATH [FIELD] | asuser UID GID CMD... | run STEP...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "pattern") && argc == 5)
		return cmd_pattern(argv + 2);
	if (!strcmp(argv[1], "randio") && argc == 7)
		return cmd_randio(argv + 2);
	if (!strcmp(argv[1], "stats") && argc >= 3)
		return cmd_stats(argv + 2, argc - 2);
	if (!strcmp(argv[1], "asuser") && argc >= 5)
		return cmd_asuser(argv + 2);
	usage();
}
