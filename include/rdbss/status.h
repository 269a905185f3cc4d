/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdbss status values.
 *
 * Every framework and mini-redirector routine returns an int status:
 *   0                          success (STATUS_SUCCESS)
 *   a negative errno           failure, passed to the VFS as is
 *   RX_STATUS_PENDING          the operation continues asynchronously and
 *                              will end with rx_lowio_completion()
 *   RX_STATUS_MORE_PROCESSING  the caller must not finish the request: its
 *                              completion runs (or ran) elsewhere
 *                              (STATUS_MORE_PROCESSING_REQUIRED)
 *   RX_STATUS_RETRY            the request must be submitted again
 *
 * The positive values never reach user space: rx_status_to_errno() is the
 * single place they are mapped at the VFS boundary.
 */
#ifndef _RDBSS_STATUS_H
#define _RDBSS_STATUS_H

#include <linux/errno.h>
#include <linux/bug.h>

enum rx_status {
	RX_STATUS_SUCCESS = 0,
	RX_STATUS_PENDING = 1,
	RX_STATUS_MORE_PROCESSING = 2,
	RX_STATUS_RETRY = 3,
};

static inline int rx_status_to_errno(int status)
{
	if (status <= 0)
		return status;
	/* An internal status leaking to the VFS is a framework bug. */
	WARN_ON_ONCE(1);
	return -EIO;
}

#endif /* _RDBSS_STATUS_H */
