/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct rx_context (RX_CONTEXT): one per request.
 *
 * Created by the framework for every VFS operation that reaches a
 * mini-redirector, reference counted, and freed only when the last
 * reference is dropped: an asynchronous low I/O operation holds one
 * reference from submit to completion.
 */
#ifndef _RDBSS_RXCONTEXT_H
#define _RDBSS_RXCONTEXT_H

#include <linux/completion.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <linux/dcache.h>
#include <rdbss/lowio.h>
#include <rdbss/status.h>
#include <rdbss/compat.h>

struct rx_fcb;
struct rx_fobx;
struct rx_srv_open;
struct rx_v_net_root;
struct rx_minirdr;
struct rx_attrs;
struct dir_context;
struct kstatfs;
struct iattr;

/* IRP_MJ_* analogues */
enum rx_major {
	RX_MJ_CREATE,
	RX_MJ_CLOSE,
	RX_MJ_READ,
	RX_MJ_WRITE,
	RX_MJ_QUERY_INFORMATION,
	RX_MJ_SET_INFORMATION,
	RX_MJ_QUERY_VOLUME_INFORMATION,
	RX_MJ_DIRECTORY_CONTROL,
	RX_MJ_FLUSH_BUFFERS,
	RX_MJ_LOCK_CONTROL,
	RX_MJ_FILE_SYSTEM_CONTROL,
	RX_MJ_DEVICE_CONTROL,
	RX_MJ_CLEANUP,
	RX_MJ_MAXIMUM,
};

/* Minor codes of RX_MJ_CREATE: which namespace operation. */
enum rx_minor_create {
	RX_MN_LOOKUP,
	RX_MN_OPEN,
	RX_MN_CREATE_FILE,
	RX_MN_MKDIR,
	RX_MN_UNLINK,
	RX_MN_RMDIR,
	RX_MN_RENAME,
	RX_MN_LINK,
	RX_MN_SYMLINK,
	RX_MN_MKNOD,
	RX_MN_READLINK,
};

/* RX_CONTEXT_FLAG_*: bit numbers in rx_context.flags */
enum rx_context_flag {
	RX_CONTEXT_WAIT,		/* the submitter waits for the result */
	RX_CONTEXT_ASYNC_OPERATION,	/* completes through a routine */
	RX_CONTEXT_IN_FSP,		/* running on a framework worker */
	RX_CONTEXT_CANCELLED,		/* calls down return -ECANCELED */
	RX_CONTEXT_NEEDRECONNECT,
	RX_CONTEXT_WRITE_THROUGH,
	RX_CONTEXT_RECURSIVE_CALL,
	RX_CONTEXT_MINIRDR_INITIATED,
	RX_CONTEXT_COMPLETED,		/* the low I/O completion has run */
	RX_CONTEXT_INTERRUPTIBLE,	/* any signal interrupts the wait */
};

#define RX_MRX_CONTEXT_SLOTS 4

struct rx_context {
	refcount_t ref;
	u8 major;
	u8 minor;
	unsigned long flags;
	/* names it in debugfs and the tracepoints, where pointers are hashed */
	unsigned int debug_id;

	const struct rx_minirdr *minirdr;
	struct rx_fcb *fcb;
	struct rx_fobx *fobx;
	struct rx_srv_open *srv_open;
	struct rx_v_net_root *v_net_root;
	struct task_struct *original_thread;

	/* StoredStatus and InformationToReturn */
	int stored_status;
	ssize_t information;

	/* MRxContext: mini-redirector scratch, zeroed before each call down */
	void *mrx_context[RX_MRX_CONTEXT_SLOTS];
	/* MRxCancelRoutine: set by the mini-redirector while it can cancel */
	int (*mrx_cancel)(struct rx_context *ctx);
	/* ktime_get_ns() at the last call down, for the statistics */
	u64 start_ns;

	/* debugfs "contexts": the list of contexts alive, and who made this */
	struct list_head alive_link;
	int alive_cpu;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	u64 create_ns;

	/* SyncEvent */
	struct completion sync_event;
	/* WorkQueueItem: caller-owned, used by rx_post_to_worker() */
	struct work_struct work_item;
	void (*post_routine)(struct rx_context *ctx);
	/* the DISPATCH-level item, used by rx_post_to_dispatch() */
	struct rx_dispatch_item dispatch_item;
	void (*dispatch_routine)(struct rx_context *ctx);

	struct lowio_context lowio;
	/* the framework's own per-request state (an I/O batch) */
	void *io_request;
	/* AssociatedIrp.SystemBuffer: kernel copy of an ioctl argument */
	void *system_buffer;
	size_t system_buffer_len;

	/* Per-operation parameters (the RX_CONTEXT union). */
	union {
		struct {
			struct rx_fcb *parent;	/* NULL: the share's root */
			struct qstr name;
			umode_t mode;
			dev_t rdev;		/* mknod */
			unsigned int open_flags;
			const char *symlink;	/* symlink: the target */
			struct rx_fcb *target;	/* link: the existing file */
			struct rx_attrs *attrs;	/* filled on success */
		} create;
		struct {
			struct rx_fcb *fcb;	/* the file being renamed */
			struct rx_fcb *target;	/* the file replaced, or NULL */
			struct rx_fcb *old_parent;
			struct qstr old_name;
			struct rx_fcb *new_parent;
			struct qstr new_name;
			unsigned int flags;	/* RENAME_NOREPLACE */
		} rename;
		struct {
			char *buf;		/* readlink: information = length */
			size_t size;
		} readlink;
		struct {
			const char *name;	/* NULL: list the names */
			void *value;		/* set: NULL removes the name */
			size_t size;		/* get: 0 asks for the size only */
			int flags;		/* XATTR_CREATE, XATTR_REPLACE */
		} ea;
		struct {
			loff_t start;
			loff_t end;
			bool datasync;
		} flush;
		struct {
			struct rx_attrs *attrs;
		} query_info;
		struct {
			struct iattr *iattr;
		} set_info;
		struct {
			struct dir_context *actor;
			bool eof;
		} query_dir;
		struct {
			struct kstatfs *buf;
		} volume;
	} info;
};

unsigned int rx_next_debug_id(void);
struct rx_context *rx_create_context(const struct rx_minirdr *minirdr,
				     u8 major, u8 minor, gfp_t gfp);
void rx_reference_context(struct rx_context *ctx);
void rx_dereference_context(struct rx_context *ctx);
void rx_prepare_call_down(struct rx_context *ctx);

static inline bool rx_context_cancelled(const struct rx_context *ctx)
{
	return test_bit(RX_CONTEXT_CANCELLED, &ctx->flags);
}

#endif /* _RDBSS_RXCONTEXT_H */
