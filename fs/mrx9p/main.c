// SPDX-License-Identifier: GPL-2.0
/*
 * mrx9p: a 9P2000.L mini-redirector for rdbss, filesystem type "rx9p".
 */
#include <linux/module.h>
#include <linux/workqueue.h>
#include "mrx9p.h"

struct workqueue_struct *mrx9p_wq;

static struct rx_minirdr mrx9p_minirdr = {
	.name			= MRX9P_NAME,
	.owner			= THIS_MODULE,
	.ops			= &mrx9p_ops,
	.srv_call_ext_size	= sizeof(struct p9_conn),
	.v_net_root_ext_size	= sizeof(struct mrx9p_vnr),
	.fcb_ext_size		= sizeof(struct mrx9p_fcb),
	.srv_open_ext_size	= sizeof(struct mrx9p_open),
	.magic			= MRX9P_MAGIC,
};

static int __init mrx9p_init(void)
{
	int err;

	/* replies complete writeback: the reader must run under reclaim */
	mrx9p_wq = alloc_workqueue("mrx9p_rx",
				   WQ_MEM_RECLAIM | WQ_HIGHPRI | WQ_UNBOUND, 0);
	if (!mrx9p_wq)
		return -ENOMEM;
	err = rx_register_minirdr(&mrx9p_minirdr);
	if (err)
		destroy_workqueue(mrx9p_wq);
	return err;
}

static void __exit mrx9p_exit(void)
{
	/* module references held by mounts make this unreachable while busy */
	WARN_ON(rx_unregister_minirdr(&mrx9p_minirdr));
	destroy_workqueue(mrx9p_wq);
}

module_init(mrx9p_init);
module_exit(mrx9p_exit);
MODULE_DESCRIPTION("9P2000.L mini-redirector for rdbss (filesystem type rx9p)");
MODULE_AUTHOR("The rdbss developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(RDBSS_VERSION);
MODULE_ALIAS_FS("rx9p");
