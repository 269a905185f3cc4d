// SPDX-License-Identifier: GPL-2.0
/*
 * Fids: numbers, clunks, walking and attributes, shared by the dispatch
 * entries.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/uio.h>
#include "mrx9p.h"

/* ---- fid numbers and clunks ---- */

int p9_fid_alloc(struct p9_conn *c, u32 *fid)
{
	/* fid 0 is never used: a zeroed extension means "no fid" */
	int id = ida_alloc_range(&c->fids, 1, INT_MAX, GFP_NOFS);

	if (id < 0)
		return id;
	*fid = id;
	return 0;
}

/**
 * p9_clunk_wire - Tclunk @fid, keeping the number (no local release)
 * @c: the connection
 * @fid: the fid
 * @recovery: sent by the reconnection (bounded, never queued)
 *
 * PASSIVE.
 */
int p9_clunk_wire(struct p9_conn *c, u32 fid, bool recovery)
{
	struct p9_wbuf w;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, 16, 0);
	if (IS_ERR(req))
		return PTR_ERR(req);
	req->recovery = recovery;
	req->tx_len = p9_enc_fid_op(&w, req->tx, 16, P9_TCLUNK, req->tag, fid);
	err = p9_rpc(req, P9_RCLUNK, recovery ? c->timeout : 0);
	p9_req_put(req);
	return err;
}

/**
 * p9_fid_clunk - release @fid on the server and locally
 * @c: the connection
 * @fid: the fid; 0 and P9_NOFID mean none
 *
 * Returns the server's answer: for an xattr fid, the commit status.
 * PASSIVE.
 */
int p9_fid_clunk(struct p9_conn *c, u32 fid)
{
	int err;

	if (fid == P9_NOFID || !fid)
		return 0;
	err = p9_clunk_wire(c, fid, false);
	/*
	 * A fid the server may still hold must not be reused: one whose
	 * Tclunk was given up, or never sent (no tag or no memory), stays
	 * taken unless the connection is dead.
	 */
	if ((err == -EINTR || err == -ETIMEDOUT || err == -EAGAIN ||
	     err == -ENOMEM) && !READ_ONCE(c->err))
		return err;
	ida_free(&c->fids, fid);
	return err;
}

/* Rclunk, or the connection is gone: the number may be used again. */
static void p9_release_done(struct p9_req *req)
{
	ida_free(&req->conn->fids, (u32)(uintptr_t)req->priv);
}

/**
 * p9_fid_release - clunk @fid without waiting for the answer
 * @c: the connection
 * @fid: the fid; 0 and P9_NOFID mean none
 *
 * For a fid whose clunk has nothing to report (an open file being
 * closed): the caller, often an exiting task, does not wait for the
 * server, nor for a reconnection -- a Tclunk queued meanwhile is sent
 * once the server is back.  The number is freed when the answer comes.
 * PASSIVE.
 */
void p9_fid_release(struct p9_conn *c, u32 fid)
{
	struct p9_wbuf w;
	struct p9_req *req;
	int err;

	if (fid == P9_NOFID || !fid)
		return;
	req = p9_req_alloc(c, 16, 0);
	if (IS_ERR(req)) {
		p9_fid_clunk(c, fid);
		return;
	}
	req->tx_len = p9_enc_fid_op(&w, req->tx, 16, P9_TCLUNK, req->tag, fid);
	req->done = p9_release_done;
	req->priv = (void *)(uintptr_t)fid;
	err = p9_conn_send(c, req);
	if (err) {
		p9_req_abandon(c, req);
		/* a dead connection holds nothing; else the server may */
		if (READ_ONCE(c->err))
			ida_free(&c->fids, fid);
	}
	p9_req_put(req);
}

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

int mrx9p_getattr(struct rx_context *ctx, struct p9_conn *c, u32 fid,
		  struct rx_attrs *attrs)
{
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

/* Allocate a request; one made while reconnecting is never queued. */
static struct p9_req *mrx9p_req(struct p9_conn *c, u32 cap, u32 rcap,
				bool recovery)
{
	struct p9_req *req = p9_req_alloc(c, cap, rcap);

	if (!IS_ERR(req))
		req->recovery = recovery;
	return req;
}

/*
 * Twalk @fid by @nwname names (0: clone) to @newfid, a fid number we
 * hold that the server does not know (or @fid itself).
 */
static int __mrx9p_walk_to(struct p9_conn *c, u32 fid, unsigned int nwname,
			   const struct p9_str *names, u32 newfid,
			   bool recovery, struct p9_qid *last)
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
	req = mrx9p_req(c, cap, 2 + P9_MAXWELEM * P9_QIDSZ, recovery);
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = p9_enc_walk(&w, req->tx, cap, req->tag, fid, newfid, nwname,
			  names);
	if (err >= 0) {
		req->tx_len = err;
		err = p9_rpc(req, P9_RWALK, recovery ? c->timeout : 0);
	}
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_walk(&r, P9_MAXWELEM, &nwqid, qids);
		/* a partial walk creates no fid: the name does not exist */
		if (!err && nwqid != nwname)
			err = -ENOENT;
		if (!err && last && nwname)
			*last = qids[nwname - 1];
	}
	p9_req_put(req);
	return err;
}

int mrx9p_walk_to(struct p9_conn *c, u32 fid, unsigned int nwname,
		  const struct p9_str *names, u32 newfid)
{
	return __mrx9p_walk_to(c, fid, nwname, names, newfid, false, NULL);
}

/*
 * Twalk @fid by @nwname names (0: clone) to a new fid; @qid, if not NULL,
 * gets the last name's qid.
 */
int mrx9p_walk_qid(struct p9_conn *c, u32 fid, unsigned int nwname,
		   const struct p9_str *names, u32 *newfid,
		   struct p9_qid *qid)
{
	int err;

	err = p9_fid_alloc(c, newfid);
	if (err)
		return err;
	err = __mrx9p_walk_to(c, fid, nwname, names, *newfid, false, qid);
	if (err) {
		ida_free(&c->fids, *newfid);
		*newfid = P9_NOFID;
	}
	return err;
}

int mrx9p_walk(struct p9_conn *c, u32 fid, unsigned int nwname,
	       const struct p9_str *names, u32 *newfid)
{
	return mrx9p_walk_qid(c, fid, nwname, names, newfid, NULL);
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

static struct mrx9p_pfid *mrx9p_pfid_get(struct mrx9p_pfid *pf)
{
	if (pf)
		refcount_inc(&pf->ref);
	return pf;
}

/**
 * mrx9p_pfid_put - let go of a path fid
 * @c: the connection
 * @pf: the path fid, or NULL
 *
 * The last holder clunks it, without waiting: a lookup, a revalidation or
 * a request goes on at once.  PASSIVE.
 */
void mrx9p_pfid_put(struct p9_conn *c, struct mrx9p_pfid *pf)
{
	if (pf && refcount_dec_and_test(&pf->ref)) {
		p9_fid_release(c, pf->fid);
		kfree(pf);
	}
}

/**
 * mrx9p_fcb_set_fid - make @fid the caller's path fid of @fcb
 * @ctx: the request (its v_net_root names the user)
 * @fcb: the file
 * @fid: a fid walked to the file now, as that user
 *
 * A fid it replaces is clunked once no request holds it.  PASSIVE.
 */
void mrx9p_fcb_set_fid(struct rx_context *ctx, struct rx_fcb *fcb, u32 fid)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct mrx9p_fcb *f = fcb_ext(fcb);
	struct mrx9p_pfid *pf, *old = NULL;
	struct mrx9p_ufid *u, *n;

	pf = kmalloc(sizeof(*pf), GFP_KERNEL);
	if (!pf) {
		p9_fid_release(c, fid);	/* walk again next time */
		return;
	}
	refcount_set(&pf->ref, 1);
	pf->fid = fid;
	n = kmalloc(sizeof(*n), GFP_KERNEL);
	mutex_lock(&c->recov_lock);
	spin_lock(&fcb->lock);
	if (!f->fids.next)
		INIT_LIST_HEAD(&f->fids);
	u = mrx9p_find_ufid(ctx, fcb);
	if (u) {
		old = u->pf;
		u->pf = pf;
		u->gen = atomic_read(&c->rename_gen);
	} else if (n) {
		n->uid = ctx->v_net_root->uid;
		n->pf = pf;
		n->fcb = fcb;
		n->gen = atomic_read(&c->rename_gen);
		list_add(&n->link, &f->fids);
		list_add_tail(&n->conn_link, &c->ufids);
		n = NULL;
	} else {
		old = pf;	/* no memory to keep it: walk again next time */
	}
	spin_unlock(&fcb->lock);
	mutex_unlock(&c->recov_lock);
	kfree(n);
	mrx9p_pfid_put(c, old);
}

/* Clunk every path fid of @fcb (the inode is going away).  PASSIVE. */
void mrx9p_fcb_free_fids(struct p9_conn *c, struct rx_fcb *fcb)
{
	struct mrx9p_fcb *f = fcb_ext(fcb);
	struct mrx9p_ufid *u, *tmp;

	if (!f->fids.next)
		return;
	list_for_each_entry_safe(u, tmp, &f->fids, link) {
		mutex_lock(&c->recov_lock);
		list_del(&u->conn_link);
		mutex_unlock(&c->recov_lock);
		list_del(&u->link);
		mrx9p_pfid_put(c, u->pf);	/* eviction need not wait */
		kfree(u);
	}
}

/**
 * mrx9p_walk_inode - walk from an attach root to @inode, by its path
 * @c: the connection
 * @root: the root fid of the attach to walk as
 * @inode: the file (its first alias names it)
 * @newfid: the fid number to walk to (held by us, unknown to the server)
 * @qid: if not NULL, gets the qid of the last name walked
 *
 * Paths deeper than one Twalk takes are walked in steps, @newfid moving
 * down in place; if a later step fails, @newfid is clunked on the server
 * (the number stays ours).  A walk made while reconnecting (the caller is
 * recover_work) is bounded by the connection timeout.  PASSIVE.
 */
int mrx9p_walk_inode(struct p9_conn *c, u32 root, struct inode *inode,
		     u32 newfid, struct p9_qid *qid)
{
	bool recovery = current_work() == &c->recover_work.work;
	struct p9_str names[P9_MAXWELEM];
	struct dentry *dentry;
	char *buf, *path, *p;
	unsigned int n;
	bool first = true;
	u32 from = root;
	int err = 0;

	dentry = d_find_alias(inode);
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
	p = path;
	do {
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
		if (!n && !first)
			break;
		err = __mrx9p_walk_to(c, from, n, names, newfid, recovery,
				      n ? qid : NULL);
		if (err && !first)
			p9_clunk_wire(c, newfid, recovery);
		from = newfid;
		first = false;
	} while (!err && *p);
	kfree(buf);
	return err;
}

/* Walk from the caller's attach root along the path of @fcb's inode. */
static int mrx9p_walk_path(struct rx_context *ctx, struct rx_fcb *fcb,
			   u32 *newfid)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct mrx9p_vnr *v = ctx->v_net_root->ext;
	int err;

	err = p9_fid_alloc(c, newfid);
	if (err)
		return err;
	err = mrx9p_walk_inode(c, v->root_fid, rx_fcb_inode(fcb), *newfid,
			       NULL);
	if (err) {
		ida_free(&c->fids, *newfid);
		*newfid = P9_NOFID;
	}
	return err;
}

/**
 * mrx9p_fcb_fid - hold the caller's path fid of @fcb
 * @ctx: the request
 * @fcb: the file
 *
 * Walked (as the caller, from its attach) when the caller has none yet or
 * a directory rename may have left it stale.  If the walk fails, the old
 * fid (or NULL: P9_NOFID) is returned and the request fails with the
 * server's error.  The caller lets go of it with mrx9p_pfid_put() once
 * the server answered every request naming it.  PASSIVE.
 */
struct mrx9p_pfid *mrx9p_fcb_fid(struct rx_context *ctx, struct rx_fcb *fcb)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct mrx9p_pfid *pf = NULL;
	struct mrx9p_ufid *u;
	bool fresh = false;
	u32 fid;

	spin_lock(&fcb->lock);
	if (fcb_ext(fcb)->fids.next) {
		u = mrx9p_find_ufid(ctx, fcb);
		if (u) {
			pf = mrx9p_pfid_get(u->pf);
			fresh = u->gen == atomic_read(&c->rename_gen);
			if (!fresh)	/* one walk per generation is enough */
				u->gen = atomic_read(&c->rename_gen);
		}
	}
	spin_unlock(&fcb->lock);
	if (fresh)
		return pf;
	if (mrx9p_walk_path(ctx, fcb, &fid)) {
		if (pf)
			return pf;
	} else {
		mrx9p_fcb_set_fid(ctx, fcb, fid);
	}
	mrx9p_pfid_put(c, pf);
	spin_lock(&fcb->lock);
	u = mrx9p_find_ufid(ctx, fcb);
	pf = mrx9p_pfid_get(u ? u->pf : NULL);
	spin_unlock(&fcb->lock);
	return pf;
}
