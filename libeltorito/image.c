/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Image lifecycle, pattern lists and option defaults. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

int elt_write_opts_init(elt_write_opts *opts, unsigned int version)
{
	static const elt_write_opts defaults = ELT_WRITE_OPTS_INIT;

	if (!opts || version != ELT_WRITE_OPTS_VERSION)
		return ELT_EINVAL;
	*opts = defaults;
	return 0;
}

int elt_image_new(elt_image **out)
{
	elt_image *img;

	if (!out)
		return ELT_EINVAL;
	*out = NULL;
	img = calloc(1, sizeof *img);
	if (!img)
		return ELT_ENOMEM;
	img->root = tree_new_node(img, NULL, "", 0);
	if (!img->root) {
		free(img);
		return ELT_ENOMEM;
	}
	img->root->mode = S_IFDIR | 0555;
	img->root->nlink = 2;
	img->root->mtime = img->root->atime = img->root->ctime = -1;
	*out = img;
	return 0;
}

static void patterns_free(struct pattern_list *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		free(pl->globs[i]);
	free(pl->globs);
	free(pl->weights);
	free(pl->masks);
	memset(pl, 0, sizeof *pl);
}

void elt_image_free(elt_image *img)
{
	if (!img)
		return;
	torito_free(img);
	tree_free(img->root);
	patterns_free(&img->excludes);
	patterns_free(&img->hides);
	patterns_free(&img->hiddens);
	patterns_free(&img->sorts);
	free(img->excl_inodes);
	while (img->nshadows > 0)
		tree_free(img->shadows[--img->nshadows]);
	free(img->shadows);
	free(img);
}

void elt_image_set_msg_fn(elt_image *img, elt_msg_fn fn, void *payload)
{
	if (!img)
		return;
	img->msg_fn = fn;
	img->msg_payload = payload;
}

const char *elt_image_errmsg(const elt_image *img)
{
	return img ? img->errmsg : "no image";
}

static int patterns_add(elt_image *img, struct pattern_list *pl,
                        const char *glob, int32_t weight, unsigned int mask)
{
	if (!img || !glob)
		return ELT_EINVAL;
	if (img->frozen)
		return err_set(img, ELT_ESTATE, glob,
		               "the image is frozen while a stream exists");
	if (pl->n == pl->cap) {
		size_t cap = pl->cap ? pl->cap * 2 : 8;
		char **g = realloc(pl->globs, cap * sizeof *g);
		int32_t *w;
		unsigned int *m;
		if (!g)
			return ELT_ENOMEM;
		pl->globs = g;
		w = realloc(pl->weights, cap * sizeof *w);
		if (!w)
			return ELT_ENOMEM;
		pl->weights = w;
		m = realloc(pl->masks, cap * sizeof *m);
		if (!m)
			return ELT_ENOMEM;
		pl->masks = m;
		pl->cap = cap;
	}
	pl->globs[pl->n] = strdup(glob);
	if (!pl->globs[pl->n])
		return ELT_ENOMEM;
	pl->weights[pl->n] = weight;
	pl->masks[pl->n] = mask;
	pl->n++;
	return 0;
}

int elt_image_add_exclude(elt_image *img, const char *glob)
{
	return patterns_add(img, img ? &img->excludes : NULL, glob, 0, 0);
}

int elt_image_add_hide(elt_image *img, const char *glob, unsigned int ns)
{
	if (ns & ~ELT_NS_ALL)
		return ELT_EINVAL;
	return patterns_add(img, img ? &img->hides : NULL, glob, 0, ns);
}

int elt_image_add_hidden(elt_image *img, const char *glob)
{
	return patterns_add(img, img ? &img->hiddens : NULL, glob, 0, 0);
}

int elt_image_add_sort_weight(elt_image *img, const char *glob,
                              int32_t weight)
{
	return patterns_add(img, img ? &img->sorts : NULL, glob, weight, 0);
}

int elt_image_exclude_inode(elt_image *img, uint64_t dev, uint64_t ino)
{
	uint64_t *p;

	if (!img)
		return ELT_EINVAL;
	p = realloc(img->excl_inodes, (img->n_excl_inodes + 1) * 2 * sizeof *p);
	if (!p)
		return ELT_ENOMEM;
	img->excl_inodes = p;
	p[img->n_excl_inodes * 2] = dev;
	p[img->n_excl_inodes * 2 + 1] = ino;
	img->n_excl_inodes++;
	return 0;
}

int elt_image_add_tree(elt_image *img, const char *iso_path,
                       const char *disk_path, unsigned int flags)
{
	if (!img || !disk_path)
		return ELT_EINVAL;
	if (img->frozen)
		return err_set(img, ELT_ESTATE, disk_path,
		               "the image is frozen while a stream exists");
	return source_add_tree(img, iso_path ? iso_path : "/", disk_path,
	                       flags);
}
