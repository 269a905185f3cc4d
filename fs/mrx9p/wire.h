/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 9P2000.L wire format: encoders for requests and bounds-checked decoders
 * for replies.  Pure C: with the small shim in tests/fuzz/ it builds in
 * user space, so the decoders can be fuzzed.
 *
 * Every decoder reads from a struct p9_rbuf that covers exactly one reply
 * message body; any read past its end sets ->err to -EPROTO and yields
 * zeroes, so a hostile length can never move a read out of the buffer.
 */
#ifndef _MRX9P_WIRE_H
#define _MRX9P_WIRE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#else
#include "wire_user.h"
#endif

#define P9_VERSION_L	"9P2000.L"
#define P9_NOTAG	((u16)0xffff)
#define P9_NOFID	((u32)0xffffffff)
#define P9_HDRSZ	7		/* size[4] type[1] tag[2] */
#define P9_IOHDRSZ	24		/* Twrite/Rread header allowance */
#define P9_MAXWELEM	16
#define P9_QIDSZ	13
#define P9_MIN_MSIZE	4096

enum p9_msg_type {
	P9_TLERROR = 6,
	P9_RLERROR,
	P9_TSTATFS = 8,
	P9_RSTATFS,
	P9_TLOPEN = 12,
	P9_RLOPEN,
	P9_TLCREATE = 14,
	P9_RLCREATE,
	P9_TSYMLINK = 16,
	P9_RSYMLINK,
	P9_TMKNOD = 18,
	P9_RMKNOD,
	P9_TRENAME = 20,
	P9_RRENAME,
	P9_TREADLINK = 22,
	P9_RREADLINK,
	P9_TGETATTR = 24,
	P9_RGETATTR,
	P9_TSETATTR = 26,
	P9_RSETATTR,
	P9_TXATTRWALK = 30,
	P9_RXATTRWALK,
	P9_TXATTRCREATE = 32,
	P9_RXATTRCREATE,
	P9_TREADDIR = 40,
	P9_RREADDIR,
	P9_TFSYNC = 50,
	P9_RFSYNC,
	P9_TLOCK = 52,
	P9_RLOCK,
	P9_TGETLOCK = 54,
	P9_RGETLOCK,
	P9_TLINK = 70,
	P9_RLINK,
	P9_TMKDIR = 72,
	P9_RMKDIR,
	P9_TRENAMEAT = 74,
	P9_RRENAMEAT,
	P9_TUNLINKAT = 76,
	P9_RUNLINKAT,
	P9_TVERSION = 100,
	P9_RVERSION,
	P9_TAUTH = 102,
	P9_RAUTH,
	P9_TATTACH = 104,
	P9_RATTACH,
	P9_TERROR = 106,
	P9_RERROR,
	P9_TFLUSH = 108,
	P9_RFLUSH,
	P9_TWALK = 110,
	P9_RWALK,
	P9_TREAD = 116,
	P9_RREAD,
	P9_TWRITE = 118,
	P9_RWRITE,
	P9_TCLUNK = 120,
	P9_RCLUNK,
	P9_TREMOVE = 122,
	P9_RREMOVE,
};

/* Tgetattr request mask and Tsetattr valid bits */
#define P9_GETATTR_BASIC	0x000007ffULL
#define P9_SETATTR_MODE		0x00000001
#define P9_SETATTR_UID		0x00000002
#define P9_SETATTR_GID		0x00000004
#define P9_SETATTR_SIZE		0x00000008
#define P9_SETATTR_ATIME	0x00000010
#define P9_SETATTR_MTIME	0x00000020
#define P9_SETATTR_CTIME	0x00000040
#define P9_SETATTR_ATIME_SET	0x00000080
#define P9_SETATTR_MTIME_SET	0x00000100

#define P9_AT_REMOVEDIR		0x200
#define P9_DOTL_EXCL		0200	/* Tlcreate/Tlopen flag, as O_EXCL on x86 */

#define P9_QTDIR	0x80	/* qid.type of a directory */

struct p9_qid {
	u8 type;
	u32 version;
	u64 path;
};

struct p9_getattr {
	u64 valid;
	struct p9_qid qid;
	u32 mode;
	u32 uid;
	u32 gid;
	u64 nlink;
	u64 rdev;
	u64 size;
	u64 blksize;
	u64 blocks;
	u64 atime_sec, atime_nsec;
	u64 mtime_sec, mtime_nsec;
	u64 ctime_sec, ctime_nsec;
	u64 btime_sec, btime_nsec;
	u64 gen;
	u64 data_version;
};

struct p9_setattr {
	u32 valid;
	u32 mode;
	u32 uid;
	u32 gid;
	u64 size;
	u64 atime_sec, atime_nsec;
	u64 mtime_sec, mtime_nsec;
};

struct p9_statfs {
	u32 type;
	u32 bsize;
	u64 blocks;
	u64 bfree;
	u64 bavail;
	u64 files;
	u64 ffree;
	u64 fsid;
	u32 namelen;
};

/* A string inside a reply: points into the reply buffer, not terminated. */
struct p9_str {
	const char *s;
	u16 len;
};

/* Tlock / Tgetlock / Rgetlock */
#define P9_LOCK_TYPE_RDLCK	0
#define P9_LOCK_TYPE_WRLCK	1
#define P9_LOCK_TYPE_UNLCK	2
#define P9_LOCK_FLAGS_BLOCK	1
#define P9_LOCK_SUCCESS		0
#define P9_LOCK_BLOCKED		1
#define P9_LOCK_ERROR		2
#define P9_LOCK_GRACE		3

struct p9_flock {
	u8 type;
	u32 flags;
	u64 start;
	u64 length;		/* 0: to the end of the file */
	u32 proc_id;
	struct p9_str client_id;
};

struct p9_dirent {
	struct p9_qid qid;
	u64 offset;
	u8 type;
	struct p9_str name;
};

/* Encoder: a request being built in a caller-provided buffer. */
struct p9_wbuf {
	u8 *data;
	u32 len;
	u32 cap;
	int err;
};

/* Decoder: one reply body (after the 7-byte header). */
struct p9_rbuf {
	const u8 *data;
	u32 len;
	u32 pos;
	int err;
};

static inline void p9_rbuf_init(struct p9_rbuf *r, const void *data, u32 len)
{
	r->data = data;
	r->len = len;
	r->pos = 0;
	r->err = 0;
}

/* Message framing */
void p9_enc_begin(struct p9_wbuf *w, void *buf, u32 cap, u8 type, u16 tag);
int p9_enc_end(struct p9_wbuf *w);
void p9_put_u8(struct p9_wbuf *w, u8 v);
void p9_put_u16(struct p9_wbuf *w, u16 v);
void p9_put_u32(struct p9_wbuf *w, u32 v);
void p9_put_u64(struct p9_wbuf *w, u64 v);
void p9_put_str(struct p9_wbuf *w, const char *s, size_t len);
void p9_put_bytes(struct p9_wbuf *w, const void *p, size_t len);

u8 p9_get_u8(struct p9_rbuf *r);
u16 p9_get_u16(struct p9_rbuf *r);
u32 p9_get_u32(struct p9_rbuf *r);
u64 p9_get_u64(struct p9_rbuf *r);
void p9_get_str(struct p9_rbuf *r, struct p9_str *s);
void p9_get_qid(struct p9_rbuf *r, struct p9_qid *qid);

/* Header of a reply: size[4] type[1] tag[2] */
void p9_parse_header(const u8 *hdr, u32 *size, u8 *type, u16 *tag);

/* Requests */
int p9_enc_version(struct p9_wbuf *w, void *buf, u32 cap, u32 msize,
		   const char *version);
int p9_enc_attach(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		  u32 afid, const char *uname, const char *aname, u32 n_uname);
int p9_enc_walk(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		u32 newfid, unsigned int nwname, const struct p9_str *names);
int p9_enc_lopen(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		 u32 flags);
int p9_enc_lcreate(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		   const struct p9_str *name, u32 flags, u32 mode, u32 gid);
int p9_enc_mkdir(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 dfid,
		 const struct p9_str *name, u32 mode, u32 gid);
int p9_enc_unlinkat(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 dfid,
		    const struct p9_str *name, u32 flags);
int p9_enc_read(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		u64 offset, u32 count);
/* Twrite header only: the caller appends @count bytes of data. */
int p9_enc_write_hdr(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		     u64 offset, u32 count);
int p9_enc_readdir(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		   u64 offset, u32 count);
int p9_enc_fid_op(struct p9_wbuf *w, void *buf, u32 cap, u8 type, u16 tag,
		  u32 fid);
int p9_enc_getattr(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		   u64 mask);
int p9_enc_setattr(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		   const struct p9_setattr *sa);

int p9_enc_symlink(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 dfid,
		   const struct p9_str *name, const struct p9_str *target,
		   u32 gid);
int p9_enc_mknod(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 dfid,
		 const struct p9_str *name, u32 mode, u32 major, u32 minor,
		 u32 gid);
int p9_enc_rename(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		  u32 dfid, const struct p9_str *name);
int p9_enc_renameat(struct p9_wbuf *w, void *buf, u32 cap, u16 tag,
		    u32 olddfid, const struct p9_str *oldname, u32 newdfid,
		    const struct p9_str *newname);
int p9_enc_link(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 dfid,
		u32 fid, const struct p9_str *name);
int p9_enc_fsync(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		 u32 datasync);
int p9_enc_xattrwalk(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		     u32 newfid, const struct p9_str *name);
int p9_enc_xattrcreate(struct p9_wbuf *w, void *buf, u32 cap, u16 tag,
		       u32 fid, const struct p9_str *name, u64 size, u32 flags);
int p9_enc_lock(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		const struct p9_flock *fl);
int p9_enc_getlock(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		   const struct p9_flock *fl);

/* Replies: each checks the whole body was consumed; 0 or -EPROTO. */
int p9_dec_lerror(struct p9_rbuf *r, u32 *ecode);
int p9_dec_version(struct p9_rbuf *r, u32 *msize, struct p9_str *version);
int p9_dec_qid(struct p9_rbuf *r, struct p9_qid *qid);
int p9_dec_walk(struct p9_rbuf *r, unsigned int max, unsigned int *nwqid,
		struct p9_qid *qids);
int p9_dec_open(struct p9_rbuf *r, struct p9_qid *qid, u32 *iounit);
int p9_dec_count(struct p9_rbuf *r, u32 *count);
int p9_dec_getattr(struct p9_rbuf *r, struct p9_getattr *ga);
int p9_dec_statfs(struct p9_rbuf *r, struct p9_statfs *st);
int p9_dec_empty(struct p9_rbuf *r);
int p9_dec_str(struct p9_rbuf *r, struct p9_str *s);	/* Rreadlink */
int p9_dec_u64(struct p9_rbuf *r, u64 *v);		/* Rxattrwalk */
int p9_dec_u8(struct p9_rbuf *r, u8 *v);		/* Rlock */
int p9_dec_getlock(struct p9_rbuf *r, struct p9_flock *fl);
/* Rreaddir: p9_dec_count() for the data length, then entries one by one. */
int p9_dec_dirent(struct p9_rbuf *r, struct p9_dirent *de);

/* Map a server's Rlerror code to a negative errno safe for user space. */
int p9_errno(u32 ecode);

#endif /* _MRX9P_WIRE_H */
