// SPDX-License-Identifier: GPL-2.0
/*
 * The LOCK low I/O operations as Tlock / Tgetlock.  9P servers answer a
 * blocking request that conflicts with BLOCKED at once, so the wait
 * happens here: retried with backoff, interruptible by any signal.
 */
#include <linux/sched/signal.h>
#include "mrx9p.h"

#define MRX9P_LOCK_WAIT_MAX	HZ

static void mrx9p_flock_init(struct rx_context *ctx, struct p9_flock *fl)
{
	struct lowio_context *l = &ctx->lowio;
	const char *node = ctx_conn(ctx)->client_id;

	if (l->operation == LOWIO_OP_UNLOCK)
		fl->type = P9_LOCK_TYPE_UNLCK;
	else if (l->params.locks.flags & LOWIO_LOCK_EXCLUSIVE)
		fl->type = P9_LOCK_TYPE_WRLCK;
	else
		fl->type = P9_LOCK_TYPE_RDLCK;
	fl->flags = 0;
	fl->start = l->params.locks.offset;
	fl->length = l->params.locks.length;
	fl->proc_id = l->params.locks.key;
	fl->client_id.s = node;
	fl->client_id.len = strnlen(node, __NEW_UTS_LEN);
}

static int mrx9p_getlock(struct rx_context *ctx, struct p9_flock *fl)
{
	struct p9_conn *c = so_conn(ctx->srv_open);
	u32 cap = MRX9P_SMALL + fl->client_id.len;
	struct p9_flock got;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, cap, 64 + 255);
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = mrx9p_rpc(req, p9_enc_getlock(&w, req->tx, cap, req->tag,
					    open_ext(ctx->srv_open)->fid, fl),
			P9_RGETLOCK);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_getlock(&r, &got);
	}
	/*
	 * A holder that is the requester itself is no conflict: an owner's
	 * locks never conflict with each other.  nfs-ganesha's Tgetlock is
	 * a stub that echoes the request, which would otherwise report
	 * every range tested as locked by ourselves.
	 */
	if (!err && got.type != P9_LOCK_TYPE_UNLCK &&
	    got.proc_id == fl->proc_id &&
	    got.client_id.len == fl->client_id.len &&
	    !memcmp(got.client_id.s, fl->client_id.s, fl->client_id.len))
		got.type = P9_LOCK_TYPE_UNLCK;
	p9_req_put(req);
	if (err)
		return err;
	ctx->lowio.params.locks.conflict = got.type != P9_LOCK_TYPE_UNLCK;
	ctx->lowio.params.locks.conflict_exclusive =
		got.type == P9_LOCK_TYPE_WRLCK;
	ctx->lowio.params.locks.conflict_offset = min_t(u64, got.start,
							OFFSET_MAX);
	ctx->lowio.params.locks.conflict_length = got.length;
	ctx->lowio.params.locks.conflict_key = got.proc_id;
	return 0;
}

static void mrx9p_unlock_done(struct p9_req *req)
{
}

/*
 * Give back a range whose Tlock was given up but that the server may
 * have granted, without waiting (the caller may be dying): rather that
 * than a lock nobody knows of.  Like NFS, this can drop a lock the owner
 * held on the range before.
 */
static void mrx9p_unlock_async(struct rx_context *ctx,
			       const struct p9_flock *fl)
{
	struct p9_conn *c = so_conn(ctx->srv_open);
	u32 cap = MRX9P_SMALL + fl->client_id.len;
	struct p9_flock ul = *fl;
	struct p9_wbuf w;
	struct p9_req *req;
	int len;

	ul.type = P9_LOCK_TYPE_UNLCK;
	ul.flags = 0;
	req = p9_req_alloc(c, cap, 16);
	if (IS_ERR(req))
		return;
	len = p9_enc_lock(&w, req->tx, cap, req->tag,
			  open_ext(ctx->srv_open)->fid, &ul);
	req->tx_len = len;
	req->done = mrx9p_unlock_done;
	if (len < 0 || p9_conn_send(c, req))
		p9_req_abandon(c, req);
	p9_req_put(req);
}

/* A Tlock given up: could the server have granted it? */
static bool mrx9p_lock_maybe_granted(struct p9_req *req)
{
	switch (req->cancel_outcome) {
	case P9_CANCEL_UNANSWERED:
		return true;
	case P9_CANCEL_FLUSHED:
		/* the reply, if one came before Rflush, was kept */
		return req->state == P9_REQ_DONE && req->rtype == P9_RLOCK &&
		       req->rlen >= 1 && req->rbuf[0] == P9_LOCK_SUCCESS;
	default:
		return false;
	}
}

static int mrx9p_lock_once(struct rx_context *ctx, struct p9_flock *fl,
			   u8 *status)
{
	struct p9_conn *c = so_conn(ctx->srv_open);
	u32 cap = MRX9P_SMALL + fl->client_id.len;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, cap, 16);
	if (IS_ERR(req))
		return PTR_ERR(req);
	/*
	 * A blocking lock ends on any signal, whether it waits between
	 * attempts or for the server's answer; its reply is kept if it is
	 * given up, to know whether the range must be given back.
	 */
	if (fl->type != P9_LOCK_TYPE_UNLCK &&
	    test_bit(RX_CONTEXT_INTERRUPTIBLE, &ctx->flags)) {
		req->interruptible = true;
		req->keep_reply = true;
	}
	err = mrx9p_rpc(req, p9_enc_lock(&w, req->tx, cap, req->tag,
					 open_ext(ctx->srv_open)->fid, fl),
			P9_RLOCK);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_u8(&r, status);
	} else if (err == -EINTR && req->interruptible &&
		   mrx9p_lock_maybe_granted(req)) {
		mrx9p_unlock_async(ctx, fl);
	}
	p9_req_put(req);
	return err;
}

int mrx9p_lowio_lock(struct rx_context *ctx)
{
	unsigned int flags = ctx->lowio.params.locks.flags;
	long delay = HZ / 50;
	struct p9_flock fl;
	u8 status;
	int err;

	mrx9p_flock_init(ctx, &fl);
	if (flags & LOWIO_LOCK_TEST)
		return mrx9p_getlock(ctx, &fl);
	if (fl.type != P9_LOCK_TYPE_UNLCK &&
	    !(flags & LOWIO_LOCK_FAIL_IMMEDIATELY))
		fl.flags = P9_LOCK_FLAGS_BLOCK;
	for (;;) {
		err = mrx9p_lock_once(ctx, &fl, &status);
		if (err)
			return err;
		switch (status) {
		case P9_LOCK_SUCCESS:
			return 0;
		case P9_LOCK_BLOCKED:
		case P9_LOCK_GRACE:
			if (flags & LOWIO_LOCK_FAIL_IMMEDIATELY)
				return -EAGAIN;
			break;
		default:
			return -ENOLCK;
		}
		if (schedule_timeout_interruptible(delay) ||
		    signal_pending(current))
			return -EINTR;
		delay = min_t(long, delay * 2, MRX9P_LOCK_WAIT_MAX);
	}
}
