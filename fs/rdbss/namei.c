// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace: lookup, create, mkdir, mknod, symlink, link, unlink,
 * rmdir and rename, each one rx_context down to the mini-redirector
 * (RX_MJ_CREATE and its minor codes), and the dentry operations.
 */
#include <linux/namei.h>
#include <linux/slab.h>
#include "internal.h"
#include "trace.h"

static struct rx_context *rx_name_context(struct inode *dir, u8 minor,
					  const struct qstr *name,
					  struct rx_attrs *attrs)
{
	struct rx_minirdr *mr = rx_sb_minirdr(dir->i_sb);
	struct rx_context *ctx;

	int err;

	ctx = rx_create_context(mr, RX_MJ_CREATE, minor, GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->fcb = rx_inode_fcb(dir);
	err = rx_context_view(ctx, dir->i_sb);
	if (err) {
		rx_dereference_context(ctx);
		return ERR_PTR(err);
	}
	ctx->info.create.parent = rx_inode_fcb(dir);
	ctx->info.create.name = *name;
	ctx->info.create.attrs = attrs;
	rx_prepare_call_down(ctx);
	return ctx;
}

/* Count a namespace call down: its minor code names the operation. */
static void rx_name_done(struct rx_context *ctx, int status)
{
	static const u8 op_of[] = {
		[RX_MN_LOOKUP] = RX_OP_LOOKUP,	[RX_MN_OPEN] = RX_OP_OPEN,
		[RX_MN_CREATE_FILE] = RX_OP_CREATE, [RX_MN_MKDIR] = RX_OP_MKDIR,
		[RX_MN_UNLINK] = RX_OP_UNLINK,	[RX_MN_RMDIR] = RX_OP_RMDIR,
		[RX_MN_RENAME] = RX_OP_RENAME,	[RX_MN_LINK] = RX_OP_LINK,
		[RX_MN_SYMLINK] = RX_OP_SYMLINK, [RX_MN_MKNOD] = RX_OP_MKNOD,
		[RX_MN_READLINK] = RX_OP_READLINK,
	};

	if (ctx->minor < ARRAY_SIZE(op_of))
		rx_stats_done(ctx, op_of[ctx->minor], status);
}

static void rx_put_name_context(struct rx_context *ctx)
{
	rx_put_v_net_root(ctx->v_net_root);
	rx_dereference_context(ctx);
}

/* Look @name up in @dir on the server and return its inode. */
static struct inode *rx_lookup_inode(struct inode *dir, const struct qstr *name)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(dir->i_sb)->ops;
	struct rx_attrs attrs = {};
	struct rx_context *ctx;
	struct inode *inode;
	int status;

	ctx = rx_name_context(dir, RX_MN_LOOKUP, name, &attrs);
	if (IS_ERR(ctx))
		return ERR_CAST(ctx);
	status = ops->lookup(ctx);
	rx_name_done(ctx, status);
	if (status)
		inode = ERR_PTR(rx_status_to_errno(status));
	else
		inode = rx_iget(dir->i_sb, ctx, &attrs);
	rx_put_name_context(ctx);
	return inode;
}

/*
 * What a directory looked like when one of its names was last checked:
 * a dentry stays valid while its parent's stamp is unchanged.
 */
static unsigned long rx_dir_stamp(struct inode *dir)
{
	struct rx_fcb *fcb = rx_inode_fcb(dir);
	unsigned long stamp;

	spin_lock(&fcb->lock);
	stamp = rx_fcb_stamp_locked(fcb);
	spin_unlock(&fcb->lock);
	return stamp;
}

/*
 * A name checked under stamp *@stamp is still good: @dir changed since
 * only by our own operations (rx_dir_changed_here()).  *@stamp becomes
 * the directory's current stamp.
 */
static bool rx_names_carried(struct inode *dir, unsigned long *stamp)
{
	struct rx_fcb *fcb = rx_inode_fcb(dir);
	bool carried;

	spin_lock(&fcb->lock);
	carried = fcb->names_carry && *stamp == fcb->names_from &&
		  rx_fcb_stamp_locked(fcb) == fcb->names_to;
	if (carried)
		*stamp = fcb->names_to;
	spin_unlock(&fcb->lock);
	return carried;
}

static struct dentry *rx_lookup(struct inode *dir, struct dentry *dentry,
				unsigned int flags)
{
	struct inode *inode;

	if (dentry->d_name.len > RX_MAX_NAME)
		return ERR_PTR(-ENAMETOOLONG);
	dentry->d_time = rx_dir_stamp(dir);
	inode = rx_lookup_inode(dir, &dentry->d_name);
	if (inode == ERR_PTR(-ENOENT))
		inode = NULL;
	if (!IS_ERR_OR_NULL(inode) &&
	    rx_sb_net_root(dir->i_sb)->buffering == RX_BUFFERING_NONE)
		dentry->d_fsdata = RX_D_LOOKUP_ATTRS;	/* not yet visible */
	return d_splice_alias(inode, dentry);
}

/* Run a namespace operation that needs no inode back. */
static int rx_name_op(struct inode *dir, struct dentry *dentry, u8 minor,
		      umode_t mode, int (*op)(struct rx_context *ctx))
{
	struct rx_context *ctx;
	int status;

	if (!op)
		return -EOPNOTSUPP;
	ctx = rx_name_context(dir, minor, &dentry->d_name, NULL);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ctx->info.create.mode = mode;
	status = op(ctx);
	rx_name_done(ctx, status);
	rx_put_name_context(ctx);
	return rx_status_to_errno(status);
}

/* After a create on the server: find the new object and bind it. */
static int rx_instantiate(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode;

	dentry->d_time = rx_dir_stamp(dir);
	inode = rx_lookup_inode(dir, &dentry->d_name);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	d_instantiate(dentry, inode);
	return 0;
}

/*
 * A mini-redirector that can describe the new file at once fills
 * info.create.attrs (mode set) and leaves its state for fcb_found(), as a
 * lookup does: that saves looking the name up again.
 */
static int rx_create(struct rx_idmap *idmap, struct inode *dir,
		     struct dentry *dentry, umode_t mode, bool excl)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(dir->i_sb)->ops;
	struct rx_attrs attrs = {};
	struct rx_context *ctx;
	struct inode *inode;
	int status;

	if (!ops->create)
		return -EOPNOTSUPP;
	ctx = rx_name_context(dir, RX_MN_CREATE_FILE, &dentry->d_name, &attrs);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ctx->info.create.mode = mode;
	status = ops->create(ctx);
	rx_name_done(ctx, status);
	inode = NULL;
	if (!status && attrs.mode)
		inode = rx_iget(dir->i_sb, ctx, &attrs);
	rx_put_name_context(ctx);
	status = rx_status_to_errno(status);
	if (status == -EEXIST && !excl) {
		/*
		 * Another client made the name since our negative lookup: a
		 * plain O_CREAT opens that file, so have the VFS look the
		 * name up again (do_filp_open() retries on ESTALE).
		 */
		d_drop(dentry);
		return -ESTALE;
	}
	if (status)
		return status;
	rx_dir_changed_here(dir, true);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	if (inode) {
		d_instantiate(dentry, inode);
	} else {
		status = rx_instantiate(dir, dentry);
		if (status)
			return status;
		inode = d_inode(dentry);
	}
	/*
	 * A file we just made (the create is exclusive) has no
	 * security.capability: its first write need not ask the server
	 * (SB_NOSEC; a remote change clears it).
	 */
	inode_has_no_xattr(inode);
	return 0;
}

static int rx_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(dir->i_sb)->ops;
	int err;

	err = rx_name_op(dir, dentry, RX_MN_MKDIR, mode | S_IFDIR, ops->mkdir);
	if (err)
		return err;
	rx_dir_changed_here(dir, true);
	return rx_instantiate(dir, dentry);
}

RX_MKDIR(rx_mkdir)

static int rx_remove(struct inode *dir, struct dentry *dentry, u8 minor)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(dir->i_sb)->ops;
	struct inode *inode = d_inode(dentry);
	int err;

	/* an unlinked file's space is freed when the server closes it */
	rx_scavenge_fcb(rx_inode_fcb(inode));
	err = rx_name_op(dir, dentry, minor, 0, ops->unlink);
	if (err)
		return err;
	if (minor == RX_MN_RMDIR)
		clear_nlink(inode);
	else
		drop_nlink(inode);
	/* one closed while the unlink was on the wire */
	rx_scavenge_fcb(rx_inode_fcb(inode));
	rx_invalidate_attrs(inode);
	/*
	 * A file with names left may be known to the server by the one just
	 * removed (path-based fids): its other names are looked up again.
	 */
	rx_dir_changed_here(dir, !inode->i_nlink);
	return 0;
}

static int rx_unlink(struct inode *dir, struct dentry *dentry)
{
	return rx_remove(dir, dentry, RX_MN_UNLINK);
}

static int rx_rmdir(struct inode *dir, struct dentry *dentry)
{
	return rx_remove(dir, dentry, RX_MN_RMDIR);
}

/*
 * Whether @dir's names can be checked against its stamp without fetching
 * its attributes first: while they are fresh, and with cache=none (which
 * caches no attributes) for RX_NONE_NAMES_TTL after they were fetched, so
 * that a path walk does not stat every directory on the way.  cache=none
 * keeps only dentries in use, and checks those at most this late.
 */
static bool rx_names_fresh(struct inode *dir)
{
	struct rx_fcb *fcb = rx_inode_fcb(dir);

	if (fcb->buffering != RX_BUFFERING_NONE)
		return rx_attrs_fresh(dir);
	return !READ_ONCE(fcb->attrs_stale) &&
	       time_before(jiffies, READ_ONCE(fcb->attr_time) +
			   RX_NONE_NAMES_TTL);
}

/*
 * Close-to-open for names: a name is trusted while its directory's stamp
 * is what it was when the name was checked, or when only our own
 * operations changed it since (rx_names_carried(), positive names only);
 * otherwise a negative dentry is looked up again and a positive one is
 * checked against the server (the same object still behind the name).
 * Uncached mounts keep no unused dentries at all (rx_d_delete).
 */
static int rx_d_revalidate(struct dentry *dentry, unsigned int flags)
{
	struct dentry *parent;
	struct inode *dir, *inode, *found;
	unsigned long stamp;
	int valid;

	if (flags & LOOKUP_RCU) {
		parent = READ_ONCE(dentry->d_parent);
		dir = d_inode_rcu(parent);
		if (!dir || !rx_names_fresh(dir) ||
		    dentry->d_time != rx_dir_stamp(dir))
			return -ECHILD;
		return 1;
	}
	parent = dget_parent(dentry);
	dir = d_inode(parent);
	valid = 1;
	if (!rx_names_fresh(dir) && rx_refresh_inode(dir, false))
		valid = 0;
	if (valid && dentry->d_time == rx_dir_stamp(dir))
		goto out;
	inode = d_inode(dentry);
	/* a negative one may hide a name another client made meanwhile */
	stamp = dentry->d_time;
	if (valid && inode && rx_names_carried(dir, &stamp)) {
		dentry->d_time = stamp;
		goto out;
	}
	valid = 0;
	if (!inode)
		goto out;
	stamp = rx_dir_stamp(dir);
	found = rx_lookup_inode(dir, &dentry->d_name);
	if (!IS_ERR(found)) {
		valid = found == inode;
		iput(found);
	}
	if (valid)
		dentry->d_time = stamp;
out:
	rx_stats_event(rx_inode_stats(dir), valid ? RX_EV_DENTRY_KEPT :
		       RX_EV_DENTRY_DROPPED);
	trace_rdbss_dentry_revalidate(dir, d_really_is_positive(dentry), valid);
	dput(parent);
	return valid;
}

RX_D_REVALIDATE(rx_d_revalidate)

static int rx_d_delete(const struct dentry *dentry)
{
	return rx_sb_net_root(dentry->d_sb)->buffering == RX_BUFFERING_NONE;
}

const struct dentry_operations rx_dentry_ops = {
	.d_revalidate	= rx_d_revalidate_method,
	.d_delete	= rx_d_delete,
};

static int rx_mknod(struct rx_idmap *idmap, struct inode *dir,
		    struct dentry *dentry, umode_t mode, dev_t rdev)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(dir->i_sb)->ops;
	struct rx_context *ctx;
	int status;

	if (!ops->mknod)
		return -EOPNOTSUPP;
	ctx = rx_name_context(dir, RX_MN_MKNOD, &dentry->d_name, NULL);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ctx->info.create.mode = mode;
	ctx->info.create.rdev = rdev;
	status = ops->mknod(ctx);
	rx_name_done(ctx, status);
	rx_put_name_context(ctx);
	if (status)
		return rx_status_to_errno(status);
	rx_dir_changed_here(dir, true);
	return rx_instantiate(dir, dentry);
}

static int rx_symlink(struct rx_idmap *idmap, struct inode *dir,
		      struct dentry *dentry, const char *target)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(dir->i_sb)->ops;
	struct rx_context *ctx;
	int status;

	if (!ops->symlink)
		return -EOPNOTSUPP;
	ctx = rx_name_context(dir, RX_MN_SYMLINK, &dentry->d_name, NULL);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ctx->info.create.symlink = target;
	ctx->info.create.mode = S_IFLNK | 0777;
	status = ops->symlink(ctx);
	rx_name_done(ctx, status);
	rx_put_name_context(ctx);
	if (status)
		return rx_status_to_errno(status);
	rx_dir_changed_here(dir, true);
	return rx_instantiate(dir, dentry);
}

static int rx_link(struct dentry *old, struct inode *dir,
		   struct dentry *dentry)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(dir->i_sb)->ops;
	struct inode *inode = d_inode(old);
	struct rx_context *ctx;
	int status;

	if (!ops->link)
		return -EOPNOTSUPP;
	ctx = rx_name_context(dir, RX_MN_LINK, &dentry->d_name, NULL);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ctx->info.create.target = rx_inode_fcb(inode);
	status = ops->link(ctx);
	rx_name_done(ctx, status);
	rx_put_name_context(ctx);
	if (status)
		return rx_status_to_errno(status);
	rx_dir_changed_here(dir, true);
	rx_invalidate_attrs(inode);
	ihold(inode);
	d_instantiate(dentry, inode);
	return 0;
}

static int rx_rename(struct rx_idmap *idmap, struct inode *old_dir,
		     struct dentry *old_dentry, struct inode *new_dir,
		     struct dentry *new_dentry, unsigned int flags)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(old_dir->i_sb)->ops;
	struct inode *target = d_inode(new_dentry);
	struct rx_context *ctx;
	int status;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	if (!ops->rename)
		return -EOPNOTSUPP;
	/* a server whose fids name paths loses an open across a rename */
	rx_scavenge_fcb(rx_inode_fcb(d_inode(old_dentry)));
	if (target)
		rx_scavenge_fcb(rx_inode_fcb(target));
	ctx = rx_name_context(old_dir, RX_MN_RENAME, &old_dentry->d_name, NULL);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ctx->info.rename.fcb = rx_inode_fcb(d_inode(old_dentry));
	ctx->info.rename.target = target ? rx_inode_fcb(target) : NULL;
	ctx->info.rename.old_parent = rx_inode_fcb(old_dir);
	ctx->info.rename.old_name = old_dentry->d_name;
	ctx->info.rename.new_parent = rx_inode_fcb(new_dir);
	ctx->info.rename.new_name = new_dentry->d_name;
	ctx->info.rename.flags = flags;
	status = ops->rename(ctx);
	rx_name_done(ctx, status);
	rx_put_name_context(ctx);
	if (status)
		return rx_status_to_errno(status);
	if (target) {
		if (S_ISDIR(target->i_mode))
			clear_nlink(target);
		else
			drop_nlink(target);
	}
	/*
	 * A close during the rename (->release takes no i_rwsem) may have
	 * made either file dormant again: the source under its old path,
	 * the target while it still had its name.
	 */
	rx_scavenge_fcb(rx_inode_fcb(d_inode(old_dentry)));
	if (target)
		rx_scavenge_fcb(rx_inode_fcb(target));
	rx_invalidate_attrs(d_inode(old_dentry));
	rx_dir_changed_here(old_dir, true);
	if (new_dir != old_dir)
		rx_dir_changed_here(new_dir, true);
	return 0;
}

const struct inode_operations rx_dir_inode_ops = {
	.lookup		= rx_lookup,
	.create		= rx_create,
	.mkdir		= rx_mkdir_method,
	.mknod		= rx_mknod,
	.symlink	= rx_symlink,
	.link		= rx_link,
	.unlink		= rx_unlink,
	.rmdir		= rx_rmdir,
	.rename		= rx_rename,
	.getattr	= rx_getattr,
	.setattr	= rx_setattr,
	.listxattr	= rx_listxattr,
};
