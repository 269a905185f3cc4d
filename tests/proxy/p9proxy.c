// SPDX-License-Identifier: GPL-2.0
/*
 * p9proxy: a fault-injecting 9P2000.L proxy for the functional tests.
 *
 * It sits between a 9P client (rx9p) and a real server (diod): it accepts
 * TCP connections, opens one connection to the server for each, and
 * forwards whole messages (size[4] type[1] tag[2] ...) both ways.  A fault
 * chosen on the command line or in a control file is applied to the
 * server's replies; the control file is read again whenever it changes
 * (and on SIGUSR1), so one mount can go through good and bad phases.
 * Every byte the client sends can be recorded, and --check-zero walks
 * such a recording and reports nonzero reserved fields (see usage()).
 *
 * The test VM has no scripting language but busybox sh: this is C, built
 * statically by tests/vm/mkinitramfs.sh like rxsys and rxio.
 *
 * Everything read from either peer is bounds-checked: a message larger
 * than MAX_MSG or smaller than a header ends that session, and every
 * rewrite checks the body it rewrites.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HDRSZ		7
#define QIDSZ		13
#define NOTAG		0xffffu
#define NOFID		0xffffffffu
/* rx9p's largest msize is 8 MiB; anything beyond this is a broken peer */
#define MAX_MSG		(16u << 20)
#define MAX_SESSIONS	16
/* stop reading a peer while this much waits for the other one */
#define MAX_BACKLOG	(32u << 20)
#define READ_CHUNK	(64u << 10)
/* how often the control file is looked at when nothing happens */
#define POLL_MS		50

enum {
	TLERROR = 6, RLERROR, TSTATFS, RSTATFS, TLOPEN = 12, RLOPEN,
	TLCREATE, RLCREATE, TSYMLINK, RSYMLINK, TMKNOD, RMKNOD, TRENAME,
	RRENAME, TREADLINK, RREADLINK, TGETATTR, RGETATTR, TSETATTR,
	RSETATTR, TXATTRWALK = 30, RXATTRWALK, TXATTRCREATE, RXATTRCREATE,
	TREADDIR = 40, RREADDIR, TFSYNC = 50, RFSYNC, TLOCK, RLOCK,
	TGETLOCK, RGETLOCK, TLINK = 70, RLINK, TMKDIR, RMKDIR, TRENAMEAT,
	RRENAMEAT, TUNLINKAT, RUNLINKAT, TVERSION = 100, RVERSION, TAUTH,
	RAUTH, TATTACH, RATTACH, TERROR, RERROR, TFLUSH, RFLUSH, TWALK,
	RWALK, TOPEN, ROPEN, TCREATE, RCREATE, TREAD, RREAD, TWRITE,
	RWRITE, TCLUNK, RCLUNK, TREMOVE, RREMOVE,
};

static const struct { int type; const char *name; } msg_names[] = {
	{ TLERROR, "Tlerror" }, { RLERROR, "Rlerror" },
	{ TSTATFS, "Tstatfs" }, { RSTATFS, "Rstatfs" },
	{ TLOPEN, "Tlopen" }, { RLOPEN, "Rlopen" },
	{ TLCREATE, "Tlcreate" }, { RLCREATE, "Rlcreate" },
	{ TSYMLINK, "Tsymlink" }, { RSYMLINK, "Rsymlink" },
	{ TMKNOD, "Tmknod" }, { RMKNOD, "Rmknod" },
	{ TRENAME, "Trename" }, { RRENAME, "Rrename" },
	{ TREADLINK, "Treadlink" }, { RREADLINK, "Rreadlink" },
	{ TGETATTR, "Tgetattr" }, { RGETATTR, "Rgetattr" },
	{ TSETATTR, "Tsetattr" }, { RSETATTR, "Rsetattr" },
	{ TXATTRWALK, "Txattrwalk" }, { RXATTRWALK, "Rxattrwalk" },
	{ TXATTRCREATE, "Txattrcreate" }, { RXATTRCREATE, "Rxattrcreate" },
	{ TREADDIR, "Treaddir" }, { RREADDIR, "Rreaddir" },
	{ TFSYNC, "Tfsync" }, { RFSYNC, "Rfsync" },
	{ TLOCK, "Tlock" }, { RLOCK, "Rlock" },
	{ TGETLOCK, "Tgetlock" }, { RGETLOCK, "Rgetlock" },
	{ TLINK, "Tlink" }, { RLINK, "Rlink" },
	{ TMKDIR, "Tmkdir" }, { RMKDIR, "Rmkdir" },
	{ TRENAMEAT, "Trenameat" }, { RRENAMEAT, "Rrenameat" },
	{ TUNLINKAT, "Tunlinkat" }, { RUNLINKAT, "Runlinkat" },
	{ TVERSION, "Tversion" }, { RVERSION, "Rversion" },
	{ TAUTH, "Tauth" }, { RAUTH, "Rauth" },
	{ TATTACH, "Tattach" }, { RATTACH, "Rattach" },
	{ TFLUSH, "Tflush" }, { RFLUSH, "Rflush" },
	{ TWALK, "Twalk" }, { RWALK, "Rwalk" },
	{ TREAD, "Tread" }, { RREAD, "Rread" },
	{ TWRITE, "Twrite" }, { RWRITE, "Rwrite" },
	{ TCLUNK, "Tclunk" }, { RCLUNK, "Rclunk" },
	{ TREMOVE, "Tremove" }, { RREMOVE, "Rremove" },
};

static const char *msg_name(int type)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(msg_names) / sizeof(msg_names[0]); i++)
		if (msg_names[i].type == type)
			return msg_names[i].name;
	snprintf(buf, sizeof(buf), "type%d", type);
	return buf;
}

static uint16_t get_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const unsigned char *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void put_le64(unsigned char *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* ---- the log: what was armed, what fired, sessions ---- */

static FILE *log_file;
static long long t_start;

static void plog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void plog(const char *fmt, ...)
{
	va_list ap;
	long long t = now_ms() - t_start;

	if (!log_file)
		return;
	fprintf(log_file, "[%lld.%03lld] ", t / 1000, t % 1000);
	va_start(ap, fmt);
	vfprintf(log_file, fmt, ap);
	va_end(ap);
	fputc('\n', log_file);
	fflush(log_file);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		plog("out of memory (%zu bytes)", n);
		exit(3);
	}
	return p;
}

/* ---- byte buffers: [off, len) is what is still to be used ---- */

struct buf {
	unsigned char *data;
	size_t off;
	size_t len;
	size_t cap;
};

static size_t buf_used(const struct buf *b)
{
	return b->len - b->off;
}

/* Room for @need more bytes after len; moves the live part to the front. */
static void buf_reserve(struct buf *b, size_t need)
{
	if (b->off && (b->off == b->len || b->cap - b->len < need)) {
		memmove(b->data, b->data + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
	}
	if (b->cap - b->len < need) {
		size_t cap = b->cap ? b->cap : 4096;
		unsigned char *p;

		while (cap - b->len < need)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p) {
			plog("out of memory (%zu bytes)", cap);
			exit(3);
		}
		b->data = p;
		b->cap = cap;
	}
}

static void buf_append(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void buf_consume(struct buf *b, size_t n)
{
	b->off += n;
	if (b->off == b->len) {
		b->off = 0;
		b->len = 0;
	}
}

static void buf_free(struct buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* ---- faults ---- */

enum fault_kind {
	F_NONE, F_DROP, F_SWALLOW, F_DELAY, F_REORDER, F_WRONGTAG,
	F_TRUNCATE, F_BIGSIZE, F_SHORTBODY, F_LONGBODY, F_BIGCOUNT,
	F_SETCOUNT, F_BADQID, F_BADMODE, F_WALKEXTRA, F_DIRENT, F_LERROR,
	F_REOPEN,
};

/* Hostile directory entries (F_DIRENT), as bits: "all" is every one. */
enum {
	DE_SLASH = 1, DE_NUL = 2, DE_DOT = 4, DE_DOTDOT = 8, DE_LONG = 16,
	DE_EMPTY = 32, DE_ALL = 63,
};

static const struct {
	const char *name;
	enum fault_kind kind;
	int type;		/* reply type matched unless type= says */
	int arg;		/* 0: none, 1: optional, 2: required */
} fault_tab[] = {
	{ "none", F_NONE, -1, 0 },
	{ "drop", F_DROP, -1, 0 },
	{ "swallow", F_SWALLOW, -1, 0 },
	{ "delay", F_DELAY, -1, 2 },
	{ "reorder", F_REORDER, -1, 1 },
	{ "wrongtag", F_WRONGTAG, -1, 1 },
	{ "truncate", F_TRUNCATE, -1, 1 },
	{ "bigsize", F_BIGSIZE, -1, 1 },
	{ "shortbody", F_SHORTBODY, -1, 0 },
	{ "longbody", F_LONGBODY, -1, 0 },
	{ "bigcount", F_BIGCOUNT, RREAD, 1 },
	{ "setcount", F_SETCOUNT, RREAD, 2 },
	{ "countmax", F_SETCOUNT, RREAD, 0 },
	{ "badqid", F_BADQID, RGETATTR, 1 },
	{ "badmode", F_BADMODE, RGETATTR, 1 },
	{ "walkextra", F_WALKEXTRA, RWALK, 0 },
	{ "dirent", F_DIRENT, RREADDIR, 2 },
	{ "lerror", F_LERROR, -1, 2 },
	{ "reopen", F_REOPEN, -1, 1 },
};

struct fault {
	enum fault_kind kind;
	const char *name;
	bool has_arg;
	uint64_t arg;
	int dirent;		/* DE_* bits */
	bool other_tag;		/* wrongtag=other */
	int rtype;		/* reply type to match, -1 any */
	int ttype;		/* or the type of the request it answers */
	unsigned long after;	/* matching replies let through first */
	unsigned long times;	/* replies faulted, 0: every one */
	unsigned long seen;
	unsigned long fired;
	char spec[256];
};

static struct fault fault = { .kind = F_NONE, .name = "none", .rtype = -1,
			      .ttype = -1, .times = 1 };

static int parse_msg_type(const char *s)
{
	char *end;
	size_t i;
	long v;

	if (!strcmp(s, "any"))
		return -1;
	for (i = 0; i < sizeof(msg_names) / sizeof(msg_names[0]); i++)
		if (!strcasecmp(msg_names[i].name, s))
			return msg_names[i].type;
	v = strtol(s, &end, 0);
	if (*s && !*end && v >= 0 && v <= 255)
		return (int)v;
	return -2;
}

static bool parse_num(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

static int parse_dirent(const char *s)
{
	static const struct { const char *name; int bit; } tab[] = {
		{ "slash", DE_SLASH }, { "nul", DE_NUL }, { "dot", DE_DOT },
		{ "dotdot", DE_DOTDOT }, { "long", DE_LONG },
		{ "empty", DE_EMPTY }, { "all", DE_ALL },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(s, tab[i].name))
			return tab[i].bit;
	return 0;
}

/*
 * Parse "FAULT[=ARG][,type=T][,after=N][,times=K]" into @f.  Returns an
 * error message or NULL.
 */
static const char *parse_fault(const char *spec, struct fault *f)
{
	char copy[256], *tok, *save = NULL, *eq;
	bool first = true;
	size_t i;

	if (strlen(spec) >= sizeof(copy))
		return "specification too long";
	memset(f, 0, sizeof(*f));
	f->rtype = -1;
	f->ttype = -1;
	f->times = 1;
	snprintf(f->spec, sizeof(f->spec), "%s", spec);
	snprintf(copy, sizeof(copy), "%s", spec);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;
		int t;

		eq = strchr(tok, '=');
		if (eq)
			*eq++ = 0;
		if (first) {
			first = false;
			for (i = 0; i < sizeof(fault_tab) / sizeof(fault_tab[0]); i++)
				if (!strcmp(tok, fault_tab[i].name))
					break;
			if (i == sizeof(fault_tab) / sizeof(fault_tab[0]))
				return "unknown fault";
			f->kind = fault_tab[i].kind;
			f->name = fault_tab[i].name;
			f->rtype = fault_tab[i].type;
			if (fault_tab[i].arg == 2 && !eq)
				return "this fault needs =ARG";
			if (fault_tab[i].arg == 0 && eq)
				return "this fault takes no argument";
			if (!eq)
				continue;
			f->has_arg = true;
			if (f->kind == F_DIRENT) {
				f->dirent = parse_dirent(eq);
				if (!f->dirent)
					return "dirent=slash|nul|dot|dotdot|long|empty|all";
			} else if (f->kind == F_WRONGTAG && !strcmp(eq, "other")) {
				f->other_tag = true;
			} else if (!parse_num(eq, &f->arg)) {
				return "bad fault argument";
			}
			continue;
		}
		if (!eq)
			return "options are KEY=VALUE";
		if (!strcmp(tok, "type")) {
			t = parse_msg_type(eq);
			if (t == -2)
				return "unknown message type";
			if (t >= 0 && !(t & 1)) {
				f->ttype = t;	/* a T-message: match its reply */
				f->rtype = -1;
			} else {
				f->rtype = t;
				f->ttype = -1;
			}
		} else if (!strcmp(tok, "after") && parse_num(eq, &v)) {
			f->after = v;
		} else if (!strcmp(tok, "times") && parse_num(eq, &v)) {
			f->times = v;
		} else {
			return "unknown option or bad value";
		}
	}
	if (first)
		return "empty specification";
	if (!strcmp(f->name, "countmax")) {
		f->has_arg = true;
		f->arg = 0xffffffffu;
	}
	return NULL;
}

/* ---- sessions: one client connection and its server connection ---- */

struct held {
	unsigned char *msg;
	size_t len;
	long long due;		/* not before (ms, monotonic) */
	struct held *next;
};

struct tag_info {
	uint8_t live;		/* a request with this tag is unanswered */
	uint8_t type;
	uint16_t oldtag;	/* Tflush */
	uint32_t count;		/* Tread, Treaddir, Twrite */
	uint64_t offset;	/* Treaddir */
};

/*
 * How long a server gets to answer what it was asked once the client is
 * gone; see client_close().
 */
#define SERVER_DRAIN_MS	10000

struct session {
	int id;
	int cfd;		/* client, -1 once closed */
	int sfd;		/* server */
	struct buf cin;		/* from the client, not yet a whole message */
	struct buf sin;		/* from the server, likewise */
	struct buf cout;	/* to the client */
	struct buf sout;	/* to the server */
	struct held *pend;	/* to the client after a delay, in order */
	struct held *pend_tail;
	struct held *reorder;	/* held until the next reply goes by */
	bool draining;		/* send cout, then close (no more reading) */
	bool dead;
	uint32_t msize;
	unsigned int inflight;	/* requests the server has not answered */
	long long drain_until;	/* client gone: close the server by then */
	struct tag_info *tags;	/* NOTAG + 1 entries */
};

static struct session *sessions[MAX_SESSIONS];
static int next_session_id = 1;
static FILE *capture;

static void drop_held(struct session *s)
{
	struct held *h, *n;

	for (h = s->pend; h; h = n) {
		n = h->next;
		free(h->msg);
		free(h);
	}
	s->pend = NULL;
	s->pend_tail = NULL;
	if (s->reorder) {
		free(s->reorder->msg);
		free(s->reorder);
		s->reorder = NULL;
	}
}

/* Both connections go; only when the server owes nothing (see below). */
static void session_close(struct session *s, const char *why)
{
	if (s->dead)
		return;
	plog("session %d: closed (%s)", s->id, why);
	if (s->cfd >= 0)
		close(s->cfd);
	if (s->sfd >= 0)
		close(s->sfd);
	s->cfd = -1;
	s->sfd = -1;
	drop_held(s);
	buf_free(&s->cin);
	buf_free(&s->sin);
	buf_free(&s->cout);
	buf_free(&s->sout);
	free(s->tags);
	s->tags = NULL;
	s->dead = true;
}

/* The server answered everything and the client is gone: close. */
static void maybe_done(struct session *s)
{
	if (!s->dead && s->cfd < 0 && !s->inflight && !buf_used(&s->sout))
		session_close(s, "the server answered everything");
}

/*
 * Drop the client's connection.  The server's stays until it answered
 * what it was sent (replies are read and thrown away): diod dies of
 * SIGPIPE when a peer closes while it is still sending replies, and the
 * proxy must not kill the server every test shares.  What the client had
 * sent and the proxy not yet passed on still goes to the server, as it
 * would have on a real connection that broke later.
 */
static void client_close(struct session *s, const char *why)
{
	if (s->dead || s->cfd < 0)
		return;
	plog("session %d: client connection closed (%s); %u request(s) in flight",
	     s->id, why, s->inflight);
	close(s->cfd);
	s->cfd = -1;
	drop_held(s);
	buf_free(&s->cin);
	buf_free(&s->cout);
	s->draining = false;
	s->drain_until = now_ms() + SERVER_DRAIN_MS;
	maybe_done(s);
}

/* A request went to the server: it owes a reply for @tag. */
static void track(struct session *s, uint16_t tag)
{
	if (!s->tags[tag].live)
		s->inflight++;
	s->tags[tag].live = 1;
}

/* A reply came for @tag; Rflush also settles the request it flushed. */
static void untrack(struct session *s, uint16_t tag, int rtype)
{
	struct tag_info *ti = &s->tags[tag];

	if (rtype == RFLUSH && ti->live && ti->type == TFLUSH &&
	    s->tags[ti->oldtag].live && ti->oldtag != tag) {
		s->tags[ti->oldtag].live = 0;
		s->inflight--;
	}
	if (ti->live) {
		ti->live = 0;
		s->inflight--;
	}
}

/* Queue @len bytes for the client, behind anything a delay holds back. */
static void emit(struct session *s, const unsigned char *msg, size_t len,
		 long long due)
{
	struct held *h;

	if (s->cfd < 0)
		return;
	if (!s->pend && !due) {
		buf_append(&s->cout, msg, len);
		return;
	}
	h = xmalloc(sizeof(*h));
	h->msg = xmalloc(len);
	memcpy(h->msg, msg, len);
	h->len = len;
	h->due = due;
	h->next = NULL;
	if (s->pend_tail)
		s->pend_tail->next = h;
	else
		s->pend = h;
	s->pend_tail = h;
}

/* Release what is due: delayed replies in order, an overdue reordered one. */
static void run_timers(struct session *s, long long now, bool all)
{
	struct held *h;

	if (s->reorder && (all || s->reorder->due <= now)) {
		h = s->reorder;
		s->reorder = NULL;
		plog("session %d: reorder: no other reply came; releasing the held one",
		     s->id);
		emit(s, h->msg, h->len, 0);
		free(h->msg);
		free(h);
	}
	while (s->pend && (all || s->pend->due <= now)) {
		h = s->pend;
		s->pend = h->next;
		if (!s->pend)
			s->pend_tail = NULL;
		buf_append(&s->cout, h->msg, h->len);
		free(h->msg);
		free(h);
	}
}

static long long next_timer(const struct session *s)
{
	long long t = -1;

	if (s->reorder)
		t = s->reorder->due;
	if (s->pend && (t < 0 || s->pend->due < t))
		t = s->pend->due;
	return t;
}

/* ---- rewriting replies ---- */

/* A modifiable copy of a message with @extra bytes of room after it. */
static unsigned char *msg_copy(const unsigned char *msg, size_t len,
			       size_t extra)
{
	unsigned char *p = xmalloc(len + extra);

	memcpy(p, msg, len);
	return p;
}

/* Offsets of the qids in a reply body; returns how many (at most @max). */
static int reply_qids(int type, const unsigned char *body, size_t blen,
		      size_t *offs, int max)
{
	size_t pos, n, i;
	int k = 0;

	switch (type) {
	case RATTACH: case RLOPEN: case RLCREATE: case RMKDIR:
	case RSYMLINK: case RMKNOD:
		if (blen >= QIDSZ && max > 0)
			offs[k++] = 0;
		break;
	case RGETATTR:
		if (blen >= 8 + QIDSZ && max > 0)
			offs[k++] = 8;
		break;
	case RWALK:
		if (blen < 2)
			break;
		n = get_le16(body);
		for (i = 0; i < n && k < max && 2 + (i + 1) * QIDSZ <= blen; i++)
			offs[k++] = 2 + i * QIDSZ;
		break;
	case RREADDIR:
		/* entries: qid[13] offset[8] type[1] name[s] */
		pos = 4;
		while (k < max && pos + QIDSZ + 8 + 1 + 2 <= blen) {
			size_t nl = get_le16(body + pos + QIDSZ + 9);

			if (pos + QIDSZ + 11 + nl > blen)
				break;
			offs[k++] = pos;
			pos += QIDSZ + 11 + nl;
		}
		break;
	}
	return k;
}

struct dent {
	const unsigned char *p;	/* the whole entry */
	size_t len;
};

/*
 * Rreaddir with hostile entries put in front of the real ones: names with
 * '/', with a NUL, "." and ".." again, longer than NAME_MAX, empty.  The
 * reply still fits the count the request asked for (real entries at the
 * end are left out if need be: the client asks again from the last
 * offset it got).  Returns the new message or NULL if not applicable.
 */
static unsigned char *rewrite_dirent(const unsigned char *msg, size_t len,
				     const struct tag_info *ti, int kinds,
				     size_t *newlen)
{
	static const struct {
		int bit;
		const char *name;
		size_t len;
		uint8_t dtype;
	} inj[] = {
		{ DE_SLASH, "p9proxy/slash", 13, 8 },
		{ DE_NUL, "nul\0name", 8, 8 },
		{ DE_DOT, ".", 1, 4 },
		{ DE_DOTDOT, "..", 2, 4 },
		{ DE_LONG, NULL, 300, 8 },
		{ DE_EMPTY, "", 0, 8 },
	};
	const unsigned char *body = msg + HDRSZ;
	size_t blen = len - HDRSZ, pos = 4, out, max, i, n = 0;
	struct dent ents[1024];
	unsigned char *p, qid[QIDSZ];
	uint64_t off = ti ? ti->offset : 0;

	if (blen < 4 || !ti || ti->type != TREADDIR)
		return NULL;
	while (pos < blen && n < sizeof(ents) / sizeof(ents[0])) {
		size_t nl;

		if (pos + QIDSZ + 11 > blen)
			return NULL;
		nl = get_le16(body + pos + QIDSZ + 9);
		if (pos + QIDSZ + 11 + nl > blen)
			return NULL;
		ents[n].p = body + pos;
		ents[n].len = QIDSZ + 11 + nl;
		pos += ents[n].len;
		n++;
	}
	if (!n)
		return NULL;	/* end of directory: inject into a real listing */
	memcpy(qid, ents[0].p, QIDSZ);
	/* at most what the request asked for, and one message */
	max = (size_t)ti->count + 4;
	if (max > MAX_MSG - HDRSZ)
		max = MAX_MSG - HDRSZ;
	p = xmalloc(HDRSZ + max);
	memcpy(p, msg, HDRSZ);
	out = 4;
	for (i = 0; i < sizeof(inj) / sizeof(inj[0]); i++) {
		size_t e = QIDSZ + 11 + inj[i].len;

		if (!(kinds & inj[i].bit) || out + e > max)
			continue;
		memcpy(p + HDRSZ + out, qid, QIDSZ);
		/* a fake path: the name is not the real entry's */
		put_le64(p + HDRSZ + out + 5, 0x70397000u + i);
		/* reading on after it starts where this listing started */
		put_le64(p + HDRSZ + out + QIDSZ, off);
		p[HDRSZ + out + QIDSZ + 8] = inj[i].dtype;
		put_le16(p + HDRSZ + out + QIDSZ + 9, (uint16_t)inj[i].len);
		if (inj[i].name)
			memcpy(p + HDRSZ + out + QIDSZ + 11, inj[i].name,
			       inj[i].len);
		else
			memset(p + HDRSZ + out + QIDSZ + 11, 'L', inj[i].len);
		out += e;
	}
	for (i = 0; i < n && out + ents[i].len <= max; i++) {
		memcpy(p + HDRSZ + out, ents[i].p, ents[i].len);
		out += ents[i].len;
	}
	put_le32(p + HDRSZ, (uint32_t)(out - 4));
	put_le32(p, (uint32_t)(HDRSZ + out));
	*newlen = HDRSZ + out;
	return p;
}

/*
 * A tag no request of this session is waiting on, or (@other) the tag of
 * a request of another type in flight.  Not one of the same type: a
 * reply given to another Tread is indistinguishable from its own, for
 * any client; this fault is about what a client can check.
 */
static uint16_t pick_tag(const struct session *s, uint16_t tag, bool other)
{
	unsigned int t;

	if (other)
		for (t = 0; t < NOTAG; t++)
			if (t != tag && s->tags[t].live &&
			    s->tags[t].type != s->tags[tag].type)
				return (uint16_t)t;
	for (t = 0x8000; t < NOTAG; t++)
		if (t != tag && !s->tags[t].live)
			return (uint16_t)t;
	return 0x7fff;
}

static bool fault_matches(const struct session *s, int type, uint16_t tag)
{
	if (fault.kind == F_NONE || fault.kind == F_REOPEN)
		return false;
	if (fault.times && fault.fired >= fault.times)
		return false;
	if (fault.ttype >= 0)
		return s->tags[tag].live && s->tags[tag].type == fault.ttype;
	return fault.rtype < 0 || fault.rtype == type;
}

/*
 * Apply the fault to one reply.  Returns true if the reply was dealt with
 * (sent, held, replaced or the session closed), false if the fault does
 * not apply to it (it is then forwarded as it is and not counted).
 */
static bool apply_fault(struct session *s, const unsigned char *msg,
			size_t len)
{
	int type = msg[4];
	uint16_t tag = get_le16(msg + 5), t2;
	const struct tag_info *ti = &s->tags[tag];
	const unsigned char *body = msg + HDRSZ;
	size_t blen = len - HDRSZ, nl = len, offs[64];
	char what[160] = "";
	unsigned char *m = NULL;
	uint32_t v;
	int i, k;

	switch (fault.kind) {
	case F_SHORTBODY:
		if (blen < 1)
			return false;
		break;
	case F_BIGCOUNT:
		if ((type != RREAD && type != RREADDIR && type != RWRITE) ||
		    blen < 4 || !ti->live)
			return false;
		/* bounds for the bytes appended to a read */
		if (type != RWRITE &&
		    (fault.arg > MAX_MSG / 2 || ti->count > MAX_MSG / 2 ||
		     get_le32(body) > ti->count))
			return false;
		break;
	case F_SETCOUNT:
		if ((type != RREAD && type != RREADDIR && type != RWRITE) ||
		    blen < 4)
			return false;
		break;
	case F_BADQID:
		if (!reply_qids(type, body, blen, offs, 64))
			return false;
		break;
	case F_BADMODE:
		if (type != RGETATTR || blen < 8 + QIDSZ + 4)
			return false;
		break;
	case F_WALKEXTRA:
		if (type != RWALK || blen < 2)
			return false;
		break;
	case F_DIRENT:
		if (type != RREADDIR)
			return false;
		m = rewrite_dirent(msg, len, ti->live ? ti : NULL,
				   fault.dirent, &nl);
		if (!m)
			return false;
		break;
	default:
		break;
	}

	fault.seen++;
	if (fault.seen <= fault.after) {
		free(m);
		return false;
	}
	fault.fired++;

	switch (fault.kind) {
	case F_DROP:
		plog("fired %s on %s tag %u (session %d)", fault.spec,
		     msg_name(type), tag, s->id);
		client_close(s, "fault: drop");
		return true;
	case F_SWALLOW:
		plog("fired %s on %s tag %u (session %d): not forwarded",
		     fault.spec, msg_name(type), tag, s->id);
		return true;
	case F_DELAY:
		plog("fired %s on %s tag %u (session %d): held %llu ms",
		     fault.spec, msg_name(type), tag, s->id,
		     (unsigned long long)fault.arg);
		emit(s, msg, len, now_ms() + (long long)fault.arg);
		return true;
	case F_REORDER: {
		struct held *h = xmalloc(sizeof(*h));

		if (s->reorder) {
			/* the one already held goes after this one */
			emit(s, msg, len, 0);
			plog("fired %s on %s tag %u (session %d): sent before the held one",
			     fault.spec, msg_name(type), tag, s->id);
			free(h);
			return true;
		}
		h->msg = msg_copy(msg, len, 0);
		h->len = len;
		h->due = now_ms() + (long long)(fault.has_arg ? fault.arg : 1000);
		h->next = NULL;
		s->reorder = h;
		plog("fired %s on %s tag %u (session %d): held until the next reply",
		     fault.spec, msg_name(type), tag, s->id);
		return true;
	}
	case F_TRUNCATE: {
		size_t n = fault.has_arg ? (size_t)fault.arg :
			   HDRSZ + blen / 2;

		if (n >= len)
			n = len - 1;
		if (!n)
			n = 1;
		plog("fired %s on %s tag %u (session %d): %zu of %zu bytes, then close",
		     fault.spec, msg_name(type), tag, s->id, n, len);
		emit(s, msg, n, 0);
		run_timers(s, 0, true);
		s->draining = true;
		return true;
	}
	case F_LERROR:
		m = xmalloc(HDRSZ + 4);
		put_le32(m, HDRSZ + 4);
		m[4] = RLERROR;
		put_le16(m + 5, tag);
		put_le32(m + HDRSZ, (uint32_t)fault.arg);
		nl = HDRSZ + 4;
		snprintf(what, sizeof(what), "replaced by Rlerror %u",
			 (uint32_t)fault.arg);
		break;
	case F_WRONGTAG:
		m = msg_copy(msg, len, 0);
		t2 = fault.has_arg && !fault.other_tag ? (uint16_t)fault.arg :
		     pick_tag(s, tag, fault.other_tag);
		put_le16(m + 5, t2);
		snprintf(what, sizeof(what), "tag %u -> %u (%s)", tag, t2,
			 s->tags[t2].live ? msg_name(s->tags[t2].type) :
			 "no request");
		break;
	case F_BIGSIZE:
		m = msg_copy(msg, len, 0);
		v = fault.has_arg ? (uint32_t)fault.arg :
		    (s->msize ? s->msize : 8u << 20) + 1;
		put_le32(m, v);
		snprintf(what, sizeof(what), "size %zu -> %u (msize %u)", len,
			 v, s->msize);
		break;
	case F_SHORTBODY:
		m = msg_copy(msg, len, 0);
		nl = len - 1;
		put_le32(m, (uint32_t)nl);
		snprintf(what, sizeof(what), "body %zu -> %zu bytes", blen,
			 blen - 1);
		break;
	case F_LONGBODY:
		m = msg_copy(msg, len, 1);
		m[len] = 0;
		nl = len + 1;
		put_le32(m, (uint32_t)nl);
		snprintf(what, sizeof(what), "body %zu -> %zu bytes", blen,
			 blen + 1);
		break;
	case F_BIGCOUNT: {
		uint32_t extra = fault.has_arg ? (uint32_t)fault.arg : 1;
		uint32_t c = get_le32(body);

		if (type == RWRITE) {
			/* more than the request carried */
			m = msg_copy(msg, len, 0);
			put_le32(m + HDRSZ, ti->count + extra);
			snprintf(what, sizeof(what), "count %u -> %u (asked %u)",
				 c, ti->count + extra, ti->count);
			break;
		}
		/*
		 * More than asked for, consistently: the count says EXTRA
		 * bytes more than the request's count and the size agrees,
		 * so only the request's bound is broken.
		 */
		extra += ti->count - c;
		m = msg_copy(msg, len, extra);
		memset(m + len, 0xa5, extra);
		nl = len + extra;
		put_le32(m, (uint32_t)nl);
		put_le32(m + HDRSZ, c + extra);
		snprintf(what, sizeof(what), "count %u -> %u (asked %u)", c,
			 c + extra, ti->count);
		break;
	}
	case F_SETCOUNT:
		m = msg_copy(msg, len, 0);
		put_le32(m + HDRSZ, (uint32_t)fault.arg);
		snprintf(what, sizeof(what), "count %u -> %u", get_le32(body),
			 (uint32_t)fault.arg);
		break;
	case F_BADQID:
		m = msg_copy(msg, len, 0);
		k = reply_qids(type, body, blen, offs, 64);
		for (i = 0; i < k; i++)
			m[HDRSZ + offs[i]] = fault.has_arg ? (uint8_t)fault.arg : 0xff;
		snprintf(what, sizeof(what), "%d qid type(s) -> 0x%02x", k,
			 fault.has_arg ? (uint8_t)fault.arg : 0xff);
		break;
	case F_BADMODE:
		m = msg_copy(msg, len, 0);
		v = fault.has_arg ? (uint32_t)fault.arg : 0170644;
		put_le32(m + HDRSZ + 8 + QIDSZ, v);
		snprintf(what, sizeof(what), "mode 0%o -> 0%o",
			 get_le32(body + 8 + QIDSZ), v);
		break;
	case F_WALKEXTRA: {
		uint16_t n = get_le16(body);

		/* one qid more than the names walked, copied or made up */
		m = msg_copy(msg, len, QIDSZ);
		if (n && blen >= 2 + (size_t)n * QIDSZ)
			memcpy(m + len, body + 2 + (n - 1) * QIDSZ, QIDSZ);
		else
			memset(m + len, 0, QIDSZ);
		put_le16(m + HDRSZ, n + 1);
		nl = len + QIDSZ;
		put_le32(m, (uint32_t)nl);
		snprintf(what, sizeof(what), "nwqid %u -> %u", n, n + 1);
		break;
	}
	case F_DIRENT:
		snprintf(what, sizeof(what), "hostile entries, %zu -> %zu bytes",
			 len, nl);
		break;
	default:
		free(m);
		return false;
	}
	plog("fired %s on %s tag %u (session %d): %s", fault.spec,
	     msg_name(type), tag, s->id, what);
	emit(s, m, nl, 0);
	free(m);
	return true;
}

/* One whole reply from the server. */
static void from_server(struct session *s, const unsigned char *msg,
			size_t len)
{
	int type = msg[4];
	uint16_t tag = get_le16(msg + 5);
	struct held *h;
	bool done = false;

	if (s->cfd < 0) {
		/* the client is gone: settle the account with the server */
		untrack(s, tag, type);
		maybe_done(s);
		return;
	}
	if (type == RVERSION && len >= HDRSZ + 4)
		s->msize = get_le32(msg + HDRSZ);
	if (fault_matches(s, type, tag))
		done = apply_fault(s, msg, len);
	untrack(s, tag, type);
	if (s->dead || s->cfd < 0) {
		maybe_done(s);
		return;
	}
	if (s->draining)
		return;
	if (!done)
		emit(s, msg, len, 0);
	/* a reply went by: the held one follows it */
	if (s->reorder && !(done && fault.kind == F_REORDER &&
			    s->reorder->msg[5] == msg[5] &&
			    s->reorder->msg[6] == msg[6])) {
		h = s->reorder;
		s->reorder = NULL;
		emit(s, h->msg, h->len, 0);
		free(h->msg);
		free(h);
	}
}

/* One whole request from the client: record it, note its tag, pass it on. */
static void from_client(struct session *s, const unsigned char *msg,
			size_t len)
{
	int type = msg[4];
	uint16_t tag = get_le16(msg + 5);
	struct tag_info *ti = &s->tags[tag];

	if (capture) {
		if (fwrite(msg, 1, len, capture) != len || fflush(capture)) {
			plog("cannot write the capture: %s", strerror(errno));
			fclose(capture);
			capture = NULL;
		}
	}
	track(s, tag);
	ti->type = type;
	ti->count = 0;
	ti->offset = 0;
	ti->oldtag = 0;
	if (type == TFLUSH && len >= HDRSZ + 2) {
		ti->oldtag = get_le16(msg + HDRSZ);
		/* the tests look for the flush of a request they gave up */
		plog("session %d: Tflush tag %u oldtag %u", s->id, tag,
		     ti->oldtag);
	}
	if ((type == TREAD || type == TREADDIR) && len >= HDRSZ + 16) {
		ti->offset = get_le64(msg + HDRSZ + 4);
		ti->count = get_le32(msg + HDRSZ + 12);
	} else if (type == TWRITE && len >= HDRSZ + 16) {
		ti->count = get_le32(msg + HDRSZ + 12);
	}
	buf_append(&s->sout, msg, len);
}

/*
 * Read what @fd has into @in and hand every whole message to @fn.
 * Returns false when the peer is gone or broke the framing.
 */
static bool read_side(struct session *s, int fd, struct buf *in,
		      void (*fn)(struct session *, const unsigned char *,
				 size_t), const char *who)
{
	size_t total = 0;
	ssize_t n;

	while (total < (4u << 20)) {
		buf_reserve(in, READ_CHUNK);
		n = recv(fd, in->data + in->len, in->cap - in->len,
			 MSG_DONTWAIT);
		if (n == 0) {
			plog("session %d: %s closed the connection", s->id, who);
			return false;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			plog("session %d: %s: %s", s->id, who, strerror(errno));
			return false;
		}
		in->len += n;
		total += n;
		while (buf_used(in) >= 4 && !s->dead && !s->draining) {
			uint32_t size = get_le32(in->data + in->off);

			if (size < HDRSZ || size > MAX_MSG) {
				plog("session %d: %s sent a message of size %u; closing",
				     s->id, who, size);
				return false;
			}
			if (buf_used(in) < size)
				break;
			fn(s, in->data + in->off, size);
			if (s->dead)
				return true;
			buf_consume(in, size);
		}
		if (s->dead || s->draining)
			break;
	}
	return true;
}

/* Write what @out holds to @fd; false if the peer is gone. */
static bool write_side(struct session *s, int fd, struct buf *out,
		       const char *who)
{
	ssize_t n;

	while (buf_used(out)) {
		n = send(fd, out->data + out->off, buf_used(out),
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return true;
			if (errno == EINTR)
				continue;
			plog("session %d: writing to %s: %s", s->id, who,
			     strerror(errno));
			return false;
		}
		buf_consume(out, n);
	}
	return true;
}

/* ---- sockets ---- */

static int listen_fd = -1;
static int listen_port;
static long long relisten_at;
static struct sockaddr_in server_addr;

static int open_listener(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd, one = 1;

	a.sin_port = htons(listen_port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 16)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void new_session(void)
{
	struct session *s;
	int cfd, sfd, i, one = 1;

	cfd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	for (i = 0; i < MAX_SESSIONS && sessions[i]; i++)
		;
	if (i == MAX_SESSIONS) {
		plog("too many sessions: refusing a connection");
		close(cfd);
		return;
	}
	sfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sfd < 0 || connect(sfd, (struct sockaddr *)&server_addr,
			       sizeof(server_addr))) {
		plog("cannot connect to the server: %s", strerror(errno));
		if (sfd >= 0)
			close(sfd);
		close(cfd);
		return;
	}
	setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	s = calloc(1, sizeof(*s));
	if (!s) {
		close(cfd);
		close(sfd);
		return;
	}
	s->tags = calloc(NOTAG + 1, sizeof(*s->tags));
	if (!s->tags) {
		free(s);
		close(cfd);
		close(sfd);
		return;
	}
	s->id = next_session_id++;
	s->cfd = cfd;
	s->sfd = sfd;
	sessions[i] = s;
	plog("session %d: open", s->id);
}

/* reopen[=MS]: drop every client; with MS, refuse new ones that long. */
static void do_reopen(void)
{
	int i, n = 0;

	for (i = 0; i < MAX_SESSIONS; i++) {
		if (sessions[i] && !sessions[i]->dead && sessions[i]->cfd >= 0) {
			client_close(sessions[i], "fault: reopen");
			n++;
		}
	}
	fault.fired++;
	if (fault.has_arg && fault.arg) {
		if (listen_fd >= 0)
			close(listen_fd);
		listen_fd = -1;
		relisten_at = now_ms() + (long long)fault.arg;
	}
	if (fault.has_arg && fault.arg)
		plog("fired %s: closed %d session(s); not listening for %llu ms",
		     fault.spec, n, (unsigned long long)fault.arg);
	else
		plog("fired %s: closed %d session(s)", fault.spec, n);
}

/* ---- the control file ---- */

static const char *ctl_path;
static struct stat ctl_st;
static volatile sig_atomic_t reload_flag, stop_flag;

static void arm(const char *spec)
{
	struct fault f;
	const char *err = parse_fault(spec, &f);

	if (err) {
		plog("bad fault '%s': %s; now none", spec, err);
		parse_fault("none", &f);
	}
	fault = f;
	plog("armed %s", fault.spec);
	if (fault.kind == F_REOPEN)
		do_reopen();
}

static void load_ctl(bool force)
{
	char line[256] = "";
	struct stat st;
	FILE *f;

	if (!ctl_path)
		return;
	if (stat(ctl_path, &st))
		return;
	if (!force && st.st_ino == ctl_st.st_ino &&
	    st.st_size == ctl_st.st_size &&
	    st.st_mtim.tv_sec == ctl_st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == ctl_st.st_mtim.tv_nsec)
		return;
	ctl_st = st;
	f = fopen(ctl_path, "r");
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	line[strcspn(line, "\r\n")] = 0;
	arm(line[0] ? line : "none");
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		reload_flag = 1;
	else
		stop_flag = 1;
}

/* The server closed: what it said still goes out, then the client goes. */
static void server_gone(struct session *s)
{
	close(s->sfd);
	s->sfd = -1;
	if (s->cfd < 0) {
		session_close(s, "server closed");
		return;
	}
	run_timers(s, 0, true);
	s->draining = true;
}

/* One pass over the sessions after poll: timers, flushing, closing. */
static void housekeeping(long long now)
{
	int i;

	for (i = 0; i < MAX_SESSIONS; i++) {
		struct session *s = sessions[i];

		if (!s)
			continue;
		if (!s->dead && s->cfd >= 0) {
			run_timers(s, now, false);
			if (buf_used(&s->cout) &&
			    !write_side(s, s->cfd, &s->cout, "client"))
				client_close(s, "write failed");
		}
		if (!s->dead && s->cfd >= 0 && s->draining &&
		    !buf_used(&s->cout)) {
			if (s->sfd < 0)
				session_close(s, "drained");
			else
				client_close(s, "drained");
		}
		if (!s->dead && s->cfd < 0 && now >= s->drain_until)
			session_close(s, "the server did not answer everything in time");
		if (s->dead) {
			free(s);
			sessions[i] = NULL;
		}
	}
}

static int proxy_main(void)
{
	struct pollfd pfd[1 + 2 * MAX_SESSIONS];
	struct session *ps[1 + 2 * MAX_SESSIONS];
	bool is_client[1 + 2 * MAX_SESSIONS];
	long long stop_at = 0;
	int i, n, timeout;

	listen_fd = open_listener();
	if (listen_fd < 0) {
		fprintf(stderr, "p9proxy: cannot listen on 127.0.0.1:%d: %s\n",
			listen_port, strerror(errno));
		return 1;
	}
	plog("listening on 127.0.0.1:%d, server %s:%u", listen_port,
	     inet_ntoa(server_addr.sin_addr), ntohs(server_addr.sin_port));
	for (;;) {
		long long now = now_ms(), t;

		if (stop_flag && !stop_at) {
			/* let the server finish what it was asked, briefly */
			plog("stopping");
			stop_at = now + 3000;
			if (listen_fd >= 0)
				close(listen_fd);
			listen_fd = -1;
			relisten_at = 0;
			for (i = 0; i < MAX_SESSIONS; i++)
				if (sessions[i])
					client_close(sessions[i], "proxy stopping");
			housekeeping(now);
		}
		if (stop_at) {
			for (i = 0; i < MAX_SESSIONS && !sessions[i]; i++)
				;
			if (i == MAX_SESSIONS || now >= stop_at)
				break;
		} else {
			load_ctl(reload_flag);
			reload_flag = 0;
		}
		if (listen_fd < 0 && relisten_at && now >= relisten_at) {
			listen_fd = open_listener();
			relisten_at = listen_fd < 0 ? now + 100 : 0;
			if (listen_fd >= 0)
				plog("listening again");
		}
		n = 0;
		timeout = POLL_MS;
		if (listen_fd >= 0) {
			pfd[n].fd = listen_fd;
			pfd[n].events = POLLIN;
			ps[n++] = NULL;
		}
		for (i = 0; i < MAX_SESSIONS; i++) {
			struct session *s = sessions[i];

			if (!s)
				continue;
			t = next_timer(s);
			if (t >= 0 && t - now < timeout)
				timeout = t > now ? (int)(t - now) : 0;
			/* poll() ignores the side that is closed (fd -1) */
			pfd[n].fd = s->cfd;
			pfd[n].events = 0;
			if (!s->draining && buf_used(&s->sout) < MAX_BACKLOG)
				pfd[n].events |= POLLIN;
			if (buf_used(&s->cout))
				pfd[n].events |= POLLOUT;
			is_client[n] = true;
			ps[n++] = s;
			pfd[n].fd = s->sfd;
			pfd[n].events = 0;
			if (s->cfd < 0 ||
			    (!s->draining && buf_used(&s->cout) < MAX_BACKLOG))
				pfd[n].events |= POLLIN;
			if (buf_used(&s->sout))
				pfd[n].events |= POLLOUT;
			is_client[n] = false;
			ps[n++] = s;
		}
		if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
			plog("poll: %s", strerror(errno));
			return 1;
		}
		for (i = 0; i < n; i++) {
			struct session *s = ps[i];
			short ev = pfd[i].revents;
			bool client = is_client[i];

			if (!s) {
				if ((ev & POLLIN) && !stop_at)
					new_session();
				continue;
			}
			/* a side closed since poll() is not read again */
			if (s->dead || !ev || pfd[i].fd != (client ? s->cfd : s->sfd))
				continue;
			if (ev & (POLLIN | POLLHUP | POLLERR)) {
				if (client &&
				    !read_side(s, s->cfd, &s->cin, from_client, "client"))
					client_close(s, "client gone");
				else if (!client &&
					 !read_side(s, s->sfd, &s->sin, from_server, "server"))
					server_gone(s);
			}
			if (s->dead || pfd[i].fd != (client ? s->cfd : s->sfd))
				continue;
			if (!(ev & POLLOUT))
				continue;
			if (client && !write_side(s, s->cfd, &s->cout, "client"))
				client_close(s, "write failed");
			else if (!client &&
				 !write_side(s, s->sfd, &s->sout, "server"))
				session_close(s, "writing to the server failed");
			else if (!client)
				maybe_done(s);
		}
		housekeeping(now_ms());
	}
	for (i = 0; i < MAX_SESSIONS; i++) {
		if (sessions[i]) {
			session_close(sessions[i], "proxy stopped");
			free(sessions[i]);
			sessions[i] = NULL;
		}
	}
	return 0;
}

/* ---- --check-zero: reserved fields of recorded requests ---- */

struct rd {
	const unsigned char *p;
	size_t len;
	size_t pos;
	bool short_msg;
};

static const unsigned char *take(struct rd *r, size_t n)
{
	const unsigned char *p;

	if (r->short_msg || n > r->len - r->pos) {
		r->short_msg = true;
		return NULL;
	}
	p = r->p + r->pos;
	r->pos += n;
	return p;
}

static uint64_t rd_num(struct rd *r, size_t n)
{
	const unsigned char *p = take(r, n);

	if (!p)
		return 0;
	return n == 1 ? p[0] : n == 2 ? get_le16(p) : n == 4 ? get_le32(p) :
	       get_le64(p);
}

static void rd_skip(struct rd *r, size_t n)
{
	take(r, n);
}

static size_t rd_str(struct rd *r, const unsigned char **s)
{
	size_t n = rd_num(r, 2);

	*s = take(r, n);
	return *s ? n : 0;
}

struct checker {
	unsigned long msgs;
	unsigned long findings;
	unsigned long index;
	size_t at;		/* file offset of the message */
	int type;
	uint16_t tag;
	uint32_t msize;
	bool verbose;
};

static void finding(struct checker *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void finding(struct checker *c, const char *fmt, ...)
{
	va_list ap;

	c->findings++;
	printf("message %lu (offset %zu) %s tag %u: ", c->index, c->at,
	       msg_name(c->type), c->tag);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Linux open flags 9P2000.L defines (P9_DOTL_*; the same values on x86). */
#define DOTL_FLAGS	(03 | 0100 | 0200 | 0400 | 01000 | 02000 | 04000 | \
			 010000 | 020000 | 040000 | 0100000 | 0200000 | \
			 0400000 | 01000000 | 02000000 | 04000000)
#define S_TYPEMASK	0170000
#define GETATTR_ALL	0x3fffull
#define SETATTR_ALL	0x1ffu

static void check_flags(struct checker *c, const char *field, uint32_t v)
{
	if (v & ~DOTL_FLAGS)
		finding(c, "%s 0%o: undefined bits 0%o must be zero", field, v,
			v & ~DOTL_FLAGS);
	if ((v & 03) == 03)
		finding(c, "%s 0%o: access mode 3 is not defined", field, v);
}

/* A name created or walked to: one path component. */
static void check_name(struct checker *c, const char *field,
		       const unsigned char *s, size_t n, bool dotdot_ok)
{
	if (!s)
		return;
	if (!n)
		finding(c, "%s is empty", field);
	else if (memchr(s, '/', n) || memchr(s, 0, n))
		finding(c, "%s contains '/' or NUL", field);
	else if ((n == 1 && s[0] == '.') ||
		 (!dotdot_ok && n == 2 && s[0] == '.' && s[1] == '.'))
		finding(c, "%s is '%.*s'", field, (int)n, s);
}

static void check_mode(struct checker *c, const char *field, uint32_t mode,
		       uint32_t allowed_type)
{
	uint32_t t = mode & S_TYPEMASK;

	if (mode & ~(S_TYPEMASK | 07777))
		finding(c, "%s 0%o: bits 0%o outside type and permissions",
			field, mode, mode & ~(S_TYPEMASK | 07777));
	if (t && allowed_type != S_TYPEMASK && t != allowed_type)
		finding(c, "%s 0%o: file type 0%o not expected here", field,
			mode, t);
}

/* Tsetattr fields a clear valid bit leaves unused must be zero. */
static void check_setattr(struct checker *c, struct rd *r)
{
	static const struct { uint32_t bit; const char *name; int size; } f[] = {
		{ 0x001, "mode", 4 }, { 0x002, "uid", 4 }, { 0x004, "gid", 4 },
		{ 0x008, "size", 8 },
		{ 0x080, "atime_sec", 8 }, { 0x080, "atime_nsec", 8 },
		{ 0x100, "mtime_sec", 8 }, { 0x100, "mtime_nsec", 8 },
	};
	uint32_t valid;
	uint64_t v[8];
	size_t i;

	rd_skip(r, 4);	/* fid */
	valid = rd_num(r, 4);
	for (i = 0; i < 8; i++)
		v[i] = rd_num(r, f[i].size);
	if (r->short_msg)
		return;
	if (valid & ~SETATTR_ALL)
		finding(c, "valid 0x%x: undefined bits 0x%x must be zero", valid,
			valid & ~SETATTR_ALL);
	for (i = 0; i < 8; i++)
		if (!(valid & f[i].bit) && v[i])
			finding(c, "%s = 0x%llx with its valid bit 0x%x clear: must be zero",
				f[i].name, (unsigned long long)v[i], f[i].bit);
	if ((valid & 0x080) && !(valid & 0x010))
		finding(c, "valid 0x%x: ATIME_SET without ATIME", valid);
	if ((valid & 0x100) && !(valid & 0x020))
		finding(c, "valid 0x%x: MTIME_SET without MTIME", valid);
	if (v[5] >= 1000000000 || v[7] >= 1000000000)
		finding(c, "a nanosecond field is 1e9 or more");
	if (valid & 0x001)
		check_mode(c, "mode", (uint32_t)v[0], S_TYPEMASK);
}

static void check_msg(struct checker *c, const unsigned char *msg,
		      uint32_t size)
{
	struct rd r = { .p = msg, .len = size, .pos = HDRSZ };
	const unsigned char *s, *s2;
	uint64_t v, w;
	size_t n, i;

	c->type = msg[4];
	c->tag = get_le16(msg + 5);
	if (c->verbose)
		printf("message %lu (offset %zu) %s tag %u size %u\n", c->index,
		       c->at, msg_name(c->type), c->tag, size);
	if (c->type == TVERSION && c->tag != NOTAG)
		finding(c, "Tversion must carry NOTAG");
	if (c->type != TVERSION && c->tag == NOTAG)
		finding(c, "NOTAG on a request other than Tversion");
	switch (c->type) {
	case TVERSION:
		c->msize = rd_num(&r, 4);
		n = rd_str(&r, &s);
		if (s && (n != 8 || memcmp(s, "9P2000.L", 8)))
			finding(c, "version '%.*s'", (int)n, s);
		break;
	case TATTACH:
		rd_num(&r, 4);
		if (rd_num(&r, 4) != NOFID && !r.short_msg)
			finding(c, "afid is not NOFID (no Tauth is ever sent)");
		rd_str(&r, &s);
		rd_str(&r, &s);
		rd_num(&r, 4);
		break;
	case TAUTH:
		rd_num(&r, 4);
		rd_str(&r, &s);
		rd_str(&r, &s);
		rd_num(&r, 4);
		break;
	case TFLUSH:
		if (rd_num(&r, 2) == NOTAG && !r.short_msg)
			finding(c, "oldtag is NOTAG");
		break;
	case TWALK:
		rd_skip(&r, 8);
		n = rd_num(&r, 2);
		if (n > 16)
			finding(c, "nwname %zu > 16", n);
		for (i = 0; i < n && !r.short_msg; i++) {
			size_t l = rd_str(&r, &s);

			check_name(c, "wname", s, l, true);
		}
		break;
	case TLOPEN:
		rd_num(&r, 4);
		v = rd_num(&r, 4);
		if (!r.short_msg)
			check_flags(c, "flags", (uint32_t)v);
		break;
	case TLCREATE:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		v = rd_num(&r, 4);
		w = rd_num(&r, 4);
		rd_num(&r, 4);
		if (!r.short_msg) {
			check_flags(c, "flags", (uint32_t)v);
			check_mode(c, "mode", (uint32_t)w, 0100000);
		}
		break;
	case TSYMLINK:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		n = rd_str(&r, &s2);
		if (s2 && !n)
			finding(c, "empty symlink target");
		rd_num(&r, 4);
		break;
	case TMKNOD:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		v = rd_num(&r, 4);
		w = rd_num(&r, 4) | rd_num(&r, 4);
		rd_num(&r, 4);
		if (r.short_msg)
			break;
		if (v & ~(S_TYPEMASK | 07777))
			finding(c, "mode 0%o: bits outside type and permissions",
				(uint32_t)v);
		if ((v & S_TYPEMASK) != 020000 && (v & S_TYPEMASK) != 060000 && w)
			finding(c, "major/minor nonzero for mode 0%o (not a device)",
				(uint32_t)v);
		break;
	case TRENAME:
		rd_skip(&r, 8);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		break;
	case TGETATTR:
		rd_num(&r, 4);
		v = rd_num(&r, 8);
		if (!r.short_msg && (v & ~GETATTR_ALL))
			finding(c, "request_mask 0x%llx: undefined bits 0x%llx must be zero",
				(unsigned long long)v,
				(unsigned long long)(v & ~GETATTR_ALL));
		break;
	case TSETATTR:
		check_setattr(c, &r);
		break;
	case TXATTRWALK:
		rd_skip(&r, 8);
		rd_str(&r, &s);
		break;
	case TXATTRCREATE:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		if (s && !n)
			finding(c, "empty attribute name");
		rd_skip(&r, 8);
		v = rd_num(&r, 4);
		if (!r.short_msg && (v & ~3ull))
			finding(c, "flags 0x%llx: only XATTR_CREATE|XATTR_REPLACE are defined",
				(unsigned long long)v);
		break;
	case TREAD:
	case TREADDIR:
		rd_skip(&r, 12);
		v = rd_num(&r, 4);
		if (!r.short_msg && c->msize && v > c->msize - 11)
			finding(c, "count %llu: the reply could not fit msize %u",
				(unsigned long long)v, c->msize);
		break;
	case TWRITE:
		rd_skip(&r, 12);
		v = rd_num(&r, 4);
		rd_skip(&r, (size_t)v);
		if (!r.short_msg && c->msize && size > c->msize)
			finding(c, "size %u exceeds msize %u", size, c->msize);
		break;
	case TFSYNC:
		rd_num(&r, 4);
		v = rd_num(&r, 4);
		if (!r.short_msg && v > 1)
			finding(c, "datasync %llu: only 0 and 1 are defined",
				(unsigned long long)v);
		break;
	case TLOCK:
	case TGETLOCK:
		rd_num(&r, 4);
		v = rd_num(&r, 1);
		w = c->type == TLOCK ? rd_num(&r, 4) : 0;
		rd_skip(&r, 20);
		rd_str(&r, &s);
		if (r.short_msg)
			break;
		if (v > (c->type == TLOCK ? 2u : 1u))
			finding(c, "lock type %llu is not defined here",
				(unsigned long long)v);
		if (w & ~3ull)
			finding(c, "flags 0x%llx: only BLOCK|RECLAIM are defined",
				(unsigned long long)w);
		break;
	case TLINK:
		rd_skip(&r, 8);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		break;
	case TMKDIR:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		v = rd_num(&r, 4);
		rd_num(&r, 4);
		if (!r.short_msg)
			check_mode(c, "mode", (uint32_t)v, 040000);
		break;
	case TRENAMEAT:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "oldname", s, n, false);
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "newname", s, n, false);
		break;
	case TUNLINKAT:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		v = rd_num(&r, 4);
		if (!r.short_msg && (v & ~0x200ull))
			finding(c, "flags 0x%llx: only AT_REMOVEDIR is defined",
				(unsigned long long)v);
		break;
	case TSTATFS:
	case TREADLINK:
	case TCLUNK:
	case TREMOVE:
		rd_num(&r, 4);
		break;
	default:
		finding(c, "not a 9P2000.L request");
		return;
	}
	if (r.short_msg)
		finding(c, "size %u is too small for its fields", size);
	else if (r.pos != size)
		finding(c, "%zu byte(s) after the last field", size - r.pos);
}

static int check_zero(const char *path, bool verbose)
{
	struct checker c = { .verbose = verbose };
	unsigned char *data = NULL;
	size_t len = 0, cap = 0, pos = 0;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "p9proxy: %s: %s\n", path, strerror(errno));
		return 2;
	}
	for (;;) {
		size_t n;

		if (cap - len < 65536) {
			unsigned char *p;

			cap = cap ? cap * 2 : 1 << 20;
			p = realloc(data, cap);
			if (!p) {
				fprintf(stderr, "p9proxy: out of memory\n");
				return 2;
			}
			data = p;
		}
		n = fread(data + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	fclose(f);
	while (pos < len) {
		uint32_t size;

		if (len - pos < HDRSZ) {
			printf("offset %zu: %zu stray byte(s) at the end\n", pos,
			       len - pos);
			c.findings++;
			break;
		}
		size = get_le32(data + pos);
		if (size < HDRSZ || size > len - pos) {
			printf("offset %zu: message size %u does not fit the capture\n",
			       pos, size);
			c.findings++;
			break;
		}
		c.at = pos;
		check_msg(&c, data + pos, size);
		c.msgs++;
		c.index++;
		pos += size;
	}
	free(data);
	printf("check-zero %s: %lu messages, %lu finding(s)\n", path, c.msgs,
	       c.findings);
	return c.findings ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: p9proxy -l PORT [-s ADDR:PORT] [-c CTLFILE] [-f FAULT] [-w CAPTURE] [-L LOG]\n"
		"       p9proxy --check-zero [-v] CAPTURE\n"
		"\n"
		"Proxy: listen on 127.0.0.1:PORT, connect each client to the server (default\n"
		"127.0.0.1:564) and forward whole 9P messages.  FAULT (or the first line of\n"
		"CTLFILE, read again whenever it changes and on SIGUSR1) is\n"
		"  NAME[=ARG][,type=T][,after=N][,times=K]\n"
		"applied to the replies of type T (Rread, Rgetattr, ...; a T-name matches the\n"
		"replies to that request; \"any\"), after N such replies went through, to K\n"
		"of them (default 1; 0: all).  NAME:\n"
		"  none            forward everything\n"
		"  drop            close both connections instead of forwarding the reply\n"
		"  swallow         never forward the reply\n"
		"  delay=MS        hold the reply (and those after it) MS milliseconds\n"
		"  reorder[=MS]    send the reply after the next one (at most MS, 1000)\n"
		"  wrongtag[=TAG|other]  a tag nobody waits for (or that of a request of\n"
		"                  another type in flight)\n"
		"  truncate[=N]    send the first N bytes (default: half), then close\n"
		"  bigsize[=SIZE]  size field SIZE (default msize + 1)\n"
		"  shortbody, longbody  one body byte less / one zero byte more\n"
		"  bigcount[=N]    Rread/Rreaddir: N bytes more than asked (count and size\n"
		"                  agree); Rwrite: count N more than sent (default 1)\n"
		"  setcount=N, countmax  the count field of Rread/Rreaddir/Rwrite := N\n"
		"  badqid[=T]      every qid's type := T (default 0xff)\n"
		"  badmode[=MODE]  Rgetattr mode := MODE (default 0170644)\n"
		"  walkextra       Rwalk: one qid more than names walked\n"
		"  dirent=slash|nul|dot|dotdot|long|empty|all  hostile Rreaddir entries\n"
		"  lerror=N        replace the reply by Rlerror N\n"
		"  reopen[=MS]     at once: close every client (and refuse new ones MS ms)\n"
		"The log (-L) has a line \"armed SPEC\" per change and \"fired SPEC ...\" per\n"
		"faulted reply.  -w appends every message the client sends to CAPTURE.\n"
		"\n"
		"--check-zero walks a capture and reports, for each request, fields that\n"
		"must be zero or are out of their defined range: bytes after the last\n"
		"field; undefined bits in Tgetattr's mask, Tsetattr's valid, Tlopen and\n"
		"Tlcreate flags, Tunlinkat, Tlock and Txattrcreate flags; Tsetattr fields\n"
		"whose valid bit is clear; mode bits beyond type and permissions; Tmknod\n"
		"major/minor of non-devices; names with '/', NUL, empty, '.'; counts that\n"
		"cannot fit msize; tags (NOTAG only on Tversion); afid not NOFID.\n"
		"Exit status 0: clean, 1: findings, 2: unreadable.\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	const char *spec = NULL, *logpath = NULL, *cap = NULL;
	const char *server = "127.0.0.1:564";
	char host[64], *colon;
	int i;

	if (argc >= 3 && !strcmp(argv[1], "--check-zero")) {
		if (argc == 4 && !strcmp(argv[2], "-v"))
			return check_zero(argv[3], true);
		if (argc != 3)
			usage();
		return check_zero(argv[2], false);
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (i + 1 >= argc)
			usage();
		if (!strcmp(a, "-l"))
			listen_port = atoi(argv[++i]);
		else if (!strcmp(a, "-s"))
			server = argv[++i];
		else if (!strcmp(a, "-c"))
			ctl_path = argv[++i];
		else if (!strcmp(a, "-f"))
			spec = argv[++i];
		else if (!strcmp(a, "-w"))
			cap = argv[++i];
		else if (!strcmp(a, "-L"))
			logpath = argv[++i];
		else
			usage();
	}
	if (listen_port <= 0 || listen_port > 65535)
		usage();
	snprintf(host, sizeof(host), "%s", server);
	colon = strrchr(host, ':');
	if (!colon)
		usage();
	*colon = 0;
	server_addr.sin_family = AF_INET;
	server_addr.sin_port = htons(atoi(colon + 1));
	if (inet_pton(AF_INET, host, &server_addr.sin_addr) != 1)
		usage();

	t_start = now_ms();
	log_file = logpath ? fopen(logpath, "a") : stderr;
	if (!log_file) {
		fprintf(stderr, "p9proxy: %s: %s\n", logpath, strerror(errno));
		return 2;
	}
	if (cap) {
		capture = fopen(cap, "ab");
		if (!capture) {
			fprintf(stderr, "p9proxy: %s: %s\n", cap, strerror(errno));
			return 2;
		}
	}
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (spec)
		arm(spec);
	load_ctl(true);
	return proxy_main();
}
