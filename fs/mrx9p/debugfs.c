// SPDX-License-Identifier: GPL-2.0
/*
 * mrx9p's part of /sys/kernel/debug/rdbss/: a connection's state and its
 * tagged requests under its srv_call, and the 9P requests made for an
 * rx_context under that context.
 */
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include "mrx9p.h"

/* the connections alive, for the "contexts" file */
static DEFINE_MUTEX(mrx9p_conns_lock);
static LIST_HEAD(mrx9p_conns);

void mrx9p_debug_conn_add(struct p9_conn *c)
{
	mutex_lock(&mrx9p_conns_lock);
	list_add_tail(&c->debug_link, &mrx9p_conns);
	mutex_unlock(&mrx9p_conns_lock);
}

void mrx9p_debug_conn_del(struct p9_conn *c)
{
	mutex_lock(&mrx9p_conns_lock);
	list_del_init(&c->debug_link);
	mutex_unlock(&mrx9p_conns_lock);
}

static const char * const p9_req_state_names[] = {
	[P9_REQ_ALLOC] = "alloc",
	[P9_REQ_SENT] = "sent",
	[P9_REQ_RECEIVING] = "receiving",
	[P9_REQ_DONE] = "done",
	[P9_REQ_ORPHANED] = "orphaned",
	[P9_REQ_QUEUED] = "queued",
};

/* c->lock held */
static void mrx9p_debug_show_req(struct seq_file *m, const char *indent,
				 struct p9_req *req, u64 now)
{
	unsigned int s = req->state;
	u8 type = req->ttype;

	/* not sent yet: the type byte of what is being encoded */
	if (!type && req->tx_len > 4)
		type = req->tx[4];
	seq_printf(m, "%s9p tag %u %s %s age_ms %llu resends %u pid %d%s\n",
		   indent, req->tag, p9_msg_name(type),
		   s < ARRAY_SIZE(p9_req_state_names) ? p9_req_state_names[s] : "?",
		   req->sent_ns ? div_u64(now - req->sent_ns, NSEC_PER_MSEC) : 0,
		   req->resends, req->pid,
		   req->cancelled ? " cancelled" : "");
}

/* One channel of a srv_call's connection, and its requests. */
static void mrx9p_debug_show_chan(struct seq_file *m, struct p9_conn *c,
				  unsigned int k, u64 now)
{
	struct p9_req *req;
	const char *state;
	int id;

	spin_lock_bh(&c->lock);
	if (c->err)
		state = "down";
	else if (c->recovering || c->sock_err)
		state = "recovering";
	else
		state = "up";
	seq_printf(m, "  9p conn %s server ", state);
	seq_escape(m, c->addr_str ?: "", " \t\n\\");
	seq_printf(m, " msize %u tagged %u max_tagged %u epoch %u reconnects %lu err %d sock_err %d id %08x chan %u opens %d\n",
		   c->msize, c->tagged, c->max_tagged, c->epoch,
		   c->reconnects, c->err, c->sock_err, c->debug_id, k,
		   atomic_read(&c->nopen));
	idr_for_each_entry(&c->reqs, req, id)
		mrx9p_debug_show_req(m, "    ", req, now);
	spin_unlock_bh(&c->lock);
}

/* rx_minirdr_ops.debug_show_srv_call: every channel, channel 0 first */
void mrx9p_debug_show_srv_call(struct seq_file *m, struct rx_srv_call *sc)
{
	struct p9_conn *c = sc->ext;
	u64 now = ktime_get_ns();
	unsigned int k;

	mrx9p_debug_show_chan(m, c, 0, now);
	for (k = 1; k < c->nchan; k++)
		mrx9p_debug_show_chan(m, c->chan[k], k, now);
}

/*
 * rx_minirdr_ops.debug_show_context: requests made for @ctx.  Low I/O
 * requests name their context; a synchronous call is the calling task's,
 * and is matched by its pid (marked so).
 */
void mrx9p_debug_show_context(struct seq_file *m, struct rx_context *ctx)
{
	u64 now = ktime_get_ns();
	struct p9_conn *c;
	struct p9_req *req;
	int id;

	mutex_lock(&mrx9p_conns_lock);
	list_for_each_entry(c, &mrx9p_conns, debug_link) {
		spin_lock_bh(&c->lock);
		idr_for_each_entry(&c->reqs, req, id) {
			if (req->owner == ctx)
				mrx9p_debug_show_req(m, "  ", req, now);
			else if (!req->owner && req->pid == ctx->pid)
				mrx9p_debug_show_req(m, "  (pid) ", req, now);
		}
		spin_unlock_bh(&c->lock);
	}
	mutex_unlock(&mrx9p_conns_lock);
}
