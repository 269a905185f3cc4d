// SPDX-License-Identifier: GPL-2.0
/*
 * Extended attributes through the mini-redirector's query_ea / set_ea
 * (MRxQueryEaInfo / MRxSetEaInfo).  One handler takes every name: the
 * server decides which namespaces it keeps.
 */
#include <linux/xattr.h>
#include "internal.h"

static struct rx_context *rx_ea_context(struct inode *inode, u8 major)
{
	struct rx_context *ctx;

	int err;

	ctx = rx_create_context(rx_sb_minirdr(inode->i_sb), major, 0,
				GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->fcb = rx_inode_fcb(inode);
	err = rx_context_view(ctx, inode->i_sb);
	if (err) {
		rx_dereference_context(ctx);
		return ERR_PTR(err);
	}
	rx_prepare_call_down(ctx);
	return ctx;
}

static void rx_ea_done(struct rx_context *ctx)
{
	rx_put_v_net_root(ctx->v_net_root);
	rx_dereference_context(ctx);
}

/* Get a value (@name) or the list of names (@name NULL). */
static ssize_t rx_query_ea(struct inode *inode, const char *name, void *buf,
			   size_t size)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(inode->i_sb)->ops;
	struct rx_context *ctx;
	ssize_t ret;
	int status;

	if (!ops->query_ea)
		return -EOPNOTSUPP;
	ctx = rx_ea_context(inode, RX_MJ_QUERY_INFORMATION);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ctx->info.ea.name = name;
	ctx->info.ea.value = buf;
	ctx->info.ea.size = size;
	status = ops->query_ea(ctx);
	rx_stats_done(ctx, RX_OP_GETXATTR, status);
	ret = status ? rx_status_to_errno(status) : ctx->information;
	/* a mini-redirector must not claim more than the buffer held */
	if (ret > 0 && size && ret > size)
		ret = -ERANGE;
	if (ret > XATTR_SIZE_MAX)
		ret = -E2BIG;
	rx_ea_done(ctx);
	return ret;
}

static int rx_xattr_get(const struct xattr_handler *handler,
			struct dentry *dentry, struct inode *inode,
			const char *name, void *buffer, size_t size)
{
	return rx_query_ea(inode, name, buffer, size);
}

static int rx_xattr_set(const struct xattr_handler *handler,
			struct rx_idmap *idmap, struct dentry *dentry,
			struct inode *inode, const char *name,
			const void *value, size_t size, int flags)
{
	const struct rx_minirdr_ops *ops = rx_sb_minirdr(inode->i_sb)->ops;
	struct rx_context *ctx;
	int status;

	if (!ops->set_ea)
		return -EOPNOTSUPP;
	ctx = rx_ea_context(inode, RX_MJ_SET_INFORMATION);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	ctx->info.ea.name = name;
	ctx->info.ea.value = (void *)value;
	ctx->info.ea.size = size;
	ctx->info.ea.flags = flags;
	status = ops->set_ea(ctx);
	rx_stats_done(ctx, RX_OP_SETXATTR, status);
	rx_ea_done(ctx);
	if (!status)
		rx_invalidate_attrs(inode);	/* ctime, S_NOSEC */
	return rx_status_to_errno(status);
}

ssize_t rx_listxattr(struct dentry *dentry, char *buf, size_t size)
{
	return rx_query_ea(d_inode(dentry), NULL, buf, size);
}

static const struct xattr_handler rx_xattr_handler = {
	.prefix	= "",
	.get	= rx_xattr_get,
	.set	= rx_xattr_set,
};

const struct xattr_handler *rx_xattr_handlers[] = {
	&rx_xattr_handler,
	NULL,
};
