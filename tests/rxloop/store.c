// SPDX-License-Identifier: GPL-2.0
/*
 * The in-memory server: its nodes, the names in its directories and the
 * bound on the memory it may use.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include "rxloop.h"

struct rxloop_dirent {
	struct rb_node rb;
	unsigned long cookie;		/* readdir position */
	struct rxloop_node *node;	/* referenced */
	unsigned int len;
	char name[];
};

/* Positions 0 and 1 are "." and ".."; "next" must fit in an loff_t. */
#define RXLOOP_FIRST_COOKIE	2UL
#define RXLOOP_LAST_COOKIE	(ULONG_MAX / 2 - 1)
/* Links to one node: keeps nlink far from overflowing anywhere. */
#define RXLOOP_LINK_MAX		65000

static atomic64_t rxloop_server_ids = ATOMIC64_INIT(0);

void rxloop_now(struct timespec64 *ts)
{
	ktime_get_real_ts64(ts);
}

int rxloop_charge(struct rxloop_server *srv, u64 bytes)
{
	if ((u64)atomic64_add_return(bytes, &srv->used) > srv->capacity) {
		atomic64_sub(bytes, &srv->used);
		return -ENOSPC;
	}
	return 0;
}

void rxloop_uncharge(struct rxloop_server *srv, u64 bytes)
{
	atomic64_sub(bytes, &srv->used);
}

static size_t rxloop_dirent_cost(unsigned int len)
{
	return sizeof(struct rxloop_dirent) + len;
}

/* ---- nodes ---- */

static struct rxloop_node *rxloop_node_alloc(struct rxloop_server *srv,
					     const struct rxloop_new *nw)
{
	size_t symlen = nw->symlink ? strlen(nw->symlink) + 1 : 0;
	struct rxloop_node *node;
	int err;

	err = rxloop_charge(srv, sizeof(*node) + symlen);
	if (err)
		return ERR_PTR(err);
	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		goto nomem;
	if (symlen) {
		node->symlink = kmemdup(nw->symlink, symlen, GFP_KERNEL);
		if (!node->symlink)
			goto nomem;
	}
	refcount_set(&node->ref, 1);
	node->srv = srv;
	spin_lock_init(&node->lock);
	node->type = nw->mode & S_IFMT;
	node->mode = nw->mode;
	node->uid = nw->uid;
	node->gid = nw->gid;
	node->rdev = nw->rdev;
	node->nlink = S_ISDIR(nw->mode) ? 2 : 1;
	node->size = symlen ? symlen - 1 : 0;
	node->change = 1;
	rxloop_now(&node->ctime);
	node->atime = node->ctime;
	node->mtime = node->ctime;
	INIT_LIST_HEAD(&node->xattrs);
	mutex_init(&node->io_mutex);
	xa_init(&node->pages);
	node->names = RB_ROOT;
	xa_init(&node->entries);
	node->next_cookie = RXLOOP_FIRST_COOKIE;
	INIT_LIST_HEAD(&node->ranges);
	INIT_LIST_HEAD(&node->waiters);

	/* ids are never reused: they are inode numbers to every mount */
	node->id = srv->next_node_id;
	if (node->id > ULONG_MAX) {
		err = -ENOSPC;
		goto fail;
	}
	err = xa_insert(&srv->nodes, node->id, node, GFP_KERNEL);
	if (err)
		goto fail;
	srv->next_node_id++;
	atomic64_inc(&srv->nr_nodes);
	return node;

nomem:
	err = -ENOMEM;
fail:
	if (node)
		kfree(node->symlink);
	kfree(node);
	rxloop_uncharge(srv, sizeof(*node) + symlen);
	return ERR_PTR(err);
}

/* Free a node nobody can reach any more; @erase: it is still in srv->nodes. */
static void rxloop_node_free(struct rxloop_node *node, bool erase)
{
	struct rxloop_server *srv = node->srv;

	if (erase)
		xa_erase(&srv->nodes, node->id);
	rxloop_free_data(node);
	rxloop_free_xattrs(node);
	rxloop_free_ranges(node);
	WARN_ON_ONCE(!list_empty(&node->waiters));
	xa_destroy(&node->entries);
	if (node->symlink)
		rxloop_uncharge(srv, strlen(node->symlink) + 1);
	kfree(node->symlink);
	rxloop_uncharge(srv, sizeof(*node));
	atomic64_dec(&srv->nr_nodes);
	kfree(node);
}

struct rxloop_node *rxloop_node_get(struct rxloop_node *node)
{
	refcount_inc(&node->ref);
	return node;
}

/*
 * Names, FCBs and opens hold references; a node no name refers to goes
 * when the last FCB or open lets it go (open-unlink-fstat works).
 */
void rxloop_node_put(struct rxloop_node *node)
{
	if (node && refcount_dec_and_test(&node->ref))
		rxloop_node_free(node, true);
}

/* The node with inode number @id, referenced, or NULL. */
struct rxloop_node *rxloop_node_find(struct rxloop_server *srv, u64 id)
{
	struct rxloop_node *node = NULL;

	if (id > ULONG_MAX)
		return NULL;
	/* the xa_lock orders us against the erase in rxloop_node_free() */
	xa_lock(&srv->nodes);
	node = xa_load(&srv->nodes, id);
	if (node && !refcount_inc_not_zero(&node->ref))
		node = NULL;
	xa_unlock(&srv->nodes);
	return node;
}

/* A modification: ctime (and mtime) now, and a new change cookie. */
void rxloop_node_touch(struct rxloop_node *node, bool mtime)
{
	struct timespec64 now;

	rxloop_now(&now);
	spin_lock(&node->lock);
	node->ctime = now;
	if (mtime)
		node->mtime = now;
	node->change++;
	spin_unlock(&node->lock);
}

void rxloop_node_attrs(struct rxloop_node *node, struct rx_attrs *a)
{
	spin_lock(&node->lock);
	a->ino = node->id;
	a->change = node->change;
	a->mode = node->mode;
	a->uid = node->uid;
	a->gid = node->gid;
	a->nlink = node->nlink;
	a->rdev = new_encode_dev(node->rdev);
	a->size = node->size;
	a->blocks = node->nr_pages << (PAGE_SHIFT - 9);
	a->blksize = PAGE_SIZE;
	a->atime = node->atime;
	a->mtime = node->mtime;
	a->ctime = node->ctime;
	spin_unlock(&node->lock);
}

static void rxloop_add_nlink(struct rxloop_node *node, int delta)
{
	spin_lock(&node->lock);
	node->nlink += delta;
	spin_unlock(&node->lock);
}

static u32 rxloop_nlink(struct rxloop_node *node)
{
	u32 n;

	spin_lock(&node->lock);
	n = node->nlink;
	spin_unlock(&node->lock);
	return n;
}

/* ---- the server ---- */

struct rxloop_server *rxloop_server_create(u64 capacity)
{
	struct rxloop_new nw = {
		.mode = S_IFDIR | 0755,
		.uid = from_kuid(&init_user_ns, current_fsuid()),
		.gid = from_kgid(&init_user_ns, current_fsgid()),
	};
	struct rxloop_server *srv;
	struct rxloop_node *root;

	srv = kzalloc(sizeof(*srv), GFP_KERNEL);
	if (!srv)
		return ERR_PTR(-ENOMEM);
	refcount_set(&srv->ref, 1);
	srv->id = atomic64_inc_return(&rxloop_server_ids);
	srv->capacity = capacity;
	init_rwsem(&srv->tree_sem);
	srv->next_node_id = 1;
	xa_init(&srv->nodes);
	spin_lock_init(&srv->plock);
	init_waitqueue_head(&srv->lock_wq);

	root = rxloop_node_alloc(srv, &nw);
	if (IS_ERR(root)) {
		kfree(srv);
		return ERR_CAST(root);
	}
	/* the root is its own parent; its first reference is the server's */
	root->parent = root;
	srv->root = root;
	return srv;
}

void rxloop_server_get(struct rxloop_server *srv)
{
	refcount_inc(&srv->ref);
}

/* Free the whole tree: no mount, FCB or pending operation is left. */
static void rxloop_server_free(struct rxloop_server *srv)
{
	struct rxloop_dirent *de;
	struct rxloop_node *node;
	unsigned long id, cookie;

	xa_for_each(&srv->nodes, id, node) {
		xa_for_each(&node->entries, cookie, de) {
			rxloop_uncharge(srv, rxloop_dirent_cost(de->len));
			kfree(de);
		}
		rxloop_node_free(node, false);
		cond_resched();
	}
	xa_destroy(&srv->nodes);
	/* every byte charged must have been given back */
	WARN_ON(atomic64_read(&srv->used) || atomic64_read(&srv->nr_nodes));
	kfree(srv);
}

static void rxloop_server_release_work(struct work_struct *work)
{
	rxloop_server_free(container_of(work, struct rxloop_server,
					release_work));
}

/* Drop a reference; the last frees the tree here.  PASSIVE. */
void rxloop_server_put(struct rxloop_server *srv)
{
	if (refcount_dec_and_test(&srv->ref))
		rxloop_server_free(srv);
}

/*
 * Drop a reference from any context (a pending operation's RCU callback
 * runs in softirq, or with bottom halves off): the last one hands the
 * freeing of a possibly large tree to rxloop's workqueue.
 */
void rxloop_server_put_async(struct rxloop_server *srv)
{
	if (!refcount_dec_and_test(&srv->ref))
		return;
	INIT_WORK(&srv->release_work, rxloop_server_release_work);
	queue_work(rxloop_wq, &srv->release_work);
}

/* ---- names ---- */

static int rxloop_check_name(const struct qstr *name)
{
	if (!name->len || !name->name)
		return -EINVAL;
	if (name->len > RXLOOP_NAME_MAX)
		return -ENAMETOOLONG;
	if (memchr(name->name, '/', name->len) ||
	    memchr(name->name, '\0', name->len))
		return -EINVAL;
	if ((name->len == 1 && name->name[0] == '.') ||
	    (name->len == 2 && name->name[0] == '.' && name->name[1] == '.'))
		return -EINVAL;
	return 0;
}

static int rxloop_name_cmp(const char *a, unsigned int alen,
			   const char *b, unsigned int blen)
{
	int c = memcmp(a, b, min(alen, blen));

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static struct rxloop_dirent *rxloop_dirent_find(struct rxloop_node *dir,
						const struct qstr *name)
{
	struct rb_node *n = dir->names.rb_node;

	while (n) {
		struct rxloop_dirent *de = rb_entry(n, struct rxloop_dirent, rb);
		int c = rxloop_name_cmp(name->name, name->len, de->name,
					de->len);

		if (c < 0)
			n = n->rb_left;
		else if (c > 0)
			n = n->rb_right;
		else
			return de;
	}
	return NULL;
}

static void rxloop_dir_size(struct rxloop_node *dir)
{
	spin_lock(&dir->lock);
	dir->size = dir->nr_entries;
	spin_unlock(&dir->lock);
}

/* Add @name -> @node to @dir (takes its own reference); tree_sem held. */
static int rxloop_dirent_add(struct rxloop_server *srv,
			     struct rxloop_node *dir, const struct qstr *name,
			     struct rxloop_node *node)
{
	struct rb_node **link = &dir->names.rb_node, *parent = NULL;
	struct rxloop_dirent *de;
	int err;

	if (dir->next_cookie > RXLOOP_LAST_COOKIE)
		return -ENOSPC;
	err = rxloop_charge(srv, rxloop_dirent_cost(name->len));
	if (err)
		return err;
	de = kmalloc(struct_size(de, name, name->len), GFP_KERNEL);
	if (!de) {
		err = -ENOMEM;
		goto fail;
	}
	de->cookie = dir->next_cookie;
	de->len = name->len;
	memcpy(de->name, name->name, name->len);
	err = xa_insert(&dir->entries, de->cookie, de, GFP_KERNEL);
	if (err)
		goto fail;
	while (*link) {
		struct rxloop_dirent *cur = rb_entry(*link, struct rxloop_dirent,
						     rb);

		parent = *link;
		if (rxloop_name_cmp(name->name, name->len, cur->name,
				    cur->len) < 0)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&de->rb, parent, link);
	rb_insert_color(&de->rb, &dir->names);
	dir->next_cookie++;
	dir->nr_entries++;
	rxloop_dir_size(dir);
	de->node = rxloop_node_get(node);
	return 0;

fail:
	kfree(de);
	rxloop_uncharge(srv, rxloop_dirent_cost(name->len));
	return err;
}

/* Remove @de from @dir; the caller owns the node reference it held. */
static struct rxloop_node *rxloop_dirent_del(struct rxloop_server *srv,
					     struct rxloop_node *dir,
					     struct rxloop_dirent *de)
{
	struct rxloop_node *node = de->node;

	rb_erase(&de->rb, &dir->names);
	xa_erase(&dir->entries, de->cookie);
	dir->nr_entries--;
	rxloop_dir_size(dir);
	rxloop_uncharge(srv, rxloop_dirent_cost(de->len));
	kfree(de);
	return node;
}

/* @dir is a live directory: tree_sem held. */
static int rxloop_check_dir(struct rxloop_node *dir)
{
	if (!S_ISDIR(dir->type))
		return -ENOTDIR;
	if (!dir->parent)
		return -ENOENT;		/* removed while open */
	return 0;
}

int rxloop_lookup(struct rxloop_server *srv, struct rxloop_node *dir,
		  const struct qstr *name, struct rxloop_node **found)
{
	struct rxloop_dirent *de;
	int err;

	err = rxloop_check_name(name);
	if (err)
		return err;
	down_read(&srv->tree_sem);
	err = rxloop_check_dir(dir);
	if (!err) {
		de = rxloop_dirent_find(dir, name);
		if (de)
			*found = rxloop_node_get(de->node);
		else
			err = -ENOENT;
	}
	up_read(&srv->tree_sem);
	return err;
}

/* Create a file, directory, symlink or special file named @name in @dir. */
int rxloop_make(struct rxloop_server *srv, struct rxloop_node *dir,
		const struct qstr *name, const struct rxloop_new *nw)
{
	struct rxloop_new n = *nw;
	struct rxloop_node *node;
	int err;

	err = rxloop_check_name(name);
	if (err)
		return err;
	down_write(&srv->tree_sem);
	err = rxloop_check_dir(dir);
	if (err)
		goto out;
	if (rxloop_dirent_find(dir, name)) {
		err = -EEXIST;
		goto out;
	}
	if (S_ISDIR(n.mode) && rxloop_nlink(dir) >= RXLOOP_LINK_MAX) {
		err = -EMLINK;
		goto out;
	}
	/* BSD group semantics for set-group-ID directories */
	spin_lock(&dir->lock);
	if (dir->mode & S_ISGID) {
		n.gid = dir->gid;
		if (S_ISDIR(n.mode))
			n.mode |= S_ISGID;
	}
	spin_unlock(&dir->lock);

	node = rxloop_node_alloc(srv, &n);
	if (IS_ERR(node)) {
		err = PTR_ERR(node);
		goto out;
	}
	err = rxloop_dirent_add(srv, dir, name, node);
	if (!err && S_ISDIR(n.mode)) {
		node->parent = dir;
		rxloop_add_nlink(dir, 1);
	}
	if (!err)
		rxloop_node_touch(dir, true);
	/* on success the name holds the node; on failure this frees it */
	rxloop_node_put(node);
out:
	up_write(&srv->tree_sem);
	return err;
}

int rxloop_link(struct rxloop_server *srv, struct rxloop_node *dir,
		const struct qstr *name, struct rxloop_node *target)
{
	u32 nlink;
	int err;

	err = rxloop_check_name(name);
	if (err)
		return err;
	if (S_ISDIR(target->type))
		return -EPERM;
	down_write(&srv->tree_sem);
	err = rxloop_check_dir(dir);
	if (err)
		goto out;
	if (target->srv != srv) {
		err = -EXDEV;
		goto out;
	}
	nlink = rxloop_nlink(target);
	if (!nlink)
		err = -ENOENT;		/* unlinked while open */
	else if (nlink >= RXLOOP_LINK_MAX)
		err = -EMLINK;
	else if (rxloop_dirent_find(dir, name))
		err = -EEXIST;
	else
		err = rxloop_dirent_add(srv, dir, name, target);
	if (!err) {
		rxloop_add_nlink(target, 1);
		rxloop_node_touch(target, false);
		rxloop_node_touch(dir, true);
	}
out:
	up_write(&srv->tree_sem);
	return err;
}

/* @node lost the name @de in @dir: adjust links; tree_sem held. */
static void rxloop_drop_name(struct rxloop_server *srv,
			     struct rxloop_node *dir, struct rxloop_dirent *de)
{
	struct rxloop_node *node = de->node;

	if (S_ISDIR(node->type)) {
		node->parent = NULL;
		spin_lock(&node->lock);
		node->nlink = 0;
		spin_unlock(&node->lock);
		rxloop_add_nlink(dir, -1);
	} else {
		rxloop_add_nlink(node, -1);
	}
	rxloop_node_touch(node, false);
	rxloop_node_put(rxloop_dirent_del(srv, dir, de));
}

int rxloop_remove(struct rxloop_server *srv, struct rxloop_node *dir,
		  const struct qstr *name, bool rmdir)
{
	struct rxloop_dirent *de;
	int err;

	err = rxloop_check_name(name);
	if (err)
		return err;
	down_write(&srv->tree_sem);
	err = rxloop_check_dir(dir);
	if (err)
		goto out;
	de = rxloop_dirent_find(dir, name);
	if (!de)
		err = -ENOENT;
	else if (rmdir && !S_ISDIR(de->node->type))
		err = -ENOTDIR;
	else if (rmdir && de->node->nr_entries)
		err = -ENOTEMPTY;
	else if (!rmdir && S_ISDIR(de->node->type))
		err = -EISDIR;
	if (!err) {
		rxloop_drop_name(srv, dir, de);
		rxloop_node_touch(dir, true);
	}
out:
	up_write(&srv->tree_sem);
	return err;
}

/* Is @dir @anc or below it?  tree_sem held. */
static bool rxloop_is_below(struct rxloop_server *srv, struct rxloop_node *dir,
			    struct rxloop_node *anc)
{
	struct rxloop_node *p;

	for (p = dir; p; p = p->parent) {
		if (p == anc)
			return true;
		if (p == srv->root)
			break;
	}
	return false;
}

static int rxloop_exchange(struct rxloop_server *srv,
			   struct rxloop_node *odir, struct rxloop_dirent *ode,
			   struct rxloop_node *ndir, struct rxloop_dirent *nde)
{
	struct rxloop_node *src = ode->node, *dst = nde->node;

	if (S_ISDIR(src->type) && rxloop_is_below(srv, ndir, src))
		return -EINVAL;
	if (S_ISDIR(dst->type) && rxloop_is_below(srv, odir, dst))
		return -EINVAL;
	ode->node = dst;
	nde->node = src;
	if (odir != ndir) {
		if (S_ISDIR(src->type)) {
			src->parent = ndir;
			rxloop_add_nlink(odir, -1);
			rxloop_add_nlink(ndir, 1);
		}
		if (S_ISDIR(dst->type)) {
			dst->parent = odir;
			rxloop_add_nlink(ndir, -1);
			rxloop_add_nlink(odir, 1);
		}
	}
	rxloop_node_touch(src, false);
	rxloop_node_touch(dst, false);
	return 0;
}

int rxloop_rename(struct rxloop_server *srv,
		  struct rxloop_node *odir, const struct qstr *oname,
		  struct rxloop_node *ndir, const struct qstr *nname,
		  unsigned int flags)
{
	struct rxloop_dirent *ode, *nde;
	struct rxloop_node *src, *dst;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	err = rxloop_check_name(oname) ?: rxloop_check_name(nname);
	if (err)
		return err;
	down_write(&srv->tree_sem);
	err = rxloop_check_dir(odir) ?: rxloop_check_dir(ndir);
	if (err)
		goto out;
	ode = rxloop_dirent_find(odir, oname);
	if (!ode) {
		err = -ENOENT;
		goto out;
	}
	src = ode->node;
	nde = rxloop_dirent_find(ndir, nname);
	dst = nde ? nde->node : NULL;
	if (flags & RENAME_EXCHANGE) {
		if (!nde)
			err = -ENOENT;
		else if (dst != src)
			err = rxloop_exchange(srv, odir, ode, ndir, nde);
		goto touch;
	}
	if (nde && (flags & RENAME_NOREPLACE)) {
		err = -EEXIST;
		goto out;
	}
	/* two names of one file: POSIX says do nothing */
	if (dst == src)
		goto out;
	if (S_ISDIR(src->type) && rxloop_is_below(srv, ndir, src)) {
		err = -EINVAL;		/* into its own subtree */
		goto out;
	}
	if (dst) {
		if (S_ISDIR(src->type) && !S_ISDIR(dst->type))
			err = -ENOTDIR;
		else if (!S_ISDIR(src->type) && S_ISDIR(dst->type))
			err = -EISDIR;
		else if (S_ISDIR(dst->type) && dst->nr_entries)
			err = -ENOTEMPTY;
		if (err)
			goto out;
	} else if (S_ISDIR(src->type) && odir != ndir &&
		   rxloop_nlink(ndir) >= RXLOOP_LINK_MAX) {
		err = -EMLINK;
		goto out;
	}

	if (dst) {
		/* retarget the existing name: nothing to allocate */
		nde->node = rxloop_node_get(src);
		if (S_ISDIR(dst->type)) {
			dst->parent = NULL;
			spin_lock(&dst->lock);
			dst->nlink = 0;
			spin_unlock(&dst->lock);
			rxloop_add_nlink(ndir, -1);
		} else {
			rxloop_add_nlink(dst, -1);
		}
		rxloop_node_touch(dst, false);
		rxloop_node_put(dst);
	} else {
		err = rxloop_dirent_add(srv, ndir, nname, src);
		if (err)
			goto out;
	}
	rxloop_node_put(rxloop_dirent_del(srv, odir, ode));
	if (S_ISDIR(src->type) && odir != ndir) {
		src->parent = ndir;
		rxloop_add_nlink(odir, -1);
		rxloop_add_nlink(ndir, 1);
	}
	rxloop_node_touch(src, false);
touch:
	if (!err) {
		rxloop_node_touch(odir, true);
		if (ndir != odir)
			rxloop_node_touch(ndir, true);
	}
out:
	up_write(&srv->tree_sem);
	return err;
}

/*
 * Emit @dir's entries from the actor's position on.  Positions: 0 is ".",
 * 1 is "..", then each name's cookie, given when the name was made and
 * never reused, so a listing resumes where it stopped whatever changed.
 */
int rxloop_readdir(struct rxloop_server *srv, struct rxloop_node *dir,
		   struct rx_context *ctx)
{
	struct dir_context *actor = ctx->info.query_dir.actor;
	struct rxloop_dirent *de;
	unsigned long cookie;
	int err = 0;

	down_read(&srv->tree_sem);
	if (!S_ISDIR(dir->type)) {
		err = -ENOTDIR;
		goto out;
	}
	if (actor->pos == 0 && !rx_dir_emit(ctx, ".", 1, dir->id, DT_DIR, 1))
		goto out;
	if (actor->pos == 1 &&
	    !rx_dir_emit(ctx, "..", 2, (dir->parent ?: dir)->id, DT_DIR,
			 RXLOOP_FIRST_COOKIE))
		goto out;
	if (actor->pos < 0 || actor->pos > RXLOOP_LAST_COOKIE) {
		ctx->info.query_dir.eof = true;
		goto out;
	}
	cookie = max_t(unsigned long, actor->pos, RXLOOP_FIRST_COOKIE);
	xa_for_each_start(&dir->entries, cookie, de, cookie) {
		if (!rx_dir_emit(ctx, de->name, de->len, de->node->id,
				 S_DT(de->node->type), cookie + 1))
			goto out;
	}
	ctx->info.query_dir.eof = true;
out:
	up_read(&srv->tree_sem);
	return err;
}

void rxloop_statfs(struct rxloop_server *srv, struct kstatfs *buf)
{
	u64 used = atomic64_read(&srv->used);
	u64 avail = srv->capacity > used ? srv->capacity - used : 0;

	buf->f_bsize = PAGE_SIZE;
	buf->f_frsize = PAGE_SIZE;
	buf->f_blocks = srv->capacity >> PAGE_SHIFT;
	buf->f_bfree = avail >> PAGE_SHIFT;
	buf->f_bavail = buf->f_bfree;
	/* a node is the least a new file costs */
	buf->f_ffree = div_u64(avail, sizeof(struct rxloop_node));
	buf->f_files = buf->f_ffree + atomic64_read(&srv->nr_nodes);
	buf->f_namelen = RXLOOP_NAME_MAX;
	buf->f_fsid.val[0] = lower_32_bits(srv->id);
	buf->f_fsid.val[1] = upper_32_bits(srv->id);
}
