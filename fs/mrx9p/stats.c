// SPDX-License-Identifier: GPL-2.0
/*
 * The connection's statistics and the rx9p section of /proc/self/mountstats
 * (format: Documentation/filesystems/rx9p.rst, "Statistics").
 */
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "mrx9p.h"
#include "trace.h"

/* The per-message lines, in mountstats order (append only). */
static const struct {
	u8 type;
	const char *name;
} p9_msgs[P9_STAT_MSGS] = {
	{ P9_TVERSION, "Tversion" },	{ P9_TATTACH, "Tattach" },
	{ P9_TWALK, "Twalk" },		{ P9_TLOPEN, "Tlopen" },
	{ P9_TLCREATE, "Tlcreate" },	{ P9_TREAD, "Tread" },
	{ P9_TWRITE, "Twrite" },	{ P9_TCLUNK, "Tclunk" },
	{ P9_TREMOVE, "Tremove" },	{ P9_TGETATTR, "Tgetattr" },
	{ P9_TSETATTR, "Tsetattr" },	{ P9_TREADDIR, "Treaddir" },
	{ P9_TFSYNC, "Tfsync" },	{ P9_TSTATFS, "Tstatfs" },
	{ P9_TMKDIR, "Tmkdir" },	{ P9_TSYMLINK, "Tsymlink" },
	{ P9_TMKNOD, "Tmknod" },	{ P9_TRENAME, "Trename" },
	{ P9_TRENAMEAT, "Trenameat" },	{ P9_TUNLINKAT, "Tunlinkat" },
	{ P9_TLINK, "Tlink" },		{ P9_TREADLINK, "Treadlink" },
	{ P9_TXATTRWALK, "Txattrwalk" }, { P9_TXATTRCREATE, "Txattrcreate" },
	{ P9_TLOCK, "Tlock" },		{ P9_TGETLOCK, "Tgetlock" },
	{ P9_TFLUSH, "Tflush" },
};

static int p9_msg_index(u8 type)
{
	int i;

	for (i = 0; i < P9_STAT_MSGS; i++)
		if (p9_msgs[i].type == type)
			return i;
	return -1;
}

/* the message's name, for debugfs */
const char *p9_msg_name(u8 type)
{
	int i = p9_msg_index(type);

	return i < 0 ? "T?" : p9_msgs[i].name;
}

int p9_stats_init(struct p9_conn *c)
{
	c->stats = alloc_percpu(struct p9_stats);
	return c->stats ? 0 : -ENOMEM;
}

void p9_stats_destroy(struct p9_conn *c)
{
	free_percpu(c->stats);
	c->stats = NULL;
}

/**
 * p9_stats_reply - count (and trace) a request that ended
 * @req: the request; req->rtype is the reply's type if one came
 * @status: 0 if a reply came, else the transport error that ended it
 *
 * Any context (the softirq reader included).  A per-CPU maximum's update
 * may lose against an interrupt on the same CPU: harmless.
 */
void p9_stats_reply(struct p9_req *req, int status)
{
	struct p9_conn *c = req->conn;
	struct p9_msg_stat __percpu *s;
	int i = p9_msg_index(req->ttype);
	u64 ns;

	if (i < 0 || !req->sent_ns)
		return;		/* never sent */
	if (!rx_stats_enabled() && !trace_mrx9p_reply_enabled())
		return;
	ns = ktime_get_ns() - req->sent_ns;
	trace_mrx9p_reply(req, status, ns);
	if (!rx_stats_enabled())
		return;
	s = &c->stats->msg[i];
	this_cpu_inc(s->count);
	if (status || req->rtype == P9_RLERROR)
		this_cpu_inc(s->errors);
	this_cpu_add(s->total_ns, ns);
	if (ns > this_cpu_read(s->max_ns))
		this_cpu_write(s->max_ns, ns);
}

static void p9_stats_sum(struct p9_conn *c, struct p9_stats *sum)
{
	const struct p9_stats *p;
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		p = per_cpu_ptr(c->stats, cpu);
		for (i = 0; i < P9_X_MAX; i++)
			sum->x[i] += p->x[i];
		for (i = 0; i < P9_STAT_MSGS; i++) {
			sum->msg[i].count += p->msg[i].count;
			sum->msg[i].errors += p->msg[i].errors;
			sum->msg[i].total_ns += p->msg[i].total_ns;
			sum->msg[i].max_ns = max(sum->msg[i].max_ns,
						 p->msg[i].max_ns);
		}
	}
}

/* One connection's state and gauges, read under its lock. */
struct p9_gauges {
	const char *state;
	unsigned int tagged;
	unsigned int max_tagged;
	unsigned long reconnects;
};

static void p9_read_gauges(struct p9_conn *c, struct p9_gauges *g)
{
	spin_lock_bh(&c->lock);
	if (c->err)
		g->state = "down";
	else if (c->recovering || c->sock_err)
		g->state = "recovering";
	else
		g->state = "up";
	g->tagged = c->tagged;
	g->max_tagged = c->max_tagged;
	g->reconnects = c->reconnects;
	spin_unlock_bh(&c->lock);
}

/* The xprt: fields (Documentation/filesystems/rx9p.rst). */
static void p9_show_xprt(struct seq_file *m, const struct p9_gauges *g,
			 const struct p9_stats *s)
{
	seq_printf(m, "%s %llu %lu %u %u %llu %llu %llu %llu %llu %llu %llu %llu",
		   g->state, s->x[P9_X_CONNECTS], g->reconnects, g->tagged,
		   g->max_tagged, s->x[P9_X_SENT], s->x[P9_X_RECEIVED],
		   s->x[P9_X_BYTES_SENT], s->x[P9_X_BYTES_RECEIVED],
		   s->x[P9_X_RESENDS], s->x[P9_X_FLUSHES],
		   s->x[P9_X_PROTOCOL_ERRORS], s->x[P9_X_TIMEOUTS]);
}

/*
 * rx_minirdr_ops.show_stats: after the framework's mountstats lines.
 * With nconnect, xprt: and the per-message lines add up every channel
 * (the state is the worst of theirs), and a chan: line per channel
 * follows xprt:.
 */
void mrx9p_show_stats(struct seq_file *m, struct rx_net_root *nr)
{
	static const char * const rank[] = { "up", "recovering", "down" };
	struct mrx9p_opts *o = nr->opts;
	struct p9_conn *c = nr->srv_call->ext;
	struct p9_gauges g, all = {};
	struct p9_stats *sum, *one;
	unsigned int k, r, worst = 0;
	int i;

	seq_printf(m, "\trx9p:\tvers=9P2000.L trans=%s server=",
		   o->trans == MRX9P_TRANS_UNIX ? "unix" : "tcp");
	/* the mount source: keep it one field */
	seq_escape(m, c->addr_str ?: "", " \t\n\\");
	seq_printf(m, " port=%u msize=%u nconnect=%u\n",
		   o->trans == MRX9P_TRANS_UNIX ? 0 : o->port, c->msize,
		   c->nchan);
	if (!rx_stats_enabled())
		return;

	sum = kcalloc(2, sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return;
	one = sum + 1;
	for (k = 0; k < c->nchan; k++) {
		p9_read_gauges(c->chan[k], &g);
		for (r = 0; r < ARRAY_SIZE(rank); r++)
			if (!strcmp(g.state, rank[r]) && r > worst)
				worst = r;
		all.tagged += g.tagged;
		all.max_tagged += g.max_tagged;
		all.reconnects += g.reconnects;
		p9_stats_sum(c->chan[k], one);
		for (i = 0; i < P9_X_MAX; i++)
			sum->x[i] += one->x[i];
		for (i = 0; i < P9_STAT_MSGS; i++) {
			sum->msg[i].count += one->msg[i].count;
			sum->msg[i].errors += one->msg[i].errors;
			sum->msg[i].total_ns += one->msg[i].total_ns;
			sum->msg[i].max_ns = max(sum->msg[i].max_ns,
						 one->msg[i].max_ns);
		}
	}
	all.state = rank[worst];
	seq_puts(m, "\txprt:\t");
	p9_show_xprt(m, &all, sum);
	seq_putc(m, '\n');
	for (k = 0; c->nchan > 1 && k < c->nchan; k++) {
		p9_read_gauges(c->chan[k], &g);
		p9_stats_sum(c->chan[k], one);
		seq_printf(m, "\tchan:\t%u ", k);
		p9_show_xprt(m, &g, one);
		seq_printf(m, " %d\n", atomic_read(&c->chan[k]->nopen));
	}
	seq_puts(m, "\tper-message statistics\n");
	for (i = 0; i < P9_STAT_MSGS; i++)
		seq_printf(m, "\t%14s: %llu %llu %llu %llu\n", p9_msgs[i].name,
			   sum->msg[i].count, sum->msg[i].errors,
			   div_u64(sum->msg[i].total_ns, NSEC_PER_USEC),
			   div_u64(sum->msg[i].max_ns, NSEC_PER_USEC));
	kfree(sum);
}
