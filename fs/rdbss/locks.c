// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX byte-range locks and flock through the LOCK low I/O operations
 * (LOWIO_OP_SHAREDLOCK / EXCLUSIVELOCK / UNLOCK).  The server arbitrates
 * between clients; the local lock table keeps the VFS's view (F_GETLK of
 * our own locks, release on close) in step with it.
 */
#include <linux/fs.h>
#include <linux/hash.h>
#include "internal.h"

static u32 rx_lock_key(struct file_lock *fl)
{
	return hash_ptr(rx_fl_owner(fl), 32);
}

/* One LOCK low I/O for @fl; waits (interruptibly) when @wait. */
static int rx_lock_lowio(struct file *file, struct file_lock *fl,
			 enum lowio_op op, unsigned int flags, bool is_flock,
			 struct rx_context **ctxp)
{
	struct rx_context *ctx;
	int status;

	ctx = rx_create_file_context(file, RX_MJ_LOCK_CONTROL, 0, GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	set_bit(RX_CONTEXT_WAIT, &ctx->flags);
	if (!(flags & LOWIO_LOCK_FAIL_IMMEDIATELY))
		set_bit(RX_CONTEXT_INTERRUPTIBLE, &ctx->flags);
	ctx->lowio.operation = op;
	ctx->lowio.params.locks.flags = flags;
	ctx->lowio.params.locks.flock = is_flock;
	ctx->lowio.params.locks.key = rx_lock_key(fl);
	if (is_flock) {
		ctx->lowio.params.locks.offset = 0;
		ctx->lowio.params.locks.length = 0;
	} else {
		ctx->lowio.params.locks.offset = fl->fl_start;
		ctx->lowio.params.locks.length = fl->fl_end == OFFSET_MAX ? 0 :
			fl->fl_end - fl->fl_start + 1;
	}
	status = rx_status_to_errno(rx_lowio_submit(ctx));
	if (ctxp && !status)
		*ctxp = ctx;
	else
		rx_dereference_context(ctx);
	return status;
}

static int rx_getlk(struct file *file, struct file_lock *fl)
{
	struct rx_context *ctx = NULL;
	enum lowio_op op = rx_fl_type(fl) == F_WRLCK ? LOWIO_OP_EXCLUSIVELOCK :
						       LOWIO_OP_SHAREDLOCK;
	unsigned int flags = LOWIO_LOCK_TEST | LOWIO_LOCK_FAIL_IMMEDIATELY;
	int status;

	if (op == LOWIO_OP_EXCLUSIVELOCK)
		flags |= LOWIO_LOCK_EXCLUSIVE;
	/* our own conflicting locks are known locally */
	posix_test_lock(file, fl);
	if (rx_fl_type(fl) != F_UNLCK)
		return 0;
	rx_fl_type(fl) = op == LOWIO_OP_EXCLUSIVELOCK ? F_WRLCK : F_RDLCK;
	status = rx_lock_lowio(file, fl, op, flags, false, &ctx);
	if (status)
		return status;
	if (!ctx->lowio.params.locks.conflict) {
		rx_fl_type(fl) = F_UNLCK;
	} else {
		struct lowio_context *l = &ctx->lowio;

		rx_fl_type(fl) = l->params.locks.conflict_exclusive ? F_WRLCK :
								   F_RDLCK;
		fl->fl_start = l->params.locks.conflict_offset;
		fl->fl_end = l->params.locks.conflict_length ?
			fl->fl_start + l->params.locks.conflict_length - 1 :
			OFFSET_MAX;
		rx_fl_pid(fl) = -1;	/* the holder is another machine's */
	}
	rx_dereference_context(ctx);
	return 0;
}

static int rx_setlk(struct file *file, struct file_lock *fl, bool wait,
		    bool is_flock)
{
	unsigned int flags = wait ? 0 : LOWIO_LOCK_FAIL_IMMEDIATELY;
	enum lowio_op op;
	int status, err;

	if (rx_fl_type(fl) == F_UNLCK) {
		/* drop it here first: the server's copy must not outlive ours */
		status = locks_lock_file_wait(file, fl);
		err = rx_lock_lowio(file, fl, LOWIO_OP_UNLOCK, 0, is_flock, NULL);
		return status ?: err;
	}
	if (rx_fl_type(fl) == F_WRLCK) {
		op = LOWIO_OP_EXCLUSIVELOCK;
		flags |= LOWIO_LOCK_EXCLUSIVE;
	} else {
		op = LOWIO_OP_SHAREDLOCK;
	}
	status = rx_lock_lowio(file, fl, op, flags, is_flock, NULL);
	if (status == -EINTR)
		return -ERESTARTSYS;
	if (status)
		return status;
	status = locks_lock_file_wait(file, fl);
	if (status) {
		unsigned char type = rx_fl_type(fl);

		rx_fl_type(fl) = F_UNLCK;
		rx_lock_lowio(file, fl, LOWIO_OP_UNLOCK, 0, is_flock, NULL);
		rx_fl_type(fl) = type;
	}
	return status;
}

int rx_lock(struct file *file, int cmd, struct file_lock *fl)
{
	if (!(rx_fl_flags(fl) & FL_POSIX))
		return -ENOLCK;
	if (IS_GETLK(cmd))
		return rx_getlk(file, fl);
	return rx_setlk(file, fl, IS_SETLKW(cmd), false);
}

int rx_flock(struct file *file, int cmd, struct file_lock *fl)
{
	if (!(rx_fl_flags(fl) & FL_FLOCK))
		return -ENOLCK;
	return rx_setlk(file, fl, IS_SETLKW(cmd), true);
}
