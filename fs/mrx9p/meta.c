// SPDX-License-Identifier: GPL-2.0
/*
 * Opens, attributes, directories and the volume as 9P2000.L requests.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/uio.h>
#include "mrx9p.h"

/**
 * mrx9p_lopen - Tlopen @fid with @lflags
 * @c: the connection
 * @fid: a walked, unopened fid
 * @lflags: the open flags for the server
 * @iounit: the server's iounit, on success
 *
 * Bounded by the connection timeout when reconnecting.  PASSIVE.
 */
int mrx9p_lopen(struct p9_conn *c, u32 fid, u32 lflags, u32 *iounit)
{
	bool recovery = current_work() == &c->recover_work.work;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_qid qid;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, MRX9P_SMALL, 32);
	if (IS_ERR(req))
		return PTR_ERR(req);
	req->recovery = recovery;
	req->tx_len = p9_enc_lopen(&w, req->tx, MRX9P_SMALL, req->tag, fid,
				   lflags);
	err = p9_rpc(req, P9_RLOPEN, recovery ? c->timeout : 0);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_open(&r, &qid, iounit);
	}
	p9_req_put(req);
	return err;
}

/* Name @so's open fid to the reconnection, which reopens it. */
void mrx9p_track_open(struct p9_conn *c, struct rx_srv_open *so)
{
	struct mrx9p_open *o = open_ext(so);

	o->so = so;
	o->conn = c;
	atomic_inc(&c->nopen);
	mutex_lock(&c->recov_lock);
	list_add_tail(&o->link, &c->opens);
	mutex_unlock(&c->recov_lock);
}

int mrx9p_open(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx), *ch = c;
	struct mrx9p_open *o = open_ext(ctx->srv_open);
	struct mrx9p_fcb *f = fcb_ext(ctx->fcb);
	u32 fid, iounit, stale = 0;
	struct mrx9p_pfid *pf;
	bool spread, mine;
	int err;

	o->fid = P9_NOFID;
	/*
	 * nconnect: a regular file may open on another channel.  Tried first
	 * even right after a create, whose fid is on channel 0: that fid is
	 * kept only if the open cannot be made elsewhere (a creator may write
	 * a file its mode does not let it open for writing).
	 */
	if (c->nchan > 1 && S_ISREG(rx_fcb_inode(ctx->fcb)->i_mode))
		ch = mrx9p_pick_channel(c);
	spread = ch != c && !mrx9p_open_spread(ctx, o, ch);
	/* right after a create: the fid Tlcreate opened read-write */
	spin_lock(&ctx->fcb->lock);
	fid = f->created_fid;
	mine = fid && uid_eq(f->created_uid, ctx->v_net_root->uid);
	if ((mine && spread) ||
	    (fid && f->created_epoch != READ_ONCE(c->epoch))) {
		/* not needed, or opened on a connection that is gone */
		f->created_fid = 0;
		stale = fid;
	} else if (mine && !spread) {
		f->created_fid = 0;
		o->fid = fid;
		o->iounit = f->created_iounit;
		o->lflags = O_RDWR;
	}
	spin_unlock(&ctx->fcb->lock);
	p9_fid_release(c, stale);
	if (spread)
		return 0;
	if (o->fid != P9_NOFID) {
		mrx9p_track_open(c, ctx->srv_open);
		return 0;
	}
	pf = mrx9p_fcb_fid(ctx, ctx->fcb);
	err = mrx9p_walk(c, pfid_num(pf), 0, NULL, &fid);
	mrx9p_pfid_put(c, pf);
	if (err)
		return err;
	/* create, truncate and append are done by the VFS and by rdbss */
	o->lflags = ctx->info.create.open_flags & O_ACCMODE;
	err = mrx9p_lopen(c, fid, o->lflags, &iounit);
	if (err) {
		p9_fid_clunk(c, fid);
		return err;
	}
	o->fid = fid;
	o->iounit = iounit;
	mrx9p_track_open(c, ctx->srv_open);
	return 0;
}

void mrx9p_close_srv_open(struct rx_srv_open *so)
{
	struct mrx9p_open *o = so->ext;
	struct p9_conn *c = so_conn(so);

	if (o->so) {
		mutex_lock(&c->recov_lock);
		list_del(&o->link);
		mutex_unlock(&c->recov_lock);
		atomic_dec(&c->nopen);
	}
	/* a close waits neither for the server nor for a reconnection */
	p9_fid_release(c, o->fid);
}

/*
 * An open of @fcb with an opened fid, held so that a concurrent close
 * cannot clunk the fid under us (the file may have lost all its names).
 */
static struct rx_srv_open *mrx9p_open_held(struct rx_fcb *fcb)
{
	struct rx_srv_open *so, *found = NULL;

	spin_lock(&fcb->lock);
	list_for_each_entry(so, &fcb->srv_opens, link) {
		/* a dormant open (delayed close) is nobody's any more */
		if (open_ext(so)->fid != P9_NOFID &&
		    !test_bit(RX_SO_ORPHANED, &so->flags) &&
		    !test_bit(RX_SO_DORMANT, &so->flags) &&
		    kref_get_unless_zero(&so->kref)) {
			found = so;
			break;
		}
	}
	spin_unlock(&fcb->lock);
	return found;
}

int mrx9p_query_info(struct rx_context *ctx)
{
	struct mrx9p_pfid *pf = mrx9p_fcb_fid(ctx, ctx->fcb);
	struct rx_srv_open *so;
	int err;

	/* no path fid: no name left to walk (unlinked) */
	err = pf ? mrx9p_getattr(ctx, ctx_conn(ctx), pf->fid,
				 ctx->info.query_info.attrs) : -ENOENT;
	mrx9p_pfid_put(ctx_conn(ctx), pf);
	if (err != -ENOENT)
		return err;
	/* open, then unlinked (or its name went stale): ask the open fid */
	so = mrx9p_open_held(ctx->fcb);
	if (!so)
		return err;
	err = mrx9p_getattr(ctx, so_conn(so), open_ext(so)->fid,
			    ctx->info.query_info.attrs);
	rx_put_srv_open(so);
	return err;
}

int mrx9p_set_info(struct rx_context *ctx)
{
	struct iattr *ia = ctx->info.set_info.iattr;
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_setattr sa = {};
	struct mrx9p_pfid *pf;
	struct p9_wbuf w;
	struct p9_req *req;
	int err;

	if (ia->ia_valid & ATTR_MODE) {
		sa.valid |= P9_SETATTR_MODE;
		sa.mode = ia->ia_mode;
	}
	if (ia->ia_valid & ATTR_UID) {
		sa.valid |= P9_SETATTR_UID;
		sa.uid = from_kuid(&init_user_ns, ia->ia_uid);
	}
	if (ia->ia_valid & ATTR_GID) {
		sa.valid |= P9_SETATTR_GID;
		sa.gid = from_kgid(&init_user_ns, ia->ia_gid);
	}
	if (ia->ia_valid & ATTR_SIZE) {
		sa.valid |= P9_SETATTR_SIZE;
		sa.size = ia->ia_size;
	}
	if (ia->ia_valid & ATTR_ATIME) {
		sa.valid |= P9_SETATTR_ATIME;
		if (ia->ia_valid & ATTR_ATIME_SET) {
			sa.valid |= P9_SETATTR_ATIME_SET;
			sa.atime_sec = ia->ia_atime.tv_sec;
			sa.atime_nsec = ia->ia_atime.tv_nsec;
		}
	}
	if (ia->ia_valid & ATTR_MTIME) {
		sa.valid |= P9_SETATTR_MTIME;
		if (ia->ia_valid & ATTR_MTIME_SET) {
			sa.valid |= P9_SETATTR_MTIME_SET;
			sa.mtime_sec = ia->ia_mtime.tv_sec;
			sa.mtime_nsec = ia->ia_mtime.tv_nsec;
		}
	}
	if (ia->ia_valid & ATTR_CTIME)
		sa.valid |= P9_SETATTR_CTIME;

	req = p9_req_alloc(c, MRX9P_SMALL, 16);
	if (IS_ERR(req))
		return PTR_ERR(req);
	pf = mrx9p_fcb_fid(ctx, ctx->fcb);
	req->tx_len = p9_enc_setattr(&w, req->tx, MRX9P_SMALL, req->tag,
				     pfid_num(pf), &sa);
	err = p9_rpc(req, P9_RSETATTR, 0);
	p9_req_put(req);
	mrx9p_pfid_put(c, pf);
	return err;
}

int mrx9p_query_directory(struct rx_context *ctx)
{
	struct dir_context *actor = ctx->info.query_dir.actor;
	struct p9_conn *c = so_conn(ctx->srv_open);
	u32 fid = open_ext(ctx->srv_open)->fid;
	u32 count = min_t(u32, c->msize - P9_IOHDRSZ, 64 * 1024);
	struct p9_dirent de;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	u32 len;
	int err = 0;

	for (;;) {
		loff_t start = actor->pos;

		req = p9_req_alloc(c, MRX9P_SMALL, 4 + count);
		if (IS_ERR(req))
			return PTR_ERR(req);
		req->tx_len = p9_enc_readdir(&w, req->tx, MRX9P_SMALL, req->tag,
					     fid, actor->pos, count);
		err = p9_rpc(req, P9_RREADDIR, 0);
		if (err)
			goto out_req;
		p9_req_rbuf(req, &r);
		err = p9_dec_count(&r, &len);
		if (!err && len != r.len - r.pos)
			err = -EPROTO;
		if (err)
			goto out_req;
		if (!len) {
			ctx->info.query_dir.eof = true;
			goto out_req;
		}
		while (r.pos < r.len) {
			err = p9_dec_dirent(&r, &de);
			if (err)
				goto out_req;
			if (!rx_dir_emit(ctx, de.name.s, de.name.len,
					 de.qid.path, de.type, de.offset))
				goto out_req;	/* caller's buffer is full */
		}
		p9_req_put(req);
		if (actor->pos == start) {
			pr_warn_ratelimited("rx9p: %s: readdir made no progress\n",
					    c->addr_str);
			return -EIO;
		}
	}
out_req:
	p9_req_put(req);
	if (err == -EPROTO)
		pr_warn_ratelimited("rx9p: %s: malformed Rreaddir\n", c->addr_str);
	return err;
}

int mrx9p_query_volume(struct rx_context *ctx)
{
	struct kstatfs *buf = ctx->info.volume.buf;
	struct p9_conn *c = ctx_conn(ctx);
	struct mrx9p_pfid *pf;
	struct p9_statfs st;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, MRX9P_SMALL, 80);
	if (IS_ERR(req))
		return PTR_ERR(req);
	pf = mrx9p_fcb_fid(ctx, ctx->fcb);
	req->tx_len = p9_enc_fid_op(&w, req->tx, MRX9P_SMALL, P9_TSTATFS,
				    req->tag, pfid_num(pf));
	err = p9_rpc(req, P9_RSTATFS, 0);
	mrx9p_pfid_put(c, pf);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_statfs(&r, &st);
	}
	p9_req_put(req);
	if (err)
		return err;
	buf->f_bsize = st.bsize;
	buf->f_blocks = st.blocks;
	buf->f_bfree = st.bfree;
	buf->f_bavail = st.bavail;
	buf->f_files = st.files;
	buf->f_ffree = st.ffree;
	buf->f_fsid.val[0] = (u32)st.fsid;
	buf->f_fsid.val[1] = (u32)(st.fsid >> 32);
	buf->f_namelen = min_t(u32, st.namelen, NAME_MAX);
	return 0;
}

/* MRxFlush: Tfsync on the open the caller used, on its channel. */
int mrx9p_flush(struct rx_context *ctx)
{
	struct p9_conn *c = so_conn(ctx->srv_open);
	struct p9_wbuf w;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, MRX9P_SMALL, 16);
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = mrx9p_rpc(req, p9_enc_fsync(&w, req->tx, MRX9P_SMALL, req->tag,
					  open_ext(ctx->srv_open)->fid,
					  ctx->info.flush.datasync),
			P9_RFSYNC);
	p9_req_put(req);
	return err;
}
