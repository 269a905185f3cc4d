// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl through the FSCTL / IOCTL low I/O operations.  The argument is
 * copied into a zeroed kernel buffer first (the METHOD_BUFFERED system
 * buffer, see rx_map_system_buffer()), so a mini-redirector never touches
 * user memory and never sends uninitialised kernel memory on.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "internal.h"

/* Larger arguments are refused rather than trusted. */
#define RX_IOCTL_MAX	(64 * 1024)

long rx_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	size_t size = _IOC_SIZE(cmd);
	unsigned int dir = _IOC_DIR(cmd);
	struct rx_context *ctx;
	bool fsctl;
	void *buf;
	long ret;

	if (size > RX_IOCTL_MAX)
		return -ENOTTY;
	/* FS_IOC_* and friends are file system controls */
	fsctl = _IOC_TYPE(cmd) == 'f' || _IOC_TYPE(cmd) == 'X';
	buf = size ? kzalloc(size, GFP_KERNEL) : NULL;
	if (size && !buf)
		return -ENOMEM;
	if ((dir & _IOC_WRITE) && size && copy_from_user(buf, uarg, size)) {
		kfree(buf);
		return -EFAULT;
	}

	ctx = rx_create_file_context(file, fsctl ? RX_MJ_FILE_SYSTEM_CONTROL :
						   RX_MJ_DEVICE_CONTROL,
				     0, GFP_KERNEL);
	if (!ctx) {
		kfree(buf);
		return -ENOMEM;
	}
	set_bit(RX_CONTEXT_WAIT, &ctx->flags);
	set_bit(RX_CONTEXT_INTERRUPTIBLE, &ctx->flags);
	ctx->system_buffer = buf;
	ctx->system_buffer_len = size;
	ctx->lowio.operation = fsctl ? LOWIO_OP_FSCTL : LOWIO_OP_IOCTL;
	ctx->lowio.params.ioctl.code = cmd;
	ctx->lowio.params.ioctl.in = (dir & _IOC_WRITE) ? buf : NULL;
	ctx->lowio.params.ioctl.in_len = (dir & _IOC_WRITE) ? size : 0;
	ctx->lowio.params.ioctl.out = (dir & _IOC_READ) ? buf : NULL;
	ctx->lowio.params.ioctl.out_len = (dir & _IOC_READ) ? size : 0;

	ret = rx_status_to_errno(rx_lowio_submit(ctx));
	/* no handler, or one that does not know the code: not a tty */
	if (ret == -EOPNOTSUPP)
		ret = -ENOTTY;
	if (!ret && (dir & _IOC_READ) && size) {
		size_t n = clamp_t(ssize_t, ctx->information, 0, size);

		if (copy_to_user(uarg, buf, n))
			ret = -EFAULT;
	}
	rx_dereference_context(ctx);
	kfree(buf);
	return ret;
}
