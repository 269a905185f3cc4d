// SPDX-License-Identifier: GPL-2.0
/*
 * The mount: fs_context, super_block and the NET_ROOT / V_NET_ROOT set up
 * behind it.
 */
#include <linux/backing-dev.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include "internal.h"

struct rx_mount_ctx {
	struct rx_minirdr *mr;
	void *opts;
};

static struct inode *rx_alloc_inode(struct super_block *sb)
{
	struct rx_minirdr *mr = rx_sb_minirdr(sb);
	struct rx_inode *ri;

	ri = alloc_inode_sb(sb, mr->inode_cache, GFP_KERNEL);
	if (!ri)
		return NULL;
	ri->cache = mr->inode_cache;
	spin_lock_init(&ri->fcb.lock);
	INIT_LIST_HEAD(&ri->fcb.srv_opens);
	ri->fcb.buffering = rx_sb_net_root(sb)->buffering;
	ri->fcb.requested_buffering = ri->fcb.buffering;
	ri->fcb.wb_srv_open = NULL;
	atomic_long_set(&ri->fcb.wb_inflight, 0);
	init_waitqueue_head(&ri->fcb.wb_wait);
	INIT_WORK(&ri->fcb.buffering_work, rx_buffering_work);
	ri->fcb.change = 0;
	ri->fcb.size_seen = 0;
	ri->fcb.attr_time = 0;
	ri->fcb.own_change = false;
	ri->fcb.names_carry = false;
	ri->fcb.ext = mr->fcb_ext_size ? (void *)(ri + 1) : NULL;
	if (ri->fcb.ext)
		memset(ri->fcb.ext, 0, mr->fcb_ext_size);
	return &ri->vfs_inode;
}

static void rx_free_inode(struct inode *inode)
{
	struct rx_inode *ri = RX_I(inode);

	kmem_cache_free(ri->cache, ri);
}

static void rx_evict_inode(struct inode *inode)
{
	struct rx_minirdr *mr = rx_sb_minirdr(inode->i_sb);
	struct rx_fcb *fcb = rx_inode_fcb(inode);

	truncate_inode_pages_final(&inode->i_data);
	cancel_work_sync(&fcb->buffering_work);
	clear_inode(inode);
	/* memory pressure and umount close dormant srv_opens here */
	rx_scavenge_fcb(fcb);
	if (fcb->wb_srv_open) {
		rx_put_srv_open(fcb->wb_srv_open);
		fcb->wb_srv_open = NULL;
	}
	if (mr->ops->deallocate_fcb)
		mr->ops->deallocate_fcb(fcb);
}

static int rx_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct super_block *sb = dentry->d_sb;
	struct rx_minirdr *mr = rx_sb_minirdr(sb);
	struct rx_context *ctx;
	int status;

	buf->f_type = mr->magic;
	buf->f_namelen = RX_MAX_NAME;
	if (!mr->ops->query_volume)
		return simple_statfs(dentry, buf);
	ctx = rx_create_context(mr, RX_MJ_QUERY_VOLUME_INFORMATION, 0,
				GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->fcb = rx_inode_fcb(d_inode(sb->s_root));
	status = rx_context_view(ctx, sb);
	if (status) {
		rx_dereference_context(ctx);
		return status;
	}
	ctx->info.volume.buf = buf;
	rx_prepare_call_down(ctx);
	status = mr->ops->query_volume(ctx);
	rx_stats_done(ctx, RX_OP_STATFS, status);
	rx_put_v_net_root(ctx->v_net_root);
	rx_dereference_context(ctx);
	return rx_status_to_errno(status);
}

static int rx_show_options(struct seq_file *m, struct dentry *root)
{
	struct rx_net_root *nr = rx_sb_net_root(root->d_sb);
	const struct rx_minirdr_ops *ops = nr->srv_call->minirdr->ops;

	return ops->show_options ? ops->show_options(m, nr) : 0;
}

/*
 * /proc/self/mountstats: the framework's lines, then the mini-redirector's
 * (Documentation/filesystems/rdbss.rst, "Observing a mount").
 */
static int rx_show_stats(struct seq_file *m, struct dentry *root)
{
	struct rx_net_root *nr = rx_sb_net_root(root->d_sb);
	const struct rx_minirdr_ops *ops = nr->srv_call->minirdr->ops;

	/* the VFS wrote "... with fstype NAME " */
	seq_puts(m, "statvers=" RX_STATVERS "\n\topts:\t");
	if (ops->show_options) {
		/* show_options writes ",a=b,c": drop the first comma */
		size_t from = m->count;

		ops->show_options(m, nr);
		if (!seq_has_overflowed(m) && m->count > from &&
		    m->buf[from] == ',') {
			memmove(m->buf + from, m->buf + from + 1,
				m->count - from - 1);
			m->count--;
		}
	}
	seq_putc(m, '\n');
	rx_stats_show(m, &nr->stats);
	if (ops->show_stats)
		ops->show_stats(m, nr);
	return 0;
}

static void rx_umount_begin(struct super_block *sb)
{
	struct rx_net_root *nr = rx_sb_net_root(sb);
	const struct rx_minirdr_ops *ops = nr->srv_call->minirdr->ops;

	if (ops->umount_begin)
		ops->umount_begin(nr);
}

static const struct super_operations rx_super_ops = {
	.alloc_inode	= rx_alloc_inode,
	.free_inode	= rx_free_inode,
	.evict_inode	= rx_evict_inode,
	.statfs		= rx_statfs,
	.show_options	= rx_show_options,
	.show_stats	= rx_show_stats,
	.umount_begin	= rx_umount_begin,
};

static int rx_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct rx_minirdr *mr = rx_sb_minirdr(sb);
	struct rx_net_root *nr = sb->s_fs_info;
	struct rx_context *ctx;
	struct rx_attrs attrs = {};
	struct inode *root;
	int err;

	mutex_lock(&mr->lock);
	mr->mounts++;		/* dropped by rx_kill_sb(), even on failure */
	err = mr->unregistering ? -ENODEV : 0;
	mutex_unlock(&mr->lock);
	if (err)
		return err;

	nr->sb = sb;
	nr->dev = sb->s_dev;
	sb->s_op = &rx_super_ops;
	sb->s_xattr = rx_xattr_handlers;
	rx_set_default_d_op(sb, &rx_dentry_ops);
	sb->s_magic = mr->magic;
	/* see rx_apply_attrs(): S_NOSEC is dropped on remote changes */
	sb->s_flags |= SB_NOSEC;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_time_gran = 1;
	err = super_setup_bdi(sb);
	if (err)
		return err;
	/*
	 * Cgroup writeback: dirty pages are throttled and written back per
	 * memory cgroup, so a small cgroup is held to its own dirty limit
	 * instead of filling with dirty pages its reclaim cannot free.
	 */
	sb->s_iflags |= SB_I_CGROUPWB;
	/*
	 * Read ahead enough to keep several max_read requests in flight: the
	 * default 128 KiB is two 9P messages at diod's msize.
	 */
	if (nr->max_read)
		sb->s_bdi->ra_pages = max_t(unsigned long, VM_READAHEAD_PAGES,
					    min_t(unsigned long,
						  8 * nr->max_read >> PAGE_SHIFT,
						  SZ_2M >> PAGE_SHIFT));

	ctx = rx_create_context(mr, RX_MJ_CREATE, RX_MN_LOOKUP, GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	err = rx_context_view(ctx, sb);
	if (err) {
		rx_dereference_context(ctx);
		return err;
	}
	ctx->info.create.parent = NULL;
	ctx->info.create.attrs = &attrs;
	rx_prepare_call_down(ctx);
	err = mr->ops->lookup(ctx);
	rx_stats_done(ctx, RX_OP_LOOKUP, err);
	if (!err) {
		root = rx_iget(sb, ctx, &attrs);
		if (IS_ERR(root)) {
			err = PTR_ERR(root);
		} else if (!S_ISDIR(root->i_mode)) {
			errorfc(fc, "the export's root is not a directory");
			iput(root);
			err = -ENOTDIR;
		} else {
			sb->s_root = d_make_root(root);
			if (!sb->s_root)
				err = -ENOMEM;
		}
	}
	rx_put_v_net_root(ctx->v_net_root);
	rx_dereference_context(ctx);
	return rx_status_to_errno(err);
}

static int rx_get_tree(struct fs_context *fc)
{
	struct rx_mount_ctx *mctx = fc->fs_private;
	struct rx_minirdr *mr = mctx->mr;
	struct rx_srv_call *sc;
	struct rx_net_root *nr;
	struct rx_v_net_root *vnr;
	int err;

	if (!fc->source || !*fc->source)
		return invalfc(fc, "no server given (mount -t %s -o ... SERVER DIR)",
			       mr->name);
	sc = rx_find_or_create_srv_call(mr, mctx->opts, fc);
	if (IS_ERR(sc))
		return PTR_ERR(sc);
	nr = rx_create_net_root(sc, mctx->opts);
	if (!nr) {
		rx_put_srv_call(sc);
		return -ENOMEM;
	}
	mctx->opts = NULL;	/* the net_root owns them now */
	vnr = rx_create_v_net_root(nr, fc);
	if (IS_ERR(vnr)) {
		rx_put_net_root(nr);
		return PTR_ERR(vnr);
	}

	fc->s_fs_info = nr;
	err = get_tree_nodev(fc, rx_fill_super);
	if (fc->s_fs_info) {
		/* no super_block took it */
		fc->s_fs_info = NULL;
		rx_put_net_root(nr);
	}
	return err;
}

static int rx_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	struct rx_mount_ctx *mctx = fc->fs_private;

	if (!mctx->mr->ops->parse_param)
		return -ENOPARAM;
	return mctx->mr->ops->parse_param(mctx->opts, fc, param);
}

static void rx_free_fc(struct fs_context *fc)
{
	struct rx_mount_ctx *mctx = fc->fs_private;

	if (!mctx)
		return;
	if (mctx->opts && mctx->mr->ops->free_opts)
		mctx->mr->ops->free_opts(mctx->opts);
	kfree(mctx);
}

static const struct fs_context_operations rx_context_ops = {
	.free		= rx_free_fc,
	.parse_param	= rx_parse_param,
	.get_tree	= rx_get_tree,
};

int rx_init_fs_context(struct fs_context *fc)
{
	struct rx_minirdr *mr = container_of(fc->fs_type, struct rx_minirdr,
					     fs_type);
	struct rx_mount_ctx *mctx;

	mctx = kzalloc(sizeof(*mctx), GFP_KERNEL);
	if (!mctx)
		return -ENOMEM;
	mctx->mr = mr;
	mctx->opts = mr->ops->alloc_opts(fc);
	if (IS_ERR(mctx->opts)) {
		int err = PTR_ERR(mctx->opts);

		kfree(mctx);
		return err;
	}
	fc->fs_private = mctx;
	fc->ops = &rx_context_ops;
	return 0;
}

void rx_kill_sb(struct super_block *sb)
{
	struct rx_net_root *nr = sb->s_fs_info;
	struct rx_minirdr *mr = rx_sb_minirdr(sb);

	kill_anon_super(sb);
	if (nr) {
		rx_scavenger_stop(nr);
		rx_put_net_root(nr);
		mutex_lock(&mr->lock);
		mr->mounts--;
		mutex_unlock(&mr->lock);
	}
}
