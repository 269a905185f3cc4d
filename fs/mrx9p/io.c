// SPDX-License-Identifier: GPL-2.0
/*
 * Low I/O READ and WRITE: Tread/Twrite, completed from the reply reader
 * through rx_lowio_completion(), cancellable while unanswered.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/uio.h>
#include "mrx9p.h"

static void mrx9p_rw_done(struct p9_req *req)
{
	struct rx_context *ctx = req->priv;
	struct p9_conn *c = req->conn;
	struct p9_rbuf r;
	u32 count, ecode;
	int status = req->status;

	spin_lock_bh(&c->lock);
	ctx->mrx_context[0] = NULL;
	spin_unlock_bh(&c->lock);

	if (!status) {
		p9_req_rbuf(req, &r);
		if (req->rtype == P9_RLERROR) {
			status = p9_dec_lerror(&r, &ecode) ?: p9_errno(ecode);
		} else if (req->rtype == P9_RREAD &&
			   ctx->lowio.operation == LOWIO_OP_READ) {
			status = p9_dec_count(&r, &count);
			ctx->information = count;
		} else if (req->rtype == P9_RWRITE &&
			   ctx->lowio.operation == LOWIO_OP_WRITE) {
			status = p9_dec_count(&r, &count);
			if (!status && count > ctx->lowio.params.rw.count)
				status = -EPROTO;
			ctx->information = count;
		} else {
			status = -EPROTO;
		}
	}
	ctx->stored_status = status;
	rx_lowio_completion(ctx);
}

/*
 * MRxCancelRoutine: give up the request unless its reply is arriving,
 * whether it is on the wire or waiting for a reconnection.
 */
static int mrx9p_cancel(struct rx_context *ctx)
{
	struct p9_conn *c = so_conn(ctx->srv_open);
	struct p9_req *req;

	/* the request lives while mrx_context[0] names it (see _rw_done) */
	spin_lock_bh(&c->lock);
	req = ctx->mrx_context[0];
	if (req)
		refcount_inc(&req->ref);
	spin_unlock_bh(&c->lock);
	if (!req)
		return 0;
	if (p9_req_cancel(req)) {
		spin_lock_bh(&c->lock);
		ctx->mrx_context[0] = NULL;
		spin_unlock_bh(&c->lock);
		ctx->stored_status = -EINTR;
		rx_lowio_completion(ctx);
	}
	p9_req_put(req);
	return 0;
}

int mrx9p_lowio_rw(struct rx_context *ctx)
{
	struct rx_srv_open *so = ctx->srv_open;
	struct p9_conn *c = so_conn(ctx->srv_open);
	struct mrx9p_open *o = open_ext(so);
	struct iov_iter *iter = &ctx->lowio.params.rw.iter;
	bool is_read = ctx->lowio.operation == LOWIO_OP_READ;
	u32 max = c->msize - P9_IOHDRSZ;
	struct p9_wbuf w;
	struct p9_req *req;
	size_t count;
	int err;

	/* the server forgot this open (recover.c): do not ask it */
	if (READ_ONCE(o->lost))
		return -EIO;
	if (o->iounit && o->iounit < max)
		max = o->iounit;
	count = min_t(size_t, ctx->lowio.params.rw.count, max);
	if (!count)
		return 0;

	if (is_read) {
		req = p9_req_alloc(c, MRX9P_SMALL, 16);
		if (IS_ERR(req))
			return PTR_ERR(req);
		req->tx_len = p9_enc_read(&w, req->tx, MRX9P_SMALL, req->tag,
					  o->fid, ctx->lowio.params.rw.offset,
					  count);
		req->data = iter;
		req->data_max = count;
	} else {
		size_t copied;

		req = p9_req_alloc(c, P9_IOHDRSZ + count, 16);
		if (IS_ERR(req))
			return PTR_ERR(req);
		err = p9_enc_write_hdr(&w, req->tx, P9_IOHDRSZ + count,
				       req->tag, o->fid,
				       ctx->lowio.params.rw.offset, count);
		copied = err < 0 ? 0 : copy_from_iter(req->tx + err, count,
							iter);
		if (copied != count && copied)
			err = p9_enc_write_hdr(&w, req->tx, P9_IOHDRSZ + count,
					       req->tag, o->fid,
					       ctx->lowio.params.rw.offset,
					       copied);
		if (err < 0 || !copied) {
			p9_req_abandon(c, req);
			p9_req_put(req);
			return err < 0 ? err : -EFAULT;
		}
		req->tx_len = err + copied;
		ctx->lowio.params.rw.count = copied;
	}
	req->done = mrx9p_rw_done;
	req->priv = ctx;
	req->owner = ctx;
	ctx->mrx_context[0] = req;
	ctx->mrx_cancel = mrx9p_cancel;

	err = p9_conn_send(c, req);
	if (err) {
		ctx->mrx_context[0] = NULL;
		p9_req_abandon(c, req);
		p9_req_put(req);
		return err;
	}
	p9_req_put(req);
	return RX_STATUS_PENDING;
}
