// SPDX-License-Identifier: GPL-2.0
/*
 * Byte-range locks: the LOCK low I/O operations (SHAREDLOCK,
 * EXCLUSIVELOCK, UNLOCK) against a POSIX lock table per node.
 *
 * Locks of one key (owner) never overlap each other: a new lock replaces
 * what the key held under it, merges with adjacent or overlapping locks of
 * the same type, and an unlock trims or splits.  Only locks of different
 * keys conflict; flock() locks live apart from POSIX locks, as on a local
 * file system.  A request that conflicts either fails (FAIL_IMMEDIATELY:
 * -EAGAIN), reports the conflict (TEST) or waits on the node until an
 * unlock lets it in: in the submitting thread for complete=inline, as a
 * pending operation completed the mount's way otherwise.  Waiting requests
 * are cancellable (mrx_cancel, or a signal to an inline waiter): -EINTR.
 *
 * Everything here runs under srv->plock; entries are allocated (and
 * charged to the server) before it is taken: a lock needs at most two
 * (itself and the tail of a split), an unlock one.
 */
#include <linux/fs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include "rxloop.h"

static void rxloop_range_free(struct rxloop_server *srv,
			      struct rxloop_range *r)
{
	if (!r)
		return;
	rxloop_uncharge(srv, sizeof(*r));
	kfree(r);
}

static int rxloop_spares_alloc(struct rxloop_server *srv,
			       struct rxloop_range **spare, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (rxloop_charge(srv, sizeof(**spare)))
			return -ENOLCK;
		spare[i] = kzalloc(sizeof(**spare), GFP_NOFS);
		if (!spare[i]) {
			rxloop_uncharge(srv, sizeof(**spare));
			return -ENOLCK;
		}
	}
	return 0;
}

static void rxloop_spares_free(struct rxloop_server *srv,
			       struct rxloop_range **spare)
{
	rxloop_range_free(srv, spare[0]);
	rxloop_range_free(srv, spare[1]);
	spare[0] = NULL;
	spare[1] = NULL;
}

static struct rxloop_range *rxloop_spare(struct rxloop_range **spare)
{
	struct rxloop_range *r = spare[0] ?: spare[1];

	if (r == spare[0])
		spare[0] = NULL;
	else
		spare[1] = NULL;
	return r;
}

static bool rxloop_conflicts(const struct rxloop_range *a,
			     const struct rxloop_range *b)
{
	return a->key != b->key && a->flock == b->flock &&
	       (a->exclusive || b->exclusive) &&
	       a->start <= b->end && b->start <= a->end;
}

static struct rxloop_range *rxloop_find_conflict(struct rxloop_node *node,
						 const struct rxloop_range *req)
{
	struct rxloop_range *r;

	list_for_each_entry(r, &node->ranges, link)
		if (rxloop_conflicts(r, req))
			return r;
	return NULL;
}

/* Would unlocking @req split one of its key's locks in two? */
static bool rxloop_splits(struct rxloop_node *node,
			  const struct rxloop_range *req)
{
	struct rxloop_range *r;

	list_for_each_entry(r, &node->ranges, link)
		if (r->key == req->key && r->flock == req->flock &&
		    r->start < req->start && r->end > req->end)
			return true;
	return false;
}

/* Lock (or with @unlock, unlock) @req for its key; spares as above. */
static void rxloop_apply(struct rxloop_server *srv, struct rxloop_node *node,
			 const struct rxloop_range *req,
			 struct rxloop_range **spare, bool unlock)
{
	u64 s = req->start, e = req->end;
	struct rxloop_range *r, *tmp, *n;

	list_for_each_entry_safe(r, tmp, &node->ranges, link) {
		if (r->key != req->key || r->flock != req->flock)
			continue;
		if (!unlock && r->exclusive == req->exclusive) {
			/* same type: absorb it if it touches the new range */
			if (r->end + 1 < s || r->start > e + 1)
				continue;
			s = min(s, r->start);
			e = max(e, r->end);
		} else {
			/* carve [s, e] out of it */
			if (r->end < s || r->start > e)
				continue;
			if (r->start < s && r->end > e) {
				n = rxloop_spare(spare);
				*n = *r;
				n->start = e + 1;
				r->end = s - 1;
				list_add(&n->link, &r->link);
				node->nr_ranges++;
				continue;
			}
			if (r->start < s) {
				r->end = s - 1;
				continue;
			}
			if (r->end > e) {
				r->start = e + 1;
				continue;
			}
		}
		list_del(&r->link);
		node->nr_ranges--;
		rxloop_range_free(srv, r);
	}
	if (!unlock) {
		n = rxloop_spare(spare);
		*n = *req;
		n->start = s;
		n->end = e;
		list_add_tail(&n->link, &node->ranges);
		node->nr_ranges++;
	}
}

/*
 * Grant what waits on @node and no longer conflicts.  Granting one may let
 * another in (a key trading its exclusive lock for a shared one), so go
 * round until nothing changes.
 */
static void rxloop_lock_wake(struct rxloop_server *srv,
			     struct rxloop_node *node)
{
	struct rxloop_pending *p, *tmp;
	bool progress, wake = false;

	do {
		progress = false;
		list_for_each_entry_safe(p, tmp, &node->waiters, wait_link) {
			if (rxloop_find_conflict(node, &p->req))
				continue;
			if (node->nr_ranges + 2 > RXLOOP_MAX_RANGES) {
				p->status = -ENOLCK;
			} else {
				rxloop_apply(srv, node, &p->req, p->spare,
					     false);
				p->status = 0;
				/* granted: a late cancel must not hide it */
				p->keep_status = true;
				progress = true;
			}
			list_del_init(&p->wait_link);
			p->state = RXLOOP_P_READY;
			if (p->inline_wait)
				wake = true;
			else
				rxloop_pending_schedule(p);
		}
	} while (progress);
	if (wake)
		wake_up_all(&srv->lock_wq);
}

static int rxloop_lock_range(const struct lowio_context *lowio,
			     struct rxloop_range *req)
{
	loff_t off = lowio->params.locks.offset;
	u64 len = lowio->params.locks.length;

	req->key = lowio->params.locks.key;
	req->flock = lowio->params.locks.flock;
	if (req->flock) {
		req->start = 0;
		req->end = OFFSET_MAX;
		return 0;
	}
	if (off < 0)
		return -EINVAL;
	req->start = off;
	if (!len) {
		req->end = OFFSET_MAX;
	} else {
		/* the last byte must still be an offset */
		if (len - 1 > (u64)(OFFSET_MAX - off))
			return -EOVERFLOW;
		req->end = off + (len - 1);
	}
	return 0;
}

static void rxloop_report_conflict(struct lowio_context *lowio,
				   const struct rxloop_range *c)
{
	lowio->params.locks.conflict = !!c;
	if (!c)
		return;
	lowio->params.locks.conflict_exclusive = c->exclusive;
	lowio->params.locks.conflict_offset = c->start;
	lowio->params.locks.conflict_length =
		c->end == OFFSET_MAX ? 0 : c->end - c->start + 1;
	lowio->params.locks.conflict_key = c->key;
}

/* complete=inline: the submitting thread waits for the grant itself. */
static int rxloop_lock_wait_inline(struct rxloop_pending *p)
{
	struct rxloop_server *srv = p->srv;
	bool cancelled = false;
	int status;

	/* a signal ends the wait, as for F_SETLKW on a local file */
	wait_event_interruptible(srv->lock_wq,
				 READ_ONCE(p->state) != RXLOOP_P_WAITING ||
				 READ_ONCE(p->cancelled));
	spin_lock_bh(&srv->plock);
	if (p->state == RXLOOP_P_WAITING) {
		list_del_init(&p->wait_link);
		status = -EINTR;
		cancelled = true;
	} else {
		status = p->status;
	}
	p->state = RXLOOP_P_DONE;
	p->ctx->mrx_context[0] = NULL;
	spin_unlock_bh(&srv->plock);

	rxloop_count_completion(p->mnt, RXLOOP_MODE_INLINE, status, cancelled);
	rxloop_pending_put(p);
	return status;
}

int rxloop_lowio_lock(struct rx_context *ctx)
{
	struct lowio_context *lowio = &ctx->lowio;
	struct rxloop_mount *mnt = rxloop_ctx_mount(ctx);
	struct rxloop_node *node = rxloop_ctx_node(ctx);
	struct rxloop_range *spare[2] = {};
	struct rxloop_range req = {};
	struct rxloop_pending *p = NULL;
	struct rxloop_server *srv;
	bool unlock, test, may_block, queued = false, wait_here = false;
	int status;

	if (!mnt || !mnt->srv)
		return -EIO;
	srv = mnt->srv;
	if (rxloop_inject(mnt, lowio->operation))
		return rxloop_complete(ctx, mnt, -EIO, 0);
	if (!node)
		return rxloop_complete(ctx, mnt, -EBADF, 0);
	status = rxloop_lock_range(lowio, &req);
	if (status)
		return rxloop_complete(ctx, mnt, status, 0);

	unlock = lowio->operation == LOWIO_OP_UNLOCK;
	test = !unlock && (lowio->params.locks.flags & LOWIO_LOCK_TEST);
	may_block = !unlock && !test &&
		    !(lowio->params.locks.flags & LOWIO_LOCK_FAIL_IMMEDIATELY);
	req.exclusive = lowio->operation == LOWIO_OP_EXCLUSIVELOCK ||
			(!unlock &&
			 (lowio->params.locks.flags & LOWIO_LOCK_EXCLUSIVE));

	if (!test) {
		status = rxloop_spares_alloc(srv, spare, unlock ? 1 : 2);
		if (status)
			goto out;
	}
	if (may_block) {
		p = rxloop_pending_alloc(ctx, mnt);
		if (!p) {
			status = -ENOLCK;
			goto out;
		}
	}

	spin_lock_bh(&srv->plock);
	if (unlock) {
		if (node->nr_ranges >= RXLOOP_MAX_RANGES &&
		    rxloop_splits(node, &req)) {
			status = -ENOLCK;
		} else {
			rxloop_apply(srv, node, &req, spare, true);
			rxloop_lock_wake(srv, node);
		}
	} else if (test) {
		rxloop_report_conflict(lowio, rxloop_find_conflict(node, &req));
	} else if (rxloop_find_conflict(node, &req)) {
		if (!may_block) {
			status = -EAGAIN;
		} else {
			p->req = req;
			p->spare[0] = spare[0];
			p->spare[1] = spare[1];
			spare[0] = NULL;
			spare[1] = NULL;
			p->inline_wait = p->mode == RXLOOP_MODE_INLINE;
			wait_here = p->inline_wait;
			p->state = RXLOOP_P_WAITING;
			list_add_tail(&p->wait_link, &node->waiters);
			rxloop_pending_publish(p);
			atomic64_inc(&mnt->lock_waits);
			queued = true;
		}
	} else if (node->nr_ranges + 2 > RXLOOP_MAX_RANGES) {
		status = -ENOLCK;
	} else {
		rxloop_apply(srv, node, &req, spare, false);
		/* merging or downgrading may let others in */
		rxloop_lock_wake(srv, node);
	}
	spin_unlock_bh(&srv->plock);

out:
	rxloop_spares_free(srv, spare);
	/* once queued, @p belongs to whoever grants or cancels it */
	if (queued)
		return wait_here ? rxloop_lock_wait_inline(p) :
				   RX_STATUS_PENDING;
	if (p)
		rxloop_pending_put(p);
	return rxloop_complete(ctx, mnt, status, 0);
}

void rxloop_free_ranges(struct rxloop_node *node)
{
	struct rxloop_range *r, *tmp;

	list_for_each_entry_safe(r, tmp, &node->ranges, link)
		rxloop_range_free(node->srv, r);
	INIT_LIST_HEAD(&node->ranges);
	node->nr_ranges = 0;
}
