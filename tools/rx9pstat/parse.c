// SPDX-License-Identifier: GPL-2.0
/*
 * rx9pstat: reading /proc/self/mountstats (or a -f snapshot of it) into a
 * struct snapshot of its rx9p mounts.  The input is untrusted text: lines
 * are read into a bounded buffer, every number is checked, and a line that
 * does not parse is skipped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rx9pstat.h"

#define STATVERS_MAJOR	1

#define LINE_MAX_LEN	65536		/* a longer line is skipped */
#define MAX_MOUNTS	4096		/* rx9p mounts kept from one read */
#define MAX_FIELDS	16		/* numbers on one line we parse */

/* the rows of the per-op and per-message tables, in the kernel's order */
const char * const op_names[NR_OPS] = {
	"LOOKUP", "OPEN", "CREATE", "MKDIR", "UNLINK", "RMDIR", "RENAME",
	"LINK", "SYMLINK", "MKNOD", "READLINK", "CLOSE", "GETATTR", "SETATTR",
	"STATFS", "READDIR", "FSYNC", "GETXATTR", "SETXATTR", "READ", "WRITE",
	"LOCK", "UNLOCK", "FSCTL", "IOCTL",
};

const char * const msg_names[NR_MSGS] = {
	"Tversion", "Tattach", "Twalk", "Tlopen", "Tlcreate", "Tread",
	"Twrite", "Tclunk", "Tremove", "Tgetattr", "Tsetattr", "Treaddir",
	"Tfsync", "Tstatfs", "Tmkdir", "Tsymlink", "Tmknod", "Trename",
	"Trenameat", "Tunlinkat", "Tlink", "Treadlink", "Txattrwalk",
	"Txattrcreate", "Tlock", "Tgetlock", "Tflush",
};

static bool warn_format = true;	/* on the first read only */

static void __attribute__((noreturn)) oom(void)
{
	fprintf(stderr, "%s: out of memory\n", PROG);
	exit(1);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
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
bool parse_u64(const char **s, unsigned long long *v)
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
	unsigned long long port = 0, msize = 0, nconnect = 0;
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
		else if (!strcmp(tok, "nconnect") &&
			 (!parse_u64(&p, &nconnect) || *p))
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
	m->nconnect = nconnect;
	m->have_rx9p = true;
}

/*
 * "STATE N N N N N N N N N N N N": the state word into @state (16 bytes)
 * and the numbers into @x; returns where the numbers end, or NULL.
 */
static const char *parse_state_fields(char *s, char *state,
				      unsigned long long *x)
{
	size_t n = 0, i;

	s = skip_blanks(s);
	while (s[n] >= 'a' && s[n] <= 'z')
		n++;
	if (!n || n >= 16 || !is_blank(s[n]) || !parse_fields(s + n, x, NR_XPRT))
		return NULL;
	memcpy(state, s, n);
	state[n] = '\0';
	s += n;
	for (i = 0; i < NR_XPRT; i++) {
		s = skip_blanks(s);
		while (*s && !is_blank(*s))
			s++;
	}
	return s;
}

static void parse_xprt(struct rx_mount *m, char *s)
{
	unsigned long long x[NR_XPRT];
	char state[16];

	if (!parse_state_fields(s, state, x))
		return;
	memcpy(m->state, state, sizeof(state));
	memcpy(m->xprt, x, sizeof(x));
	m->have_xprt = true;
}

/* "K STATE N N N N N N N N N N N N OPENS" */
static void parse_chan(struct rx_mount *m, char *s)
{
	unsigned long long k, opens, x[NR_XPRT];
	const char *p = skip_blanks(s);
	char state[16];

	if (!parse_u64(&p, &k) || k >= MAX_CHAN || !is_blank(*p))
		return;
	p = parse_state_fields((char *)p, state, x);
	if (!p)
		return;
	p = skip_blanks((char *)p);
	if (!parse_u64(&p, &opens) || (*p && !is_blank(*p)))
		return;
	memcpy(m->chan[k].state, state, sizeof(state));
	memcpy(m->chan[k].xprt, x, sizeof(x));
	m->chan[k].opens = opens;
	m->chan[k].have = true;
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
	} else if (!strcmp(key, "chan")) {
		parse_chan(m, rest);
	}
}

void free_snapshot(struct snapshot *s)
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
bool read_snapshot(const char *file, struct snapshot *s)
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
