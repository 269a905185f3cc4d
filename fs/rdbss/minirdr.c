// SPDX-License-Identifier: GPL-2.0
/*
 * Mini-redirector registration (RxRegisterMinirdr / RxUnregisterMinirdr):
 * each mini-redirector gets its own filesystem type and inode cache.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include "internal.h"

/**
 * rx_register_minirdr - register a mini-redirector and its filesystem type
 * @mr: the mini-redirector; name, owner, ops and extension sizes set
 *
 * PASSIVE.  Returns 0 or a negative errno.
 */
int rx_register_minirdr(struct rx_minirdr *mr)
{
	int err;

	if (!mr->name || !mr->ops || !mr->ops->lookup || !mr->ops->fcb_found ||
	    !mr->ops->create_srv_call || !mr->ops->create_v_net_root ||
	    !mr->ops->srv_call_key || !mr->ops->alloc_opts)
		return -EINVAL;

	mutex_init(&mr->lock);
	INIT_LIST_HEAD(&mr->srv_calls);
	mr->mounts = 0;
	mr->unregistering = false;
	mr->inode_cache = kmem_cache_create(mr->name,
					    sizeof(struct rx_inode) +
					    mr->fcb_ext_size, 0,
					    SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
					    rx_inode_init_once);
	if (!mr->inode_cache)
		return -ENOMEM;

	mr->fs_type.name = mr->name;
	mr->fs_type.owner = mr->owner;
	mr->fs_type.init_fs_context = rx_init_fs_context;
	mr->fs_type.parameters = mr->ops->parameters;
	mr->fs_type.kill_sb = rx_kill_sb;
	err = register_filesystem(&mr->fs_type);
	if (err) {
		kmem_cache_destroy(mr->inode_cache);
		return err;
	}
	pr_info("rdbss: mini-redirector %s registered\n", mr->name);
	return 0;
}
EXPORT_SYMBOL_GPL(rx_register_minirdr);

/**
 * rx_unregister_minirdr - undo rx_register_minirdr()
 * @mr: the mini-redirector
 *
 * Refused with -EBUSY while a mount of it exists.  PASSIVE.
 */
int rx_unregister_minirdr(struct rx_minirdr *mr)
{
	mutex_lock(&mr->lock);
	if (mr->mounts) {
		mutex_unlock(&mr->lock);
		return -EBUSY;
	}
	/* a mount racing with this one fails in rx_fill_super() */
	mr->unregistering = true;
	mutex_unlock(&mr->lock);
	unregister_filesystem(&mr->fs_type);
	/* inodes are freed after an RCU grace period */
	rcu_barrier();
	kmem_cache_destroy(mr->inode_cache);
	WARN_ON(!list_empty(&mr->srv_calls));
	return 0;
}
EXPORT_SYMBOL_GPL(rx_unregister_minirdr);
