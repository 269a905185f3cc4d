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

#endif /* _RDBSS_COMPAT_H */
