// SPDX-License-Identifier: GPL-2.0
/*
 * Fids: walking and attributes, shared by the dispatch entries.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/uio.h>
#include "mrx9p.h"

void mrx9p_fill_attrs(struct rx_attrs *a, const struct p9_getattr *ga)
{
	a->ino = ga->qid.path;
	a->change = ga->qid.version;
	a->mode = ga->mode;
	a->uid = ga->uid;
	a->gid = ga->gid;
	a->nlink = ga->nlink;
	a->rdev = ga->rdev;
	a->size = ga->size;
	a->blocks = ga->blocks;
	a->blksize = ga->blksize;
	a->atime.tv_sec = ga->atime_sec;
	a->atime.tv_nsec = ga->atime_nsec % NSEC_PER_SEC;
	a->mtime.tv_sec = ga->mtime_sec;
	a->mtime.tv_nsec = ga->mtime_nsec % NSEC_PER_SEC;
	a->ctime.tv_sec = ga->ctime_sec;
	a->ctime.tv_nsec = ga->ctime_nsec % NSEC_PER_SEC;
}

int mrx9p_getattr(struct rx_context *ctx, u32 fid, struct rx_attrs *attrs)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct mrx9p_opts *o = mrx9p_opts(ctx->v_net_root);
	struct p9_getattr ga;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, MRX9P_SMALL, 160);
	if (IS_ERR(req))
		return PTR_ERR(req);
	req->tx_len = p9_enc_getattr(&w, req->tx, MRX9P_SMALL, req->tag, fid,
				     P9_GETATTR_BASIC);
	err = p9_rpc(req, P9_RGETATTR, 0);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_getattr(&r, &ga);
		if (!err) {
			/* owners the server cannot name: the mount's defaults */
			if (ga.uid == (u32)-1)
				ga.uid = o->dfltuid;
			if (ga.gid == (u32)-1)
				ga.gid = o->dfltgid;
			mrx9p_fill_attrs(attrs, &ga);
		}
	}
	p9_req_put(req);
	return err;
}

/* Twalk @fid by @nwname names (0: clone) to a new fid. */
int mrx9p_walk(struct p9_conn *c, u32 fid, unsigned int nwname,
	       const struct p9_str *names, u32 *newfid)
{
	struct p9_qid qids[P9_MAXWELEM];
	unsigned int nwqid, i;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	u32 cap = MRX9P_SMALL;
	int err;

	for (i = 0; i < nwname; i++)
		cap += 2 + names[i].len;
	err = p9_fid_alloc(c, newfid);
	if (err)
		return err;
	req = p9_req_alloc(c, cap, 2 + P9_MAXWELEM * P9_QIDSZ);
	if (IS_ERR(req)) {
		err = PTR_ERR(req);
		goto out_fid;
	}
	err = p9_enc_walk(&w, req->tx, cap, req->tag, fid, *newfid, nwname,
			  names);
	if (err < 0)
		goto out_req;
	req->tx_len = err;
	err = p9_rpc(req, P9_RWALK, 0);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_walk(&r, P9_MAXWELEM, &nwqid, qids);
		/* a partial walk creates no fid: the name does not exist */
		if (!err && nwqid != nwname)
			err = -ENOENT;
	}
out_req:
	p9_req_put(req);
	if (!err)
		return 0;
out_fid:
	ida_free(&c->fids, *newfid);
	*newfid = P9_NOFID;
	return err;
}

/* Send @req, encoded to @len bytes (or an encoding error), expect @rtype. */
int mrx9p_rpc(struct p9_req *req, int len, u8 rtype)
{
	if (len < 0)
		return len;
	req->tx_len = len;
	return p9_rpc(req, rtype, 0);
}

static struct mrx9p_ufid *mrx9p_find_ufid(struct rx_context *ctx,
					  struct rx_fcb *fcb)
{
	struct mrx9p_fcb *f = fcb_ext(fcb);
	bool per_user = ctx->v_net_root->net_root->per_user;
	struct mrx9p_ufid *u;

	list_for_each_entry(u, &f->fids, link)
		if (!per_user || uid_eq(u->uid, ctx->v_net_root->uid))
			return u;
	return NULL;
}

/**
 * mrx9p_fcb_set_fid - make @fid the caller's path fid of @fcb
 * @ctx: the request (its v_net_root names the user)
 * @fcb: the file
 * @fid: a fid walked to the file now, as that user
 *
 * A fid it replaces is clunked.  PASSIVE.
 */
void mrx9p_fcb_set_fid(struct rx_context *ctx, struct rx_fcb *fcb, u32 fid)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct mrx9p_fcb *f = fcb_ext(fcb);
	struct mrx9p_ufid *u, *n;
	u32 old = P9_NOFID;

	n = kmalloc(sizeof(*n), GFP_KERNEL);
	spin_lock(&fcb->lock);
	if (!f->fids.next)
		INIT_LIST_HEAD(&f->fids);
	u = mrx9p_find_ufid(ctx, fcb);
	if (u) {
		old = u->fid;
		u->fid = fid;
		u->gen = atomic_read(&c->rename_gen);
	} else if (n) {
		n->uid = ctx->v_net_root->uid;
		n->fid = fid;
		n->gen = atomic_read(&c->rename_gen);
		list_add(&n->link, &f->fids);
		n = NULL;
	} else {
		old = fid;	/* no memory to keep it: walk again next time */
	}
	spin_unlock(&fcb->lock);
	kfree(n);
	p9_fid_clunk(c, old);
}

/* Clunk every path fid of @fcb (the inode is going away).  PASSIVE. */
void mrx9p_fcb_free_fids(struct p9_conn *c, struct rx_fcb *fcb)
{
	struct mrx9p_fcb *f = fcb_ext(fcb);
	struct mrx9p_ufid *u, *tmp;

	if (!f->fids.next)
		return;
	list_for_each_entry_safe(u, tmp, &f->fids, link) {
		list_del(&u->link);
		p9_fid_clunk(c, u->fid);
		kfree(u);
	}
}

/* Walk from the attach root along the dentry path of @fcb's inode. */
static int mrx9p_walk_path(struct rx_context *ctx, struct rx_fcb *fcb,
			   u32 *newfid)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct mrx9p_vnr *v = ctx->v_net_root->ext;
	struct p9_str names[P9_MAXWELEM];
	struct dentry *dentry;
	char *buf, *path, *p;
	unsigned int n;
	u32 from, fid;
	int err;

	dentry = d_find_alias(rx_fcb_inode(fcb));
	if (!dentry)
		return -ENOENT;	/* unlinked: nothing to walk to */
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf) {
		dput(dentry);
		return -ENOMEM;
	}
	path = dentry_path_raw(dentry, buf, PATH_MAX);
	dput(dentry);
	if (IS_ERR(path)) {
		kfree(buf);
		return PTR_ERR(path);
	}
	from = v->root_fid;
	err = mrx9p_walk(c, from, 0, NULL, &fid);
	p = path;
	while (!err && *p) {
		u32 next;

		for (n = 0; n < P9_MAXWELEM && *p; ) {
			char *slash;

			while (*p == '/')
				p++;
			if (!*p)
				break;
			slash = strchrnul(p, '/');
			names[n].s = p;
			names[n].len = slash - p;
			n++;
			p = slash;
		}
		if (!n)
			break;
		err = mrx9p_walk(c, fid, n, names, &next);
		p9_fid_clunk(c, fid);
		fid = next;
	}
	kfree(buf);
	if (err)
		return err;
	*newfid = fid;
	return 0;
}

/**
 * mrx9p_fcb_fid - the caller's path fid of @fcb
 * @ctx: the request
 * @fcb: the file
 *
 * Walked (as the caller, from its attach) when the caller has none yet or
 * a directory rename may have left it stale.  If the walk fails, the old
 * fid (or P9_NOFID) is returned and the request fails with the server's
 * error.  PASSIVE.
 */
u32 mrx9p_fcb_fid(struct rx_context *ctx, struct rx_fcb *fcb)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct mrx9p_ufid *u;
	u32 fid = P9_NOFID;
	bool fresh = false;

	spin_lock(&fcb->lock);
	if (fcb_ext(fcb)->fids.next) {
		u = mrx9p_find_ufid(ctx, fcb);
		if (u) {
			fid = u->fid;
			fresh = u->gen == atomic_read(&c->rename_gen);
			if (!fresh)	/* one walk per generation is enough */
				u->gen = atomic_read(&c->rename_gen);
		}
	}
	spin_unlock(&fcb->lock);
	if (fresh)
		return fid;
	if (!mrx9p_walk_path(ctx, fcb, &fid))
		mrx9p_fcb_set_fid(ctx, fcb, fid);
	else if (fid != P9_NOFID)
		return fid;
	spin_lock(&fcb->lock);
	u = mrx9p_find_ufid(ctx, fcb);
	fid = u ? u->fid : P9_NOFID;
	spin_unlock(&fcb->lock);
	return fid;
}
