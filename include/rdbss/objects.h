/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The object hierarchy a mini-redirector works with:
 *
 *   rx_srv_call     SRV_CALL    a connection to a server, shared by mounts
 *   rx_net_root     NET_ROOT    one share (9P: an attach name) = a super_block
 *   rx_v_net_root   V_NET_ROOT  a user's view of the share (an attach)
 *   rx_fcb          FCB         a file: embedded in the rdbss inode
 *   rx_srv_open     SRV_OPEN    a server-side open (9P: an opened fid)
 *   rx_fobx         FOBX        one per struct file
 *
 * Each object carries a mini-redirector extension of the size the
 * mini-redirector declared at registration, reached with rx_ext().
 */
#ifndef _RDBSS_OBJECTS_H
#define _RDBSS_OBJECTS_H

#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/time64.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <rdbss/stats.h>

struct rx_minirdr;

/* Buffering (caching) state of an FCB. */
enum rx_buffering {
	RX_BUFFERING_NONE,	/* no caching: every read and write goes out */
	RX_BUFFERING_CTO,	/* close-to-open: revalidate on open */
	RX_BUFFERING_LOOSE,	/* cache without revalidation */
};

struct rx_srv_call {
	struct kref kref;
	struct list_head link;		/* in the mini-redirector's table */
	struct rx_minirdr *minirdr;
	char *key;			/* server + transport options */
	unsigned int mounts;		/* net_roots using it */
	struct list_head debug_link;	/* debugfs "srv_calls" */
	void *ext;
};

struct rx_net_root {
	struct kref kref;
	struct rx_srv_call *srv_call;
	struct super_block *sb;
	dev_t dev;			/* sb->s_dev, for debugfs */
	void *opts;			/* parsed mount options, minirdr-owned */
	/* set by the mini-redirector when it attaches */
	size_t max_read;		/* largest READ it takes at once */
	size_t max_write;		/* largest WRITE it takes at once */
	enum rx_buffering buffering;	/* initial buffering state of FCBs */
	unsigned int attr_timeout;	/* jiffies attributes stay fresh */
	bool per_user;			/* one v_net_root per user (9P access=user) */
	/*
	 * Delayed close (the scavenger, scavenger.c): a regular file's
	 * srv_open whose last handle closed stays open on the server this
	 * long (jiffies; 0 closes at once), on the dormant list, oldest
	 * first, for a compatible open to take up again.
	 */
	unsigned long close_delay;
	spinlock_t dormant_lock;	/* dormant, n_dormant; inside fcb->lock */
	struct list_head dormant;
	unsigned int n_dormant;
	struct mutex scavenge_lock;	/* held while dormant ones are closed */
	struct delayed_work scavenge_work;
	struct mutex v_net_roots_lock;	/* v_net_roots */
	struct list_head v_net_roots;
	struct rx_stats stats;		/* /proc/self/mountstats */
	struct list_head debug_link;	/* debugfs "srv_calls" */
	void *ext;
};

struct rx_v_net_root {
	struct kref kref;
	struct list_head link;		/* in net_root->v_net_roots */
	struct rx_net_root *net_root;
	kuid_t uid;
	void *ext;
};

/* Attributes as a mini-redirector reports them (numeric ids). */
struct rx_attrs {
	u64 ino;		/* server file identity (9P: qid.path) */
	u64 change;		/* server change cookie (9P: qid.version) */
	umode_t mode;		/* including the S_IFMT type */
	u32 uid;
	u32 gid;
	u64 nlink;
	u64 rdev;
	u64 size;
	u64 blocks;
	u32 blksize;
	struct timespec64 atime;
	struct timespec64 mtime;
	struct timespec64 ctime;
};

struct rx_fcb {
	spinlock_t lock;		/* srv_opens, the cookies below */
	struct list_head srv_opens;
	enum rx_buffering buffering;
	u64 change;			/* last change cookie seen */
	struct timespec64 mtime_seen;
	u64 size_seen;
	unsigned long attr_time;	/* jiffies of the last attribute fetch */
	bool attrs_stale;		/* changed here: fetch before trusting */
	/*
	 * A directory changed by our own namespace operations since its
	 * attributes were last fetched (own_change): names checked under
	 * the stamp it had then (names_from) stay good under the one it has
	 * now (names_to) while names_carry holds.
	 */
	bool own_change;
	bool names_carry;
	unsigned long names_from;
	unsigned long names_to;
	/* the open that write-behind uses once the file is closed */
	struct rx_srv_open *wb_srv_open;
	/*
	 * Bytes of write-behind (writepages' WRITE low I/O) in flight: a
	 * writepages that would pass rx_wb_max_inflight waits on wb_wait
	 * for earlier batches, so that one file's flush cannot queue an
	 * unbounded number of requests on the connection.
	 */
	atomic_long_t wb_inflight;
	wait_queue_head_t wb_wait;
	/*
	 * Dormant srv_opens of this file a scavenger took and is closing:
	 * gone from srv_opens before their close ends (rx_scavenge_fcb()).
	 */
	atomic_t closing;
	/* a change asked for from DISPATCH, applied by a PASSIVE worker */
	enum rx_buffering requested_buffering;
	struct work_struct buffering_work;
	void *ext;
};

struct rx_srv_open {
	struct kref kref;
	struct list_head link;		/* in fcb->srv_opens */
	struct rx_fcb *fcb;
	struct rx_v_net_root *v_net_root;
	unsigned int open_flags;	/* O_ACCMODE and friends */
	unsigned long flags;		/* RX_SO_* */
	unsigned int debug_id;		/* so=%08x in the tracepoints */
	/* fobxes on it, or being made (under fcb->lock) */
	unsigned int handles;
	/* on net_root->dormant since this time, while RX_SO_DORMANT */
	struct list_head dormant_link;
	unsigned long dormant_since;
	/* on a closer's private list (under net_root->scavenge_lock) */
	struct list_head scavenge_link;
	void *ext;
};

/*
 * SRVOPEN_FLAG_ORPHANED: the server no longer holds this open (it could
 * not be reopened after a reconnect).  New opens do not collapse onto it
 * and write-behind does not use it; files already open on it keep it,
 * and their I/O fails.
 */
#define RX_SO_ORPHANED	0
/*
 * Dormant (delayed close): no handle uses it; the dormant list holds a
 * reference.  Whoever clears the bit owns that reference and takes it off
 * the list: a collapsing open, the scavenger, or rx_scavenge_fcb().
 */
#define RX_SO_DORMANT	1

struct rx_fobx {
	struct rx_srv_open *srv_open;
	/* readdir since the last rewind listed "." (bit 0), ".." (bit 1) */
	unsigned int dots_seen;
	/* the server said the listing ends at eof_pos (readdir, if at_eof) */
	bool at_eof;
	loff_t eof_pos;
	void *ext;
};

/* The rdbss inode: the VFS inode with its FCB. */
struct rx_inode {
	struct rx_fcb fcb;
	/* free_inode runs from RCU, possibly after the superblock is gone */
	struct kmem_cache *cache;
	struct inode vfs_inode;
};

static inline struct rx_inode *RX_I(struct inode *inode)
{
	return container_of(inode, struct rx_inode, vfs_inode);
}

static inline struct rx_fcb *rx_inode_fcb(struct inode *inode)
{
	return &RX_I(inode)->fcb;
}

static inline struct inode *rx_fcb_inode(struct rx_fcb *fcb)
{
	return &container_of(fcb, struct rx_inode, fcb)->vfs_inode;
}

static inline struct rx_net_root *rx_sb_net_root(struct super_block *sb)
{
	return sb->s_fs_info;
}

static inline struct rx_net_root *rx_fcb_net_root(struct rx_fcb *fcb)
{
	return rx_sb_net_root(rx_fcb_inode(fcb)->i_sb);
}

struct rx_v_net_root *rx_get_v_net_root(struct rx_net_root *net_root);
void rx_put_v_net_root(struct rx_v_net_root *vnr);
void rx_put_srv_open(struct rx_srv_open *so);
bool rx_orphan_srv_open(struct rx_srv_open *so);
void rx_orphan_srv_call(struct rx_srv_call *sc);

#endif /* _RDBSS_OBJECTS_H */
