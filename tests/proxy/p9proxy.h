/* SPDX-License-Identifier: GPL-2.0 */
/*
 * p9proxy: what its files share.  The 9P constants and message types,
 * little-endian accessors, the byte buffers, faults, sessions and the
 * functions each file gives the others.  See p9proxy.c for what the
 * program does and README for how the tests use it.
 *
 *	p9proxy.c	main(): the command line, usage()
 *	mainloop.c	the poll loop: listener, session table, signals
 *	session.c	one session: forwarding, tags, held replies
 *	fault.c		the armed fault, the control file, applying it
 *	faultspec.c	parsing a fault specification
 *	rewrite.c	rewritten reply bodies (qids, directory entries)
 *	checkzero.c	--check-zero: reserved fields of recorded requests
 *	log.c		the log, the capture, xmalloc()
 *	msgtype.c	9P message type names
 *	buf.c		byte buffers
 */
#ifndef P9PROXY_H
#define P9PROXY_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

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

/* ---- little-endian fields, the monotonic clock ---- */

static inline uint16_t get_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const unsigned char *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static inline void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline void put_le64(unsigned char *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* ---- msgtype.c ---- */

const char *msg_name(int type);
int msg_parse_type(const char *s);

/* ---- log.c ---- */

int plog_open(const char *path);
void plog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xmalloc(size_t n);
int capture_open(const char *path);
void capture_write(const unsigned char *msg, size_t len);

/* ---- buf.c: byte buffers, [off, len) is what is still to be used ---- */

struct buf {
	unsigned char *data;
	size_t off;
	size_t len;
	size_t cap;
};

size_t buf_used(const struct buf *b);
void buf_reserve(struct buf *b, size_t need);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_consume(struct buf *b, size_t n);
void buf_free(struct buf *b);

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
 * gone; see session_client_close().
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

/* ---- session.c ---- */

void session_close(struct session *s, const char *why);
void session_maybe_done(struct session *s);
void session_client_close(struct session *s, const char *why);
void session_server_gone(struct session *s);
void session_emit(struct session *s, const unsigned char *msg, size_t len,
		  long long due);
void session_run_timers(struct session *s, long long now, bool all);
long long session_next_timer(const struct session *s);
void session_from_server(struct session *s, const unsigned char *msg,
			 size_t len);
void session_from_client(struct session *s, const unsigned char *msg,
			 size_t len);
bool session_read(struct session *s, int fd, struct buf *in,
		  void (*fn)(struct session *, const unsigned char *, size_t),
		  const char *who);
bool session_write(struct session *s, int fd, struct buf *out,
		   const char *who);

/* ---- faultspec.c ---- */

const char *fault_parse(const char *spec, struct fault *f);

/* ---- fault.c ---- */

void fault_arm(const char *spec);
void fault_load_ctl(const char *path, bool force);
enum fault_kind fault_armed_kind(void);
bool fault_matches(const struct session *s, int type, uint16_t tag);
bool fault_apply(struct session *s, const unsigned char *msg, size_t len);

/* ---- rewrite.c ---- */

unsigned char *rewrite_copy(const unsigned char *msg, size_t len,
			    size_t extra);
int rewrite_qids(int type, const unsigned char *body, size_t blen,
		 size_t *offs, int max);
unsigned char *rewrite_dirent(const unsigned char *msg, size_t len,
			      const struct tag_info *ti, int kinds,
			      size_t *newlen);

/* ---- mainloop.c ---- */

void proxy_signals(void);
int proxy_reopen(uint64_t ms);
int proxy_main(int port, const struct sockaddr_in *server,
	       const char *ctl_path);

/* ---- checkzero.c ---- */

int check_zero(const char *path, bool verbose);

#endif /* P9PROXY_H */
