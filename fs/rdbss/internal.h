/* SPDX-License-Identifier: GPL-2.0 */
/* rdbss.ko internals: not part of the mini-redirector interface. */
#ifndef _RDBSS_INTERNAL_H
#define _RDBSS_INTERNAL_H

#include <rdbss/compat.h>
#include <rdbss/minirdr.h>
#include <rdbss/worker.h>

#define RX_MAX_NAME 255

/* context.c */
struct rx_context *rx_create_file_context(struct file *file, u8 major,
					  u8 minor, gfp_t gfp);
int rx_context_init(void);
void rx_context_exit(void);

/* debugfs.c */
void rx_debugfs_init(void);
void rx_debugfs_exit(void);
void rx_debug_context_add(struct rx_context *ctx);
void rx_debug_context_del(struct rx_context *ctx);
void rx_debug_srv_call_add(struct rx_srv_call *sc);
void rx_debug_srv_call_del(struct rx_srv_call *sc);
void rx_debug_net_root_add(struct rx_net_root *nr);
void rx_debug_net_root_del(struct rx_net_root *nr);

/* worker.c */
int rx_worker_init(void);
void rx_worker_exit(void);
void rx_queue_passive(struct work_struct *work);
void rx_queue_passive_delayed(struct delayed_work *dw, unsigned long delay,
			      bool now);
extern int rx_test_fail_dispatch_alloc;

/* objects.c */
struct rx_srv_call *rx_find_or_create_srv_call(struct rx_minirdr *mr,
					       void *opts,
					       struct fs_context *fc);
void rx_put_srv_call(struct rx_srv_call *sc);
struct rx_net_root *rx_create_net_root(struct rx_srv_call *sc, void *opts);
void rx_put_net_root(struct rx_net_root *nr);
struct rx_v_net_root *rx_create_v_net_root(struct rx_net_root *nr,
					   struct fs_context *fc);
struct rx_srv_open *rx_alloc_srv_open(struct rx_fcb *fcb,
				      struct rx_v_net_root *vnr,
				      unsigned int open_flags);
struct rx_fobx *rx_alloc_fobx(const struct rx_minirdr *mr,
			      struct rx_srv_open *so);
void rx_free_fobx(struct rx_fobx *fobx);

/* scavenger.c */
void rx_scavenger_init(struct rx_net_root *nr);
void rx_scavenger_stop(struct rx_net_root *nr);
void rx_scavenge_work(struct work_struct *work);
bool rx_srv_open_take_dormant(struct rx_srv_open *so);
void rx_srv_open_handle_closed(struct rx_srv_open *so);
bool rx_srv_open_drop_dormant(struct rx_srv_open *so);
void rx_scavenge_fcb(struct rx_fcb *fcb);
bool rx_fcb_open_in_use(struct rx_fcb *fcb);

/* cache=none: how long a directory's names are trusted (namei.c) */
#define RX_NONE_NAMES_TTL	HZ

/*
 * dentry->d_fsdata of a name just looked up whose attributes no stat has
 * used yet (cache=none; rx_lookup_attrs_unused()).
 */
#define RX_D_LOOKUP_ATTRS	((void *)1UL)
bool rx_lookup_attrs_unused(struct dentry *dentry);

/*
 * What a directory looked like when one of its names was last checked;
 * fcb->lock held.
 */
static inline unsigned long rx_fcb_stamp_locked(struct rx_fcb *fcb)
{
	return fcb->change ^ fcb->size_seen ^
	       ((unsigned long)fcb->mtime_seen.tv_sec << 30) ^
	       fcb->mtime_seen.tv_nsec;
}

static inline struct rx_stats *rx_inode_stats(struct inode *inode)
{
	return &rx_sb_net_root(inode->i_sb)->stats;
}

static inline struct rx_minirdr *rx_sb_minirdr(struct super_block *sb)
{
	return container_of(sb->s_type, struct rx_minirdr, fs_type);
}

/* Act as the calling user: give @ctx a referenced v_net_root. */
static inline int rx_context_view(struct rx_context *ctx,
				  struct super_block *sb)
{
	struct rx_v_net_root *vnr = rx_get_v_net_root(rx_sb_net_root(sb));

	if (IS_ERR(vnr))
		return PTR_ERR(vnr);
	ctx->v_net_root = vnr;
	return 0;
}

/* super.c */
int rx_init_fs_context(struct fs_context *fc);
void rx_kill_sb(struct super_block *sb);

/* inode.c */
extern const struct inode_operations rx_file_inode_ops;
extern const struct inode_operations rx_special_inode_ops;
extern const struct inode_operations rx_symlink_inode_ops;
int rx_getattr(struct rx_idmap *idmap, const struct path *path,
	       struct kstat *stat, u32 request_mask, unsigned int query_flags);
int rx_setattr(struct rx_idmap *idmap, struct dentry *dentry,
	       struct iattr *iattr);
struct inode *rx_iget(struct super_block *sb, struct rx_context *ctx,
		      struct rx_attrs *attrs);
void rx_apply_attrs(struct inode *inode, const struct rx_attrs *attrs);
void rx_update_attrs(struct inode *inode, const struct rx_attrs *attrs,
		     bool revalidate_cache);
int rx_refresh_inode(struct inode *inode, bool revalidate_cache);
void rx_invalidate_attrs(struct inode *inode);
void rx_dir_changed_here(struct inode *dir, bool names_hold);
bool rx_attrs_fresh(struct inode *inode);
void rx_inode_init_once(void *obj);

/* namei.c */
extern const struct inode_operations rx_dir_inode_ops;
extern const struct dentry_operations rx_dentry_ops;

/* xattr.c */
extern const struct xattr_handler *rx_xattr_handlers[];
ssize_t rx_listxattr(struct dentry *dentry, char *buf, size_t size);

/* aops.c */
size_t rx_max_io(struct inode *inode, bool write);
struct rx_srv_open *rx_file_srv_open(struct file *file, struct rx_fcb *fcb,
				     bool write);

/* dio.c */
ssize_t rx_direct_io(struct kiocb *iocb, struct iov_iter *iter, bool write);

/* locks.c */
int rx_lock(struct file *file, int cmd, struct file_lock *fl);
int rx_flock(struct file *file, int cmd, struct file_lock *fl);

/* ioctl.c */
long rx_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* buffering.c */
void rx_buffering_work(struct work_struct *work);

/* dir.c */
extern const struct file_operations rx_dir_ops;

/* file.c */
extern const struct file_operations rx_file_ops;
extern const struct address_space_operations rx_aops;
int rx_open_common(struct inode *inode, struct file *file);
int rx_release_common(struct inode *inode, struct file *file);

#endif /* _RDBSS_INTERNAL_H */
