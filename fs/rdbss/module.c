// SPDX-License-Identifier: GPL-2.0
/*
 * rdbss: the Redirected Drive Buffering Subsystem model for Linux network
 * mini-redirectors.
 */
#include <linux/module.h>
#include "internal.h"

static int __init rdbss_init(void)
{
	int err;

	rx_debugfs_init();
	err = rx_context_init();
	if (err)
		goto out_debugfs;
	err = rx_worker_init();
	if (err)
		goto out_context;
	return 0;

out_context:
	rx_context_exit();
out_debugfs:
	rx_debugfs_exit();
	return err;
}

static void __exit rdbss_exit(void)
{
	rx_worker_exit();
	rx_context_exit();
	rx_debugfs_exit();
}

module_init(rdbss_init);
module_exit(rdbss_exit);
MODULE_DESCRIPTION("RDBSS framework for network mini-redirectors");
MODULE_AUTHOR("The rdbss developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(RDBSS_VERSION);
