/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rx9pstat: what its files share.  The fields of an rx9p entry of
 * /proc/self/mountstats, a mount and a read of them as parsed, the
 * MOUNTPOINT arguments, and the functions each file gives the others.  See
 * main.c for what the program does.
 *
 *	main.c		main(): the options, usage, the interval loop
 *	parse.c		reading and parsing mountstats, xcalloc(), xstrdup()
 *	report.c	the -l listing, the rate reports, print_name()
 */
#ifndef RX9PSTAT_H
#define RX9PSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define PROG		"rx9pstat"

/* "bytes:" and "events:" fields, in the kernel's order (names: report.c) */
#define NR_BYTES	8
#define NR_EVENTS	11

/* per-op lines: ops errors bytes total_us max_us and 6 histogram buckets */
#define NR_OPS		25
#define OP_READ		19
#define OP_WRITE	20
extern const char * const op_names[NR_OPS];

#define NR_OPF		11
#define F_OPS		0
#define F_ERRORS	1
#define F_BYTES		2
#define F_TOTAL		3
#define F_MAX		4

/* per-message lines: count errors total_us max_us */
#define NR_MSGS		27
extern const char * const msg_names[NR_MSGS];

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

/* "chan:" lines (nconnect above 1): at most the kernel's 16 */
#define MAX_CHAN	16

struct rx_chan {
	bool have;
	char state[16];
	unsigned long long xprt[NR_XPRT];
	unsigned long long opens;	/* open files on the channel */
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
	unsigned long long nconnect;	/* 0: not shown (an older kernel) */
	struct rx_chan chan[MAX_CHAN];
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

/* main.c: the command line */
extern struct named *named;
extern int nnamed;
extern bool opt_msgs;

/* parse.c */
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);
bool parse_u64(const char **s, unsigned long long *v);
void free_snapshot(struct snapshot *s);
bool read_snapshot(const char *file, struct snapshot *s);

/* report.c */
void print_name(FILE *f, const char *s);
void list_mount(const struct rx_mount *m);
void report(struct snapshot *cur, struct snapshot *prev, double secs);

#endif /* RX9PSTAT_H */
