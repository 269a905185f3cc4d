/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct lowio_context (LOWIO_CONTEXT) and the low I/O routines.
 *
 * A low I/O operation is the unit a mini-redirector turns into wire
 * requests: a read or write of a byte range, a lock operation, an
 * fsctl/ioctl.  The framework fills a lowio_context inside an rx_context,
 * calls the mini-redirector's lowio_submit[op], and the mini-redirector
 * finishes it either by returning a final status or by returning
 * RX_STATUS_PENDING and later calling rx_lowio_completion().
 */
#ifndef _RDBSS_LOWIO_H
#define _RDBSS_LOWIO_H

#include <linux/types.h>
#include <linux/uio.h>

struct rx_context;
struct page;
struct bio_vec;

/* LOWIO_OP_* */
enum lowio_op {
	LOWIO_OP_READ,
	LOWIO_OP_WRITE,
	LOWIO_OP_SHAREDLOCK,
	LOWIO_OP_EXCLUSIVELOCK,
	LOWIO_OP_UNLOCK,
	LOWIO_OP_UNLOCK_MULTIPLE,
	LOWIO_OP_FSCTL,
	LOWIO_OP_IOCTL,
	LOWIO_OP_NOTIFY_CHANGE_DIRECTORY,
	LOWIO_OP_CLEAROUT,
	LOWIO_OP_MAXIMUM,
};

/* LOWIO_CONTEXT_FLAG_* */
#define LOWIO_CONTEXT_FLAG_SYNCCALL		0x01
#define LOWIO_CONTEXT_FLAG_SAVEUNLOCKS		0x02
#define LOWIO_CONTEXT_FLAG_LOUDOPS		0x04
/* the completion routine may run in softirq (DISPATCH) context */
#define LOWIO_CONTEXT_FLAG_CAN_COMPLETE_AT_DISPATCH 0x08

/* LOWIO_READWRITEFLAG_* */
#define LOWIO_RW_PAGING_IO			0x01
#define LOWIO_RW_EXTENDING_FILESIZE		0x02
#define LOWIO_RW_DIRECT_IO			0x04

/* LOWIO_LOCKSFLAG_* */
#define LOWIO_LOCK_FAIL_IMMEDIATELY		0x01
#define LOWIO_LOCK_EXCLUSIVE			0x02
/* F_GETLK: report a conflicting lock instead of taking one */
#define LOWIO_LOCK_TEST				0x04

struct lowio_context {
	enum lowio_op operation;
	unsigned int flags;
	/* CompletionRoutine: returns a status (see status.h) */
	int (*completion)(struct rx_context *ctx);
	union {
		struct {
			unsigned int flags;
			loff_t offset;
			size_t count;
			/*
			 * The data.  Submitters only pass kernel-backed
			 * iterators (kvec, bvec, folio) when the operation
			 * may complete outside the submitting task; a
			 * user-backed iterator is allowed only for a
			 * synchronous write whose data the mini-redirector
			 * copies during submit.
			 */
			struct iov_iter iter;
			/*
			 * user pages of a direct I/O request, from
			 * rx_new_map_user_buffer(), described by bvec
			 */
			struct page **pages;
			unsigned int npages;
			size_t page_offset;
			struct bio_vec *bvec;
			bool pinned;		/* FOLL_PIN'd, else referenced */
		} rw;
		struct {
			unsigned int flags;	/* LOWIO_LOCK_* */
			loff_t offset;
			u64 length;		/* 0: to the end of the file */
			u32 key;		/* the owner (9P: a pid) */
			bool flock;		/* whole-file BSD lock */
			/* out, for LOWIO_LOCK_TEST: the conflicting lock */
			bool conflict;
			bool conflict_exclusive;
			loff_t conflict_offset;
			u64 conflict_length;
			u32 conflict_key;
		} locks;
		struct {
			unsigned int code;
			void *in;
			size_t in_len;
			void *out;
			size_t out_len;
		} ioctl;
		struct {
			bool watch_tree;
			u32 filter;
			void *buffer;
			size_t length;
		} notify;
	} params;
};

int rx_lowio_submit(struct rx_context *ctx);
int rx_lowio_completion(struct rx_context *ctx);
void *rx_lowio_get_buffer_address(struct rx_context *ctx);
void *rx_map_system_buffer(struct rx_context *ctx);
struct page **rx_new_map_user_buffer(struct rx_context *ctx,
				     struct iov_iter *user, size_t count);
void rx_unmap_user_buffer(struct rx_context *ctx);

#endif /* _RDBSS_LOWIO_H */
