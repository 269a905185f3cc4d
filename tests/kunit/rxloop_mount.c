// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit helpers: rxloop mounted inside a test (an internal mount, torn
 * down synchronously) and its per-mount counters, read from the
 * mini-redirector's net_root extension.
 */
#include <linux/file.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include "../rxloop/rxloop.h"
#include "rxloop_mount.h"

static struct rxloop_mount *rxl_of(struct vfsmount *mnt)
{
	return rx_sb_net_root(mnt->mnt_sb)->ext;
}

struct vfsmount *rxl_mount(struct kunit *test, struct rxl_env *env,
			   const char *server, const char *opts)
{
	struct file_system_type *type;
	struct vfsmount *mnt;
	char *data;
	int i;

	for (i = 0; i < RXL_MAX_MOUNTS && env->mnt[i]; i++)
		;
	KUNIT_ASSERT_LT(test, i, RXL_MAX_MOUNTS);
	type = get_fs_type(RXLOOP_FS_NAME);
	if (!type)
		kunit_skip(test, "filesystem type rxloop is not available");
	/* the options are parsed in place */
	data = kunit_kmalloc(test, strlen(opts) + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	strcpy(data, opts);
	/* SB_KERNMOUNT: kern_unmount() tears it down before returning */
	mnt = vfs_kern_mount(type, SB_KERNMOUNT, server, data);
	module_put(type->owner);	/* put_filesystem() */
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(mnt), "mount %s -o %s: %ld",
			       server, opts, PTR_ERR_OR_ZERO(mnt));
	env->mnt[i] = mnt;
	return mnt;
}

struct file *rxl_open(struct kunit *test, struct rxl_env *env,
		      struct vfsmount *mnt, const char *name, int flags)
{
	struct file *f;
	int i;

	for (i = 0; i < RXL_MAX_FILES && env->file[i]; i++)
		;
	KUNIT_ASSERT_LT(test, i, RXL_MAX_FILES);
	f = file_open_root_mnt(mnt, name, flags, 0644);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(f), "open %s: %ld", name,
			       PTR_ERR_OR_ZERO(f));
	env->file[i] = f;
	return f;
}

static void rxl_cleanup_work(struct work_struct *work)
{
	struct rxl_env *env = container_of(work, struct rxl_env, cleanup);
	int i;

	for (i = RXL_MAX_FILES - 1; i >= 0; i--) {
		if (env->file[i])
			__fput_sync(env->file[i]);
		env->file[i] = NULL;
	}
	for (i = RXL_MAX_MOUNTS - 1; i >= 0; i--) {
		if (env->mnt[i])
			kern_unmount(env->mnt[i]);
		env->mnt[i] = NULL;
	}
}

/*
 * Close the files, then unmount, before returning.  fput() defers the
 * close, and __fput_sync() wants a kthread: after a failed assertion KUnit
 * runs .exit in the task that started the tests, so a worker does it.
 */
void rxl_cleanup(struct rxl_env *env)
{
	INIT_WORK(&env->cleanup, rxl_cleanup_work);
	schedule_work(&env->cleanup);
	flush_work(&env->cleanup);
}

u64 rxl_ops(struct vfsmount *mnt, unsigned int op)
{
	return atomic64_read(&rxl_of(mnt)->ops[op]);
}

u64 rxl_all_ops(struct vfsmount *mnt)
{
	u64 n = 0;
	unsigned int op;

	for (op = 0; op < RXLOOP_OP_NR; op++)
		n += rxl_ops(mnt, op);
	return n;
}

u64 rxl_bytes_written(struct vfsmount *mnt)
{
	return atomic64_read(&rxl_of(mnt)->bytes_written);
}
