// SPDX-License-Identifier: GPL-2.0
/*
 * Files: open and close (SRV_OPEN collapsing, FOBX), flush on close and
 * fsync, and the read/write entry points that choose between the page
 * cache and direct low I/O according to the FCB's buffering state.
 */
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/writeback.h>
#include "internal.h"
#include "trace.h"

/*
 * An existing srv_open of @fcb that this open may share (collapsing), or
 * NULL.  Default rule: same user view, same access mode.
 */
static struct rx_srv_open *rx_collapse_open(struct rx_context *ctx,
					    struct rx_fcb *fcb,
					    struct rx_v_net_root *vnr,
					    unsigned int acc)
{
	const struct rx_minirdr_ops *ops = ctx->minirdr->ops;
	struct rx_srv_open *so;

	spin_lock(&fcb->lock);
	list_for_each_entry(so, &fcb->srv_opens, link) {
		if (so->v_net_root != vnr || (so->open_flags & O_ACCMODE) != acc ||
		    test_bit(RX_SO_ORPHANED, &so->flags))
			continue;
		if (ops->should_collapse_open &&
		    !ops->should_collapse_open(ctx, so))
			continue;
		/*
		 * A dormant one (delayed close) is taken up with the dormant
		 * list's reference; one whose last close is running is not.
		 */
		if (!rx_srv_open_take_dormant(so) &&
		    !kref_get_unless_zero(&so->kref))
			continue;
		/* with the reference: a close racing with us cannot shelve it */
		so->handles++;
		spin_unlock(&fcb->lock);
		trace_rdbss_srv_open(so, RX_TRACE_SO_COLLAPSE);
		return so;
	}
	spin_unlock(&fcb->lock);
	return NULL;
}

/* Open a new srv_open with access @acc through the mini-redirector. */
static int rx_open_srv_open(struct rx_context *ctx, struct rx_fcb *fcb,
			    struct rx_v_net_root *vnr, unsigned int flags,
			    struct rx_srv_open **out)
{
	struct rx_srv_open *so;
	int status;

	so = rx_alloc_srv_open(fcb, vnr, flags);
	if (!so)
		return -ENOMEM;
	ctx->srv_open = so;
	ctx->v_net_root = vnr;
	ctx->info.create.open_flags = flags;
	rx_prepare_call_down(ctx);
	status = ctx->minirdr->ops->open(ctx);
	rx_stats_done(ctx, RX_OP_OPEN, status);
	if (status) {
		rx_put_srv_open(so);
		return rx_status_to_errno(status);
	}
	spin_lock(&fcb->lock);
	so->handles = 1;	/* the fobx the caller makes */
	list_add(&so->link, &fcb->srv_opens);
	spin_unlock(&fcb->lock);
	trace_rdbss_srv_open(so, RX_TRACE_SO_OPEN);
	*out = so;
	return 0;
}

int rx_open_common(struct inode *inode, struct file *file)
{
	struct rx_minirdr *mr = rx_sb_minirdr(inode->i_sb);
	struct rx_fcb *fcb = rx_inode_fcb(inode);
	unsigned int acc = file->f_flags & O_ACCMODE;
	unsigned int flags = file->f_flags;
	struct rx_v_net_root *vnr;
	struct rx_srv_open *so;
	struct rx_context *ctx;
	struct rx_fobx *fobx;
	int status;

	if (!mr->ops->open)
		return -EOPNOTSUPP;
	/* an fstat of this open asks the server (rx_lookup_attrs_unused()) */
	if (READ_ONCE(file->f_path.dentry->d_fsdata) == RX_D_LOOKUP_ATTRS)
		cmpxchg(&file->f_path.dentry->d_fsdata, RX_D_LOOKUP_ATTRS, NULL);
	/*
	 * Close-to-open: see the server's latest copy at open.  A file this
	 * very open created was described by the create.
	 */
	if (fcb->buffering != RX_BUFFERING_LOOSE &&
	    !((file->f_mode & FMODE_CREATED) && !READ_ONCE(fcb->attrs_stale))) {
		status = rx_refresh_inode(inode, true);
		if (status)
			return status;
		/*
		 * The VFS checked access on the attributes cached before the
		 * refresh; an open that takes up a dormant srv_open asks the
		 * server nothing, so check again on what it just said.
		 */
		status = inode_permission(rx_nop_idmap, inode,
					  (file->f_mode & FMODE_READ ? MAY_READ : 0) |
					  (file->f_mode & FMODE_WRITE ? MAY_WRITE : 0));
		if (status)
			return status;
	}
	/*
	 * A write-only open of a cached file is opened read-write on the
	 * server when allowed, so partial pages can be read in before they
	 * are modified.
	 */
	if (S_ISREG(inode->i_mode) && acc == O_WRONLY &&
	    fcb->buffering != RX_BUFFERING_NONE)
		acc = O_RDWR;

	ctx = rx_create_context(mr, RX_MJ_CREATE, RX_MN_OPEN, GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->fcb = fcb;
	vnr = rx_get_v_net_root(rx_sb_net_root(inode->i_sb));
	if (IS_ERR(vnr)) {
		rx_dereference_context(ctx);
		return PTR_ERR(vnr);
	}
	so = rx_collapse_open(ctx, fcb, vnr, acc);
	status = 0;
	if (!so) {
		status = rx_open_srv_open(ctx, fcb, vnr,
					  (flags & ~O_ACCMODE) | acc, &so);
		if ((status == -EACCES || status == -EPERM) &&
		    acc != (file->f_flags & O_ACCMODE)) {
			acc = file->f_flags & O_ACCMODE;
			so = rx_collapse_open(ctx, fcb, vnr, acc);
			status = so ? 0 :
				 rx_open_srv_open(ctx, fcb, vnr, flags, &so);
		}
	}
	rx_put_v_net_root(vnr);
	rx_dereference_context(ctx);
	if (status)
		return status;

	fobx = rx_alloc_fobx(mr, so);
	if (!fobx) {
		rx_srv_open_handle_closed(so);
		return -ENOMEM;
	}
	/* write-behind after close goes through the first writable open */
	if (S_ISREG(inode->i_mode) && acc != O_RDONLY) {
		spin_lock(&fcb->lock);
		if (!fcb->wb_srv_open) {
			kref_get(&so->kref);
			fcb->wb_srv_open = so;
		}
		spin_unlock(&fcb->lock);
	}
	file->private_data = fobx;
	/* O_DIRECT goes through rx_direct_io(), not ->direct_IO */
	if (S_ISREG(inode->i_mode))
		file->f_mode |= FMODE_CAN_ODIRECT;
	return 0;
}

int rx_release_common(struct inode *inode, struct file *file)
{
	struct rx_fobx *fobx = file->private_data;

	if (fobx)
		rx_free_fobx(fobx);
	return 0;
}

/* close(2): under close-to-open, what was written reaches the server. */
static int rx_flush(struct file *file, fl_owner_t id)
{
	struct inode *inode = file_inode(file);
	struct rx_fcb *fcb = rx_inode_fcb(inode);
	int err;

	if (!(file->f_mode & FMODE_WRITE) || fcb->buffering != RX_BUFFERING_CTO)
		return 0;
	err = filemap_write_and_wait(inode->i_mapping);
	/* remember the server's attributes after our own writes */
	if (!err)
		rx_refresh_inode(inode, false);
	return err;
}

static int rx_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	struct inode *inode = file_inode(file);
	struct rx_minirdr *mr = rx_sb_minirdr(inode->i_sb);
	struct rx_context *ctx;
	int err, status;

	err = file_write_and_wait_range(file, start, end);
	if (err || !mr->ops->flush)
		return err;
	ctx = rx_create_file_context(file, RX_MJ_FLUSH_BUFFERS, 0, GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->info.flush.start = start;
	ctx->info.flush.end = end;
	ctx->info.flush.datasync = datasync;
	rx_prepare_call_down(ctx);
	status = mr->ops->flush(ctx);
	rx_stats_done(ctx, RX_OP_FSYNC, status);
	rx_dereference_context(ctx);
	return rx_status_to_errno(status);
}

static bool rx_uncached(struct file *file)
{
	struct rx_fobx *fobx = file->private_data;

	return rx_inode_fcb(file_inode(file))->buffering == RX_BUFFERING_NONE ||
	       (fobx->srv_open->open_flags & O_ACCMODE) == O_WRONLY;
}

static ssize_t rx_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	ssize_t ret;

	if ((iocb->ki_flags & IOCB_DIRECT) || rx_uncached(iocb->ki_filp)) {
		ret = rx_direct_io(iocb, to, false);
		if (ret > 0)
			rx_stats_add(rx_inode_stats(inode),
				     RX_BYTES_DIRECT_READ, ret);
		return ret;
	}
	ret = generic_file_read_iter(iocb, to);
	if (ret > 0)
		rx_stats_add(rx_inode_stats(inode), RX_BYTES_READ, ret);
	return ret;
}

static ssize_t rx_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file_inode(file);
	ssize_t ret;

	/* without read access partial pages cannot be cached: write through */
	if ((iocb->ki_flags & IOCB_DIRECT) || rx_uncached(file)) {
		ret = rx_direct_io(iocb, from, true);
		if (ret > 0)
			rx_stats_add(rx_inode_stats(inode),
				     RX_BYTES_DIRECT_WRITE, ret);
		return ret;
	}

	inode_lock(inode);
	ret = generic_write_checks(iocb, from);
	if (ret > 0)
		ret = file_remove_privs(file);
	if (!ret)
		ret = iov_iter_count(from) ? rx_perform_write(iocb, from) : 0;
	inode_unlock(inode);
	if (ret > 0)
		rx_stats_add(rx_inode_stats(inode), RX_BYTES_WRITE, ret);
	if (ret > 0)
		ret = generic_write_sync(iocb, ret);
	return ret;
}

/* uncached and O_DIRECT files must not be spliced from the page cache */
static ssize_t rx_file_splice_read(struct file *in, loff_t *ppos,
				   struct pipe_inode_info *pipe, size_t len,
				   unsigned int flags)
{
	if ((in->f_flags & O_DIRECT) || rx_uncached(in))
		return rx_copy_splice_read(in, ppos, pipe, len, flags);
	return rx_splice_read(in, ppos, pipe, len, flags);
}

static int rx_mmap(struct file *file, struct vm_area_struct *vma)
{
	/* shared writable mappings are written back through writepages */
	return generic_file_mmap(file, vma);
}

const struct file_operations rx_file_ops = {
	.open		= rx_open_common,
	.release	= rx_release_common,
	.flush		= rx_flush,
	.fsync		= rx_fsync,
	.llseek		= generic_file_llseek,
	.read_iter	= rx_read_iter,
	.write_iter	= rx_write_iter,
	.splice_read	= rx_file_splice_read,
	.splice_write	= iter_file_splice_write,
	.mmap		= rx_mmap,
	.lock		= rx_lock,
	.flock		= rx_flock,
	.unlocked_ioctl	= rx_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};
