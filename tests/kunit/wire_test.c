// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the 9P2000.L codec, in particular that every decoder stays inside
 * its buffer whatever the lengths in a reply say.
 */
#include <kunit/test.h>
#include "../../fs/mrx9p/wire.h"

static void encode_version(struct kunit *test)
{
	static const u8 want[] = {
		21, 0, 0, 0, P9_TVERSION, 0xff, 0xff,
		0x00, 0x00, 0x08, 0x00,			/* msize 512 KiB */
		8, 0, '9', 'P', '2', '0', '0', '0', '.', 'L',
	};
	struct p9_wbuf w;
	u8 buf[64];

	KUNIT_EXPECT_EQ(test, p9_enc_version(&w, buf, sizeof(buf), 512 * 1024,
					     P9_VERSION_L), (int)sizeof(want));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(want)), 0);
}

static void encode_overflow(struct kunit *test)
{
	struct p9_wbuf w;
	u8 buf[16];

	/* a buffer too small is an error, never an overrun */
	KUNIT_EXPECT_EQ(test, p9_enc_version(&w, buf, sizeof(buf), 8192,
					     P9_VERSION_L), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, p9_enc_walk(&w, buf, sizeof(buf), 1, 1, 2,
					  P9_MAXWELEM + 1, NULL), -EINVAL);
}

static void encode_write_header(struct kunit *test)
{
	struct p9_wbuf w;
	u8 buf[64];
	int hdr;

	hdr = p9_enc_write_hdr(&w, buf, sizeof(buf), 7, 3, 0x100000000ULL, 10);
	KUNIT_EXPECT_EQ(test, hdr, 23);
	/* size covers the data the caller appends */
	KUNIT_EXPECT_EQ(test, buf[0], 33);
	KUNIT_EXPECT_EQ(test, buf[4], P9_TWRITE);
	KUNIT_EXPECT_EQ(test, buf[15], 1);	/* offset bit 32 */
	KUNIT_EXPECT_EQ(test, p9_enc_write_hdr(&w, buf, sizeof(buf), 7, 3, 0,
					       100), -EMSGSIZE);
}

static void decode_version(struct kunit *test)
{
	static const u8 body[] = { 0x00, 0x20, 0, 0, 8, 0,
				   '9', 'P', '2', '0', '0', '0', '.', 'L' };
	u8 longer[sizeof(body) + 1];
	struct p9_str v;
	struct p9_rbuf r;
	u32 msize;

	p9_rbuf_init(&r, body, sizeof(body));
	KUNIT_EXPECT_EQ(test, p9_dec_version(&r, &msize, &v), 0);
	KUNIT_EXPECT_EQ(test, msize, 8192U);
	KUNIT_EXPECT_EQ(test, v.len, 8);
	KUNIT_EXPECT_EQ(test, memcmp(v.s, "9P2000.L", 8), 0);

	/* string length past the end of the message */
	p9_rbuf_init(&r, body, sizeof(body) - 1);
	KUNIT_EXPECT_EQ(test, p9_dec_version(&r, &msize, &v), -EPROTO);
	/* trailing garbage */
	memcpy(longer, body, sizeof(body));
	longer[sizeof(body)] = 0;
	p9_rbuf_init(&r, longer, sizeof(longer));
	KUNIT_EXPECT_EQ(test, p9_dec_version(&r, &msize, &v), -EPROTO);
}

static void decode_walk_bounds(struct kunit *test)
{
	struct p9_qid qids[P9_MAXWELEM];
	u8 body[2 + 17 * P9_QIDSZ] = { 17, 0 };
	unsigned int n;
	struct p9_rbuf r;

	/* more qids than names asked for */
	p9_rbuf_init(&r, body, sizeof(body));
	KUNIT_EXPECT_EQ(test, p9_dec_walk(&r, P9_MAXWELEM, &n, qids), -EPROTO);
	/* a count that the body does not hold */
	body[0] = 2;
	p9_rbuf_init(&r, body, 2 + P9_QIDSZ);
	KUNIT_EXPECT_EQ(test, p9_dec_walk(&r, P9_MAXWELEM, &n, qids), -EPROTO);
	p9_rbuf_init(&r, body, 2 + 2 * P9_QIDSZ);
	KUNIT_EXPECT_EQ(test, p9_dec_walk(&r, P9_MAXWELEM, &n, qids), 0);
	KUNIT_EXPECT_EQ(test, n, 2U);
}

static void decode_getattr(struct kunit *test)
{
	u8 body[153] = {};
	struct p9_getattr ga;
	struct p9_rbuf r;

	body[8] = 0x80;			/* qid.type: directory */
	body[13] = 0x2a;		/* qid.path = 42 */
	body[21] = 0xed;		/* mode 040755 */
	body[22] = 0x41;
	p9_rbuf_init(&r, body, sizeof(body));
	KUNIT_EXPECT_EQ(test, p9_dec_getattr(&r, &ga), 0);
	KUNIT_EXPECT_EQ(test, ga.qid.type, 0x80);
	KUNIT_EXPECT_EQ(test, ga.qid.path, 42ULL);
	KUNIT_EXPECT_EQ(test, ga.mode, 040755U);
	p9_rbuf_init(&r, body, sizeof(body) - 1);
	KUNIT_EXPECT_EQ(test, p9_dec_getattr(&r, &ga), -EPROTO);
}

static void decode_dirent_bounds(struct kunit *test)
{
	/* qid[13] offset[8] type[1] name: length 200, only 3 bytes present */
	u8 body[13 + 8 + 1 + 2 + 3] = {};
	struct p9_dirent de;
	struct p9_rbuf r;

	body[22] = 200;
	p9_rbuf_init(&r, body, sizeof(body));
	KUNIT_EXPECT_EQ(test, p9_dec_dirent(&r, &de), -EPROTO);
	KUNIT_EXPECT_EQ(test, de.name.len, 0);
	KUNIT_EXPECT_LE(test, r.pos, r.len);

	body[22] = 3;
	memcpy(body + 24, "abc", 3);
	p9_rbuf_init(&r, body, sizeof(body));
	KUNIT_EXPECT_EQ(test, p9_dec_dirent(&r, &de), 0);
	KUNIT_EXPECT_EQ(test, de.name.len, 3);
	KUNIT_EXPECT_EQ(test, memcmp(de.name.s, "abc", 3), 0);
}

static void errno_mapping(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, p9_errno(2), -ENOENT);
	KUNIT_EXPECT_EQ(test, p9_errno(13), -EACCES);
	KUNIT_EXPECT_EQ(test, p9_errno(0), -EIO);
	/* kernel-internal codes must not reach user space */
	KUNIT_EXPECT_EQ(test, p9_errno(512), -EIO);
	KUNIT_EXPECT_EQ(test, p9_errno(0xffffffff), -EIO);
}

static void header_parse(struct kunit *test)
{
	static const u8 hdr[] = { 0x0b, 0, 0, 0, P9_RREAD, 0x34, 0x12 };
	u32 size;
	u16 tag;
	u8 type;

	p9_parse_header(hdr, &size, &type, &tag);
	KUNIT_EXPECT_EQ(test, size, 11U);
	KUNIT_EXPECT_EQ(test, type, P9_RREAD);
	KUNIT_EXPECT_EQ(test, tag, 0x1234);
}

static struct kunit_case wire_cases[] = {
	KUNIT_CASE(encode_version),
	KUNIT_CASE(encode_overflow),
	KUNIT_CASE(encode_write_header),
	KUNIT_CASE(decode_version),
	KUNIT_CASE(decode_walk_bounds),
	KUNIT_CASE(decode_getattr),
	KUNIT_CASE(decode_dirent_bounds),
	KUNIT_CASE(errno_mapping),
	KUNIT_CASE(header_parse),
	{}
};

static struct kunit_suite wire_suite = {
	.name = "mrx9p_wire",
	.test_cases = wire_cases,
};

kunit_test_suite(wire_suite);
