/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * rxloop ioctls, shared by the module and by user-space tests.
 *
 * Issue them on any open file or directory of an rxloop mount; the
 * counters are those of that mount (the server_* fields: of the server
 * it shares with other mounts of the same SERVERNAME).
 */
#ifndef _RXLOOP_IOCTL_H
#define _RXLOOP_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Indices of rxloop_stats.ops[]: the low I/O operation codes. */
#define RXLOOP_OP_READ			0
#define RXLOOP_OP_WRITE			1
#define RXLOOP_OP_SHAREDLOCK		2
#define RXLOOP_OP_EXCLUSIVELOCK		3
#define RXLOOP_OP_UNLOCK		4
#define RXLOOP_OP_UNLOCK_MULTIPLE	5
#define RXLOOP_OP_FSCTL			6
#define RXLOOP_OP_IOCTL			7
#define RXLOOP_OP_NR			8

/* Indices of rxloop_stats.completions[]: the complete= modes. */
#define RXLOOP_MODE_INLINE		0
#define RXLOOP_MODE_SOFTIRQ		1
#define RXLOOP_MODE_WORKQUEUE		2
#define RXLOOP_MODE_DELAYED		3
#define RXLOOP_MODE_NR			4

struct rxloop_stats {
	__u64 ops[RXLOOP_OP_NR];	/* low I/O operations submitted */
	__u64 completions[RXLOOP_MODE_NR]; /* operations completed, by mode */
	__u64 cancelled;	/* completed early by a cancel (-EINTR) */
	__u64 injected;		/* failures injected by fail= */
	__u64 lock_waits;	/* lock requests that had to wait */
	__u64 bytes_read;
	__u64 bytes_written;
	__u64 opens;		/* server-side opens (srv_opens) */
	__u64 closes;
	__u64 flushes;
	__u64 server_id;	/* equal for mounts sharing one srv_call */
	__u64 server_mounts;	/* mounts sharing it */
	__u64 server_used;	/* bytes charged against size= */
	__u64 server_size;	/* size= */
	__u64 server_nodes;	/* files, directories, links ... */
};

/* Read this mount's counters. */
#define RXLOOP_IOC_STATS	_IOR('r', 0x40, struct rxloop_stats)
/* Zero this mount's counters and restart the fail= schedules. */
#define RXLOOP_IOC_RESET_STATS	_IO('r', 0x41)

#endif /* _RXLOOP_IOCTL_H */
