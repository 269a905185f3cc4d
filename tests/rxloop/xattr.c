// SPDX-License-Identifier: GPL-2.0
/*
 * Extended attributes: a list of (full name, value) per node, with the
 * getxattr/listxattr/setxattr/removexattr semantics of a local file
 * system.  The framework passes every namespace through; the server keeps
 * them all.  Values are copied under node->lock: the buffers are the
 * framework's kernel buffers.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xattr.h>
#include "rxloop.h"

struct rxloop_xattr {
	struct list_head link;
	size_t size;
	unsigned int name_len;
	char *value;			/* points into data, after the name */
	char data[];			/* name, NUL, value */
};

static size_t rxloop_xattr_cost(unsigned int name_len, size_t size)
{
	return sizeof(struct rxloop_xattr) + name_len + 1 + size;
}

static int rxloop_xattr_name(const char *name, unsigned int *len)
{
	size_t n;

	if (!name)
		return -EINVAL;
	n = strnlen(name, XATTR_NAME_MAX + 1);
	if (!n)
		return -EINVAL;
	if (n > XATTR_NAME_MAX)
		return -ERANGE;
	*len = n;
	return 0;
}

static struct rxloop_xattr *rxloop_xattr_find(struct rxloop_node *node,
					      const char *name,
					      unsigned int len)
{
	struct rxloop_xattr *x;

	list_for_each_entry(x, &node->xattrs, link)
		if (x->name_len == len && !memcmp(x->data, name, len))
			return x;
	return NULL;
}

/* getxattr: @size 0 asks for the length; *len is the value's length. */
int rxloop_getxattr(struct rxloop_node *node, const char *name, void *value,
		    size_t size, size_t *len)
{
	struct rxloop_xattr *x;
	unsigned int nlen;
	int err;

	err = rxloop_xattr_name(name, &nlen);
	if (err)
		return err;
	if (size && !value)
		return -EINVAL;
	spin_lock(&node->lock);
	x = rxloop_xattr_find(node, name, nlen);
	if (!x) {
		err = -ENODATA;
	} else if (size && size < x->size) {
		err = -ERANGE;
	} else {
		if (size)
			memcpy(value, x->value, x->size);
		*len = x->size;
	}
	spin_unlock(&node->lock);
	return err;
}

/* listxattr: NUL-terminated names; @size 0 asks for the length. */
int rxloop_listxattr(struct rxloop_node *node, char *buf, size_t size,
		     size_t *len)
{
	struct rxloop_xattr *x;
	size_t pos = 0;
	int err = 0;

	if (size && !buf)
		return -EINVAL;
	spin_lock(&node->lock);
	if (!size) {
		*len = node->xattr_list_len;
	} else if (size < node->xattr_list_len) {
		err = -ERANGE;
	} else {
		list_for_each_entry(x, &node->xattrs, link) {
			memcpy(buf + pos, x->data, x->name_len + 1);
			pos += x->name_len + 1;
		}
		*len = pos;
	}
	spin_unlock(&node->lock);
	return err;
}

/* setxattr (@value non-NULL) or removexattr (@value NULL). */
int rxloop_setxattr(struct rxloop_node *node, const char *name,
		    const void *value, size_t size, int flags)
{
	struct rxloop_server *srv = node->srv;
	struct rxloop_xattr *x, *nx = NULL, *gone = NULL;
	unsigned int nlen;
	int err;

	err = rxloop_xattr_name(name, &nlen);
	if (err)
		return err;
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	if (value && size > XATTR_SIZE_MAX)
		return -E2BIG;
	if (value) {
		err = rxloop_charge(srv, rxloop_xattr_cost(nlen, size));
		if (err)
			return err;
		nx = kmalloc(struct_size(nx, data, nlen + 1 + size),
			     GFP_KERNEL);
		if (!nx) {
			rxloop_uncharge(srv, rxloop_xattr_cost(nlen, size));
			return -ENOMEM;
		}
		nx->size = size;
		nx->name_len = nlen;
		memcpy(nx->data, name, nlen + 1);
		nx->value = nx->data + nlen + 1;
		memcpy(nx->value, value, size);
	}

	spin_lock(&node->lock);
	x = rxloop_xattr_find(node, name, nlen);
	if (!value) {
		if (!x) {
			err = -ENODATA;
		} else {
			list_del(&x->link);
			node->xattr_list_len -= nlen + 1;
			gone = x;
		}
	} else if (x && (flags & XATTR_CREATE)) {
		err = -EEXIST;
	} else if (!x && (flags & XATTR_REPLACE)) {
		err = -ENODATA;
	} else if (x) {
		list_replace(&x->link, &nx->link);
		gone = x;
		nx = NULL;
	} else if (node->xattr_list_len + nlen + 1 > XATTR_LIST_MAX) {
		err = -ENOSPC;		/* listxattr() could not return them */
	} else {
		list_add_tail(&nx->link, &node->xattrs);
		node->xattr_list_len += nlen + 1;
		nx = NULL;
	}
	spin_unlock(&node->lock);

	if (!err)
		rxloop_node_touch(node, false);
	if (gone) {
		rxloop_uncharge(srv, rxloop_xattr_cost(gone->name_len,
						       gone->size));
		kfree(gone);
	}
	if (nx) {
		rxloop_uncharge(srv, rxloop_xattr_cost(nlen, size));
		kfree(nx);
	}
	return err;
}

void rxloop_free_xattrs(struct rxloop_node *node)
{
	struct rxloop_xattr *x, *tmp;

	list_for_each_entry_safe(x, tmp, &node->xattrs, link) {
		rxloop_uncharge(node->srv,
				rxloop_xattr_cost(x->name_len, x->size));
		kfree(x);
	}
	INIT_LIST_HEAD(&node->xattrs);
	node->xattr_list_len = 0;
}
