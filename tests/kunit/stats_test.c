// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the per-mount statistics of include/rdbss/stats.h and the lines
 * rx_stats_show() writes (Documentation/filesystems/rdbss.rst, "Observing
 * a mount"): counts, errors, bytes, the latency histogram's buckets and
 * maximum, summed over every CPU, in the documented order and shape.
 */
#include <kunit/test.h>
#include <linux/ctype.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <rdbss/stats.h>

#define BUF_SIZE	8192

struct stats_fixture {
	struct rx_stats st;
	struct seq_file m;
};

static int stats_init(struct kunit *test)
{
	struct stats_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_EQ(test, rx_stats_init(&f->st), 0);
	f->m.buf = kunit_kzalloc(test, BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->m.buf);
	f->m.size = BUF_SIZE;
	test->priv = f;
	return 0;
}

static void stats_exit(struct kunit *test)
{
	struct stats_fixture *f = test->priv;

	rx_stats_destroy(&f->st);
}

/* The text after "KEY:" on the line that has it, in the output. */
static const char *line_of(struct kunit *test, const char *key)
{
	struct stats_fixture *f = test->priv;
	const char *p;

	f->m.buf[f->m.count] = '\0';
	p = strstr(f->m.buf, key);
	KUNIT_ASSERT_NOT_NULL_MSG(test, p, "no \"%s\" in:\n%s", key, f->m.buf);
	return p + strlen(key);
}

/* The numbers of one line: returns how many were read into v[]. */
static int numbers(const char *p, u64 *v, int max)
{
	int n = 0;

	while (n < max && *p && *p != '\n') {
		u64 x = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!isdigit(*p))
			break;
		while (isdigit(*p))
			x = x * 10 + (*p++ - '0');
		v[n++] = x;
	}
	return n;
}

static void stats_test_op_line(struct kunit *test)
{
	struct stats_fixture *f = test->priv;
	u64 now = ktime_get_ns(), v[16];

	/* 50 us, 5 ms, 2 s ago: buckets 0, 2 and 5 */
	rx_stats_op(&f->st, RX_OP_READ, 0, 4096, now - 50 * NSEC_PER_USEC);
	rx_stats_op(&f->st, RX_OP_READ, 0, 8192, now - 5 * NSEC_PER_MSEC);
	rx_stats_op(&f->st, RX_OP_READ, -EIO, 0, now - 2 * NSEC_PER_SEC);
	rx_stats_op(&f->st, RX_OP_LOOKUP, -ENOENT, 0, 0);
	rx_stats_show(&f->m, &f->st);

	KUNIT_ASSERT_EQ(test, numbers(line_of(test, "READ: "), v, 16), 11);
	KUNIT_EXPECT_EQ(test, v[0], 3ULL);		/* ops */
	KUNIT_EXPECT_EQ(test, v[1], 1ULL);		/* errors */
	KUNIT_EXPECT_EQ(test, v[2], 12288ULL);		/* bytes */
	KUNIT_EXPECT_GE(test, v[3], 2005050ULL);	/* total us */
	KUNIT_EXPECT_GE(test, v[4], 2000000ULL);	/* max us */
	KUNIT_EXPECT_LE(test, v[4], v[3]);
	KUNIT_EXPECT_EQ(test, v[5], 1ULL);		/* < 100 us */
	KUNIT_EXPECT_EQ(test, v[6], 0ULL);
	KUNIT_EXPECT_EQ(test, v[7], 1ULL);		/* < 10 ms */
	KUNIT_EXPECT_EQ(test, v[8], 0ULL);
	KUNIT_EXPECT_EQ(test, v[9], 0ULL);
	KUNIT_EXPECT_EQ(test, v[10], 1ULL);		/* >= 1 s */

	/* no start time: counted, with no time */
	KUNIT_ASSERT_EQ(test, numbers(line_of(test, "LOOKUP: "), v, 16), 11);
	KUNIT_EXPECT_EQ(test, v[0], 1ULL);
	KUNIT_EXPECT_EQ(test, v[1], 1ULL);
	KUNIT_EXPECT_EQ(test, v[3], 0ULL);
	KUNIT_EXPECT_EQ(test, v[5], 1ULL);
}

static void stats_test_bytes_events(struct kunit *test)
{
	struct stats_fixture *f = test->priv;
	u64 v[16];

	rx_stats_add(&f->st, RX_BYTES_READ, 100);
	rx_stats_add(&f->st, RX_BYTES_READ, 23);
	rx_stats_add(&f->st, RX_BYTES_PAGES_WRITTEN, 7);
	rx_stats_event(&f->st, RX_EV_READAHEAD);
	rx_stats_event(&f->st, RX_EV_COMPLETE_POSTED);
	rx_stats_event(&f->st, RX_EV_COMPLETE_POSTED);
	rx_stats_show(&f->m, &f->st);

	KUNIT_ASSERT_EQ(test, numbers(line_of(test, "\tbytes:\t"), v, 16),
			RX_BYTES_MAX);
	KUNIT_EXPECT_EQ(test, v[0], 123ULL);
	KUNIT_EXPECT_EQ(test, v[7], 7ULL);
	KUNIT_ASSERT_EQ(test, numbers(line_of(test, "\tevents:\t"), v, 16),
			RX_EV_MAX);
	KUNIT_EXPECT_EQ(test, v[0], 1ULL);
	KUNIT_EXPECT_EQ(test, v[10], 2ULL);
}

/* Every op line, in the documented order, with nothing counted yet. */
static void stats_test_shape(struct kunit *test)
{
	static const char * const order[] = {
		"LOOKUP", "OPEN", "CREATE", "MKDIR", "UNLINK", "RMDIR",
		"RENAME", "LINK", "SYMLINK", "MKNOD", "READLINK", "CLOSE",
		"GETATTR", "SETATTR", "STATFS", "READDIR", "FSYNC", "GETXATTR",
		"SETXATTR", "READ", "WRITE", "LOCK", "UNLOCK", "FSCTL", "IOCTL",
	};
	struct stats_fixture *f = test->priv;
	const char *p;
	char key[16];
	u64 v[16];
	int i;

	KUNIT_ASSERT_EQ(test, ARRAY_SIZE(order), (size_t)RX_OP_MAX);
	rx_stats_show(&f->m, &f->st);
	KUNIT_EXPECT_FALSE(test, seq_has_overflowed(&f->m));
	p = line_of(test, "\tage:\t");
	KUNIT_EXPECT_EQ(test, numbers(p, v, 2), 1);
	p = line_of(test, "\tper-op statistics\n");
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		p = skip_spaces(p);
		snprintf(key, sizeof(key), "%s: ", order[i]);
		KUNIT_ASSERT_TRUE_MSG(test, !strncmp(p, key, strlen(key)),
				      "op %d: want %s, got %.20s", i, key, p);
		KUNIT_EXPECT_EQ(test, numbers(p + strlen(key), v, 16), 11);
		p = strchr(p, '\n');
		KUNIT_ASSERT_NOT_NULL(test, p);
		p++;
	}
	KUNIT_EXPECT_EQ(test, *p, '\0');
}

/* A mount whose statistics could not be allocated shows age only. */
static void stats_test_unallocated(struct kunit *test)
{
	struct stats_fixture *f = test->priv;
	struct rx_stats none = {};

	rx_stats_op(&none, RX_OP_READ, 0, 1, 0);
	rx_stats_add(&none, RX_BYTES_READ, 1);
	rx_stats_event(&none, RX_EV_READAHEAD);
	rx_stats_show(&f->m, &none);
	f->m.buf[f->m.count] = '\0';
	KUNIT_EXPECT_NULL(test, strstr(f->m.buf, "bytes:"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(f->m.buf, "age:"));
}

static struct kunit_case stats_cases[] = {
	KUNIT_CASE(stats_test_op_line),
	KUNIT_CASE(stats_test_bytes_events),
	KUNIT_CASE(stats_test_shape),
	KUNIT_CASE(stats_test_unallocated),
	{}
};

static struct kunit_suite stats_suite = {
	.name = "rdbss_stats",
	.init = stats_init,
	.exit = stats_exit,
	.test_cases = stats_cases,
};

kunit_test_suite(stats_suite);
