// SPDX-License-Identifier: GPL-2.0
/*
 * Completion modes.  The work of a low I/O operation (copying the data,
 * taking the lock) is done at submit; what the mode chooses is how the
 * result reaches the framework:
 *
 *   inline     lowio_submit returns the final status
 *   softirq    RX_STATUS_PENDING, then rx_lowio_completion() from softirq
 *              (rx_post_to_dispatch())
 *   workqueue  RX_STATUS_PENDING, then from rxloop's workqueue
 *   delayed    RX_STATUS_PENDING, then from a delayed_work delay_ms later
 *
 * A pending operation is a struct rxloop_pending, reached by the framework
 * through ctx->mrx_context[0] (ctx->mrx_context[1] is the server, whose
 * plock guards the state).  Whoever moves it to RXLOOP_P_DONE under plock
 * (the completion, or a cancel) delivers the one rx_lowio_completion();
 * the other finds it done and only drops its reference.
 *
 * Cancel (ctx->mrx_cancel): a lock request still waiting leaves its
 * node's queue and completes at once with -EINTR; a scheduled completion
 * is withdrawn from the workqueue and delivered at once with -EINTR (a
 * lock granted meanwhile reports success rather than hide a lock that is
 * held).  A softirq completion already posted is left to run, since it
 * runs at the next softirq and owns the context's dispatch item; it then
 * reports -EINTR.
 *
 * References on a pending: one for the owed completion (dropped by who
 * delivers it) and one per queued work item.  It holds the context and
 * the server; it is freed after an RCU grace period so that no softirq
 * routine still runs on the context it referenced, and module exit waits
 * for all of them (rxloop_live_pending).
 */
#include <linux/jiffies.h>
#include <linux/slab.h>
#include "rxloop.h"

atomic_t rxloop_live_pending = ATOMIC_INIT(0);

void rxloop_count_completion(struct rxloop_mount *mnt, unsigned int mode,
			     int status, bool cancelled)
{
	atomic64_inc(&mnt->completions[mode]);
	if (cancelled)
		atomic64_inc(&mnt->cancelled);
}

static void rxloop_pending_work(struct work_struct *work);

struct rxloop_pending *rxloop_pending_alloc(struct rx_context *ctx,
					    struct rxloop_mount *mnt)
{
	struct rxloop_pending *p;

	p = kzalloc(sizeof(*p), GFP_NOFS);
	if (!p)
		return NULL;
	refcount_set(&p->ref, 1);
	rx_reference_context(ctx);
	p->ctx = ctx;
	rxloop_server_get(mnt->srv);
	p->srv = mnt->srv;
	p->mnt = mnt;
	p->mode = mnt->opts->complete;
	p->delay = p->mode == RXLOOP_MODE_DELAYED ?
		   msecs_to_jiffies(mnt->opts->delay_ms) : 0;
	p->state = RXLOOP_P_READY;
	INIT_DELAYED_WORK(&p->dwork, rxloop_pending_work);
	INIT_LIST_HEAD(&p->wait_link);
	atomic_inc(&rxloop_live_pending);
	return p;
}

static void rxloop_pending_free_rcu(struct rcu_head *rcu)
{
	struct rxloop_pending *p = container_of(rcu, struct rxloop_pending,
						rcu);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p->spare); i++) {
		if (p->spare[i]) {
			rxloop_uncharge(p->srv, sizeof(*p->spare[i]));
			kfree(p->spare[i]);
		}
	}
	rx_dereference_context(p->ctx);
	rxloop_server_put_async(p->srv);
	kfree(p);
	if (atomic_dec_and_test(&rxloop_live_pending))
		wake_up_var(&rxloop_live_pending);
}

void rxloop_pending_put(struct rxloop_pending *p)
{
	if (refcount_dec_and_test(&p->ref))
		call_rcu(&p->rcu, rxloop_pending_free_rcu);
}

/* Make @p the operation @p->ctx is owed; srv->plock held. */
void rxloop_pending_publish(struct rxloop_pending *p)
{
	p->ctx->mrx_context[0] = p;
	p->ctx->mrx_context[1] = p->srv;
	p->ctx->mrx_cancel = rxloop_cancel;
}

/* Claim the delivery of @p's completion; srv->plock held. */
static bool rxloop_claim(struct rxloop_pending *p)
{
	if (p->state == RXLOOP_P_DONE)
		return false;
	p->state = RXLOOP_P_DONE;
	p->ctx->mrx_context[0] = NULL;
	return true;
}

/* Deliver a claimed completion; drops the reference it was owed with. */
static void rxloop_deliver(struct rxloop_pending *p)
{
	struct rx_context *ctx = p->ctx;

	/* the operation is in flight until here, so the mount is alive */
	rxloop_count_completion(p->mnt, p->mode, p->status,
				p->cancelled && !p->keep_status);
	ctx->stored_status = p->status;
	ctx->information = p->status ? 0 : p->information;
	rx_lowio_completion(ctx);
	rxloop_pending_put(p);
}

static void rxloop_pending_work(struct work_struct *work)
{
	struct rxloop_pending *p = container_of(to_delayed_work(work),
						struct rxloop_pending, dwork);
	bool claimed;

	spin_lock_bh(&p->srv->plock);
	claimed = rxloop_claim(p);
	spin_unlock_bh(&p->srv->plock);
	if (claimed)
		rxloop_deliver(p);
	rxloop_pending_put(p);		/* the work item's */
}

/* DISPATCH level: a softirq routine, posted by rxloop_pending_schedule(). */
static void rxloop_dispatch_done(struct rx_context *ctx)
{
	struct rxloop_server *srv = ctx->mrx_context[1];
	struct rxloop_pending *p;
	bool claimed = false;

	spin_lock_bh(&srv->plock);
	p = ctx->mrx_context[0];
	if (p)
		claimed = rxloop_claim(p);
	spin_unlock_bh(&srv->plock);
	if (claimed)
		rxloop_deliver(p);
}

/* Deliver @p (READY, published) the mount's way; srv->plock held. */
void rxloop_pending_schedule(struct rxloop_pending *p)
{
	switch (p->mode) {
	case RXLOOP_MODE_SOFTIRQ:
		rx_post_to_dispatch(p->ctx, rxloop_dispatch_done);
		break;
	case RXLOOP_MODE_WORKQUEUE:
	case RXLOOP_MODE_DELAYED:
		refcount_inc(&p->ref);
		queue_delayed_work(rxloop_wq, &p->dwork, p->delay);
		break;
	default:
		WARN_ON_ONCE(1);
	}
}

/**
 * rxloop_complete - finish a low I/O operation whose result is known
 * @ctx: the context
 * @mnt: its mount
 * @status: 0 or a negative errno
 * @information: bytes moved, on success
 *
 * Returns what lowio_submit must return: the status itself for
 * complete=inline (or when no pending operation can be had: the result is
 * never lost), RX_STATUS_PENDING otherwise.
 */
int rxloop_complete(struct rx_context *ctx, struct rxloop_mount *mnt,
		    int status, ssize_t information)
{
	struct rxloop_pending *p = NULL;

	if (mnt->opts->complete != RXLOOP_MODE_INLINE)
		p = rxloop_pending_alloc(ctx, mnt);
	if (!p) {
		rxloop_count_completion(mnt, RXLOOP_MODE_INLINE, status, false);
		if (!status)
			ctx->information = information;
		return status;
	}
	p->status = status;
	p->information = information;
	spin_lock_bh(&p->srv->plock);
	rxloop_pending_publish(p);
	rxloop_pending_schedule(p);
	spin_unlock_bh(&p->srv->plock);
	return RX_STATUS_PENDING;
}

/**
 * rxloop_cancel - ctx->mrx_cancel for every pending rxloop operation
 * @ctx: the context the framework gave up waiting for
 *
 * Returns 0.  The completion follows without waiting on anything but,
 * for a softirq completion already posted, the next softirq.
 */
int rxloop_cancel(struct rx_context *ctx)
{
	struct rxloop_server *srv = ctx->mrx_context[1];
	struct rxloop_pending *p;
	bool claimed = false, unqueued = false;

	if (!srv)
		return 0;
	spin_lock_bh(&srv->plock);
	p = ctx->mrx_context[0];
	if (!p || p->state == RXLOOP_P_DONE)
		goto out;
	p->cancelled = true;
	if (!p->keep_status)
		p->status = -EINTR;
	if (p->inline_wait) {
		/* the submitter waits in rxloop_lock_wait_inline() */
		wake_up_all(&srv->lock_wq);
		goto out;
	}
	if (p->state == RXLOOP_P_WAITING) {
		list_del_init(&p->wait_link);
		claimed = rxloop_claim(p);
	} else if (p->mode != RXLOOP_MODE_SOFTIRQ &&
		   cancel_delayed_work(&p->dwork)) {
		unqueued = true;
		claimed = rxloop_claim(p);
	}
out:
	spin_unlock_bh(&srv->plock);
	if (unqueued)
		rxloop_pending_put(p);	/* the work item's; ours remains */
	if (claimed)
		rxloop_deliver(p);
	return 0;
}
