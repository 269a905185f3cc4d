// SPDX-License-Identifier: GPL-2.0
/*
 * rxloop: a memory-backed mini-redirector for testing rdbss, filesystem
 * type "rxloop".  See README for the mount options.
 */
#include <linux/build_bug.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>
#include "rxloop.h"

/* completions (complete=workqueue|delayed) and deferred server frees */
struct workqueue_struct *rxloop_wq;

static struct rx_minirdr rxloop_minirdr = {
	.name			= RXLOOP_FS_NAME,
	.owner			= THIS_MODULE,
	.ops			= &rxloop_ops,
	.srv_call_ext_size	= sizeof(struct rxloop_srv_call),
	.net_root_ext_size	= sizeof(struct rxloop_mount),
	.fcb_ext_size		= sizeof(struct rxloop_fcb),
	.srv_open_ext_size	= sizeof(struct rxloop_open),
	.magic			= RXLOOP_MAGIC,
};

static int __init rxloop_init(void)
{
	int err;

	/* the statistics are indexed by the framework's operation codes */
	BUILD_BUG_ON(RXLOOP_OP_READ != LOWIO_OP_READ);
	BUILD_BUG_ON(RXLOOP_OP_WRITE != LOWIO_OP_WRITE);
	BUILD_BUG_ON(RXLOOP_OP_SHAREDLOCK != LOWIO_OP_SHAREDLOCK);
	BUILD_BUG_ON(RXLOOP_OP_EXCLUSIVELOCK != LOWIO_OP_EXCLUSIVELOCK);
	BUILD_BUG_ON(RXLOOP_OP_UNLOCK != LOWIO_OP_UNLOCK);
	BUILD_BUG_ON(RXLOOP_OP_UNLOCK_MULTIPLE != LOWIO_OP_UNLOCK_MULTIPLE);
	BUILD_BUG_ON(RXLOOP_OP_FSCTL != LOWIO_OP_FSCTL);
	BUILD_BUG_ON(RXLOOP_OP_IOCTL != LOWIO_OP_IOCTL);

	/* writeback completes through it: it must run under reclaim */
	rxloop_wq = alloc_workqueue("rxloop", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	if (!rxloop_wq)
		return -ENOMEM;
	err = rx_register_minirdr(&rxloop_minirdr);
	if (err)
		destroy_workqueue(rxloop_wq);
	return err;
}

static void __exit rxloop_exit(void)
{
	/* module references held by mounts make this unreachable while busy */
	WARN_ON(rx_unregister_minirdr(&rxloop_minirdr));
	/*
	 * Operations cancelled before their completion ran may still hold a
	 * pending item (a delayed_work, an RCU callback): let them finish,
	 * and the RCU callbacks return, before the code goes away.
	 */
	wait_var_event(&rxloop_live_pending,
		       !atomic_read(&rxloop_live_pending));
	rcu_barrier();
	/* runs the server frees the RCU callbacks queued */
	destroy_workqueue(rxloop_wq);
}

module_init(rxloop_init);
module_exit(rxloop_exit);
MODULE_DESCRIPTION("Memory-backed test mini-redirector for rdbss (filesystem type rxloop)");
MODULE_AUTHOR("The rdbss developers");
MODULE_VERSION(RDBSS_VERSION);
MODULE_LICENSE("GPL");
MODULE_ALIAS_FS("rxloop");
