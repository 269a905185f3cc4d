// SPDX-License-Identifier: GPL-2.0
/*
 * The rxloop dispatch table: connection, names, opens and metadata served
 * synchronously from the store; low I/O in lowio.c and locks.c.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/limits.h>
#include <linux/statfs.h>
#include <linux/string.h>
#include "rxloop.h"

static struct rxloop_server *ctx_server(struct rx_context *ctx)
{
	struct rxloop_mount *mnt = rxloop_ctx_mount(ctx);

	return mnt ? mnt->srv : NULL;
}

/* ---- connection ---- */

static int rxloop_create_srv_call(struct rx_srv_call *sc, void *opts,
				  struct fs_context *fc)
{
	struct rxloop_opts *o = opts;
	struct rxloop_server *srv;

	srv = rxloop_server_create(o->size);
	if (IS_ERR(srv))
		return PTR_ERR(srv);
	((struct rxloop_srv_call *)sc->ext)->srv = srv;
	return 0;
}

/* Pending operations keep the server (not the srv_call) until they end. */
static void rxloop_finalize_srv_call(struct rx_srv_call *sc)
{
	struct rxloop_srv_call *x = sc->ext;

	if (x->srv)
		rxloop_server_put(x->srv);
	x->srv = NULL;
}

/*
 * The net_root has no hook of its own: its first v_net_root sets it up,
 * before the framework makes it visible.  Nothing in it needs freeing.
 */
static int rxloop_create_v_net_root(struct rx_v_net_root *vnr,
				    struct fs_context *fc)
{
	struct rx_net_root *nr = vnr->net_root;
	struct rxloop_mount *mnt = nr->ext;
	const struct rxloop_opts *o = nr->opts;

	if (mnt->srv)
		return 0;
	mnt->srv = rxloop_sc_server(nr->srv_call);
	mnt->net_root = nr;
	mnt->opts = o;
	nr->max_read = o->max_io;
	nr->max_write = o->max_io;
	nr->buffering = o->cache;
	nr->attr_timeout = msecs_to_jiffies(o->attr_timeout_ms);
	nr->close_delay = msecs_to_jiffies(o->close_delay_ms);
	return 0;
}

/* ---- names ---- */

static struct rxloop_node *ctx_node(struct rx_context *ctx)
{
	return rxloop_ctx_node(ctx);
}

static struct rxloop_node *parent_node(struct rx_context *ctx)
{
	struct rx_fcb *parent = ctx->info.create.parent;

	return parent ? rxloop_fcb_node(parent) : NULL;
}

static int rxloop_lookup_op(struct rx_context *ctx)
{
	struct rxloop_server *srv = ctx_server(ctx);
	struct rxloop_node *dir, *node;
	int err;

	if (!srv)
		return -EIO;
	if (!ctx->info.create.parent) {
		node = rxloop_node_get(srv->root);
	} else {
		dir = parent_node(ctx);
		if (!dir)
			return -ESTALE;
		err = rxloop_lookup(srv, dir, &ctx->info.create.name, &node);
		if (err)
			return err;
	}
	if (ctx->info.create.attrs)
		rxloop_node_attrs(node, ctx->info.create.attrs);
	/* handed to fcb_found(), which keeps or drops the reference */
	ctx->mrx_context[0] = node;
	return 0;
}

static void rxloop_fcb_found(struct rx_context *ctx, struct rx_fcb *fcb,
			     bool is_new)
{
	struct rxloop_node *node = ctx->mrx_context[0];
	struct rxloop_fcb *f = fcb ? fcb->ext : NULL;

	ctx->mrx_context[0] = NULL;
	/* an inode made from a create's attributes: find it by number */
	if (!node && f && is_new && ctx->major == RX_MJ_CREATE &&
	    ctx->info.create.attrs && ctx_server(ctx))
		node = rxloop_node_find(ctx_server(ctx),
					ctx->info.create.attrs->ino);
	if (f && is_new && !f->node) {
		f->node = node;
		return;
	}
	rxloop_node_put(node);
}

static void rxloop_deallocate_fcb(struct rx_fcb *fcb)
{
	struct rxloop_fcb *f = fcb->ext;

	rxloop_node_put(f->node);
	f->node = NULL;
}

/* After a create: attributes of the new name, if the caller wants them. */
static int rxloop_made(struct rx_context *ctx, int err)
{
	struct rxloop_node *node;

	if (err || !ctx->info.create.attrs)
		return err;
	err = rxloop_lookup(ctx_server(ctx), parent_node(ctx),
			    &ctx->info.create.name, &node);
	if (err)
		return err;
	rxloop_node_attrs(node, ctx->info.create.attrs);
	rxloop_node_put(node);
	return 0;
}

static int rxloop_make_op(struct rx_context *ctx, umode_t mode, dev_t rdev,
			  const char *symlink)
{
	struct rxloop_server *srv = ctx_server(ctx);
	struct rxloop_node *dir = parent_node(ctx);
	struct rxloop_new nw = {
		.mode = mode,
		.rdev = rdev,
		.symlink = symlink,
		.uid = from_kuid(&init_user_ns, current_fsuid()),
		.gid = from_kgid(&init_user_ns, current_fsgid()),
	};

	if (!srv || !dir)
		return -ESTALE;
	return rxloop_made(ctx, rxloop_make(srv, dir, &ctx->info.create.name,
					    &nw));
}

static int rxloop_create_op(struct rx_context *ctx)
{
	return rxloop_make_op(ctx, S_IFREG | (ctx->info.create.mode & 07777),
			      0, NULL);
}

static int rxloop_mkdir_op(struct rx_context *ctx)
{
	return rxloop_make_op(ctx, S_IFDIR | (ctx->info.create.mode & 07777),
			      0, NULL);
}

static int rxloop_mknod_op(struct rx_context *ctx)
{
	umode_t mode = ctx->info.create.mode;

	switch (mode & S_IFMT) {
	case S_IFCHR:
	case S_IFBLK:
		return rxloop_make_op(ctx, mode & (S_IFMT | 07777),
				      ctx->info.create.rdev, NULL);
	case S_IFREG:
	case S_IFIFO:
	case S_IFSOCK:
		return rxloop_make_op(ctx, mode & (S_IFMT | 07777), 0, NULL);
	default:
		return -EINVAL;
	}
}

static int rxloop_symlink_op(struct rx_context *ctx)
{
	const char *target = ctx->info.create.symlink;
	size_t len;

	if (!target)
		return -EINVAL;
	len = strnlen(target, PATH_MAX);
	if (!len)
		return -ENOENT;
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	return rxloop_make_op(ctx, S_IFLNK | 0777, 0, target);
}

static int rxloop_link_op(struct rx_context *ctx)
{
	struct rxloop_server *srv = ctx_server(ctx);
	struct rxloop_node *dir = parent_node(ctx);
	struct rxloop_node *target = NULL;

	if (ctx->info.create.target)
		target = rxloop_fcb_node(ctx->info.create.target);
	if (!srv || !dir || !target)
		return -ESTALE;
	return rxloop_made(ctx, rxloop_link(srv, dir, &ctx->info.create.name,
					    target));
}

static int rxloop_unlink_op(struct rx_context *ctx)
{
	struct rxloop_server *srv = ctx_server(ctx);
	struct rxloop_node *dir = parent_node(ctx);

	if (!srv || !dir)
		return -ESTALE;
	return rxloop_remove(srv, dir, &ctx->info.create.name,
			     ctx->minor == RX_MN_RMDIR);
}

static int rxloop_rename_op(struct rx_context *ctx)
{
	struct rxloop_server *srv = ctx_server(ctx);
	struct rxloop_node *odir = NULL, *ndir = NULL;

	if (ctx->info.rename.old_parent)
		odir = rxloop_fcb_node(ctx->info.rename.old_parent);
	if (ctx->info.rename.new_parent)
		ndir = rxloop_fcb_node(ctx->info.rename.new_parent);
	if (!srv || !odir || !ndir)
		return -ESTALE;
	return rxloop_rename(srv, odir, &ctx->info.rename.old_name, ndir,
			     &ctx->info.rename.new_name,
			     ctx->info.rename.flags);
}

static int rxloop_readlink_op(struct rx_context *ctx)
{
	struct rxloop_node *node = ctx_node(ctx);
	size_t len;

	if (!node)
		return -ESTALE;
	if (!S_ISLNK(node->type) || !node->symlink)
		return -EINVAL;
	if (!ctx->info.readlink.buf)
		return -EINVAL;
	/* like readlink(2): a short buffer gets the start of the target */
	len = min(strlen(node->symlink), ctx->info.readlink.size);
	memcpy(ctx->info.readlink.buf, node->symlink, len);
	ctx->information = len;
	return 0;
}

/* ---- open and close ---- */

static int rxloop_open_op(struct rx_context *ctx)
{
	struct rxloop_mount *mnt = rxloop_ctx_mount(ctx);
	struct rxloop_node *node = ctx->fcb ? rxloop_fcb_node(ctx->fcb) : NULL;
	struct rxloop_open *o = ctx->srv_open->ext;

	if (!mnt || !node)
		return -ESTALE;
	o->node = rxloop_node_get(node);
	o->flags = ctx->info.create.open_flags;
	atomic64_inc(&mnt->opens);
	return 0;
}

static void rxloop_close_srv_open(struct rx_srv_open *so)
{
	struct rxloop_mount *mnt = so->v_net_root->net_root->ext;
	struct rxloop_open *o = so->ext;
	struct completion *gate = READ_ONCE(mnt->close_gate);

	if (!o->node)
		return;		/* the open failed */
	if (gate) {
		atomic_inc(&mnt->close_waiting);
		wait_for_completion(gate);
	}
	atomic64_inc(&mnt->closes);
	rxloop_node_put(o->node);
	o->node = NULL;
}

/* Memory is as durable as it gets: count the call, nothing to do. */
static int rxloop_flush_op(struct rx_context *ctx)
{
	struct rxloop_mount *mnt = rxloop_ctx_mount(ctx);

	if (mnt)
		atomic64_inc(&mnt->flushes);
	return 0;
}

/* ---- metadata ---- */

static int rxloop_query_info_op(struct rx_context *ctx)
{
	struct rxloop_node *node = ctx_node(ctx);

	if (!node)
		return -ESTALE;
	rxloop_node_attrs(node, ctx->info.query_info.attrs);
	return 0;
}

static int rxloop_set_info_op(struct rx_context *ctx)
{
	struct rxloop_node *node = ctx_node(ctx);

	if (!node)
		return -ESTALE;
	return rxloop_setattr(node, ctx->info.set_info.iattr);
}

static int rxloop_query_directory_op(struct rx_context *ctx)
{
	struct rxloop_server *srv = ctx_server(ctx);
	struct rxloop_node *node = ctx_node(ctx);

	if (!srv || !node)
		return -ESTALE;
	return rxloop_readdir(srv, node, ctx);
}

static int rxloop_query_volume_op(struct rx_context *ctx)
{
	struct rxloop_server *srv = ctx_server(ctx);

	if (!srv)
		return -EIO;
	rxloop_statfs(srv, ctx->info.volume.buf);
	return 0;
}

static int rxloop_query_ea_op(struct rx_context *ctx)
{
	struct rxloop_node *node = ctx_node(ctx);
	size_t len = 0;
	int err;

	if (!node)
		return -ESTALE;
	if (ctx->info.ea.name)
		err = rxloop_getxattr(node, ctx->info.ea.name,
				      ctx->info.ea.value, ctx->info.ea.size,
				      &len);
	else
		err = rxloop_listxattr(node, ctx->info.ea.value,
				       ctx->info.ea.size, &len);
	if (!err)
		ctx->information = len;
	return err;
}

static int rxloop_set_ea_op(struct rx_context *ctx)
{
	struct rxloop_node *node = ctx_node(ctx);

	if (!node)
		return -ESTALE;
	return rxloop_setxattr(node, ctx->info.ea.name, ctx->info.ea.value,
			       ctx->info.ea.size, ctx->info.ea.flags);
}

const struct rx_minirdr_ops rxloop_ops = {
	.parameters		= rxloop_param_spec,
	.alloc_opts		= rxloop_alloc_opts,
	.free_opts		= rxloop_free_opts,
	.parse_param		= rxloop_parse_param,
	.srv_call_key		= rxloop_srv_call_key,
	.show_options		= rxloop_show_options,
	.create_srv_call	= rxloop_create_srv_call,
	.finalize_srv_call	= rxloop_finalize_srv_call,
	.create_v_net_root	= rxloop_create_v_net_root,
	.lookup			= rxloop_lookup_op,
	.fcb_found		= rxloop_fcb_found,
	.create			= rxloop_create_op,
	.mkdir			= rxloop_mkdir_op,
	.unlink			= rxloop_unlink_op,
	.rename			= rxloop_rename_op,
	.link			= rxloop_link_op,
	.symlink		= rxloop_symlink_op,
	.mknod			= rxloop_mknod_op,
	.readlink		= rxloop_readlink_op,
	.deallocate_fcb		= rxloop_deallocate_fcb,
	.open			= rxloop_open_op,
	.close_srv_open		= rxloop_close_srv_open,
	.flush			= rxloop_flush_op,
	.query_info		= rxloop_query_info_op,
	.set_info		= rxloop_set_info_op,
	.query_directory	= rxloop_query_directory_op,
	.query_volume		= rxloop_query_volume_op,
	.query_ea		= rxloop_query_ea_op,
	.set_ea			= rxloop_set_ea_op,
	.lowio_submit = {
		[LOWIO_OP_READ]			= rxloop_lowio_rw,
		[LOWIO_OP_WRITE]		= rxloop_lowio_rw,
		[LOWIO_OP_SHAREDLOCK]		= rxloop_lowio_lock,
		[LOWIO_OP_EXCLUSIVELOCK]	= rxloop_lowio_lock,
		[LOWIO_OP_UNLOCK]		= rxloop_lowio_lock,
		[LOWIO_OP_FSCTL]		= rxloop_lowio_ioctl,
		[LOWIO_OP_IOCTL]		= rxloop_lowio_ioctl,
	},
};
