/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where kernel-version differences live.
 *
 * Supported: Debian 12 (6.1), Debian 13 (6.12) and Debian sid (7.x).
 */
#ifndef _RDBSS_COMPAT_H
#define _RDBSS_COMPAT_H

#include <linux/version.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/dcache.h>
#include <linux/interrupt.h>
#include <linux/llist.h>
#include <linux/workqueue.h>
#include <linux/uio.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/writeback.h>
#include <linux/pipe_fs_i.h>
#include <linux/sizes.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#include <linux/filelock.h>
#endif

/*
 * 6.9: BH workqueues run work items in softirq context; older kernels
 * have tasklets for that.  struct rx_dispatch_item is whichever exists.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
#define RX_HAVE_BH_WORKQUEUE 1
struct rx_dispatch_item {
	struct work_struct work;
};
#else
/* queued on one tasklet: a tasklet may not free itself from its callback */
struct rx_dispatch_item {
	struct llist_node node;
};
#endif

/* 6.3: idmapped-mount methods take a struct mnt_idmap. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define rx_idmap user_namespace
#define rx_nop_idmap (&init_user_ns)
#else
#define rx_idmap mnt_idmap
#define rx_nop_idmap (&nop_mnt_idmap)
#endif

/* 6.6: generic_fillattr() takes the request mask. */
static inline void rx_fillattr(struct rx_idmap *idmap, u32 request_mask,
			       struct inode *inode, struct kstat *stat)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
	generic_fillattr(idmap, inode, stat);
#else
	generic_fillattr(idmap, request_mask, inode, stat);
#endif
}

/* 6.6/6.7: inode timestamps are reached through accessors. */
static inline void rx_inode_set_times(struct inode *inode,
				      struct timespec64 atime,
				      struct timespec64 mtime,
				      struct timespec64 ctime)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 7, 0)
	inode->i_atime = atime;
	inode->i_mtime = mtime;
	inode->i_ctime = ctime;
#else
	inode_set_atime_to_ts(inode, atime);
	inode_set_mtime_to_ts(inode, mtime);
	inode_set_ctime_to_ts(inode, ctime);
#endif
}

static inline struct timespec64 rx_inode_mtime(const struct inode *inode)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 7, 0)
	return inode->i_mtime;
#else
	return inode_get_mtime(inode);
#endif
}

static inline struct timespec64 rx_inode_ctime(const struct inode *inode)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
	return inode->i_ctime;
#else
	return inode_get_ctime(inode);
#endif
}

/*
 * 6.14: ->d_revalidate() is also given the parent inode and the name.
 * RX_D_REVALIDATE(fn) defines the method around
 * "static int fn(struct dentry *dentry, unsigned int flags)".
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 14, 0)
#define RX_D_REVALIDATE(fn)						\
static int fn##_method(struct dentry *dentry, unsigned int flags)	\
{									\
	return fn(dentry, flags);					\
}
#else
#define RX_D_REVALIDATE(fn)						\
static int fn##_method(struct inode *dir, const struct qstr *name,	\
		       struct dentry *dentry, unsigned int flags)	\
{									\
	return fn(dentry, flags);					\
}
#endif

/*
 * 6.15: ->mkdir() returns a dentry (NULL: the one passed in was used).
 * RX_MKDIR(fn) defines the method around
 * "static int fn(struct inode *dir, struct dentry *dentry, umode_t mode)".
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 15, 0)
#define RX_MKDIR(fn)							\
static int fn##_method(struct rx_idmap *idmap, struct inode *dir,	\
		       struct dentry *dentry, umode_t mode)		\
{									\
	return fn(dir, dentry, mode);					\
}
#else
#define RX_MKDIR(fn)							\
static struct dentry *fn##_method(struct rx_idmap *idmap,		\
				  struct inode *dir,			\
				  struct dentry *dentry, umode_t mode)	\
{									\
	return ERR_PTR(fn(dir, dentry, mode));				\
}
#endif

/* 6.19: kernel_connect() takes a struct sockaddr_unsized. */
static inline int rx_kernel_connect(struct socket *sock, void *addr,
				    int addrlen, int flags)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 19, 0)
	return kernel_connect(sock, addr, addrlen, flags);
#else
	return kernel_connect(sock, (struct sockaddr_unsized *)addr, addrlen,
			      flags);
#endif
}

/* 6.17: the default dentry operations are set through a helper. */
static inline void rx_set_default_d_op(struct super_block *sb,
				       const struct dentry_operations *ops)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
	sb->s_d_op = ops;
#else
	set_default_d_op(sb, ops);
#endif
}

/* 6.19: inode->i_state is read through accessors. */
static inline bool rx_inode_is_new(struct inode *inode)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 19, 0)
	return inode->i_state & I_NEW;
#else
	return inode_state_read_once(inode) & I_NEW;
#endif
}

/*
 * 6.3: iov_iter_extract_pages() pins user pages (FOLL_PIN) and only
 * points at kernel ones; 6.1 has iov_iter_get_pages2(), which takes page
 * references.  Both advance the iterator.  *pinned says how to release.
 */
static inline ssize_t rx_iter_get_pages(struct iov_iter *iter,
					struct page **pages, size_t maxsize,
					unsigned int maxpages, size_t *offset,
					bool *pinned)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	*pinned = iov_iter_extract_will_pin(iter);
	return iov_iter_extract_pages(iter, &pages, maxsize, maxpages, 0,
				      offset);
#else
	*pinned = false;
	return iov_iter_get_pages2(iter, pages, maxsize, maxpages, offset);
#endif
}

static inline void rx_release_pages(struct page **pages, unsigned int n,
				    bool pinned, bool dirty)
{
	unsigned int i;

	if (pinned) {
		unpin_user_pages_dirty_lock(pages, n, dirty);
		return;
	}
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
	for (i = 0; i < n; i++) {
		if (dirty)
			set_page_dirty_lock(pages[i]);
		put_page(pages[i]);
	}
#else
	/* kernel pages from iov_iter_extract_pages() carry no reference */
	(void)i;
#endif
}

/*
 * ->write_begin()/->write_end(): 6.1 passes pages, 6.12 folios, 6.17 a
 * kiocb instead of the file.  RX_WRITE_BEGIN(fn)/RX_WRITE_END(fn) define
 * the methods around
 *   int fn(struct file *file, struct address_space *mapping, loff_t pos,
 *          unsigned int len, struct folio **foliop, void **fsdata)
 *   int fn(struct file *file, struct address_space *mapping, loff_t pos,
 *          unsigned int len, unsigned int copied, struct folio *folio,
 *          void *fsdata)
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#define RX_WRITE_BEGIN(fn)						\
static int fn##_method(struct file *file, struct address_space *mapping,\
		       loff_t pos, unsigned int len, struct page **pagep,\
		       void **fsdata)					\
{									\
	struct folio *folio;						\
	int ret = fn(file, mapping, pos, len, &folio, fsdata);		\
									\
	if (!ret)							\
		*pagep = &folio->page;					\
	return ret;							\
}

#define RX_WRITE_END(fn)						\
static int fn##_method(struct file *file, struct address_space *mapping,\
		       loff_t pos, unsigned int len, unsigned int copied,\
		       struct page *page, void *fsdata)			\
{									\
	return fn(file, mapping, pos, len, copied, page_folio(page),	\
		  fsdata);						\
}
#elif LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
#define RX_WRITE_BEGIN(fn)						\
static int fn##_method(struct file *file, struct address_space *mapping,\
		       loff_t pos, unsigned int len, struct folio **foliop,\
		       void **fsdata)					\
{									\
	return fn(file, mapping, pos, len, foliop, fsdata);		\
}

#define RX_WRITE_END(fn)						\
static int fn##_method(struct file *file, struct address_space *mapping,\
		       loff_t pos, unsigned int len, unsigned int copied,\
		       struct folio *folio, void *fsdata)		\
{									\
	return fn(file, mapping, pos, len, copied, folio, fsdata);	\
}
#else
#define RX_WRITE_BEGIN(fn)						\
static int fn##_method(const struct kiocb *iocb,			\
		       struct address_space *mapping, loff_t pos,	\
		       unsigned int len, struct folio **foliop,		\
		       void **fsdata)					\
{									\
	return fn(iocb ? iocb->ki_filp : NULL, mapping, pos, len, foliop,\
		  fsdata);						\
}

#define RX_WRITE_END(fn)						\
static int fn##_method(const struct kiocb *iocb,			\
		       struct address_space *mapping, loff_t pos,	\
		       unsigned int len, unsigned int copied,		\
		       struct folio *folio, void *fsdata)		\
{									\
	return fn(iocb ? iocb->ki_filp : NULL, mapping, pos, len, copied,\
		  folio, fsdata);					\
}
#endif

/* 6.5: the FGP_* flags have a type of their own. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#define rx_fgf_t int
#else
#define rx_fgf_t fgf_t
#endif

/* 6.3: __filemap_get_folio() returns an ERR_PTR instead of NULL. */
static inline struct folio *rx_filemap_get_folio(struct address_space *mapping,
						 pgoff_t index, rx_fgf_t fgp,
						 gfp_t gfp)
{
	struct folio *folio = __filemap_get_folio(mapping, index, fgp, gfp);

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
	if (!folio)
		return ERR_PTR(-ENOMEM);
#endif
	return folio;
}

/*
 * Writeback iteration: writeback_iter() (6.10) or write_cache_pages(),
 * whose callback took pages before 6.3.  @fn gets each folio locked with
 * its dirty bit cleared for I/O and must unlock it.
 */
struct rx_wb_walk {
	int (*fn)(struct folio *folio, struct writeback_control *wbc,
		  void *data);
	void *data;
};

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline int rx_wb_page_tramp(struct page *page,
				   struct writeback_control *wbc, void *data)
{
	struct rx_wb_walk *walk = data;

	return walk->fn(page_folio(page), wbc, walk->data);
}
#endif

static inline int rx_write_cache_folios(struct address_space *mapping,
					struct writeback_control *wbc,
					struct rx_wb_walk *walk)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
	struct folio *folio = NULL;
	int error = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &error)))
		error = walk->fn(folio, wbc, walk->data);
	return error;
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return write_cache_pages(mapping, wbc, walk->fn, walk->data);
#else
	return write_cache_pages(mapping, wbc, rx_wb_page_tramp, walk);
#endif
}

/*
 * wbc_account_cgroup_owner() takes the folio from 6.13 and from a 6.12
 * stable release on, its first page before: the same address either way,
 * which no version test can pin down.  Charging each written folio to the
 * wbc lets another cgroup's flusher notice foreign dirtiers.
 */
static inline void rx_wbc_account(struct writeback_control *wbc,
				  struct folio *folio, size_t bytes)
{
	BUILD_BUG_ON(offsetof(struct folio, page) != 0);
	wbc_account_cgroup_owner(wbc, (void *)folio, bytes);
}

/* 6.9: the common fields of struct file_lock moved into ->c. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0)
#define rx_fl_owner(fl)	((fl)->fl_owner)
#define rx_fl_flags(fl)	((fl)->fl_flags)
#define rx_fl_type(fl)	((fl)->fl_type)
#define rx_fl_pid(fl)	((fl)->fl_pid)
#else
#define rx_fl_owner(fl)	((fl)->c.flc_owner)
#define rx_fl_flags(fl)	((fl)->c.flc_flags)
#define rx_fl_type(fl)	((fl)->c.flc_type)
#define rx_fl_pid(fl)	((fl)->c.flc_pid)
#endif

/*
 * 6.4: generic_perform_write() advances iocb->ki_pos itself, and some
 * 6.1 stable kernels (Debian's among them) have that change too: advance
 * it only when the call did not.
 */
static inline ssize_t rx_perform_write(struct kiocb *iocb,
				       struct iov_iter *from)
{
	loff_t pos = iocb->ki_pos;
	ssize_t ret = generic_perform_write(iocb, from);

	if (ret > 0 && iocb->ki_pos == pos)
		iocb->ki_pos += ret;
	return ret;
}

/*
 * 6.5: generic_file_splice_read() became filemap_splice_read(), and
 * copy_splice_read() appeared for files whose reads bypass the page cache.
 * Before it, splice went through ->read_iter with a pipe iterator, which
 * must not be handed to a transport that fills buffers in softirq: read
 * into a bounce buffer instead, no more than the pipe can take.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#define rx_splice_read generic_file_splice_read
static inline ssize_t rx_copy_splice_read(struct file *in, loff_t *ppos,
					  struct pipe_inode_info *pipe,
					  size_t len, unsigned int flags)
{
	unsigned int used = pipe_occupancy(pipe->head, pipe->tail);
	struct kiocb kiocb;
	struct iov_iter to;
	struct kvec kv;
	ssize_t ret;
	size_t copied;

	if (used >= pipe->max_usage)
		return -EAGAIN;
	len = min_t(size_t, len, (size_t)(pipe->max_usage - used) << PAGE_SHIFT);
	len = min_t(size_t, len, SZ_1M);
	kv.iov_base = kvmalloc(len, GFP_KERNEL);
	if (!kv.iov_base)
		return -ENOMEM;
	kv.iov_len = len;
	iov_iter_kvec(&to, READ, &kv, 1, len);
	init_sync_kiocb(&kiocb, in);
	kiocb.ki_pos = *ppos;
	ret = call_read_iter(in, &kiocb, &to);
	if (ret > 0) {
		iov_iter_pipe(&to, READ, pipe, ret);
		copied = copy_to_iter(kv.iov_base, ret, &to);
		*ppos += copied;
		ret = copied ? copied : -EFAULT;
	}
	kvfree(kv.iov_base);
	return ret;
}
#else
#define rx_splice_read filemap_splice_read
#define rx_copy_splice_read copy_splice_read
#endif

/*
 * 6.10: __assign_str() takes the field only (the source is the one given
 * to __string()).  For TP_fast_assign() in the trace headers.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define rx_trace_assign_str(dst, src)	__assign_str(dst)
#else
#define rx_trace_assign_str(dst, src)	__assign_str(dst, src)
#endif

#endif /* _RDBSS_COMPAT_H */
