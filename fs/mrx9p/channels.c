// SPDX-License-Identifier: GPL-2.0
/*
 * nconnect=N: several connections (channels) to one server behind one
 * srv_call, as the NFS client's nconnect.
 *
 * 9P fids belong to the connection they were made on (diod and
 * nfs-ganesha both keep a fid table per connection), so a request can go
 * only where its fid lives.  Channel 0 is the srv_call's own connection:
 * it carries every path fid, lookup, namespace change, directory and
 * xattr request.  An open regular file is opened on the channel with the
 * fewest open files, by a walk from that channel's attach of the same
 * v_net_root along the file's path, and its reads, writes, locks and
 * fsyncs stay there: files are spread over the channels, not requests.
 * Each channel reconnects on its own (recover.c, with its own lists of
 * attaches and opens); losing one leaves the others and the mount alive.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include "mrx9p.h"

/**
 * mrx9p_open_channels - connect the channels beyond channel 0
 * @c: channel 0, connected and version-negotiated
 * @o: the mount options (nconnect)
 * @fc: the mount's context, for errors
 *
 * Every channel must agree on channel 0's msize: I/O is split by it.
 * PASSIVE.
 */
int mrx9p_open_channels(struct p9_conn *c, const struct mrx9p_opts *o,
			struct fs_context *fc)
{
	struct p9_conn *ch;
	unsigned int k;
	int err;

	c->chan[0] = c;
	c->nchan = 1;
	for (k = 1; k < o->nconnect; k++) {
		ch = kzalloc(sizeof(*ch), GFP_KERNEL);
		if (!ch) {
			err = -ENOMEM;
			goto fail;
		}
		ch->debug_id = rx_next_debug_id();
		ch->index = k;
		err = p9_conn_open(ch, o, fc);
		if (err) {
			kfree(ch);
			goto fail;
		}
		err = p9_version(ch, c->msize, fc);
		if (!err && ch->msize != c->msize) {
			errorfc(fc, "%s: connection %u got msize %u, not %u",
				c->addr_str, k, ch->msize, c->msize);
			err = -EPROTO;
		}
		if (err) {
			p9_conn_close(ch);
			kfree(ch);
			goto fail;
		}
		mrx9p_debug_conn_add(ch);
		c->chan[k] = ch;
		c->nchan = k + 1;
	}
	return 0;
fail:
	mrx9p_close_channels(c);
	return err;
}

/* Close every channel but channel 0 (its srv_call closes it). */
void mrx9p_close_channels(struct p9_conn *c)
{
	unsigned int k;

	for (k = 1; k < c->nchan; k++) {
		mrx9p_debug_conn_del(c->chan[k]);
		p9_conn_close(c->chan[k]);
		kfree(c->chan[k]);
		c->chan[k] = NULL;
	}
	c->nchan = 1;
}

/* umount -f: every channel fails what it carries. */
void mrx9p_abort_channels(struct p9_conn *c)
{
	unsigned int k;

	for (k = 1; k < c->nchan; k++)
		p9_conn_abort(c->chan[k]);
}

/*
 * @v's attach on channel @c, or NULL if it has none there.  Without
 * chan_lock: recovery calls this under the channel's recov_lock, which an
 * attach takes inside chan_lock.  An attach is published once, after it
 * is on the channel's roots, and freed only with its v_net_root.
 */
struct mrx9p_vnr *mrx9p_chan_vnr(struct mrx9p_vnr *v, struct p9_conn *c)
{
	if (!c->index)
		return v;
	return READ_ONCE(v->chan[c->index]);
}

/*
 * @v's attach on channel @ch, made at the first use (as the same user);
 * NULL if the server refuses it.
 */
static struct mrx9p_vnr *mrx9p_chan_attach(struct mrx9p_vnr *v,
					   struct p9_conn *ch)
{
	struct mrx9p_vnr *cv;
	int err;

	mutex_lock(&v->chan_lock);
	cv = v->chan[ch->index];
	if (cv)
		goto out;
	cv = kzalloc(sizeof(*cv), GFP_KERNEL);
	if (!cv)
		goto out;
	cv->n_uname = v->n_uname;
	cv->vnr = v->vnr;
	err = p9_fid_alloc(ch, &cv->root_fid);
	if (!err) {
		err = mrx9p_attach(ch, cv, mrx9p_opts(v->vnr));
		if (err)
			ida_free(&ch->fids, cv->root_fid);
	}
	if (err) {
		pr_debug("rx9p: %s: attach on connection %u failed: error %d\n",
			 ch->addr_str, ch->index, err);
		kfree(cv);
		cv = NULL;
		goto out;
	}
	mutex_lock(&ch->recov_lock);
	list_add_tail(&cv->link, &ch->roots);
	mutex_unlock(&ch->recov_lock);
	spin_lock_bh(&ch->lock);
	ch->recoverable = true;
	spin_unlock_bh(&ch->lock);
	WRITE_ONCE(v->chan[ch->index], cv);
out:
	mutex_unlock(&v->chan_lock);
	return cv;
}

/* Clunk @v's attaches on the other channels (its v_net_root is going). */
void mrx9p_free_chan_roots(struct mrx9p_vnr *v)
{
	struct p9_conn *c = mrx9p_conn(v->vnr);
	struct mrx9p_vnr *cv;
	unsigned int k;

	for (k = 1; k < c->nchan; k++) {
		struct p9_conn *ch = c->chan[k];

		cv = v->chan[k];
		if (!cv)
			continue;
		v->chan[k] = NULL;
		mutex_lock(&ch->recov_lock);
		list_del(&cv->link);
		mutex_unlock(&ch->recov_lock);
		p9_fid_clunk(ch, cv->root_fid);
		kfree(cv);
	}
}

/*
 * The channel for the next open file: the fewest open files, the search
 * starting one further each time so that ties go round.  A channel that
 * is dead or reconnecting is passed over while another is up.
 */
struct p9_conn *mrx9p_pick_channel(struct p9_conn *c)
{
	unsigned int n = c->nchan, start, k;
	struct p9_conn *best = NULL, *ch;

	start = (unsigned int)atomic_inc_return(&c->next) % n;
	for (k = 0; k < n; k++) {
		ch = c->chan[(start + k) % n];
		if (READ_ONCE(ch->err) || READ_ONCE(ch->recovering))
			continue;
		if (!best || atomic_read(&ch->nopen) < atomic_read(&best->nopen))
			best = ch;
	}
	return best ?: c;
}

/**
 * mrx9p_open_spread - open a regular file on another channel
 * @ctx: the open (RX_MJ_CREATE) context
 * @o: its srv_open's extension
 * @ch: the channel (from mrx9p_pick_channel(), not channel 0)
 *
 * Returns 0 with @o opened and tracked on @ch, or an error: the caller
 * then opens it on channel 0, which can do anything the others cannot (a
 * file whose name another client changed, an attach the server refused
 * on a new connection).  PASSIVE.
 */
int mrx9p_open_spread(struct rx_context *ctx, struct mrx9p_open *o,
		      struct p9_conn *ch)
{
	struct inode *inode = rx_fcb_inode(ctx->fcb);
	struct mrx9p_vnr *cv;
	struct p9_qid qid = {};
	u32 fid, lflags, iounit;
	int err;

	cv = mrx9p_chan_attach(ctx->v_net_root->ext, ch);
	if (!cv)
		return -EAGAIN;
	err = p9_fid_alloc(ch, &fid);
	if (err)
		return err;
	err = mrx9p_walk_inode(ch, cv->root_fid, inode, fid, &qid);
	if (err) {
		ida_free(&ch->fids, fid);
		return err;
	}
	/* the name may lead elsewhere now: only the same file will do */
	if ((unsigned long)qid.path != inode->i_ino) {
		p9_fid_clunk(ch, fid);
		return -ESTALE;
	}
	lflags = ctx->info.create.open_flags & O_ACCMODE;
	err = mrx9p_lopen(ch, fid, lflags, &iounit);
	if (err) {
		p9_fid_clunk(ch, fid);
		return err;
	}
	o->fid = fid;
	o->iounit = iounit;
	o->lflags = lflags;
	mrx9p_track_open(ch, ctx->srv_open);
	return 0;
}
