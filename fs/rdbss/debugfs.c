// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/rdbss/: what a person needs to see why a mount hangs.
 *
 *   srv_calls  every srv_call (its key, users, the mini-redirector's view
 *              of its connection and requests), and under each the
 *              net_roots and v_net_roots using it
 *   contexts   every rx_context alive: operation, age, flags, who made
 *              it, and the mini-redirector's wire requests for it
 *
 * Root only (0400 in a directory of debugfs, itself root only).  The
 * format is for people and may change; scripts read mountstats.
 */
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "internal.h"

/*
 * Contexts alive, on a list per CPU so that creating and freeing one
 * costs an uncontended lock.  Freed from any context: irqsave.
 */
struct rx_alive_list {
	spinlock_t lock;		/* guards head */
	struct list_head head;
};

static DEFINE_PER_CPU(struct rx_alive_list, rx_alive);

/* srv_calls and net_roots, for the listing only */
static DEFINE_MUTEX(rx_debug_lock);
static LIST_HEAD(rx_debug_srv_calls);
static LIST_HEAD(rx_debug_net_roots);

static struct dentry *rx_debug_dir;

/* the most contexts one read of "contexts" shows */
#define RX_DEBUG_MAX_CONTEXTS	4096

void rx_debug_context_add(struct rx_context *ctx)
{
	struct rx_alive_list *l;
	unsigned long flags;

	ctx->pid = task_pid_nr(current);
	memcpy(ctx->comm, current->comm, sizeof(ctx->comm));
	ctx->comm[sizeof(ctx->comm) - 1] = '\0';
	ctx->create_ns = ktime_get_ns();
	ctx->alive_cpu = raw_smp_processor_id();
	l = per_cpu_ptr(&rx_alive, ctx->alive_cpu);
	spin_lock_irqsave(&l->lock, flags);
	list_add_tail(&ctx->alive_link, &l->head);
	spin_unlock_irqrestore(&l->lock, flags);
}

void rx_debug_context_del(struct rx_context *ctx)
{
	struct rx_alive_list *l = per_cpu_ptr(&rx_alive, ctx->alive_cpu);
	unsigned long flags;

	spin_lock_irqsave(&l->lock, flags);
	list_del(&ctx->alive_link);
	spin_unlock_irqrestore(&l->lock, flags);
}

void rx_debug_srv_call_add(struct rx_srv_call *sc)
{
	mutex_lock(&rx_debug_lock);
	list_add_tail(&sc->debug_link, &rx_debug_srv_calls);
	mutex_unlock(&rx_debug_lock);
}

/* before the mini-redirector tears the connection down */
void rx_debug_srv_call_del(struct rx_srv_call *sc)
{
	mutex_lock(&rx_debug_lock);
	list_del_init(&sc->debug_link);
	mutex_unlock(&rx_debug_lock);
}

void rx_debug_net_root_add(struct rx_net_root *nr)
{
	mutex_lock(&rx_debug_lock);
	list_add_tail(&nr->debug_link, &rx_debug_net_roots);
	mutex_unlock(&rx_debug_lock);
}

void rx_debug_net_root_del(struct rx_net_root *nr)
{
	mutex_lock(&rx_debug_lock);
	list_del_init(&nr->debug_link);
	mutex_unlock(&rx_debug_lock);
}

static const char * const rx_buffering_names[] = {
	[RX_BUFFERING_NONE] = "none",
	[RX_BUFFERING_CTO] = "cto",
	[RX_BUFFERING_LOOSE] = "loose",
};

static void rx_debug_show_net_root(struct seq_file *m, struct rx_net_root *nr)
{
	struct rx_v_net_root *vnr;
	unsigned int b = nr->buffering;

	seq_printf(m, "  net_root %p dev %u:%u buffering %s max_read %zu max_write %zu attr_timeout_ms %u close_delay_ms %u dormant %u refs %u\n",
		   nr, MAJOR(nr->dev), MINOR(nr->dev),
		   b < ARRAY_SIZE(rx_buffering_names) ? rx_buffering_names[b] : "?",
		   nr->max_read, nr->max_write, jiffies_to_msecs(nr->attr_timeout),
		   jiffies_to_msecs(nr->close_delay), READ_ONCE(nr->n_dormant),
		   kref_read(&nr->kref));
	mutex_lock(&nr->v_net_roots_lock);
	list_for_each_entry(vnr, &nr->v_net_roots, link)
		seq_printf(m, "    v_net_root %p uid %u refs %u\n", vnr,
			   from_kuid(&init_user_ns, vnr->uid),
			   kref_read(&vnr->kref));
	mutex_unlock(&nr->v_net_roots_lock);
}

static int rx_debug_srv_calls_show(struct seq_file *m, void *v)
{
	struct rx_srv_call *sc;
	struct rx_net_root *nr;

	if (mutex_lock_killable(&rx_debug_lock))
		return -EINTR;
	list_for_each_entry(sc, &rx_debug_srv_calls, debug_link) {
		seq_printf(m, "srv_call %p %s users %u refs %u key ", sc,
			   sc->minirdr->name, sc->mounts, kref_read(&sc->kref));
		seq_escape(m, sc->key ?: "", " \t\n\\");
		seq_putc(m, '\n');
		if (sc->minirdr->ops->debug_show_srv_call)
			sc->minirdr->ops->debug_show_srv_call(m, sc);
		list_for_each_entry(nr, &rx_debug_net_roots, debug_link)
			if (nr->srv_call == sc)
				rx_debug_show_net_root(m, nr);
	}
	mutex_unlock(&rx_debug_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rx_debug_srv_calls);

static const char * const rx_major_names[RX_MJ_MAXIMUM] = {
	[RX_MJ_CREATE] = "CREATE",
	[RX_MJ_CLOSE] = "CLOSE",
	[RX_MJ_READ] = "READ",
	[RX_MJ_WRITE] = "WRITE",
	[RX_MJ_QUERY_INFORMATION] = "QUERY_INFORMATION",
	[RX_MJ_SET_INFORMATION] = "SET_INFORMATION",
	[RX_MJ_QUERY_VOLUME_INFORMATION] = "QUERY_VOLUME",
	[RX_MJ_DIRECTORY_CONTROL] = "DIRECTORY_CONTROL",
	[RX_MJ_FLUSH_BUFFERS] = "FLUSH_BUFFERS",
	[RX_MJ_LOCK_CONTROL] = "LOCK_CONTROL",
	[RX_MJ_FILE_SYSTEM_CONTROL] = "FSCTL",
	[RX_MJ_DEVICE_CONTROL] = "IOCTL",
	[RX_MJ_CLEANUP] = "CLEANUP",
};

static const char * const rx_lowio_names[LOWIO_OP_MAXIMUM] = {
	[LOWIO_OP_READ] = "READ",
	[LOWIO_OP_WRITE] = "WRITE",
	[LOWIO_OP_SHAREDLOCK] = "SHAREDLOCK",
	[LOWIO_OP_EXCLUSIVELOCK] = "EXCLUSIVELOCK",
	[LOWIO_OP_UNLOCK] = "UNLOCK",
	[LOWIO_OP_UNLOCK_MULTIPLE] = "UNLOCK_MULTIPLE",
	[LOWIO_OP_FSCTL] = "FSCTL",
	[LOWIO_OP_IOCTL] = "IOCTL",
	[LOWIO_OP_NOTIFY_CHANGE_DIRECTORY] = "NOTIFY",
	[LOWIO_OP_CLEAROUT] = "CLEAROUT",
};

static bool rx_major_uses_lowio(u8 major)
{
	return major == RX_MJ_READ || major == RX_MJ_WRITE ||
	       major == RX_MJ_LOCK_CONTROL ||
	       major == RX_MJ_FILE_SYSTEM_CONTROL ||
	       major == RX_MJ_DEVICE_CONTROL;
}

static void rx_debug_show_context(struct seq_file *m, struct rx_context *ctx,
				  u64 now)
{
	const struct rx_minirdr *mr = ctx->minirdr;
	const char *major = ctx->major < RX_MJ_MAXIMUM ?
			    rx_major_names[ctx->major] : "?";

	seq_printf(m, "ctx %08x %s/%u", ctx->debug_id, major, ctx->minor);
	if (rx_major_uses_lowio(ctx->major) &&
	    ctx->lowio.operation < LOWIO_OP_MAXIMUM)
		seq_printf(m, " lowio %s", rx_lowio_names[ctx->lowio.operation]);
	seq_printf(m, " age_ms %llu flags %#lx refs %u pid %d comm ",
		   div_u64(now - ctx->create_ns, NSEC_PER_MSEC),
		   READ_ONCE(ctx->flags), refcount_read(&ctx->ref) - 1,
		   ctx->pid);
	seq_escape(m, ctx->comm, " \t\n\\");
	seq_printf(m, " %s\n", mr ? mr->name : "-");
	if (mr && mr->ops->debug_show_context && try_module_get(mr->owner)) {
		mr->ops->debug_show_context(m, ctx);
		module_put(mr->owner);
	}
}

/*
 * Referenced copies of the list, printed without the list lock: the
 * mini-redirector's part takes its own locks and may sleep.
 */
static int rx_debug_contexts_show(struct seq_file *m, void *v)
{
	struct rx_context **snap, *ctx;
	unsigned int n = 0, more = 0, i;
	unsigned long flags;
	u64 now;
	int cpu;

	snap = kvmalloc_array(RX_DEBUG_MAX_CONTEXTS, sizeof(*snap), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct rx_alive_list *l = per_cpu_ptr(&rx_alive, cpu);

		spin_lock_irqsave(&l->lock, flags);
		list_for_each_entry(ctx, &l->head, alive_link) {
			if (n == RX_DEBUG_MAX_CONTEXTS) {
				more++;
				continue;
			}
			/* one being freed is not shown */
			if (refcount_inc_not_zero(&ctx->ref))
				snap[n++] = ctx;
		}
		spin_unlock_irqrestore(&l->lock, flags);
	}
	now = ktime_get_ns();
	for (i = 0; i < n; i++) {
		rx_debug_show_context(m, snap[i], now);
		rx_dereference_context(snap[i]);
	}
	if (more)
		seq_printf(m, "... %u more\n", more);
	kvfree(snap);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rx_debug_contexts);

/**
 * rx_debugfs_dir - the framework's debugfs directory
 *
 * A mini-redirector may add its own files there; NULL or an error
 * pointer when debugfs is not there (debugfs_create_* take both).
 */
struct dentry *rx_debugfs_dir(void)
{
	return rx_debug_dir;
}
EXPORT_SYMBOL_GPL(rx_debugfs_dir);

void rx_debugfs_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct rx_alive_list *l = per_cpu_ptr(&rx_alive, cpu);

		spin_lock_init(&l->lock);
		INIT_LIST_HEAD(&l->head);
	}
	/* failures leave the filesystem working, without these files */
	rx_debug_dir = debugfs_create_dir("rdbss", NULL);
	debugfs_create_file("srv_calls", 0400, rx_debug_dir, NULL,
			    &rx_debug_srv_calls_fops);
	debugfs_create_file("contexts", 0400, rx_debug_dir, NULL,
			    &rx_debug_contexts_fops);
}

void rx_debugfs_exit(void)
{
	debugfs_remove_recursive(rx_debug_dir);
	rx_debug_dir = NULL;
}
