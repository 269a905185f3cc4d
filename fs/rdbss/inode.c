// SPDX-License-Identifier: GPL-2.0
/*
 * Inodes (FCBs) and the namespace: lookup, create, mkdir, unlink, rmdir,
 * getattr, setattr.  Every operation reaches the mini-redirector through
 * an rx_context.
 */
#include <linux/pagemap.h>
#include <linux/slab.h>
#include "internal.h"
#include "trace.h"

void rx_inode_init_once(void *obj)
{
	struct rx_inode *ri = obj;

	inode_init_once(&ri->vfs_inode);
}

/* Apply server attributes to the inode. */
void rx_apply_attrs(struct inode *inode, const struct rx_attrs *attrs)
{
	struct rx_fcb *fcb = rx_inode_fcb(inode);
	struct timespec64 ctime = rx_inode_ctime(inode);
	unsigned long stamp;

	/*
	 * SB_NOSEC lets writes skip the security.capability lookup (a server
	 * round trip) once the VFS found none; a change of mode, owner or
	 * ctime on the server (xattrs set there) must make it look again.
	 */
	if (inode->i_mode != attrs->mode || !timespec64_equal(&ctime, &attrs->ctime) ||
	    i_uid_read(inode) != attrs->uid || i_gid_read(inode) != attrs->gid)
		inode->i_flags &= ~S_NOSEC;
	inode->i_mode = attrs->mode;
	i_uid_write(inode, attrs->uid);
	i_gid_write(inode, attrs->gid);
	set_nlink(inode, min_t(u64, attrs->nlink, UINT_MAX));
	rx_inode_set_times(inode, attrs->atime, attrs->mtime, attrs->ctime);
	/*
	 * Data written here but not yet on the server makes the local size
	 * the true one: never shrink below it while writes are pending.
	 */
	if (!S_ISREG(inode->i_mode) ||
	    !(mapping_tagged(inode->i_mapping, PAGECACHE_TAG_DIRTY) ||
	      mapping_tagged(inode->i_mapping, PAGECACHE_TAG_WRITEBACK)) ||
	    attrs->size > i_size_read(inode))
		i_size_write(inode, min_t(u64, attrs->size, MAX_LFS_FILESIZE));
	inode->i_blocks = attrs->blocks;
	if (S_ISCHR(attrs->mode) || S_ISBLK(attrs->mode))
		inode->i_rdev = new_decode_dev(attrs->rdev);
	spin_lock(&fcb->lock);
	stamp = rx_fcb_stamp_locked(fcb);
	fcb->change = attrs->change;
	fcb->mtime_seen = attrs->mtime;
	fcb->size_seen = attrs->size;
	fcb->attr_time = jiffies;
	fcb->attrs_stale = false;
	if (S_ISDIR(attrs->mode) && rx_fcb_stamp_locked(fcb) != stamp) {
		/* only our own operations changed it: its names still hold */
		fcb->names_carry = fcb->own_change;
		fcb->names_from = stamp;
		fcb->names_to = rx_fcb_stamp_locked(fcb);
	}
	fcb->own_change = false;
	spin_unlock(&fcb->lock);
}

/**
 * rx_update_attrs - apply fresh server attributes to a cached inode
 * @inode: the inode
 * @attrs: what the server says now
 * @revalidate_cache: drop cached pages if the server's copy changed
 *
 * Whoever records the server's change cookie must also act on a change:
 * otherwise a later revalidation would see nothing new and keep stale
 * pages.  PASSIVE.
 */
void rx_update_attrs(struct inode *inode, const struct rx_attrs *attrs,
		     bool revalidate_cache)
{
	struct rx_fcb *fcb = rx_inode_fcb(inode);
	bool changed;

	spin_lock(&fcb->lock);
	changed = attrs->change != fcb->change ||
		  attrs->size != fcb->size_seen ||
		  !timespec64_equal(&attrs->mtime, &fcb->mtime_seen);
	spin_unlock(&fcb->lock);
	rx_apply_attrs(inode, attrs);
	/*
	 * The server's copy changed under us: drop what we cached, unless we
	 * hold writes of our own (those changed it, or win over it).
	 */
	if (changed && revalidate_cache && S_ISREG(inode->i_mode) &&
	    !mapping_tagged(inode->i_mapping, PAGECACHE_TAG_DIRTY) &&
	    !mapping_tagged(inode->i_mapping, PAGECACHE_TAG_WRITEBACK)) {
		if (inode->i_mapping->nrpages)
			rx_stats_event(rx_inode_stats(inode), RX_EV_INVALIDATE);
		invalidate_inode_pages2(inode->i_mapping);
	}
}

static int rx_iget_test(struct inode *inode, void *data)
{
	const struct rx_attrs *attrs = data;

	return inode->i_ino == attrs->ino &&
	       (inode->i_mode & S_IFMT) == (attrs->mode & S_IFMT);
}

static int rx_iget_set(struct inode *inode, void *data)
{
	const struct rx_attrs *attrs = data;

	inode->i_ino = attrs->ino;
	inode->i_mode = attrs->mode & S_IFMT;
	return 0;
}

static void rx_init_inode_ops(struct inode *inode)
{
	switch (inode->i_mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &rx_dir_inode_ops;
		inode->i_fop = &rx_dir_ops;
		break;
	case S_IFREG:
		inode->i_op = &rx_file_inode_ops;
		inode->i_fop = &rx_file_ops;
		inode->i_mapping->a_ops = &rx_aops;
		break;
	case S_IFLNK:
		inode->i_op = &rx_symlink_inode_ops;
		inode_nohighmem(inode);
		break;
	default:
		inode->i_op = &rx_special_inode_ops;
		init_special_inode(inode, inode->i_mode, inode->i_rdev);
		break;
	}
}

/* One of the seven file types the VFS knows. */
static bool rx_valid_file_type(umode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR:
	case S_IFLNK:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return true;
	default:
		return false;
	}
}

/**
 * rx_iget - find or create the inode for a successful lookup
 * @sb: the super_block
 * @ctx: the lookup context; its mini-redirector state goes to fcb_found()
 * @attrs: the attributes the lookup returned
 *
 * Exactly one fcb_found() call follows a successful lookup: with the FCB,
 * or with NULL when no inode could be had.
 */
struct inode *rx_iget(struct super_block *sb, struct rx_context *ctx,
		      struct rx_attrs *attrs)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(sb)->ops;
	struct inode *inode;
	bool is_new;

	if (!rx_valid_file_type(attrs->mode)) {
		pr_warn_ratelimited("rdbss: %s: server gave a file an impossible type (mode 0%o)\n",
				    rx_sb_minirdr(sb)->name, attrs->mode);
		ops->fcb_found(ctx, NULL, false);
		return ERR_PTR(-EIO);
	}
	inode = iget5_locked(sb, (unsigned long)attrs->ino, rx_iget_test,
			     rx_iget_set, attrs);
	if (!inode) {
		ops->fcb_found(ctx, NULL, false);
		return ERR_PTR(-ENOMEM);
	}
	is_new = rx_inode_is_new(inode);
	if (is_new) {
		rx_apply_attrs(inode, attrs);
		rx_init_inode_ops(inode);
	}
	ops->fcb_found(ctx, rx_inode_fcb(inode), is_new);
	if (is_new)
		unlock_new_inode(inode);
	else
		rx_update_attrs(inode, attrs, true);
	return inode;
}

/* Cached attributes may be used: caching mode and within the timeout. */
bool rx_attrs_fresh(struct inode *inode)
{
	struct rx_fcb *fcb = rx_inode_fcb(inode);
	unsigned int timeout = rx_sb_net_root(inode->i_sb)->attr_timeout;

	return fcb->buffering != RX_BUFFERING_NONE && timeout &&
	       !READ_ONCE(fcb->attrs_stale) &&
	       time_before(jiffies, READ_ONCE(fcb->attr_time) + timeout);
}

/**
 * rx_invalidate_attrs - the server changed @inode's attributes (times,
 * link count) on our request: fetch them before they are trusted again
 * @inode: the inode
 *
 * Cheaper than fetching them at once: most are never looked at.
 */
void rx_invalidate_attrs(struct inode *inode)
{
	WRITE_ONCE(rx_inode_fcb(inode)->attrs_stale, true);
}

/**
 * rx_dir_changed_here - a namespace operation of ours changed @dir
 * @dir: the directory
 * @names_hold: the other names in @dir are still what they were
 *
 * Its attributes are fetched again before they are trusted.  With
 * @names_hold, while every change since the last fetch was ours and that
 * fetch is recent, the change they show is taken as ours: the names
 * already checked in @dir stay valid (rx_d_revalidate()).  A change
 * another client made between the last fetch and the next goes unnoticed
 * until its next change (9P returns no attributes from before an
 * operation to tell them apart).
 */
void rx_dir_changed_here(struct inode *dir, bool names_hold)
{
	struct rx_fcb *fcb = rx_inode_fcb(dir);
	unsigned int window = max_t(unsigned int, RX_NONE_NAMES_TTL,
				    rx_sb_net_root(dir->i_sb)->attr_timeout);

	spin_lock(&fcb->lock);
	/*
	 * Only while what was fetched last is recent, and every change
	 * since was ours: a change another client made before it would be
	 * taken for ours, for no longer than attributes are trusted anyway.
	 */
	fcb->own_change = names_hold &&
			  (fcb->own_change || !fcb->attrs_stale) &&
			  time_before(jiffies, fcb->attr_time + window);
	fcb->attrs_stale = true;
	spin_unlock(&fcb->lock);
}

/**
 * rx_refresh_inode - fetch the attributes of @inode from the server
 * @inode: the inode
 * @revalidate_cache: drop cached pages if the server's copy changed
 *
 * PASSIVE.
 */
int rx_refresh_inode(struct inode *inode, bool revalidate_cache)
{
	struct rx_minirdr *mr = rx_sb_minirdr(inode->i_sb);
	struct rx_fcb *fcb = rx_inode_fcb(inode);
	struct rx_attrs attrs = {};
	struct rx_context *ctx;
	int status;

	if (!mr->ops->query_info)
		return 0;
	ctx = rx_create_context(mr, RX_MJ_QUERY_INFORMATION, 0, GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->fcb = fcb;
	status = rx_context_view(ctx, inode->i_sb);
	if (status) {
		rx_dereference_context(ctx);
		return status;
	}
	ctx->info.query_info.attrs = &attrs;
	rx_prepare_call_down(ctx);
	status = mr->ops->query_info(ctx);
	rx_stats_done(ctx, RX_OP_GETATTR, status);
	rx_put_v_net_root(ctx->v_net_root);
	rx_dereference_context(ctx);
	if (status)
		return rx_status_to_errno(status);

	if ((attrs.mode & S_IFMT) != (inode->i_mode & S_IFMT)) {
		/* the name now refers to another kind of object */
		return -ESTALE;
	}
	rx_update_attrs(inode, &attrs, revalidate_cache);
	return 0;
}

/**
 * rx_lookup_attrs_unused - the lookup that made @dentry just fetched the
 * attributes a stat wants
 * @dentry: the dentry
 *
 * cache=none fetches attributes for every stat, but a stat of a name that
 * was not in the dcache would fetch them twice: in the lookup and in
 * getattr.  The first stat after the lookup, within a clock tick of it,
 * takes the lookup's answer instead.  Later ones ask the server, and so
 * does one after an open (which may write) or our own change
 * (attrs_stale).
 */
bool rx_lookup_attrs_unused(struct dentry *dentry)
{
	struct rx_fcb *fcb = rx_inode_fcb(d_inode(dentry));

	if (READ_ONCE(dentry->d_fsdata) != RX_D_LOOKUP_ATTRS ||
	    cmpxchg(&dentry->d_fsdata, RX_D_LOOKUP_ATTRS, NULL) !=
	    RX_D_LOOKUP_ATTRS)
		return false;
	return fcb->buffering == RX_BUFFERING_NONE &&
	       !READ_ONCE(fcb->attrs_stale) &&
	       time_before_eq(jiffies, READ_ONCE(fcb->attr_time) + 1);
}

int rx_getattr(struct rx_idmap *idmap, const struct path *path,
	       struct kstat *stat, u32 request_mask,
	       unsigned int query_flags)
{
	struct inode *inode = d_inode(path->dentry);
	bool from_lookup = rx_lookup_attrs_unused(path->dentry);
	int err;

	if ((query_flags & AT_STATX_FORCE_SYNC) ||
	    (!(query_flags & AT_STATX_DONT_SYNC) && !from_lookup &&
	     !rx_attrs_fresh(inode))) {
		rx_stats_event(rx_inode_stats(inode), RX_EV_ATTR_MISS);
		trace_rdbss_attr_revalidate(inode, false);
		err = rx_refresh_inode(inode, true);
		/*
		 * Open but gone from the server's namespace (unlinked, on a
		 * server that cannot stat it any more): what we know stands,
		 * with no links left, as on a local filesystem.
		 */
		if (err == -ENOENT && rx_fcb_open_in_use(rx_inode_fcb(inode))) {
			clear_nlink(inode);
			err = 0;
		}
		if (err)
			return err;
	} else {
		rx_stats_event(rx_inode_stats(inode), RX_EV_ATTR_HIT);
		trace_rdbss_attr_revalidate(inode, true);
	}
	rx_fillattr(idmap, request_mask, inode, stat);
	return 0;
}

int rx_setattr(struct rx_idmap *idmap, struct dentry *dentry,
	       struct iattr *iattr)
{
	struct inode *inode = d_inode(dentry);
	struct rx_minirdr *mr = rx_sb_minirdr(inode->i_sb);
	struct rx_context *ctx;
	int status;

	status = setattr_prepare(idmap, dentry, iattr);
	if (status)
		return status;
	if (!mr->ops->set_info)
		return -EOPNOTSUPP;
	if (iattr->ia_valid & ATTR_SIZE) {
		status = filemap_write_and_wait(inode->i_mapping);
		if (status)
			return status;
	}
	ctx = rx_create_context(mr, RX_MJ_SET_INFORMATION, 0, GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->fcb = rx_inode_fcb(inode);
	status = rx_context_view(ctx, inode->i_sb);
	if (status) {
		rx_dereference_context(ctx);
		return status;
	}
	ctx->info.set_info.iattr = iattr;
	rx_prepare_call_down(ctx);
	status = mr->ops->set_info(ctx);
	rx_stats_done(ctx, RX_OP_SETATTR, status);
	rx_put_v_net_root(ctx->v_net_root);
	rx_dereference_context(ctx);
	if (status)
		return rx_status_to_errno(status);

	if (iattr->ia_valid & ATTR_SIZE)
		truncate_setsize(inode, iattr->ia_size);
	setattr_copy(idmap, inode, iattr);
	/* what the server made of it (ctime, rounding) is fetched on demand */
	rx_invalidate_attrs(inode);
	return 0;
}

/* Symlink targets are read from the server on every walk. */
static const char *rx_get_link(struct dentry *dentry, struct inode *inode,
			       struct delayed_call *done)
{
	struct rx_minirdr *mr = rx_sb_minirdr(inode->i_sb);
	struct rx_context *ctx;
	char *buf;
	int status;

	if (!dentry)
		return ERR_PTR(-ECHILD);
	if (!mr->ops->readlink)
		return ERR_PTR(-EOPNOTSUPP);
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	ctx = rx_create_context(mr, RX_MJ_CREATE, RX_MN_READLINK, GFP_KERNEL);
	if (!ctx) {
		kfree(buf);
		return ERR_PTR(-ENOMEM);
	}
	ctx->fcb = rx_inode_fcb(inode);
	status = rx_context_view(ctx, inode->i_sb);
	if (status) {
		rx_dereference_context(ctx);
		kfree(buf);
		return ERR_PTR(status);
	}
	ctx->info.readlink.buf = buf;
	ctx->info.readlink.size = PATH_MAX - 1;
	rx_prepare_call_down(ctx);
	status = mr->ops->readlink(ctx);
	rx_stats_done(ctx, RX_OP_READLINK, status);
	if (!status && (ctx->information <= 0 ||
			ctx->information > PATH_MAX - 1 ||
			memchr(buf, '\0', ctx->information)))
		status = -EIO;	/* empty, oversized or embedded NUL */
	if (!status)
		buf[ctx->information] = '\0';
	rx_put_v_net_root(ctx->v_net_root);
	rx_dereference_context(ctx);
	if (status) {
		kfree(buf);
		return ERR_PTR(rx_status_to_errno(status));
	}
	set_delayed_call(done, kfree_link, buf);
	return buf;
}

const struct inode_operations rx_symlink_inode_ops = {
	.get_link	= rx_get_link,
	.getattr	= rx_getattr,
	.setattr	= rx_setattr,
	.listxattr	= rx_listxattr,
};

const struct inode_operations rx_file_inode_ops = {
	.getattr	= rx_getattr,
	.setattr	= rx_setattr,
	.listxattr	= rx_listxattr,
};

const struct inode_operations rx_special_inode_ops = {
	.getattr	= rx_getattr,
	.setattr	= rx_setattr,
	.listxattr	= rx_listxattr,
};
