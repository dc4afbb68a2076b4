/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The node tree: creation, lookup by ISO path, invented directories. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

struct elt_node *tree_new_node(elt_image *img, struct elt_node *parent,
                               const char *name, size_t namelen)
{
	struct elt_node *n = calloc(1, sizeof *n);

	if (!n)
		return NULL;
	n->name = malloc(namelen + 1);
	if (!n->name) {
		free(n);
		return NULL;
	}
	memcpy(n->name, name, namelen);
	n->name[namelen] = '\0';
	n->parent = parent;
	n->nlink = 1;
	if (parent) {
		n->depth = parent->depth < 255 ? (uint8_t)(parent->depth + 1) : 255;
		if (parent->last_child)
			parent->last_child->next = n;
		else
			parent->first_child = n;
		parent->last_child = n;
		parent->nchildren++;
	} else {
		n->depth = 1;
	}
	img->nodes++;
	return n;
}

void tree_free(struct elt_node *n)
{
	while (n) {
		struct elt_node *next = n->next;
		tree_free(n->first_child);
		free(n->name);
		free(n->disk_path);
		free(n->link_target);
		free(n->mem);
		free(n->iso_name);
		free(n->jname);
		free(n->iso_kids);
		free(n->j_kids);
		free(n);
		n = next;
	}
}

/* Pre-order successor of n inside root, without recursion (trees may be
 * thousands of levels deep). NULL after the last node. */
struct elt_node *tree_next(struct elt_node *n, const struct elt_node *root)
{
	if (n->first_child)
		return n->first_child;
	while (n != root) {
		if (n->next)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

/* Take n out of its parent's child list (prev: the child before it, or
 * NULL to look it up). The node itself is kept. */
void tree_unlink(struct elt_node *n, struct elt_node *prev)
{
	struct elt_node *dir = n->parent;

	if (!prev && dir->first_child != n) {
		for (prev = dir->first_child; prev && prev->next != n;
		     prev = prev->next)
			;
		if (!prev)
			return;   /* not listed */
	}
	if (prev)
		prev->next = n->next;
	else
		dir->first_child = n->next;
	if (dir->last_child == n)
		dir->last_child = prev;
	dir->nchildren--;
	n->next = NULL;
}

struct elt_node *tree_child(const struct elt_node *dir, const char *name,
                            size_t len)
{
	struct elt_node *c;

	for (c = dir->first_child; c; c = c->next)
		if (strncmp(c->name, name, len) == 0 && c->name[len] == '\0')
			return c;
	return NULL;
}

/* A directory made up for a graft point or a memory file's parent. Its
 * attributes are completed by the caller (mkisofs gives such directories
 * the clock's date and the graft source's owner and mode). */
static struct elt_node *invent_dir(elt_image *img, struct elt_node *parent,
                                   const char *name, size_t len)
{
	struct elt_node *n = tree_new_node(img, parent, name, len);

	if (!n)
		return NULL;
	n->mode = S_IFDIR | 0555;
	n->nlink = 2;
	n->flags |= NODE_INVENTED;
	n->mtime = n->atime = n->ctime = -1;   /* -1: the stream's clock */
	return n;
}

/* Walk iso_path from the root, creating missing directories; with
 * create_last == 0 the last component is not created and *out is its
 * parent. Components "." and empty ones are skipped. */
int tree_mkdirs(elt_image *img, const char *iso_path, int create_last,
                struct elt_node **out)
{
	struct elt_node *cur = img->root;
	const char *p = iso_path;

	while (*p == '/')
		p++;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		struct elt_node *c;

		if (!e && !create_last)
			break;
		if (len == 0 || (len == 1 && p[0] == '.')) {
			p += len + (e ? 1 : 0);
			continue;
		}
		c = tree_child(cur, p, len);
		if (!c) {
			c = invent_dir(img, cur, p, len);
			if (!c)
				return err_set(img, ELT_ENOMEM, iso_path,
				               "out of memory");
		} else if (!S_ISDIR(c->mode)) {
			return err_set(img, ELT_EEXIST, iso_path,
			               "a component is not a directory");
		}
		cur = c;
		p += len;
		while (*p == '/')
			p++;
	}
	*out = cur;
	return 0;
}

const char *tree_iso_path(const struct elt_node *n, char *buf, size_t cap)
{
	const struct elt_node *chain[256];
	size_t depth = 0, used = 0, i;

	for (; n && n->parent && depth < 256; n = n->parent)
		chain[depth++] = n;
	buf[0] = '\0';
	if (depth == 0 && cap > 1) {
		buf[0] = '/';
		buf[1] = '\0';
	}
	for (i = depth; i-- > 0;) {
		size_t l = strlen(chain[i]->name);
		if (used + l + 2 >= cap)
			break;
		buf[used++] = '/';
		memcpy(buf + used, chain[i]->name, l);
		used += l;
		buf[used] = '\0';
	}
	return buf;
}

static const char *last_component(const char *path, size_t *len)
{
	const char *end = path + strlen(path), *s;

	while (end > path && end[-1] == '/')
		end--;
	s = end;
	while (s > path && s[-1] != '/')
		s--;
	*len = (size_t)(end - s);
	return s;
}

int elt_image_lookup(elt_node **out, elt_image *img, const char *iso_path)
{
	struct elt_node *cur;
	const char *p;

	if (!out || !img || !iso_path)
		return ELT_EINVAL;
	cur = img->root;
	p = iso_path;
	while (*p) {
		const char *e;
		size_t len;
		while (*p == '/')
			p++;
		if (!*p)
			break;
		e = strchr(p, '/');
		len = e ? (size_t)(e - p) : strlen(p);
		cur = tree_child(cur, p, len);
		if (!cur)
			return err_set(img, ELT_ENOENT, iso_path,
			               "no such file in the image");
		p += len;
	}
	*out = cur;
	return 0;
}

int elt_node_set_hidden(elt_node *node, unsigned int ns_mask)
{
	if (!node || (ns_mask & ~ELT_NS_ALL))
		return ELT_EINVAL;
	node->hidden |= (uint16_t)ns_mask;
	return 0;
}

/* Memory and callback files: copied in, parents invented. */
static int add_content_node(elt_image *img, const char *iso_path,
                            struct elt_node **out)
{
	struct elt_node *dir, *n;
	const char *name;
	size_t len;
	int err;

	if (img->frozen)
		return err_set(img, ELT_ESTATE, iso_path,
		               "the image is frozen while a stream exists");
	name = last_component(iso_path, &len);
	if (len == 0)
		return err_set(img, ELT_EINVAL, iso_path, "not a file path");
	if ((err = tree_mkdirs(img, iso_path, 0, &dir)) < 0)
		return err;
	if (tree_child(dir, name, len))
		return err_set(img, ELT_EEXIST, iso_path,
		               "already in the image");
	n = tree_new_node(img, dir, name, len);
	if (!n)
		return err_set(img, ELT_ENOMEM, iso_path, "out of memory");
	n->mode = S_IFREG | 0444;
	n->mtime = n->atime = n->ctime = -1;
	*out = n;
	return 0;
}

int elt_image_add_mem(elt_image *img, const char *iso_path,
                      const void *data, size_t len)
{
	struct elt_node *n;
	int err;

	if (!img || !iso_path || (!data && len))
		return ELT_EINVAL;
	if ((err = add_content_node(img, iso_path, &n)) < 0)
		return err;
	n->src_kind = SRC_MEM;
	n->size = len;
	n->mem = malloc(len ? len : 1);
	if (!n->mem)
		return err_set(img, ELT_ENOMEM, iso_path, "out of memory");
	if (len)
		memcpy(n->mem, data, len);
	return 0;
}

int elt_image_add_callback(elt_image *img, const char *iso_path,
                           uint64_t size, elt_read_fn fn, void *payload)
{
	struct elt_node *n;
	int err;

	if (!img || !iso_path || !fn)
		return ELT_EINVAL;
	if ((err = add_content_node(img, iso_path, &n)) < 0)
		return err;
	n->src_kind = SRC_CALLBACK;
	n->size = size;
	n->read_fn = fn;
	n->cb_payload = payload;
	return 0;
}
