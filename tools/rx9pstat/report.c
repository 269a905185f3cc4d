// SPDX-License-Identifier: GPL-2.0
/*
 * rx9pstat: the output.  -l's listing of each mount's totals, the rate
 * reports (since the mount, then over each interval, from the difference
 * of two reads), and print_name(), which escapes names from the input.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "rx9pstat.h"

/* "bytes:" and "events:" fields, in the kernel's order */
static const char * const byte_names[NR_BYTES] = {
	"read", "written", "read O_DIRECT", "written O_DIRECT",
	"read from server", "written to server", "pages read",
	"pages written",
};

static const char * const event_names[NR_EVENTS] = {
	"readahead", "read_folio", "writeback batches", "folios written",
	"invalidations", "attr cached", "attr from server", "dentry kept",
	"dentry dropped", "done at DISPATCH", "posted to PASSIVE",
};

/* A name from the input, safe for a terminal: control bytes as \ooo. */
void print_name(FILE *f, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\%03o", *p);
		else
			fputc(*p, f);
	}
}

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
		printf(", msize %llu", m->msize);
		if (m->nconnect > 1)
			printf(", nconnect %llu", m->nconnect);
		putchar(')');
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
void list_mount(const struct rx_mount *m)
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
	for (i = 0; i < MAX_CHAN; i++) {
		const struct rx_chan *ch = &m->chan[i];

		if (!ch->have)
			continue;
		printf("    chan %d: %s, reconnects %llu, in flight %llu, ",
		       i, ch->state, ch->xprt[X_RECONNECTS], ch->xprt[X_INFLIGHT]);
		printf("requests %llu, bytes sent %llu, received %llu, ",
		       ch->xprt[X_SENT], ch->xprt[X_BSENT], ch->xprt[X_BRECEIVED]);
		printf("open files %llu\n", ch->opens);
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
void report(struct snapshot *cur, struct snapshot *prev, double secs)
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
