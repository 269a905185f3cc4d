/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rxloop internals: a memory-backed mini-redirector for tests.
 *
 * The "server" is a tree of nodes in memory, one per srv_call (that is,
 * per SERVERNAME and size=), shared by every mount of it.  Low I/O is
 * served from it and completed in the way the mount's complete= option
 * asks, so that tests reach every completion path of the framework.
 *
 * Locks, outermost first:
 *   srv->tree_sem     the namespace (directories, names, parents)
 *   node->io_mutex    the data of one file (writes, truncation)
 *   node->lock        the attributes and extended attributes of one node
 *   srv->plock (_bh)  pending operations, byte-range locks and waiters
 * node->pages' own xa_lock nests inside io_mutex; srv->nodes' xa_lock is a
 * leaf.  Nothing sleeps under node->lock or srv->plock.
 */
#ifndef _RXLOOP_H
#define _RXLOOP_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/time64.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <rdbss/minirdr.h>
#include <rdbss/worker.h>
#include "rxloop_ioctl.h"

#define RXLOOP_FS_NAME		"rxloop"
#define RXLOOP_MAGIC		0x52584c50	/* "RXLP" */
#define RXLOOP_NAME_MAX		255
#define RXLOOP_SOURCE_MAX	255

#define RXLOOP_DEFAULT_SIZE	((u64)SZ_512M)
#define RXLOOP_MIN_SIZE		((u64)SZ_1M)
#define RXLOOP_MAX_SIZE		((u64)SZ_16G)
#define RXLOOP_DEFAULT_MAX_IO	SZ_256K
#define RXLOOP_MIN_MAX_IO	512U
#define RXLOOP_MAX_MAX_IO	SZ_16M
#define RXLOOP_DEFAULT_DELAY_MS	10U
#define RXLOOP_MAX_DELAY_MS	60000U
#define RXLOOP_DEFAULT_ATTR_MS	1000U
#define RXLOOP_MAX_ATTR_MS	3600000U
/* byte-range lock entries one file may hold (they cost kernel memory) */
#define RXLOOP_MAX_RANGES	4096

/* fail= kinds */
enum rxloop_fail_kind {
	RXLOOP_FAIL_READ,
	RXLOOP_FAIL_WRITE,
	RXLOOP_FAIL_LOCK,	/* SHAREDLOCK and EXCLUSIVELOCK, tests included */
	RXLOOP_FAIL_UNLOCK,
	RXLOOP_FAIL_IOCTL,	/* FSCTL and IOCTL */
	RXLOOP_FAIL_ANY,	/* every low I/O operation */
	RXLOOP_FAIL_NR,
};

struct rxloop_opts {
	unsigned int complete;		/* RXLOOP_MODE_* */
	unsigned int delay_ms;
	u32 fail[RXLOOP_FAIL_NR];	/* fail every Nth; 0: never */
	enum rx_buffering cache;
	u32 max_io;
	u64 size;
	u32 attr_timeout_ms;
	bool attr_timeout_set;
	u32 close_delay_ms;	/* net_root->close_delay; 0 by default */
};

/* ---- the in-memory server (store.c) ---- */

struct rxloop_server {
	refcount_t ref;
	u64 id;
	u64 capacity;			/* size= */
	atomic64_t used;		/* bytes charged */
	atomic64_t nr_nodes;
	struct rw_semaphore tree_sem;
	u64 next_node_id;		/* under tree_sem, written */
	struct xarray nodes;		/* id -> node: every live node */
	struct rxloop_node *root;
	spinlock_t plock;		/* see the comment at the top */
	wait_queue_head_t lock_wq;	/* inline waiters for byte-range locks */
	struct work_struct release_work;
};

struct rxloop_node {
	refcount_t ref;			/* names, FCBs, opens, the root's own */
	u64 id;
	struct rxloop_server *srv;
	umode_t type;			/* S_IFMT bits, never change */

	spinlock_t lock;		/* the attributes, xattrs */
	umode_t mode;
	u32 uid;
	u32 gid;
	u32 nlink;
	dev_t rdev;
	u64 size;
	u64 change;			/* bumped on every modification */
	struct timespec64 atime;
	struct timespec64 mtime;
	struct timespec64 ctime;
	struct list_head xattrs;
	u32 xattr_list_len;		/* listxattr() size */

	/* regular files */
	struct mutex io_mutex;
	struct xarray pages;		/* page index -> struct page */
	u64 nr_pages;

	/* directories, under srv->tree_sem */
	struct rxloop_node *parent;	/* NULL once removed */
	struct rb_root names;		/* rxloop_dirent by name */
	struct xarray entries;		/* rxloop_dirent by cookie */
	unsigned long next_cookie;
	u64 nr_entries;

	/* symbolic links: the target, set at creation */
	char *symlink;

	/* byte-range locks and their waiters, under srv->plock */
	struct list_head ranges;
	unsigned int nr_ranges;
	struct list_head waiters;
};

/* What rxloop_make() creates. */
struct rxloop_new {
	umode_t mode;			/* with S_IFMT */
	dev_t rdev;
	const char *symlink;
	u32 uid;
	u32 gid;
};

struct rxloop_server *rxloop_server_create(u64 capacity);
void rxloop_server_get(struct rxloop_server *srv);
void rxloop_server_put(struct rxloop_server *srv);
void rxloop_server_put_async(struct rxloop_server *srv);
int rxloop_charge(struct rxloop_server *srv, u64 bytes);
void rxloop_uncharge(struct rxloop_server *srv, u64 bytes);
void rxloop_now(struct timespec64 *ts);

struct rxloop_node *rxloop_node_get(struct rxloop_node *node);
void rxloop_node_put(struct rxloop_node *node);
struct rxloop_node *rxloop_node_find(struct rxloop_server *srv, u64 id);
void rxloop_node_touch(struct rxloop_node *node, bool mtime);
void rxloop_node_attrs(struct rxloop_node *node, struct rx_attrs *attrs);

int rxloop_lookup(struct rxloop_server *srv, struct rxloop_node *dir,
		  const struct qstr *name, struct rxloop_node **found);
int rxloop_make(struct rxloop_server *srv, struct rxloop_node *dir,
		const struct qstr *name, const struct rxloop_new *nw);
int rxloop_link(struct rxloop_server *srv, struct rxloop_node *dir,
		const struct qstr *name, struct rxloop_node *target);
int rxloop_remove(struct rxloop_server *srv, struct rxloop_node *dir,
		  const struct qstr *name, bool rmdir);
int rxloop_rename(struct rxloop_server *srv,
		  struct rxloop_node *odir, const struct qstr *oname,
		  struct rxloop_node *ndir, const struct qstr *nname,
		  unsigned int flags);
int rxloop_readdir(struct rxloop_server *srv, struct rxloop_node *dir,
		   struct rx_context *ctx);
void rxloop_statfs(struct rxloop_server *srv, struct kstatfs *buf);

/* ---- data (data.c) ---- */

ssize_t rxloop_read(struct rxloop_node *node, loff_t pos, size_t count,
		    struct iov_iter *iter);
ssize_t rxloop_write(struct rxloop_node *node, loff_t pos, size_t count,
		     struct iov_iter *iter);
int rxloop_setattr(struct rxloop_node *node, const struct iattr *ia);
void rxloop_free_data(struct rxloop_node *node);

/* ---- extended attributes (xattr.c) ---- */

int rxloop_getxattr(struct rxloop_node *node, const char *name, void *value,
		    size_t size, size_t *len);
int rxloop_listxattr(struct rxloop_node *node, char *buf, size_t size,
		     size_t *len);
int rxloop_setxattr(struct rxloop_node *node, const char *name,
		    const void *value, size_t size, int flags);
void rxloop_free_xattrs(struct rxloop_node *node);

/* ---- per-mount state: the net_root extension ---- */

struct rxloop_mount {
	struct rxloop_server *srv;
	struct rx_net_root *net_root;
	const struct rxloop_opts *opts;
	atomic64_t fail_seen[RXLOOP_FAIL_NR];
	atomic64_t ops[RXLOOP_OP_NR];
	atomic64_t completions[RXLOOP_MODE_NR];
	atomic64_t cancelled;
	atomic64_t injected;
	atomic64_t lock_waits;
	atomic64_t bytes_read;
	atomic64_t bytes_written;
	atomic64_t opens;
	atomic64_t closes;
	atomic64_t flushes;
	/*
	 * KUnit: while set, a close waits for it (as a close waiting for a
	 * reconnection does); close_waiting counts the closes that did.
	 */
	struct completion *close_gate;
	atomic_t close_waiting;
};

/* the srv_call extension: the server lives on past it while I/O drains */
struct rxloop_srv_call {
	struct rxloop_server *srv;
};

struct rxloop_fcb {
	struct rxloop_node *node;
};

struct rxloop_open {
	struct rxloop_node *node;
	unsigned int flags;
};

/* ---- pending low I/O and completion modes (complete.c) ---- */

enum rxloop_pstate {
	RXLOOP_P_WAITING,	/* a lock request queued on its node */
	RXLOOP_P_READY,		/* result known, completion scheduled */
	RXLOOP_P_DONE,		/* completion delivered (or being) */
};

/* A byte-range lock (locks.c); end is inclusive, OFFSET_MAX: to EOF. */
struct rxloop_range {
	struct list_head link;
	u64 start;
	u64 end;
	u32 key;
	bool exclusive;
	bool flock;
};

struct rxloop_pending {
	refcount_t ref;
	struct rx_context *ctx;		/* referenced */
	struct rxloop_server *srv;	/* referenced */
	struct rxloop_mount *mnt;	/* only while the operation is owed */
	unsigned int mode;		/* RXLOOP_MODE_* */
	unsigned long delay;		/* jiffies, complete=delayed */
	enum rxloop_pstate state;	/* under srv->plock */
	bool cancelled;
	bool keep_status;		/* a granted lock: report it, not -EINTR */
	bool inline_wait;		/* the submitter itself waits */
	int status;
	ssize_t information;
	struct delayed_work dwork;	/* workqueue and delayed modes */
	struct rcu_head rcu;

	/* a blocked lock request */
	struct list_head wait_link;	/* in node->waiters */
	struct rxloop_range req;
	struct rxloop_range *spare[2];
};

struct rxloop_pending *rxloop_pending_alloc(struct rx_context *ctx,
					    struct rxloop_mount *mnt);
void rxloop_pending_put(struct rxloop_pending *p);
void rxloop_pending_publish(struct rxloop_pending *p);
void rxloop_pending_schedule(struct rxloop_pending *p);
int rxloop_complete(struct rx_context *ctx, struct rxloop_mount *mnt,
		    int status, ssize_t information);
int rxloop_cancel(struct rx_context *ctx);
void rxloop_count_completion(struct rxloop_mount *mnt, unsigned int mode,
			     int status, bool cancelled);
extern atomic_t rxloop_live_pending;
extern struct workqueue_struct *rxloop_wq;

/* ---- byte-range locks (locks.c) ---- */

int rxloop_lowio_lock(struct rx_context *ctx);
void rxloop_free_ranges(struct rxloop_node *node);

/* ---- the dispatch table (ops.c, lowio.c) and options (options.c) ---- */

extern const struct rx_minirdr_ops rxloop_ops;
extern const struct fs_parameter_spec rxloop_param_spec[];
void *rxloop_alloc_opts(struct fs_context *fc);
void rxloop_free_opts(void *opts);
int rxloop_parse_param(void *opts, struct fs_context *fc,
		       struct fs_parameter *param);
char *rxloop_srv_call_key(void *opts, struct fs_context *fc);
int rxloop_show_options(struct seq_file *m, struct rx_net_root *nr);

int rxloop_lowio_rw(struct rx_context *ctx);
int rxloop_lowio_ioctl(struct rx_context *ctx);
bool rxloop_inject(struct rxloop_mount *mnt, enum lowio_op op);
struct rxloop_mount *rxloop_ctx_mount(struct rx_context *ctx);
struct rxloop_node *rxloop_ctx_node(struct rx_context *ctx);

static inline struct rxloop_server *rxloop_sc_server(struct rx_srv_call *sc)
{
	return ((struct rxloop_srv_call *)sc->ext)->srv;
}

static inline struct rxloop_node *rxloop_fcb_node(struct rx_fcb *fcb)
{
	return ((struct rxloop_fcb *)fcb->ext)->node;
}

#endif /* _RXLOOP_H */
