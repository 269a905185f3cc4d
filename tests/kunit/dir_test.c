// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: rx_dir_emit() checks every name a server lists before the VFS
 * sees it, and readdir lets "." and ".." come again after a rewind.
 */
#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <rdbss/minirdr.h>
#include "rxloop_mount.h"

#define SEEN_MAX	8

struct seen_entry {
	char name[NAME_MAX + 2];
	int len;
	loff_t pos;
	u64 ino;
	unsigned int type;
};

/* A dir_context that records what reaches it, and is full after room. */
struct seen {
	struct dir_context actor;
	int n;
	int room;
	struct seen_entry *e;
};

static bool record(struct dir_context *actor, const char *name, int len,
		   loff_t pos, u64 ino, unsigned int type)
{
	struct seen *s = container_of(actor, struct seen, actor);
	struct seen_entry *e;

	if (s->n >= s->room || s->n >= SEEN_MAX)
		return false;
	e = &s->e[s->n];
	memcpy(e->name, name, min_t(int, len, NAME_MAX + 1));
	e->len = len;
	e->pos = pos;
	e->ino = ino;
	e->type = type;
	s->n++;
	return true;
}

struct dir_env {
	struct seen s;
	struct rx_fobx fobx;
	struct rx_context *ctx;
	struct rxl_env rxl;
};

static struct rx_minirdr dir_minirdr = { .name = "rxdirtest" };

static int dir_init(struct kunit *test)
{
	struct dir_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);
	const struct dir_context actor = { .actor = record };

	if (!env)
		return -ENOMEM;
	test->priv = env;
	memcpy(&env->s.actor, &actor, sizeof(actor));
	env->s.room = SEEN_MAX;
	env->s.e = kunit_kcalloc(test, SEEN_MAX, sizeof(*env->s.e), GFP_KERNEL);
	env->ctx = rx_create_context(&dir_minirdr, RX_MJ_DIRECTORY_CONTROL, 0,
				     GFP_KERNEL);
	if (!env->s.e || !env->ctx)
		return -ENOMEM;
	env->ctx->fobx = &env->fobx;
	env->ctx->info.query_dir.actor = &env->s.actor;
	return 0;
}

static void dir_exit(struct kunit *test)
{
	struct dir_env *env = test->priv;

	if (!env)
		return;
	if (env->ctx)
		rx_dereference_context(env->ctx);
	rxl_cleanup(&env->rxl);
}

static void expect_entry(struct kunit *test, struct seen *s, int i,
			 const char *name, loff_t pos)
{
	KUNIT_ASSERT_LT(test, i, s->n);
	KUNIT_EXPECT_EQ(test, s->e[i].len, (int)strlen(name));
	KUNIT_EXPECT_STREQ(test, s->e[i].name, name);
	KUNIT_EXPECT_EQ(test, s->e[i].pos, pos);
}

static void valid_names_pass(struct kunit *test)
{
	struct dir_env *env = test->priv;
	struct rx_context *ctx = env->ctx;
	struct seen *s = &env->s;
	char *longest = kunit_kzalloc(test, NAME_MAX + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, longest);
	memset(longest, 'x', NAME_MAX);
	s->actor.pos = 2;
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, "a", 1, 10, DT_REG, 3));
	KUNIT_EXPECT_EQ(test, s->actor.pos, 3LL);
	/* positions are the server's cookies, not a count */
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, "file.txt", 8, 11, DT_DIR,
					    40));
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, longest, NAME_MAX, 12,
					    DT_LNK, 41));
	/* dots that are not "." or ".." are ordinary names, every time */
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, "...", 3, 13, DT_REG, 42));
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, "...", 3, 14, DT_REG, 43));
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, ".a", 2, 15, DT_REG, 44));
	KUNIT_EXPECT_EQ(test, s->actor.pos, 44LL);

	KUNIT_ASSERT_EQ(test, s->n, 6);
	expect_entry(test, s, 0, "a", 2);
	expect_entry(test, s, 1, "file.txt", 3);
	expect_entry(test, s, 2, longest, 40);
	expect_entry(test, s, 3, "...", 41);
	expect_entry(test, s, 4, "...", 42);
	expect_entry(test, s, 5, ".a", 43);
	KUNIT_EXPECT_EQ(test, s->e[0].ino, 10ULL);
	KUNIT_EXPECT_EQ(test, s->e[0].type, (unsigned int)DT_REG);
	KUNIT_EXPECT_EQ(test, s->e[1].type, (unsigned int)DT_DIR);
	KUNIT_EXPECT_EQ(test, s->e[2].ino, 12ULL);
	KUNIT_EXPECT_EQ(test, s->e[2].type, (unsigned int)DT_LNK);
	KUNIT_EXPECT_EQ(test, env->fobx.dots_seen, 0U);
}

static void invalid_names_skipped(struct kunit *test)
{
	static const struct {
		const char *name;
		size_t len;
	} bad[] = {
		{ "", 0 },
		{ "a/b", 3 },
		{ "/", 1 },
		{ "ab/", 3 },
		{ "a\0b", 3 },
		{ "\0", 1 },
		{ "ab\0", 3 },
	};
	struct dir_env *env = test->priv;
	struct rx_context *ctx = env->ctx;
	struct seen *s = &env->s;
	char *toolong = kunit_kzalloc(test, NAME_MAX + 2, GFP_KERNEL);
	loff_t next = 10;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, toolong);
	memset(toolong, 'y', NAME_MAX + 1);
	s->actor.pos = 5;
	/* skipped, but the listing goes on past them */
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, toolong, NAME_MAX + 1, 20,
					    DT_REG, next));
	KUNIT_EXPECT_EQ(test, s->actor.pos, next);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		next++;
		KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, bad[i].name,
						    bad[i].len, 21 + i, DT_REG,
						    next));
		KUNIT_EXPECT_EQ_MSG(test, s->actor.pos, next, "name %u", i);
	}
	KUNIT_EXPECT_EQ(test, s->n, 0);
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, "ok", 2, 30, DT_REG, 99));
	KUNIT_ASSERT_EQ(test, s->n, 1);
	expect_entry(test, s, 0, "ok", next);
	KUNIT_EXPECT_EQ(test, s->actor.pos, 99LL);
}

static void second_dots_skipped(struct kunit *test)
{
	struct dir_env *env = test->priv;
	struct rx_context *ctx = env->ctx;
	struct seen *s = &env->s;

	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, ".", 1, 1, DT_DIR, 1));
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, "..", 2, 2, DT_DIR, 2));
	KUNIT_EXPECT_EQ(test, env->fobx.dots_seen, 3U);
	/* again, later in the same listing: a hostile server */
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, "..", 2, 3, DT_DIR, 7));
	KUNIT_EXPECT_EQ(test, s->actor.pos, 7LL);
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, ".", 1, 4, DT_DIR, 8));
	KUNIT_EXPECT_EQ(test, s->actor.pos, 8LL);
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, "z", 1, 5, DT_REG, 9));
	KUNIT_ASSERT_EQ(test, s->n, 3);
	expect_entry(test, s, 0, ".", 0);
	expect_entry(test, s, 1, "..", 1);
	expect_entry(test, s, 2, "z", 8);

	/* what readdir does at a rewind: both may come once more */
	env->fobx.dots_seen = 0;
	s->actor.pos = 0;
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, "..", 2, 2, DT_DIR, 1));
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, ".", 1, 1, DT_DIR, 2));
	KUNIT_ASSERT_EQ(test, s->n, 5);
	expect_entry(test, s, 3, "..", 0);
	expect_entry(test, s, 4, ".", 1);
}

static void full_buffer_keeps_position(struct kunit *test)
{
	struct dir_env *env = test->priv;
	struct rx_context *ctx = env->ctx;
	struct seen *s = &env->s;

	s->room = 1;
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, ".", 1, 1, DT_DIR, 1));
	/* full: stop, and resume later from the same position */
	KUNIT_EXPECT_FALSE(test, rx_dir_emit(ctx, "..", 2, 2, DT_DIR, 2));
	KUNIT_EXPECT_EQ(test, s->actor.pos, 1LL);
	KUNIT_EXPECT_FALSE(test, rx_dir_emit(ctx, "b", 1, 3, DT_REG, 3));
	KUNIT_EXPECT_EQ(test, s->actor.pos, 1LL);
	/* ".." was not taken, so it is not a second ".." when resent */
	KUNIT_EXPECT_EQ(test, env->fobx.dots_seen, 1U);
	s->room = SEEN_MAX;
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, "..", 2, 2, DT_DIR, 2));
	KUNIT_EXPECT_TRUE(test, rx_dir_emit(ctx, "b", 1, 3, DT_REG, 3));
	KUNIT_ASSERT_EQ(test, s->n, 3);
	expect_entry(test, s, 1, "..", 1);
	expect_entry(test, s, 2, "b", 2);
	KUNIT_EXPECT_EQ(test, s->actor.pos, 3LL);
}

static void dtype_out_of_range_is_unknown(struct kunit *test)
{
	static const unsigned int in[] = {
		DT_REG, DT_SOCK, DT_WHT, 15, 16, 255, UINT_MAX,
	};
	static const unsigned int out[] = {
		DT_REG, DT_SOCK, DT_WHT, 15, DT_UNKNOWN, DT_UNKNOWN, DT_UNKNOWN,
	};
	struct dir_env *env = test->priv;
	struct seen *s = &env->s;
	char name[2] = "a";
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(in); i++) {
		name[0] = 'a' + i;
		KUNIT_EXPECT_TRUE(test, rx_dir_emit(env->ctx, name, 1, 100 + i,
						    in[i], i + 1));
	}
	KUNIT_ASSERT_EQ(test, s->n, (int)ARRAY_SIZE(in));
	for (i = 0; i < ARRAY_SIZE(in); i++)
		KUNIT_EXPECT_EQ_MSG(test, s->e[i].type, out[i], "type %u",
				    in[i]);
}

/* A real readdir over rxloop: a rewind (position 0) lists the dots again. */
static void rewind_lists_dots_again(struct kunit *test)
{
	struct dir_env *env = test->priv;
	struct seen *s = &env->s;
	struct vfsmount *mnt;
	struct file *dir;
	int pass;

	mnt = rxl_mount(test, &env->rxl, "kunit-dir", "cache=loose");
	rxl_open(test, &env->rxl, mnt, "a", O_CREAT | O_RDWR);
	rxl_open(test, &env->rxl, mnt, "b", O_CREAT | O_RDWR);
	dir = rxl_open(test, &env->rxl, mnt, ".", O_RDONLY | O_DIRECTORY);

	for (pass = 0; pass < 2; pass++) {
		s->n = 0;
		KUNIT_ASSERT_EQ(test, vfs_llseek(dir, 0, SEEK_SET), 0LL);
		KUNIT_ASSERT_EQ(test, iterate_dir(dir, &s->actor), 0);
		KUNIT_ASSERT_EQ_MSG(test, s->n, 4, "pass %d", pass);
		expect_entry(test, s, 0, ".", 0);
		expect_entry(test, s, 1, "..", 1);
		KUNIT_EXPECT_STREQ(test, s->e[2].name, "a");
		KUNIT_EXPECT_STREQ(test, s->e[3].name, "b");
	}

	/* a listing resumed after "." still gets ".." */
	s->n = 0;
	s->room = 1;
	KUNIT_ASSERT_EQ(test, vfs_llseek(dir, 0, SEEK_SET), 0LL);
	KUNIT_ASSERT_EQ(test, iterate_dir(dir, &s->actor), 0);
	KUNIT_ASSERT_EQ(test, s->n, 1);
	s->room = SEEN_MAX;
	KUNIT_ASSERT_EQ(test, iterate_dir(dir, &s->actor), 0);
	KUNIT_ASSERT_EQ(test, s->n, 4);
	expect_entry(test, s, 1, "..", 1);
}

static struct kunit_case dir_cases[] = {
	KUNIT_CASE(valid_names_pass),
	KUNIT_CASE(invalid_names_skipped),
	KUNIT_CASE(second_dots_skipped),
	KUNIT_CASE(full_buffer_keeps_position),
	KUNIT_CASE(dtype_out_of_range_is_unknown),
	KUNIT_CASE(rewind_lists_dots_again),
	{}
};

static struct kunit_suite dir_suite = {
	.name = "rdbss_dir",
	.init = dir_init,
	.exit = dir_exit,
	.test_cases = dir_cases,
};

kunit_test_suite(dir_suite);
