// SPDX-License-Identifier: GPL-2.0
/*
 * Inodes (FCBs) and the namespace: lookup, create, mkdir, unlink, rmdir,
 * getattr, setattr.  Every operation reaches the mini-redirector through
 * an rx_context.
 */
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include "internal.h"

void rx_inode_init_once(void *obj)
{
	struct rx_inode *ri = obj;

	inode_init_once(&ri->vfs_inode);
}

/* Apply server attributes to the inode. */
void rx_apply_attrs(struct inode *inode, const struct rx_attrs *attrs)
{
	struct rx_fcb *fcb = rx_inode_fcb(inode);

	inode->i_mode = attrs->mode;
	i_uid_write(inode, attrs->uid);
	i_gid_write(inode, attrs->gid);
	set_nlink(inode, min_t(u64, attrs->nlink, UINT_MAX));
	rx_inode_set_times(inode, attrs->atime, attrs->mtime, attrs->ctime);
	i_size_write(inode, min_t(u64, attrs->size, MAX_LFS_FILESIZE));
	inode->i_blocks = attrs->blocks;
	if (S_ISCHR(attrs->mode) || S_ISBLK(attrs->mode))
		inode->i_rdev = new_decode_dev(attrs->rdev);
	spin_lock(&fcb->lock);
	fcb->change = attrs->change;
	fcb->mtime_seen = attrs->mtime;
	fcb->size_seen = attrs->size;
	fcb->attr_time = jiffies;
	spin_unlock(&fcb->lock);
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
	default:
		inode->i_op = &rx_special_inode_ops;
		init_special_inode(inode, inode->i_mode, inode->i_rdev);
		break;
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

	if (!(attrs->mode & S_IFMT)) {
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
		rx_apply_attrs(inode, attrs);
	return inode;
}

static struct rx_context *rx_name_context(struct inode *dir, u8 minor,
					  const struct qstr *name,
					  struct rx_attrs *attrs)
{
	struct rx_minirdr *mr = rx_sb_minirdr(dir->i_sb);
	struct rx_context *ctx;

	ctx = rx_create_context(mr, RX_MJ_CREATE, minor, GFP_KERNEL);
	if (!ctx)
		return NULL;
	ctx->fcb = rx_inode_fcb(dir);
	ctx->v_net_root = rx_get_v_net_root(rx_sb_net_root(dir->i_sb));
	ctx->info.create.parent = rx_inode_fcb(dir);
	ctx->info.create.name = *name;
	ctx->info.create.attrs = attrs;
	rx_prepare_call_down(ctx);
	return ctx;
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
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	status = ops->lookup(ctx);
	if (status)
		inode = ERR_PTR(rx_status_to_errno(status));
	else
		inode = rx_iget(dir->i_sb, ctx, &attrs);
	rx_put_name_context(ctx);
	return inode;
}

static struct dentry *rx_lookup(struct inode *dir, struct dentry *dentry,
				unsigned int flags)
{
	struct inode *inode;

	if (dentry->d_name.len > RX_MAX_NAME)
		return ERR_PTR(-ENAMETOOLONG);
	inode = rx_lookup_inode(dir, &dentry->d_name);
	if (inode == ERR_PTR(-ENOENT))
		inode = NULL;
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
	if (!ctx)
		return -ENOMEM;
	ctx->info.create.mode = mode;
	status = op(ctx);
	rx_put_name_context(ctx);
	return rx_status_to_errno(status);
}

/* After a create on the server: find the new object and bind it. */
static int rx_instantiate(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode;

	inode = rx_lookup_inode(dir, &dentry->d_name);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	d_instantiate(dentry, inode);
	return 0;
}

static int rx_create(struct rx_idmap *idmap, struct inode *dir,
		     struct dentry *dentry, umode_t mode, bool excl)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(dir->i_sb)->ops;
	int err;

	err = rx_name_op(dir, dentry, RX_MN_CREATE_FILE, mode, ops->create);
	if (err)
		return err;
	rx_refresh_inode(dir, false);
	return rx_instantiate(dir, dentry);
}

static int rx_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(dir->i_sb)->ops;
	int err;

	err = rx_name_op(dir, dentry, RX_MN_MKDIR, mode | S_IFDIR, ops->mkdir);
	if (err)
		return err;
	rx_refresh_inode(dir, false);
	return rx_instantiate(dir, dentry);
}
RX_MKDIR(rx_mkdir)

static int rx_remove(struct inode *dir, struct dentry *dentry, u8 minor)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(dir->i_sb)->ops;
	struct inode *inode = d_inode(dentry);
	int err;

	err = rx_name_op(dir, dentry, minor, 0, ops->unlink);
	if (err)
		return err;
	if (minor == RX_MN_RMDIR)
		clear_nlink(inode);
	else
		drop_nlink(inode);
	rx_refresh_inode(dir, false);
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
	bool changed;
	int status;

	if (!mr->ops->query_info)
		return 0;
	ctx = rx_create_context(mr, RX_MJ_QUERY_INFORMATION, 0, GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->fcb = fcb;
	ctx->v_net_root = rx_get_v_net_root(rx_sb_net_root(inode->i_sb));
	ctx->info.query_info.attrs = &attrs;
	rx_prepare_call_down(ctx);
	status = mr->ops->query_info(ctx);
	rx_put_v_net_root(ctx->v_net_root);
	rx_dereference_context(ctx);
	if (status)
		return rx_status_to_errno(status);

	if ((attrs.mode & S_IFMT) != (inode->i_mode & S_IFMT)) {
		/* the name now refers to another kind of object */
		return -ESTALE;
	}
	spin_lock(&fcb->lock);
	changed = attrs.change != fcb->change || attrs.size != fcb->size_seen ||
		  !timespec64_equal(&attrs.mtime, &fcb->mtime_seen);
	spin_unlock(&fcb->lock);
	rx_apply_attrs(inode, &attrs);
	if (changed && revalidate_cache && S_ISREG(inode->i_mode))
		invalidate_inode_pages2(inode->i_mapping);
	return 0;
}

static int rx_getattr(struct rx_idmap *idmap, const struct path *path,
		      struct kstat *stat, u32 request_mask,
		      unsigned int query_flags)
{
	struct inode *inode = d_inode(path->dentry);
	int err;

	if (!(query_flags & AT_STATX_DONT_SYNC)) {
		err = rx_refresh_inode(inode, false);
		if (err)
			return err;
	}
	rx_fillattr(idmap, request_mask, inode, stat);
	return 0;
}

static int rx_setattr(struct rx_idmap *idmap, struct dentry *dentry,
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
	ctx->v_net_root = rx_get_v_net_root(rx_sb_net_root(inode->i_sb));
	ctx->info.set_info.iattr = iattr;
	rx_prepare_call_down(ctx);
	status = mr->ops->set_info(ctx);
	rx_put_v_net_root(ctx->v_net_root);
	rx_dereference_context(ctx);
	if (status)
		return rx_status_to_errno(status);

	if (iattr->ia_valid & ATTR_SIZE)
		truncate_setsize(inode, iattr->ia_size);
	setattr_copy(idmap, inode, iattr);
	/* pick up what the server made of it (times, size) */
	rx_refresh_inode(inode, false);
	return 0;
}

/*
 * Dentries: negative ones are looked up again (the server's namespace
 * changes under us); positive ones are checked by getattr and open.
 */
static int rx_d_revalidate(struct dentry *dentry, unsigned int flags)
{
	return d_really_is_positive(dentry) ? 1 : 0;
}
RX_D_REVALIDATE(rx_d_revalidate)

const struct dentry_operations rx_dentry_ops = {
	.d_revalidate	= rx_d_revalidate_method,
};

const struct inode_operations rx_dir_inode_ops = {
	.lookup		= rx_lookup,
	.create		= rx_create,
	.mkdir		= rx_mkdir_method,
	.unlink		= rx_unlink,
	.rmdir		= rx_rmdir,
	.getattr	= rx_getattr,
	.setattr	= rx_setattr,
};

const struct inode_operations rx_file_inode_ops = {
	.getattr	= rx_getattr,
	.setattr	= rx_setattr,
};

const struct inode_operations rx_special_inode_ops = {
	.getattr	= rx_getattr,
	.setattr	= rx_setattr,
};
