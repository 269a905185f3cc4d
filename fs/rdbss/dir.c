// SPDX-License-Identifier: GPL-2.0
/*
 * Directories: readdir through the mini-redirector's query_directory
 * (MRxQueryDirectory), with every name from the server checked before it
 * reaches the VFS.
 */
#include <linux/fs.h>
#include <linux/string.h>
#include "internal.h"

/**
 * rx_dir_emit - hand one directory entry from the server to the VFS
 * @ctx: the RX_MJ_DIRECTORY_CONTROL context
 * @name: the entry's name, not NUL-terminated
 * @len: its length
 * @ino: its inode number
 * @dtype: its DT_* type
 * @next: the position (server cookie) of the entry after it
 *
 * Names that could not come from a sane server (empty, too long, with '/'
 * or NUL, a second "." or "..") are skipped with a rate-limited warning.
 * Returns false when the caller's buffer is full: stop and resume later
 * from the same position.
 */
bool rx_dir_emit(struct rx_context *ctx, const char *name, size_t len,
		 u64 ino, unsigned int dtype, loff_t next)
{
	struct dir_context *actor = ctx->info.query_dir.actor;
	unsigned int dot = 0;

	if (len && len <= 2 && !memcmp(name, "..", len))
		dot = len;	/* bit 0: ".", bit 1: ".." */
	if (!len || len > RX_MAX_NAME || memchr(name, '/', len) ||
	    memchr(name, '\0', len) || (ctx->fobx->dots_seen & dot)) {
		pr_warn_ratelimited("rdbss: %s: server sent an invalid name in a directory listing; skipped\n",
				    ctx->minirdr->name);
		actor->pos = next;
		return true;
	}
	if (dtype > 15)
		dtype = DT_UNKNOWN;
	if (!dir_emit(actor, name, len, ino, dtype))
		return false;
	ctx->fobx->dots_seen |= dot;
	actor->pos = next;
	return true;
}
EXPORT_SYMBOL_GPL(rx_dir_emit);

static int rx_readdir(struct file *file, struct dir_context *actor)
{
	struct inode *inode = file_inode(file);
	struct rx_minirdr *mr = rx_sb_minirdr(inode->i_sb);
	struct rx_context *ctx;
	struct rx_fobx *fobx;
	int status;

	if (!mr->ops->query_directory)
		return -EOPNOTSUPP;
	ctx = rx_create_file_context(file, RX_MJ_DIRECTORY_CONTROL, 0,
				     GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->info.query_dir.actor = actor;
	fobx = ctx->fobx;
	if (!actor->pos) {	/* a rewind: "." and ".." may come again */
		fobx->dots_seen = 0;
		fobx->at_eof = false;
	}
	/*
	 * The call after the one that reached the end (getdents until it
	 * returns nothing) need not ask again: what was added since the
	 * opendir or the last rewind need not be listed (POSIX).
	 */
	if (fobx->at_eof && actor->pos == fobx->eof_pos) {
		rx_dereference_context(ctx);
		return 0;
	}
	rx_prepare_call_down(ctx);
	status = mr->ops->query_directory(ctx);
	rx_stats_done(ctx, RX_OP_READDIR, status);
	if (!status && ctx->info.query_dir.eof) {
		fobx->at_eof = true;
		fobx->eof_pos = actor->pos;
	}
	rx_dereference_context(ctx);
	return rx_status_to_errno(status);
}

const struct file_operations rx_dir_ops = {
	.open		= rx_open_common,
	.release	= rx_release_common,
	.iterate_shared	= rx_readdir,
	.llseek		= generic_file_llseek,
	.read		= generic_read_dir,
	.unlocked_ioctl	= rx_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};
