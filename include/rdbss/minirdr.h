/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct rx_minirdr_ops (MINIRDR_DISPATCH) and registration.
 *
 * A mini-redirector fills a struct rx_minirdr with its name (also the
 * filesystem type name), the sizes of its object extensions and its
 * dispatch table, and calls rx_register_minirdr().  The framework then
 * owns the VFS side: the filesystem type, the mount API, the super_block,
 * inodes, dentries and files, and calls down through the table with an
 * rx_context for each operation.
 *
 * Unless said otherwise, every entry is called in process context
 * (PASSIVE) and may sleep.
 */
#ifndef _RDBSS_MINIRDR_H
#define _RDBSS_MINIRDR_H

#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <rdbss/rxcontext.h>
#include <rdbss/objects.h>

struct seq_file;

struct rx_minirdr_ops {
	/* --- mount options: the framework owns the fs_context --- */
	const struct fs_parameter_spec *parameters;
	/* allocate and default the option block (fc->fs_private's opts) */
	void *(*alloc_opts)(struct fs_context *fc);
	void (*free_opts)(void *opts);
	/* one parsed option; -ENOPARAM for one the mini-redirector lacks */
	int (*parse_param)(void *opts, struct fs_context *fc,
			   struct fs_parameter *param);
	/*
	 * Check the options as a whole and return the key that names the
	 * srv_call (server and transport options) in a kmalloc'd string.
	 */
	char *(*srv_call_key)(void *opts, struct fs_context *fc);
	int (*show_options)(struct seq_file *m, struct rx_net_root *net_root);
	/*
	 * Its own lines of /proc/self/mountstats, after the framework's
	 * (optional; the rules are in Documentation/filesystems/rdbss.rst).
	 */
	void (*show_stats)(struct seq_file *m, struct rx_net_root *net_root);
	/*
	 * debugfs (optional): the connection of @sc and its requests, and
	 * the wire requests made for @ctx.  Process context; take only the
	 * mini-redirector's own locks: framework locks may be held.
	 */
	void (*debug_show_srv_call)(struct seq_file *m, struct rx_srv_call *sc);
	void (*debug_show_context)(struct seq_file *m, struct rx_context *ctx);

	/* --- connection --- */
	/* MRxCreateSrvCall: connect and negotiate */
	int (*create_srv_call)(struct rx_srv_call *sc, void *opts,
			       struct fs_context *fc);
	/* MRxFinalizeSrvCall */
	void (*finalize_srv_call)(struct rx_srv_call *sc);
	/*
	 * umount -f: stop waiting for the server; everything outstanding
	 * on @net_root's srv_call fails (optional).
	 */
	void (*umount_begin)(struct rx_net_root *net_root);
	/* MRxCreateVNetRoot: attach as vnr->uid */
	int (*create_v_net_root)(struct rx_v_net_root *vnr,
				 struct fs_context *fc);
	/* MRxFinalizeVNetRoot */
	void (*finalize_v_net_root)(struct rx_v_net_root *vnr);

	/* --- names (RX_MJ_CREATE and its minors) --- */
	/*
	 * Resolve info.create.name in info.create.parent (NULL: the root)
	 * and fill info.create.attrs.  What the mini-redirector needs to
	 * keep for the file goes in ctx->mrx_context[] and is handed to
	 * fcb_found() once the framework has found or created the inode.
	 */
	int (*lookup)(struct rx_context *ctx);
	void (*fcb_found)(struct rx_context *ctx, struct rx_fcb *fcb,
			  bool is_new);
	int (*create)(struct rx_context *ctx);	/* regular file */
	int (*mkdir)(struct rx_context *ctx);
	int (*unlink)(struct rx_context *ctx);	/* minor UNLINK or RMDIR */
	int (*rename)(struct rx_context *ctx);	/* info.rename */
	int (*link)(struct rx_context *ctx);	/* info.create.target */
	int (*symlink)(struct rx_context *ctx);	/* info.create.symlink */
	int (*mknod)(struct rx_context *ctx);	/* info.create.mode, rdev */
	/* info.readlink: copy the target, set ctx->information to its length */
	int (*readlink)(struct rx_context *ctx);
	/* MRxDeallocateForFcb */
	void (*deallocate_fcb)(struct rx_fcb *fcb);

	/* --- open and close --- */
	/* MRxCreate: open ctx->srv_open (allocated by the framework) */
	int (*open)(struct rx_context *ctx);
	/* MRxCloseSrvOpen: the last reference to a srv_open went away */
	void (*close_srv_open)(struct rx_srv_open *so);
	/*
	 * MRxShouldTryToCollapseThisOpen: may this open share @so?  Without
	 * it, opens of one file by one user with the same access mode share.
	 */
	bool (*should_collapse_open)(struct rx_context *ctx,
				     struct rx_srv_open *so);
	/* MRxFlush: make what was written durable (fsync), info.flush */
	int (*flush)(struct rx_context *ctx);

	/* --- metadata --- */
	int (*query_info)(struct rx_context *ctx);	/* getattr */
	int (*set_info)(struct rx_context *ctx);	/* setattr */
	/*
	 * MRxQueryDirectory: emit entries with rx_dir_emit() from
	 * ctx->info.query_dir.actor->pos on; set info.query_dir.eof at the end.
	 */
	int (*query_directory)(struct rx_context *ctx);
	int (*query_volume)(struct rx_context *ctx);	/* statfs */
	/*
	 * MRxQueryEaInfo / MRxSetEaInfo: extended attributes, info.ea.
	 * query_ea sets ctx->information to the value (or list) length.
	 */
	int (*query_ea)(struct rx_context *ctx);
	int (*set_ea)(struct rx_context *ctx);

	/*
	 * --- data: MRxLowIOSubmit[] ---
	 * READ/WRITE: params.rw; may complete from any context.
	 * SHAREDLOCK/EXCLUSIVELOCK/UNLOCK: params.locks; a blocking lock
	 * (no FAIL_IMMEDIATELY) may wait for the server and must be
	 * cancellable through ctx->mrx_cancel.
	 * FSCTL/IOCTL: params.ioctl, buffers from rx_map_system_buffer().
	 */
	int (*lowio_submit[LOWIO_OP_MAXIMUM])(struct rx_context *ctx);
};

struct rx_minirdr {
	/* set by the mini-redirector */
	const char *name;
	struct module *owner;
	const struct rx_minirdr_ops *ops;
	size_t srv_call_ext_size;
	size_t net_root_ext_size;
	size_t v_net_root_ext_size;
	size_t fcb_ext_size;
	size_t srv_open_ext_size;
	size_t fobx_ext_size;
	u32 magic;				/* statfs f_type */

	/* owned by the framework */
	struct file_system_type fs_type;
	struct kmem_cache *inode_cache;
	struct mutex lock;			/* srv_calls, mounts */
	struct list_head srv_calls;
	unsigned int mounts;
	bool unregistering;			/* no new mounts */
	struct list_head link;
};

int rx_register_minirdr(struct rx_minirdr *mr);
int rx_unregister_minirdr(struct rx_minirdr *mr);

/* /sys/kernel/debug/rdbss, for a mini-redirector's own files */
struct dentry *rx_debugfs_dir(void);

/* Hand one directory entry to the VFS; false: stop, the buffer is full. */
bool rx_dir_emit(struct rx_context *ctx, const char *name, size_t len,
		 u64 ino, unsigned int dtype, loff_t next);

/*
 * RxChangeBufferingState: move @fcb to @state.  Dirty data is written back
 * when write caching is dropped and cached pages are dropped when read
 * caching is; PASSIVE.  From DISPATCH, use rx_request_buffering_change().
 */
int rx_change_buffering_state(struct rx_fcb *fcb, enum rx_buffering state);
void rx_request_buffering_change(struct rx_fcb *fcb, enum rx_buffering state);

#endif /* _RDBSS_MINIRDR_H */
