// SPDX-License-Identifier: GPL-2.0
/*
 * rx9pstat: statistics of rx9p mounts, read from /proc/self/mountstats
 * (format: Documentation/filesystems/rdbss.rst, "Observing a mount", and
 * Documentation/filesystems/rx9p.rst, "Statistics"; manual: rx9pstat(8)).
 *
 *   rx9pstat [-i] [-m] [-f FILE]... [INTERVAL [COUNT]] [MOUNTPOINT...]
 *   rx9pstat -l [-f FILE] [MOUNTPOINT...]
 *
 * Like nfsiostat: the first report gives each mount's rates since it was
 * mounted, then every INTERVAL seconds the rates over that interval, from
 * the difference of two reads.  -l lists the totals once.  Several -f
 * files are snapshots taken INTERVAL seconds apart, read in turn without
 * sleeping (the tests' deterministic interval mode).
 *
 * The input is untrusted text: lines are read into a bounded buffer, every
 * number is checked, and a line that does not parse is skipped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef RX9PSTAT_VERSION
#define RX9PSTAT_VERSION "unknown"
#endif

#define PROG		"rx9pstat"
#define MOUNTSTATS	"/proc/self/mountstats"
#define STATVERS_MAJOR	1

#define LINE_MAX_LEN	65536		/* a longer line is skipped */
#define MAX_MOUNTS	4096		/* rx9p mounts kept from one read */
#define MAX_FILES	64		/* -f snapshots */
#define MAX_INTERVAL	(7 * 24 * 3600)
#define MAX_FIELDS	16		/* numbers on one line we parse */

/* "bytes:" and "events:" fields, in the kernel's order */
#define NR_BYTES	8
static const char * const byte_names[NR_BYTES] = {
	"read", "written", "read O_DIRECT", "written O_DIRECT",
	"read from server", "written to server", "pages read",
	"pages written",
};

#define NR_EVENTS	11
static const char * const event_names[NR_EVENTS] = {
	"readahead", "read_folio", "writeback batches", "folios written",
	"invalidations", "attr cached", "attr from server", "dentry kept",
	"dentry dropped", "done at DISPATCH", "posted to PASSIVE",
};

/* per-op lines: ops errors bytes total_us max_us and 6 histogram buckets */
#define NR_OPS		25
#define OP_READ		19
#define OP_WRITE	20
static const char * const op_names[NR_OPS] = {
	"LOOKUP", "OPEN", "CREATE", "MKDIR", "UNLINK", "RMDIR", "RENAME",
	"LINK", "SYMLINK", "MKNOD", "READLINK", "CLOSE", "GETATTR", "SETATTR",
	"STATFS", "READDIR", "FSYNC", "GETXATTR", "SETXATTR", "READ", "WRITE",
	"LOCK", "UNLOCK", "FSCTL", "IOCTL",
};

#define NR_OPF		11
#define F_OPS		0
#define F_ERRORS	1
#define F_BYTES		2
#define F_TOTAL		3
#define F_MAX		4

/* per-message lines: count errors total_us max_us */
#define NR_MSGS		27
static const char * const msg_names[NR_MSGS] = {
	"Tversion", "Tattach", "Twalk", "Tlopen", "Tlcreate", "Tread",
	"Twrite", "Tclunk", "Tremove", "Tgetattr", "Tsetattr", "Treaddir",
	"Tfsync", "Tstatfs", "Tmkdir", "Tsymlink", "Tmknod", "Trename",
	"Trenameat", "Tunlinkat", "Tlink", "Treadlink", "Txattrwalk",
	"Txattrcreate", "Tlock", "Tgetlock", "Tflush",
};

#define NR_MF		4
#define M_COUNT		0
#define M_ERRORS	1
#define M_TOTAL		2
#define M_MAX		3

/* "xprt:" numbers after the state word */
#define NR_XPRT		12
enum {
	X_CONNECTS, X_RECONNECTS, X_INFLIGHT, X_MAXINFLIGHT, X_SENT,
	X_RECEIVED, X_BSENT, X_BRECEIVED, X_RESENT, X_FLUSHES, X_PROTO,
	X_TIMEOUTS,
};

struct rx_mount {
	char *dev;			/* names unescaped */
	char *mnt;
	char *opts;
	char *vers;
	char *trans;
	char *server;
	char statvers[16];
	unsigned long long port, msize;
	long long age;
	bool have_age, have_bytes, have_events, have_rx9p, have_xprt;
	bool matched;			/* paired with one of the next read */
	unsigned long long bytes[NR_BYTES];
	unsigned long long events[NR_EVENTS];
	bool have_op[NR_OPS];
	unsigned long long op[NR_OPS][NR_OPF];
	bool have_msg[NR_MSGS];
	unsigned long long msg[NR_MSGS][NR_MF];
	char state[16];
	unsigned long long xprt[NR_XPRT];
};

struct snapshot {
	struct rx_mount **m;
	size_t n;
	bool full;			/* MAX_MOUNTS reached */
};

/* a MOUNTPOINT argument */
struct named {
	const char *arg;
	char *path;			/* absolute, lexically normalized */
	bool found;
	char fstype[32];		/* of a mount of another type there */
};

static struct named *named;
static int nnamed;
static bool opt_msgs;
static bool warn_format = true;	/* on the first read only */

static void __attribute__((noreturn)) oom(void)
{
	fprintf(stderr, "%s: out of memory\n", PROG);
	exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		oom();
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom();
	return p;
}

/* Undo the kernel's \ooo escapes of blanks, newlines and backslashes. */
static char *unescape(const char *s)
{
	char *out = xcalloc(1, strlen(s) + 1), *o = out;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7' &&
		    (s[1] != '0' || s[2] != '0' || s[3] != '0')) {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	return out;
}

/* A name from the input, safe for a terminal: control bytes as \ooo. */
static void print_name(FILE *f, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\%03o", *p);
		else
			fputc(*p, f);
	}
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *skip_blanks(char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

/* An unsigned decimal at *s, digits only, no overflow; *s moves past it. */
static bool parse_u64(const char **s, unsigned long long *v)
{
	const char *p = *s;
	unsigned long long n = 0;
	unsigned int d;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		d = (unsigned int)(*p - '0');
		if (n > (ULLONG_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*s = p;
	*v = n;
	return true;
}

/*
 * n numbers separated by blanks, then the end or a blank: fields appended
 * by a later kernel are ignored.  v is written only if all n parse.
 */
static bool parse_fields(const char *s, unsigned long long *v, int n)
{
	unsigned long long tmp[MAX_FIELDS];
	int i;

	if (n > MAX_FIELDS)
		return false;
	for (i = 0; i < n; i++) {
		while (is_blank(*s))
			s++;
		if (!parse_u64(&s, &tmp[i]) || (*s && !is_blank(*s)))
			return false;
	}
	memcpy(v, tmp, n * sizeof(*v));
	return true;
}

static bool parse_age(const char *s, long long *v)
{
	unsigned long long u;
	bool neg;

	while (is_blank(*s))
		s++;
	neg = *s == '-';
	s += neg;
	if (!parse_u64(&s, &u) || (*s && !is_blank(*s)) || u > LLONG_MAX)
		return false;
	*v = neg ? -(long long)u : (long long)u;
	return true;
}

static int find_name(const char * const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

/* "vers=9P2000.L trans=tcp server=ADDR port=N msize=N" */
static void parse_rx9p(struct rx_mount *m, char *s)
{
	char *tok, *save, *val, *vers = NULL, *trans = NULL, *server = NULL;
	unsigned long long port = 0, msize = 0;
	const char *p;

	for (tok = strtok_r(s, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		val = strchr(tok, '=');
		if (!val)
			continue;
		*val++ = '\0';
		p = val;
		if (!strcmp(tok, "vers"))
			vers = val;
		else if (!strcmp(tok, "trans"))
			trans = val;
		else if (!strcmp(tok, "server"))
			server = val;
		else if (!strcmp(tok, "port") && (!parse_u64(&p, &port) || *p))
			return;
		else if (!strcmp(tok, "msize") && (!parse_u64(&p, &msize) || *p))
			return;
	}
	if (!vers || !trans || !server)
		return;
	free(m->vers);
	free(m->trans);
	free(m->server);
	m->vers = xstrdup(vers);
	m->trans = xstrdup(trans);
	m->server = unescape(server);
	m->port = port;
	m->msize = msize;
	m->have_rx9p = true;
}

/* "STATE N N N N N N N N N N N N" */
static void parse_xprt(struct rx_mount *m, char *s)
{
	size_t n = 0;

	s = skip_blanks(s);
	while (s[n] >= 'a' && s[n] <= 'z')
		n++;
	if (!n || n >= sizeof(m->state) || !is_blank(s[n]) ||
	    !parse_fields(s + n, m->xprt, NR_XPRT))
		return;
	memcpy(m->state, s, n);
	m->state[n] = '\0';
	m->have_xprt = true;
}

/* where in an entry a line is: which table it belongs to */
enum section { SEC_NONE, SEC_OPS, SEC_MSGS };

/*
 * One line of an rx9p entry, its leading tab included.  Keyed lines are
 * "\tkey:\tfields"; table rows are "\t    NAME: fields" and belong to the
 * table whose heading came last.
 */
static void parse_stat_line(struct rx_mount *m, char *line, enum section *sec)
{
	char *key = skip_blanks(line), *rest;
	int i;

	if (!strcmp(key, "per-op statistics")) {
		*sec = SEC_OPS;
		return;
	}
	if (!strcmp(key, "per-message statistics")) {
		*sec = SEC_MSGS;
		return;
	}
	rest = strchr(key, ':');
	if (!rest) {
		*sec = SEC_NONE;	/* a heading a later kernel added */
		return;
	}
	*rest++ = '\0';
	if (*rest == ' ') {
		/* a table row; a name we do not know is a row added later */
		if (*sec == SEC_OPS) {
			i = find_name(op_names, NR_OPS, key);
			if (i >= 0 && parse_fields(rest, m->op[i], NR_OPF))
				m->have_op[i] = true;
		} else if (*sec == SEC_MSGS) {
			i = find_name(msg_names, NR_MSGS, key);
			if (i >= 0 && parse_fields(rest, m->msg[i], NR_MF))
				m->have_msg[i] = true;
		}
		return;
	}
	*sec = SEC_NONE;
	if (!strcmp(key, "opts")) {
		free(m->opts);
		m->opts = xstrdup(skip_blanks(rest));
	} else if (!strcmp(key, "age")) {
		m->have_age = parse_age(rest, &m->age);
	} else if (!strcmp(key, "bytes")) {
		m->have_bytes = parse_fields(rest, m->bytes, NR_BYTES);
	} else if (!strcmp(key, "events")) {
		m->have_events = parse_fields(rest, m->events, NR_EVENTS);
	} else if (!strcmp(key, "rx9p")) {
		parse_rx9p(m, rest);
	} else if (!strcmp(key, "xprt")) {
		parse_xprt(m, rest);
	}
}

static void free_snapshot(struct snapshot *s)
{
	struct rx_mount *m;
	size_t i;

	for (i = 0; i < s->n; i++) {
		m = s->m[i];
		free(m->dev);
		free(m->mnt);
		free(m->opts);
		free(m->vers);
		free(m->trans);
		free(m->server);
		free(m);
	}
	free(s->m);
	s->m = NULL;
	s->n = 0;
}

/* The MOUNTPOINT arguments naming mnt, from index i on; -1 when none. */
static int named_next(const char *mnt, int i)
{
	for (; i < nnamed; i++)
		if (!strcmp(mnt, named[i].path) || !strcmp(mnt, named[i].arg))
			return i;
	return -1;
}

/*
 * "statvers=M.N": a major version other than ours may mean fields moved;
 * say so (once) and read what parses anyway.
 */
static void check_statvers(const char *mnt, const char *sv)
{
	unsigned long long major, minor;
	const char *p = sv;

	if (sv && parse_u64(&p, &major) && *p++ == '.' &&
	    parse_u64(&p, &minor) && !*p && major == STATVERS_MAJOR)
		return;
	if (!warn_format)
		return;
	fprintf(stderr, "%s: ", PROG);
	print_name(stderr, mnt);
	if (sv) {
		fputs(": format statvers=", stderr);
		print_name(stderr, sv);
	} else {
		fputs(": no format version", stderr);
	}
	fprintf(stderr, ", not one this %s knows (%d.N); reading it anyway\n",
		PROG, STATVERS_MAJOR);
}

/*
 * "device SRC mounted on MNT with fstype TYPE statvers=M.N" (or "no device
 * mounted on ..."): an entry starts.  Returns the rx9p mount to fill, or
 * NULL for an entry to skip.
 */
static struct rx_mount *parse_device(struct snapshot *s, char *line)
{
	char *p, *dev, *mnt, *fstype, *tok, *sv = NULL;
	struct rx_mount *m;
	int i;

	if (!strncmp(line, "device ", 7)) {
		p = line + 7;
		dev = strsep(&p, " ");
	} else if (!strncmp(line, "no device ", 10)) {
		p = line + 10;
		dev = "";
	} else {
		return NULL;
	}
	if (!p || strncmp(p, "mounted on ", 11))
		return NULL;
	p += 11;
	mnt = strsep(&p, " ");
	if (!p || strncmp(p, "with fstype ", 12))
		return NULL;
	p += 12;
	fstype = strsep(&p, " ");
	while (p && !sv) {
		tok = strsep(&p, " ");
		if (!strncmp(tok, "statvers=", 9))
			sv = tok + 9;
	}

	mnt = unescape(mnt);
	if (strcmp(fstype, "rx9p")) {
		for (i = named_next(mnt, 0); i >= 0; i = named_next(mnt, i + 1))
			snprintf(named[i].fstype, sizeof(named[i].fstype), "%s",
				 fstype);
		goto skip;
	}
	if (nnamed && named_next(mnt, 0) < 0)
		goto skip;
	if (s->n == MAX_MOUNTS) {
		if (warn_format && !s->full)
			fprintf(stderr, "%s: more than %d rx9p mounts, the rest ignored\n",
				PROG, MAX_MOUNTS);
		s->full = true;
		goto skip;
	}
	check_statvers(mnt, sv);
	for (i = named_next(mnt, 0); i >= 0; i = named_next(mnt, i + 1))
		named[i].found = true;
	m = xcalloc(1, sizeof(*m));
	m->mnt = mnt;
	m->dev = unescape(dev);
	snprintf(m->statvers, sizeof(m->statvers), "%s", sv ? sv : "?");
	if (!(s->n % 16)) {
		struct rx_mount **a = realloc(s->m, (s->n + 16) * sizeof(*a));

		if (!a)
			oom();
		s->m = a;
	}
	s->m[s->n++] = m;
	return m;
skip:
	free(mnt);
	return NULL;
}

/*
 * One line into buf, without its newline.  Returns 1 for a line, 0 at the
 * end, -1 for a line to skip (too long, or holding a NUL byte).
 */
static int read_line(FILE *f, char *buf, size_t size)
{
	size_t n = 0;
	bool bad = false;
	int c;

	while ((c = getc_unlocked(f)) != EOF && c != '\n') {
		if (c == '\0' || n + 1 >= size)
			bad = true;
		else
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	if (c == EOF && !n && !bad)
		return 0;
	return bad ? -1 : 1;
}

/* The rx9p mounts of file into s; false (having said why) if unreadable. */
static bool read_snapshot(const char *file, struct snapshot *s)
{
	enum section sec = SEC_NONE;
	struct rx_mount *m = NULL;
	char *line;
	FILE *f;
	int r;

	memset(s, 0, sizeof(*s));
	f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", PROG, file, strerror(errno));
		return false;
	}
	line = malloc(LINE_MAX_LEN);
	if (!line)
		oom();
	while ((r = read_line(f, line, LINE_MAX_LEN)) != 0) {
		if (line[0] != '\t') {
			/* a new entry, or the blank line that ends one */
			m = r > 0 ? parse_device(s, line) : NULL;
			sec = SEC_NONE;
		} else if (m && r > 0) {
			parse_stat_line(m, line, &sec);
		}
	}
	free(line);
	r = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
	if (r) {
		fprintf(stderr, "%s: %s: %s\n", PROG, file, strerror(r));
		free_snapshot(s);
		return false;
	}
	warn_format = false;
	return true;
}

/* ---- output ---- */

static double ms(unsigned long long total_us, unsigned long long n)
{
	return n ? (double)total_us / (double)n / 1000.0 : 0.0;
}

/* "MNT: SERVER (TRANS port N, msize N)" without the newline */
static void print_title(const struct rx_mount *m)
{
	print_name(stdout, m->mnt);
	fputs(": ", stdout);
	print_name(stdout, m->have_rx9p ? m->server : m->dev);
	if (m->have_rx9p) {
		fputs(" (", stdout);
		print_name(stdout, m->trans);
		if (m->port)
			printf(" port %llu", m->port);
		printf(", msize %llu)", m->msize);
	}
}

/* name and value pairs, two to a line */
static void print_pairs(const char * const *names,
			const unsigned long long *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		printf("    %-20s%14llu%s", names[i], v[i],
		       i % 2 || i == n - 1 ? "\n" : "");
}

/* what went wrong on the connection: counts */
static void print_xprt_errors(const unsigned long long *x)
{
	printf("    resent %llu, Tflush %llu, protocol errors %llu, timeouts %llu\n",
	       x[X_RESENT], x[X_FLUSHES], x[X_PROTO], x[X_TIMEOUTS]);
}

/* -l: one mount's totals since it was mounted */
static void list_mount(const struct rx_mount *m)
{
	const unsigned long long *o, *g, *x = m->xprt;
	bool any = false;
	int i;

	print_title(m);
	if (m->have_age)
		printf(", age %lld s", m->age);
	printf(", statvers %s\n", m->statvers);
	if (m->opts) {
		fputs("  opts: ", stdout);
		print_name(stdout, m->opts);
		putchar('\n');
	}
	if (m->have_rx9p) {
		fputs("  protocol: ", stdout);
		print_name(stdout, m->vers);
		putchar('\n');
	}
	if (m->have_xprt) {
		printf("  connection: %s, connects %llu, reconnects %llu, ",
		       m->state, x[X_CONNECTS], x[X_RECONNECTS]);
		printf("in flight %llu (max %llu)\n", x[X_INFLIGHT],
		       x[X_MAXINFLIGHT]);
		printf("    requests %llu, replies %llu, bytes sent %llu, received %llu\n",
		       x[X_SENT], x[X_RECEIVED], x[X_BSENT], x[X_BRECEIVED]);
		print_xprt_errors(x);
	}
	if (m->have_bytes) {
		puts("  bytes:");
		print_pairs(byte_names, m->bytes, NR_BYTES);
	}
	if (m->have_events) {
		puts("  events:");
		print_pairs(event_names, m->events, NR_EVENTS);
	}
	for (i = 0; i < NR_OPS; i++) {
		o = m->op[i];
		if (!m->have_op[i] || !o[F_OPS])
			continue;
		if (!any)
			printf("  %-14s%10s%10s%14s%10s%10s\n", "op", "ops",
			       "errors", "bytes", "avg ms", "max ms");
		any = true;
		printf("  %-14s%10llu%10llu%14llu%10.3f%10.3f\n", op_names[i],
		       o[F_OPS], o[F_ERRORS], o[F_BYTES],
		       ms(o[F_TOTAL], o[F_OPS]), o[F_MAX] / 1000.0);
	}
	any = false;
	for (i = 0; i < NR_MSGS; i++) {
		g = m->msg[i];
		if (!m->have_msg[i] || !g[M_COUNT])
			continue;
		if (!any)
			printf("  %-14s%10s%10s%10s%10s\n", "message", "count",
			       "errors", "avg ms", "max ms");
		any = true;
		printf("  %-14s%10llu%10llu%10.3f%10.3f\n", msg_names[i],
		       g[M_COUNT], g[M_ERRORS], ms(g[M_TOTAL], g[M_COUNT]),
		       g[M_MAX] / 1000.0);
	}
}

static bool sub(unsigned long long *d, const unsigned long long *cur,
		const unsigned long long *prev, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (cur[i] < prev[i])
			return false;
		d[i] = cur[i] - prev[i];
	}
	return true;
}

/*
 * d = cur - prev for the counters both reads have (maxima and gauges stay
 * cur's).  False if one went back: not the same mount or connection.
 */
static bool diff_mount(const struct rx_mount *cur, const struct rx_mount *prev,
		       struct rx_mount *d)
{
	int i;

	*d = *cur;
	if (cur->have_age && prev->have_age && cur->age < prev->age)
		return false;
	d->have_bytes = cur->have_bytes && prev->have_bytes;
	if (d->have_bytes && !sub(d->bytes, cur->bytes, prev->bytes, NR_BYTES))
		return false;
	d->have_events = cur->have_events && prev->have_events;
	if (d->have_events &&
	    !sub(d->events, cur->events, prev->events, NR_EVENTS))
		return false;
	for (i = 0; i < NR_OPS; i++) {
		d->have_op[i] = cur->have_op[i] && prev->have_op[i];
		if (d->have_op[i] &&
		    !sub(d->op[i], cur->op[i], prev->op[i], F_MAX))
			return false;
	}
	for (i = 0; i < NR_MSGS; i++) {
		d->have_msg[i] = cur->have_msg[i] && prev->have_msg[i];
		if (d->have_msg[i] &&
		    !sub(d->msg[i], cur->msg[i], prev->msg[i], M_MAX))
			return false;
	}
	d->have_xprt = cur->have_xprt && prev->have_xprt;
	if (d->have_xprt &&
	    (!sub(d->xprt, cur->xprt, prev->xprt, X_INFLIGHT) ||
	     !sub(d->xprt + X_SENT, cur->xprt + X_SENT, prev->xprt + X_SENT,
		  NR_XPRT - X_SENT)))
		return false;
	return true;
}

/* one row: bytes is NULL for an op that moves none */
static void print_rate(const char *name, double secs, unsigned long long ops,
		       unsigned long long total_us, unsigned long long errors,
		       const unsigned long long *bytes)
{
	printf("  %-14s%11.3f", name, ops / secs);
	if (bytes)
		printf("%11.3f%11.3f", *bytes / 1024.0 / secs,
		       ops ? *bytes / 1024.0 / ops : 0.0);
	else
		printf("%11s%11s", "-", "-");
	printf("%11.3f%11llu\n", ms(total_us, ops), errors);
}

/* One mount's report: d holds the counts over secs seconds. */
static void report_mount(const struct rx_mount *d, double secs,
			 const char *since)
{
	static const unsigned long long zero[NR_OPF];
	unsigned long long ops = 0, errors = 0, total = 0;
	const unsigned long long *o, *g, *x = d->xprt;
	bool any = false;
	int i, k;

	print_title(d);
	if (since)
		printf(", %s (%.0f s)\n", since, secs);
	else
		printf(", over %.2f s\n", secs);
	printf("  %-14s%11s%11s%11s%11s%11s\n", "op", "ops/s", "kB/s",
	       "kB/op", "avg ms", "errors");
	/* READ and WRITE always and first, then the others that ran */
	for (k = -2; k < NR_OPS; k++) {
		i = k == -2 ? OP_READ : k == -1 ? OP_WRITE : k;
		o = d->have_op[i] ? d->op[i] : zero;
		if (k >= 0 && (i == OP_READ || i == OP_WRITE || !o[F_OPS]))
			continue;
		print_rate(op_names[i], secs, o[F_OPS], o[F_TOTAL],
			   o[F_ERRORS], k < 0 ? &o[F_BYTES] : NULL);
		ops += o[F_OPS];
		errors += o[F_ERRORS];
		total += o[F_TOTAL];
	}
	print_rate("all ops", secs, ops, total, errors, NULL);
	if (!opt_msgs)
		return;
	if (d->have_xprt) {
		printf("  connection: %s, in flight %llu, reconnects %llu, ",
		       d->state, x[X_INFLIGHT], x[X_RECONNECTS]);
		printf("requests/s %.3f, kB/s sent %.3f, received %.3f\n",
		       x[X_SENT] / secs, x[X_BSENT] / 1024.0 / secs,
		       x[X_BRECEIVED] / 1024.0 / secs);
		print_xprt_errors(x);
	}
	for (i = 0; i < NR_MSGS; i++) {
		g = d->msg[i];
		if (!d->have_msg[i] || !g[M_COUNT])
			continue;
		if (!any)
			printf("  %-14s%11s%11s%11s\n", "message", "count/s",
			       "avg ms", "errors");
		any = true;
		printf("  %-14s%11.3f%11.3f%11llu\n", msg_names[i],
		       g[M_COUNT] / secs, ms(g[M_TOTAL], g[M_COUNT]),
		       g[M_ERRORS]);
	}
}

/* Rates since the mount: over its age (a second at least). */
static void report_since(const struct rx_mount *m, const char *why)
{
	report_mount(m, m->have_age && m->age > 0 ? (double)m->age : 1.0, why);
}

/* The same mount in the previous read, not paired yet. */
static struct rx_mount *find_prev(struct snapshot *prev,
				  const struct rx_mount *m)
{
	struct rx_mount *p;
	size_t i;

	for (i = 0; i < prev->n; i++) {
		p = prev->m[i];
		if (!p->matched && !strcmp(p->mnt, m->mnt) &&
		    !strcmp(p->dev, m->dev)) {
			p->matched = true;
			return p;
		}
	}
	return NULL;
}

/* Every mount of cur, over secs since prev (since the mount if !prev). */
static void report(struct snapshot *cur, struct snapshot *prev, double secs)
{
	struct rx_mount d, *p;
	size_t i;

	for (i = 0; i < cur->n; i++) {
		if (i)
			putchar('\n');
		p = prev ? find_prev(prev, cur->m[i]) : NULL;
		if (!prev)
			report_since(cur->m[i], "since mount");
		else if (!p)
			report_since(cur->m[i], "new mount, since mount");
		else if (!diff_mount(cur->m[i], p, &d))
			report_since(cur->m[i], "counters reset, since mount");
		else
			report_mount(&d, secs, NULL);
	}
}

static void flush_stdout(void)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", PROG, strerror(errno));
		exit(1);
	}
}

/*
 * A MOUNTPOINT made absolute and normalized without touching the file
 * system: a hung mount must not hang us (no realpath, no stat).
 */
static char *normalize_path(const char *arg)
{
	char *cwd = NULL, *src, *out, *tok, *save;
	size_t len, olen = 0, tlen;

	if (arg[0] != '/') {
		cwd = getcwd(NULL, 0);
		if (!cwd)
			return xstrdup(arg);
	}
	len = (cwd ? strlen(cwd) : 0) + strlen(arg) + 3;
	src = xcalloc(1, len);
	out = xcalloc(1, len);
	snprintf(src, len, "%s/%s", cwd ? cwd : "", arg);
	free(cwd);
	for (tok = strtok_r(src, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			while (olen && out[olen - 1] != '/')
				olen--;
			if (olen)
				olen--;
			out[olen] = '\0';
			continue;
		}
		tlen = strlen(tok);
		out[olen++] = '/';
		memcpy(out + olen, tok, tlen + 1);
		olen += tlen;
	}
	if (!olen)
		strcpy(out, "/");
	free(src);
	return out;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-i] [-m] [-f FILE]... [INTERVAL [COUNT]] [MOUNTPOINT...]\n"
		"       %s -l [-f FILE] [MOUNTPOINT...]\n"
		"Statistics of rx9p mounts, from " MOUNTSTATS ".\n"
		"\n"
		"  -i       rates (the default): since each mount, then over\n"
		"           every INTERVAL seconds, COUNT reports in all\n"
		"  -l       list each mount's totals since it was mounted\n"
		"  -m       with the rates, the connection's and each 9P message's\n"
		"  -f FILE  read FILE instead of " MOUNTSTATS "; several -f\n"
		"           are snapshots INTERVAL seconds apart, read in turn\n"
		"  -h       this help\n"
		"  -V       the version\n", PROG, PROG);
}

static void __attribute__((noreturn)) bad_usage(const char *msg)
{
	fprintf(stderr, "%s: %s\n", PROG, msg);
	usage(stderr);
	exit(2);
}

/* A whole number from 1 to max, or a usage error. */
static unsigned long parse_count(const char *s, unsigned long max,
				 const char *what)
{
	unsigned long long v;
	const char *p = s;

	if (!parse_u64(&p, &v) || *p || !v || v > max) {
		fprintf(stderr, "%s: %s must be a whole number from 1 to %lu: ",
			PROG, what, max);
		print_name(stderr, s);
		fputc('\n', stderr);
		usage(stderr);
		exit(2);
	}
	return (unsigned long)v;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Sleep until t (CLOCK_MONOTONIC seconds), through signals that return. */
static void sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

/* Say which MOUNTPOINTs are not rx9p mounts; true if all are. */
static bool check_named(void)
{
	bool ok = true;
	int i;

	for (i = 0; i < nnamed; i++) {
		if (named[i].found)
			continue;
		ok = false;
		fprintf(stderr, "%s: ", PROG);
		print_name(stderr, named[i].arg);
		if (named[i].fstype[0]) {
			fputs(": not an rx9p mount (fstype ", stderr);
			print_name(stderr, named[i].fstype);
			fputs(")\n", stderr);
		} else {
			fputs(": not a mount point\n", stderr);
		}
	}
	return ok;
}

int main(int argc, char **argv)
{
	const char *files[MAX_FILES] = { MOUNTSTATS };
	unsigned long interval = 0, count = 1, n;
	struct snapshot cur, prev;
	double t, t_prev, next;
	int c, i, nfiles = 0;
	bool list = false, rates = false, ok;

	while ((c = getopt(argc, argv, "ilmf:hV")) != -1) {
		switch (c) {
		case 'i':
			rates = true;
			break;
		case 'l':
			list = true;
			break;
		case 'm':
			opt_msgs = true;
			break;
		case 'f':
			if (nfiles == MAX_FILES)
				bad_usage("too many -f files");
			if (!*optarg)
				bad_usage("-f: an empty file name");
			files[nfiles++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", PROG, RX9PSTAT_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	/* a MOUNTPOINT is a path: a leading digit means INTERVAL or COUNT */
	if (optind < argc && argv[optind][0] >= '0' && argv[optind][0] <= '9') {
		interval = parse_count(argv[optind++], MAX_INTERVAL, "INTERVAL");
		count = 0;
		if (optind < argc && argv[optind][0] >= '0' &&
		    argv[optind][0] <= '9')
			count = parse_count(argv[optind++], ULONG_MAX, "COUNT");
	}
	if (list && (rates || interval || nfiles > 1))
		bad_usage("-l lists the totals once: no -i, no INTERVAL, one -f");
	if (nfiles > 1 && !interval)
		bad_usage("several -f files need the INTERVAL they were taken apart");
	/* snapshot files end the reports when they run out */
	if (nfiles > 1 && (!count || count > (unsigned long)nfiles))
		count = (unsigned long)nfiles;
	nfiles = nfiles ? nfiles : 1;

	nnamed = argc - optind;
	named = xcalloc(nnamed ? nnamed : 1, sizeof(*named));
	for (i = 0; i < nnamed; i++) {
		if (!argv[optind + i][0])
			bad_usage("an empty MOUNTPOINT");
		named[i].arg = argv[optind + i];
		named[i].path = normalize_path(named[i].arg);
	}

	if (!read_snapshot(files[0], &cur))
		return 1;
	t_prev = now();
	ok = check_named();
	if (ok && !cur.n)
		fprintf(stderr, "%s: no rx9p mounts in %s\n", PROG, files[0]);
	if (!ok || !cur.n) {
		free_snapshot(&cur);
		return 1;
	}
	for (n = 0; list && n < cur.n; n++) {
		if (n)
			putchar('\n');
		list_mount(cur.m[n]);
	}
	if (!list)
		report(&cur, NULL, 0);
	flush_stdout();

	next = t_prev;
	for (n = 1; !list && (!count || n < count); n++) {
		prev = cur;
		if (nfiles == 1) {
			/* a late wake-up shifts the schedule, not the rates */
			next += (double)interval;
			if (next < now())
				next = now() + (double)interval;
			sleep_until(next);
		}
		if (!read_snapshot(files[nfiles > 1 ? n : 0], &cur)) {
			free_snapshot(&prev);
			return 1;
		}
		/* snapshot files are INTERVAL apart; the live file as timed */
		t = nfiles > 1 ? t_prev + (double)interval : now();
		putchar('\n');
		if (cur.n)
			report(&cur, &prev, t - t_prev);
		else
			puts("no rx9p mounts");
		flush_stdout();
		t_prev = t;
		free_snapshot(&prev);
	}
	free_snapshot(&cur);
	return 0;
}
