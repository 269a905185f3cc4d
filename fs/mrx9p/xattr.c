// SPDX-License-Identifier: GPL-2.0
/*
 * Extended attributes: Txattrwalk then Tread for a value or the name list,
 * Txattrcreate then Twrite for a new value; the server commits it when the
 * fid is clunked, so the clunk's answer is the result.
 */
#include <linux/uio.h>
#include <linux/xattr.h>
#include "mrx9p.h"

static struct p9_str ea_name(struct rx_context *ctx)
{
	const char *n = ctx->info.ea.name ?: "";
	struct p9_str s = { .s = n, .len = strlen(n) };

	return s;
}

/* Read @size bytes of the xattr fid @fid into @buf. */
static int mrx9p_xattr_read(struct p9_conn *c, u32 fid, void *buf, u64 size)
{
	u32 max = c->msize - P9_IOHDRSZ, count;
	struct kvec kv;
	struct iov_iter iter;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	u64 off = 0;
	int err = 0;

	while (off < size) {
		u32 want = min_t(u64, size - off, max);

		kv.iov_base = buf + off;
		kv.iov_len = want;
		iov_iter_kvec(&iter, ITER_DEST, &kv, 1, want);
		req = p9_req_alloc(c, MRX9P_SMALL, 16);
		if (IS_ERR(req))
			return PTR_ERR(req);
		req->data = &iter;
		req->data_max = want;
		err = mrx9p_rpc(req, p9_enc_read(&w, req->tx, MRX9P_SMALL,
						 req->tag, fid, off, want),
				P9_RREAD);
		if (!err) {
			p9_req_rbuf(req, &r);
			err = p9_dec_count(&r, &count);
		}
		p9_req_put(req);
		if (err)
			return err;
		if (!count)
			return -EIO;	/* the server promised more */
		off += count;
	}
	return 0;
}

int mrx9p_query_ea(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str name = ea_name(ctx);
	u32 cap = MRX9P_SMALL + name.len, fid;
	struct mrx9p_pfid *pf;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	u64 size = 0;
	int err;

	err = p9_fid_alloc(c, &fid);
	if (err)
		return err;
	req = p9_req_alloc(c, cap, 16);
	if (IS_ERR(req)) {
		ida_free(&c->fids, fid);
		return PTR_ERR(req);
	}
	pf = mrx9p_fcb_fid(ctx, ctx->fcb);
	err = mrx9p_rpc(req, p9_enc_xattrwalk(&w, req->tx, cap, req->tag,
					      pfid_num(pf), fid, &name),
			P9_RXATTRWALK);
	mrx9p_pfid_put(c, pf);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_u64(&r, &size);
	}
	p9_req_put(req);
	if (err) {
		/* no fid was created */
		ida_free(&c->fids, fid);
		return err;
	}
	if (size > XATTR_SIZE_MAX)
		err = -E2BIG;
	else if (ctx->info.ea.size && size > ctx->info.ea.size)
		err = -ERANGE;
	else if (ctx->info.ea.size && size)
		err = mrx9p_xattr_read(c, fid, ctx->info.ea.value, size);
	if (!err)
		ctx->information = size;
	p9_fid_clunk(c, fid);
	return err;
}

int mrx9p_set_ea(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str name = ea_name(ctx);
	size_t size = ctx->info.ea.value ? ctx->info.ea.size : 0;
	u32 cap = MRX9P_SMALL + name.len, max = c->msize - P9_IOHDRSZ, fid;
	struct mrx9p_pfid *pf;
	struct p9_wbuf w;
	struct p9_req *req;
	size_t off = 0;
	int err, cerr;

	pf = mrx9p_fcb_fid(ctx, ctx->fcb);
	err = mrx9p_walk(c, pfid_num(pf), 0, NULL, &fid);
	mrx9p_pfid_put(c, pf);
	if (err)
		return err;
	req = p9_req_alloc(c, cap, 16);
	if (IS_ERR(req)) {
		p9_fid_clunk(c, fid);
		return PTR_ERR(req);
	}
	err = mrx9p_rpc(req, p9_enc_xattrcreate(&w, req->tx, cap, req->tag,
						fid, &name, size,
						ctx->info.ea.flags),
			P9_RXATTRCREATE);
	p9_req_put(req);
	while (!err && off < size) {
		u32 chunk = min_t(size_t, size - off, max);
		int hdr;

		req = p9_req_alloc(c, P9_IOHDRSZ + chunk, 16);
		if (IS_ERR(req)) {
			err = PTR_ERR(req);
			break;
		}
		hdr = p9_enc_write_hdr(&w, req->tx, P9_IOHDRSZ + chunk,
				       req->tag, fid, off, chunk);
		if (hdr >= 0) {
			memcpy(req->tx + hdr, ctx->info.ea.value + off, chunk);
			hdr += chunk;
		}
		err = mrx9p_rpc(req, hdr, P9_RWRITE);
		p9_req_put(req);
		off += chunk;
	}
	cerr = p9_fid_clunk(c, fid);
	return err ?: cerr;
}
