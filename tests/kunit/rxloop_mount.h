/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit helpers: mount rxloop inside a test and reach its server-side
 * counters, for suites that need real inodes with a page cache.
 */
#ifndef _RDBSS_KUNIT_RXLOOP_MOUNT_H
#define _RDBSS_KUNIT_RXLOOP_MOUNT_H

#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/workqueue.h>

#define RXL_MAX_MOUNTS	2
#define RXL_MAX_FILES	4

/* What a test opened, closed and unmounted by rxl_cleanup(). */
struct rxl_env {
	struct vfsmount *mnt[RXL_MAX_MOUNTS];
	struct file *file[RXL_MAX_FILES];
	struct work_struct cleanup;
};

struct vfsmount *rxl_mount(struct kunit *test, struct rxl_env *env,
			   const char *server, const char *opts);
struct file *rxl_open(struct kunit *test, struct rxl_env *env,
		      struct vfsmount *mnt, const char *name, int flags);
void rxl_cleanup(struct rxl_env *env);

/* rxloop's count of low I/O operations @op (RXLOOP_OP_*) on @mnt */
u64 rxl_ops(struct vfsmount *mnt, unsigned int op);
/* of every low I/O operation on @mnt */
u64 rxl_all_ops(struct vfsmount *mnt);
u64 rxl_bytes_written(struct vfsmount *mnt);

#endif /* _RDBSS_KUNIT_RXLOOP_MOUNT_H */
