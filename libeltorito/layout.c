/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The layout plan: every block of the image as an ordered list of extents.
 * The order is genisoimage 1.1.11's (FORMAT.md 16.1): system area,
 * descriptors, one zero block, path tables (each in a slot rounded up to
 * an even number of blocks), ISO directories with their continuation
 * areas, Joliet directories, the Rock Ridge ER block, the boot catalog,
 * file data, padding. Sizes come from the encoders themselves (NULL
 * buffer), so the plan and the bytes cannot disagree.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define ISO_MAX_DEPTH 8         /* ECMA-119 6.8.2.1: root is level 1 */
#define PTAB_MAX_DIRS 65535u    /* 9.4.4: parent number is 16 bits */

int layout_add(struct plan *p, enum extent_kind kind, uint32_t blocks,
               void *obj, uint16_t aux)
{
	struct extent *e;
	uint64_t end = (uint64_t)p->total_blocks + blocks;

	if (end > UINT32_MAX)
		return ELT_ELIMIT;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		e = realloc(p->ext, cap * sizeof *e);
		if (!e)
			return ELT_ENOMEM;
		p->ext = e;
		p->cap = cap;
	}
	e = &p->ext[p->n++];
	e->lba = p->total_blocks;
	e->blocks = blocks;
	e->kind = (uint16_t)kind;
	e->aux = aux;
	e->obj = obj;
	p->total_blocks = (uint32_t)end;
	return 0;
}

void layout_free(struct plan *p)
{
	free(p->ext);
	free(p->dirs[0]);
	free(p->dirs[1]);
	memset(p, 0, sizeof *p);
}

static bool in_ns(const struct elt_node *n, enum ns ns)
{
	return !(n->hidden & (ns == NS_JOLIET ? ELT_NS_JOLIET : ELT_NS_ISO));
}

/* Children of dir listed in ns, on-disc order. */
static void kids_of(struct elt_node *dir, enum ns ns,
                    struct elt_node ***kids, uint32_t *n)
{
	*kids = ns == NS_JOLIET ? dir->j_kids : dir->iso_kids;
	*n = ns == NS_JOLIET ? dir->n_j_kids : dir->n_iso_kids;
}

static int cmp_ptab(const void *a, const void *b, enum ns ns)
{
	const struct elt_node *x = *(struct elt_node *const *)a;
	const struct elt_node *y = *(struct elt_node *const *)b;
	const char *xi = ns == NS_JOLIET ? x->jname : x->iso_name;
	const char *yi = ns == NS_JOLIET ? y->jname : y->iso_name;
	uint8_t xl = ns == NS_JOLIET ? x->jlen : x->iso_len;
	uint8_t yl = ns == NS_JOLIET ? y->jlen : y->iso_len;
	int c = memcmp(xi, yi, xl < yl ? xl : yl);

	if (c)
		return c;
	return (int)xl - (int)yl;
}

static int cmp_ptab_iso(const void *a, const void *b)
{
	return cmp_ptab(a, b, NS_ISO);
}

static int cmp_ptab_joliet(const void *a, const void *b)
{
	return cmp_ptab(a, b, NS_JOLIET);
}

/* 9.4: directories in path table order: by level, then parent number,
 * then identifier. Numbers them (ptab_num / jptab_num). */
static int order_path_table(struct elt_stream *s, enum ns ns)
{
	struct plan *p = &s->plan;
	struct elt_node **list;
	size_t cap = 64, n = 1, i;

	list = malloc(cap * sizeof *list);
	if (!list)
		return ELT_ENOMEM;
	list[0] = s->img->root;
	for (i = 0; i < n; i++) {
		struct elt_node **kids;
		uint32_t nk, k;
		size_t first = n;
		kids_of(list[i], ns, &kids, &nk);
		for (k = 0; k < nk; k++) {
			if (!S_ISDIR(kids[k]->mode) ||
			    (kids[k]->flags & NODE_RELOC_STUB))
				continue;
			if (n == cap) {
				void *q = realloc(list, (cap *= 2) * sizeof *list);
				if (!q) {
					free(list);
					return ELT_ENOMEM;
				}
				list = q;
			}
			list[n++] = kids[k];
		}
		qsort(list + first, n - first, sizeof *list,
		      ns == NS_JOLIET ? cmp_ptab_joliet : cmp_ptab_iso);
	}
	if (n > PTAB_MAX_DIRS) {
		free(list);
		return err_set(s->img, ELT_ELIMIT, NULL,
		               "%zu directories, a path table holds at most %u",
		               n, PTAB_MAX_DIRS);
	}
	for (i = 0; i < n; i++) {
		if (ns == NS_JOLIET)
			list[i]->jptab_num = (uint32_t)(i + 1);
		else
			list[i]->ptab_num = (uint32_t)(i + 1);
	}
	p->dirs[ns] = list;
	p->ndirs[ns] = (uint32_t)n;
	p->ptab_size[ns] = pathtab_size(s, ns);
	return 0;
}

/* Visit directories depth-first in pre-order, siblings in insertion
 * (readdir) order, as genisoimage assigns directory extents. */
typedef int (*dir_fn)(struct elt_stream *s, struct elt_node *dir, enum ns ns);

static int each_dir(struct elt_stream *s, struct elt_node *dir, enum ns ns,
                    dir_fn fn)
{
	struct elt_node *c;
	int err;

	if (dir->flags & NODE_RELOC_STUB)
		return 0;
	if (!in_ns(dir, ns) && dir->parent)
		return 0;
	/* Joliet has no rr_moved, but its moved directories are placed in
	 * its place in the walk, as genisoimage does */
	if (!(ns == NS_JOLIET && (dir->flags & NODE_RR_MOVED)) &&
	    (err = fn(s, dir, ns)) < 0)
		return err;
	if (dir->flags & NODE_NOT_READ)
		return 0;
	for (c = dir->first_child; c; c = c->next)
		if (S_ISDIR(c->mode) && (err = each_dir(s, c, ns, fn)) < 0)
			return err;
	return 0;
}

static int measure_dir(struct elt_stream *s, struct elt_node *dir, enum ns ns)
{
	int64_t bytes = ecma_encode_dir(NULL, NULL, s, dir, ns);

	if (bytes < 0)
		return (int)bytes;
	if (bytes / BLOCK > UINT32_MAX)
		return ELT_ELIMIT;
	if (ns == NS_JOLIET)
		dir->jblocks = (uint32_t)(bytes / BLOCK);
	else
		dir->blocks = (uint32_t)(bytes / BLOCK);
	return 0;
}

static int place_dir(struct elt_stream *s, struct elt_node *dir, enum ns ns)
{
	struct plan *p = &s->plan;
	int err;

	if (ns == NS_JOLIET) {
		dir->jlba = p->total_blocks;
		return layout_add(p, EXT_DIR, dir->jblocks, dir, NS_JOLIET);
	}
	dir->lba = p->total_blocks;
	if ((err = layout_add(p, EXT_DIR, dir->blocks, dir, NS_ISO)) < 0)
		return err;
	if (dir->ce_bytes) {
		dir->ce_lba = p->total_blocks;
		err = layout_add(p, EXT_CE, BLOCKS_OF(dir->ce_bytes), dir, 0);
	}
	return err;
}

struct elt_node *layout_parent(const struct elt_node *n, enum ns ns)
{
	if (ns == NS_JOLIET && (n->flags & NODE_RELOCATED))
		return n->reloc;
	return n->parent ? n->parent : (struct elt_node *)n;
}

/* Directories at ISO level 8 may not hold subdirectories (ECMA-119
 * 6.8.2.1). Without Rock Ridge or -D, genisoimage leaves such a
 * directory empty and does not read it at all (so its files are in no
 * namespace). */
static void cut_deep(struct elt_stream *s, struct elt_node *dir,
                     unsigned int level)
{
	struct elt_node *c;
	char path[1024];

	dir->flags &= (uint16_t)~NODE_NOT_READ;
	if (level >= ISO_MAX_DEPTH && !(s->w.o.relax & ELT_RELAX_DEEP_DIRS)) {
		for (c = dir->first_child; c; c = c->next)
			if (S_ISDIR(c->mode))
				break;
		if (!c)
			return;
		dir->flags |= NODE_NOT_READ;
		msg_emit(s->img, ELT_MSG_WARNING, ELT_MSGC_DEPTH,
		         tree_iso_path(dir, path, sizeof path),
		         "directory too deep for ISO 9660, its contents are left "
		         "out (use -R or -D)");
		return;
	}
	for (c = dir->first_child; c; c = c->next)
		if (S_ISDIR(c->mode))
			cut_deep(s, c, level + 1);
}

static void clear_marks(struct elt_node *dir)
{
	struct elt_node *c;

	dir->flags &= (uint16_t)~NODE_NOT_READ;
	for (c = dir->first_child; c; c = c->next)
		if (S_ISDIR(c->mode))
			clear_marks(c);
}

static int push_stub(struct elt_stream *s, struct elt_node *stub)
{
	if (s->nstubs == s->stubs_cap) {
		size_t cap = s->stubs_cap ? s->stubs_cap * 2 : 16;
		void *p = realloc(s->stubs, cap * sizeof *s->stubs);
		if (!p)
			return ELT_ENOMEM;
		s->stubs = p;
		s->stubs_cap = cap;
	}
	s->stubs[s->nstubs++] = stub;
	return 0;
}

/* Replace `old` by `new` in parent's child list (same position). */
static void swap_child(struct elt_node *parent, struct elt_node *old,
                       struct elt_node *new)
{
	struct elt_node **pp = &parent->first_child, *prev = NULL;

	while (*pp != old) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	new->next = old->next;
	*pp = new;
	if (parent->last_child == old)
		parent->last_child = new;
	(void)prev;
	new->parent = parent;
}

static void append_child(struct elt_node *parent, struct elt_node *c)
{
	c->next = NULL;
	c->parent = parent;
	if (parent->last_child)
		parent->last_child->next = c;
	else
		parent->first_child = c;
	parent->last_child = c;
	parent->nchildren++;
}

/* The relocation directory: genisoimage makes it before reading the
 * tree, so it is the root's first subdirectory; it carries the clock's
 * dates and mode 0555. */
static int make_rr_moved(struct elt_stream *s)
{
	elt_image *img = s->img;
	const char *name = (s->w.o.flags & ELT_WRITE_HIDE_RR_MOVED) ?
	                   ".rr_moved" : "rr_moved";
	struct elt_node *root = img->root, *m;

	m = tree_new_node(img, root, name, strlen(name));
	if (!m)
		return ELT_ENOMEM;
	/* move it from the end of the root's list to the front */
	if (root->first_child != m) {
		tree_unlink(m, NULL);
		m->next = root->first_child;
		root->first_child = m;
		root->nchildren++;
	}
	m->mode = S_IFDIR | 0555;
	m->nlink = 2;
	m->mtime = m->atime = m->ctime = -1;
	m->flags |= NODE_RR_MOVED | NODE_INVENTED;
	s->rr_moved = m;
	return 0;
}

/* Move directory d (a child of a level-8 directory) into rr_moved,
 * leaving a stub of the same name where it was. */
static int relocate_one(struct elt_stream *s, struct elt_node *d)
{
	struct elt_node *parent = d->parent, *stub;
	int err;

	if (!s->rr_moved && (err = make_rr_moved(s)) < 0)
		return err;
	stub = tree_new_node(s->img, parent, d->name, strlen(d->name));
	if (!stub)
		return ELT_ENOMEM;
	/* tree_new_node appended the stub; it goes in d's place below */
	tree_unlink(stub, NULL);
	if ((err = push_stub(s, stub)) < 0) {
		tree_free(stub);
		s->img->nodes--;
		return err;
	}
	stub->mode = d->mode;
	stub->nlink = d->nlink;
	stub->uid = d->uid;
	stub->gid = d->gid;
	stub->mtime = d->mtime;
	stub->atime = d->atime;
	stub->ctime = d->ctime;
	stub->dev = d->dev;
	stub->ino = d->ino;
	stub->hidden = d->hidden;
	stub->sort_weight = d->sort_weight;
	stub->flags = (uint16_t)((d->flags & (NODE_EXISTENCE | NODE_GRAFT_DIR)) |
	                         NODE_RELOC_STUB);
	stub->reloc = d;
	swap_child(parent, d, stub);
	append_child(s->rr_moved, d);
	d->reloc = parent;
	d->flags |= NODE_RELOCATED;
	return 0;
}

/* Rock Ridge: subdirectories of level-8 directories move to rr_moved
 * (RRIP 4.1.5), in the order genisoimage reads them; a moved directory
 * is at level 3 and its subtree goes on from there. */
static int relocate_deep(struct elt_stream *s, struct elt_node *dir,
                         unsigned int level)
{
	struct elt_node *c, *next;
	int err;

	for (c = dir->first_child; c; c = next) {
		next = c->next;
		if (!S_ISDIR(c->mode) || (c->flags & NODE_RELOC_STUB))
			continue;
		if (level >= ISO_MAX_DEPTH) {
			if ((err = relocate_one(s, c)) < 0)
				return err;
			if ((err = relocate_deep(s, c, 3)) < 0)
				return err;
		} else if ((err = relocate_deep(s, c, level + 1)) < 0) {
			return err;
		}
	}
	return 0;
}

int layout_prepare_tree(struct elt_stream *s)
{
	int err;

	if (!(s->w.o.ext & ELT_EXT_ROCKRIDGE)) {
		cut_deep(s, s->img->root, 1);
		return 0;
	}
	clear_marks(s->img->root);
	if (s->w.o.relax & ELT_RELAX_DEEP_DIRS)
		return 0;
	if ((err = relocate_deep(s, s->img->root, 1)) < 0)
		return err_set(s->img, err, NULL, "out of memory");
	return 0;
}

void layout_restore_tree(struct elt_stream *s)
{
	size_t i;

	for (i = s->nstubs; i-- > 0;) {
		struct elt_node *stub = s->stubs[i], *d = stub->reloc;
		if (d) {
			swap_child(stub->parent, stub, d);
			d->reloc = NULL;
			d->flags &= (uint16_t)~NODE_RELOCATED;
		}
		stub->next = NULL;
		tree_free(stub);
		s->img->nodes--;
	}
	free(s->stubs);
	s->stubs = NULL;
	s->nstubs = s->stubs_cap = 0;
	if (s->rr_moved) {
		struct elt_node *root = s->img->root, *c;
		root->first_child = s->rr_moved->next;
		root->nchildren--;
		if (root->last_child == s->rr_moved)
			root->last_child = NULL;
		for (c = root->first_child; c; c = c->next)
			root->last_child = c;
		s->rr_moved->first_child = NULL;
		s->rr_moved->next = NULL;
		tree_free(s->rr_moved);
		s->img->nodes--;
		s->rr_moved = NULL;
	}
}

/* genisoimage's Joliet tree shows relocated directories where they were
 * and has no rr_moved: put each moved directory in its stub's place
 * (same name, so same Joliet name and position). */
void layout_joliet_fixup(struct elt_stream *s)
{
	struct elt_node *root = s->img->root;
	size_t i;
	uint32_t k;

	if (!s->rr_moved || !(s->w.o.ext & ELT_EXT_JOLIET))
		return;
	for (k = 0; k < root->n_j_kids; k++)
		if (root->j_kids[k] == s->rr_moved) {
			memmove(root->j_kids + k, root->j_kids + k + 1,
			        (root->n_j_kids - k - 1) * sizeof *root->j_kids);
			root->n_j_kids--;
			break;
		}
	for (i = 0; i < s->nstubs; i++) {
		struct elt_node *stub = s->stubs[i], *d = stub->reloc;
		struct elt_node *p = stub->parent;
		char *t;
		uint8_t l;
		for (k = 0; k < p->n_j_kids; k++)
			if (p->j_kids[k] == stub)
				p->j_kids[k] = d;
		t = d->jname;
		d->jname = stub->jname;
		stub->jname = t;
		l = d->jlen;
		d->jlen = stub->jlen;
		stub->jlen = l;
	}
}

/* Directories cut at the depth limit list nothing; every directory
 * counts its ISO subdirectories once (Rock Ridge link counts). */
static void empty_kids(struct elt_node *dir)
{
	struct elt_node *c;
	uint32_t i;

	if (dir->flags & NODE_NOT_READ) {
		dir->n_iso_kids = 0;
		dir->n_j_kids = 0;
	}
	dir->iso_nsubdirs = 0;
	for (i = 0; i < dir->n_iso_kids; i++)
		if (S_ISDIR(dir->iso_kids[i]->mode))
			dir->iso_nsubdirs++;
	if (dir->flags & NODE_NOT_READ)
		return;
	for (c = dir->first_child; c; c = c->next)
		if (S_ISDIR(c->mode) && !(c->flags & NODE_RELOC_STUB))
			empty_kids(c);
}

/* ---- file data ---- */

struct file_order {
	struct elt_node **v;
	size_t n, cap;
};

static int order_push(struct file_order *fo, struct elt_node *n)
{
	if (fo->n == fo->cap) {
		size_t cap = fo->cap ? fo->cap * 2 : 1024;
		void *q = realloc(fo->v, cap * sizeof *fo->v);
		if (!q)
			return ELT_ENOMEM;
		fo->v = q;
		fo->cap = cap;
	}
	fo->v[fo->n++] = n;
	return 0;
}

/* Regular files, the El Torito catalog included: genisoimage places its
 * one block like any file's data. */
static bool has_data(const struct elt_node *n)
{
	return S_ISREG(n->mode);
}

static bool iso_shown(const struct elt_node *d)
{
	for (; d && d->parent; d = d->parent)
		if (d->hidden & ELT_NS_ISO)
			return false;
	return true;
}

/* Files in genisoimage's order: directories in pre-order (insertion
 * order). In a directory listed in the ISO tree, its files in record
 * order, then the files hidden from the ISO tree in read order (their
 * data is written all the same: Joliet may list them). In a directory
 * hidden from the ISO tree genisoimage never sorts, and writes its files
 * last-read-first. */
static int collect_files(struct file_order *fo, struct elt_node *dir)
{
	struct elt_node *c;
	uint32_t i;
	size_t first;
	int err;

	if (dir->flags & NODE_NOT_READ)
		return 0;
	if (iso_shown(dir)) {
		for (i = 0; i < dir->n_iso_kids; i++)
			if ((!S_ISDIR(dir->iso_kids[i]->mode) ||
			     (dir->iso_kids[i]->flags & NODE_RELOC_STUB)) &&
			    (err = order_push(fo, dir->iso_kids[i])) < 0)
				return err;
		for (c = dir->first_child; c; c = c->next)
			if (has_data(c) && (c->hidden & ELT_NS_ISO) &&
			    (err = order_push(fo, c)) < 0)
				return err;
	} else {
		first = fo->n;
		for (c = dir->first_child; c; c = c->next)
			if (has_data(c) &&
			    (err = order_push(fo, c)) < 0)
				return err;
		for (i = 0; fo->n > first && first + i < fo->n - 1 - i; i++) {
			struct elt_node *t = fo->v[first + i];
			fo->v[first + i] = fo->v[fo->n - 1 - i];
			fo->v[fo->n - 1 - i] = t;
		}
	}
	for (c = dir->first_child; c; c = c->next)
		if (S_ISDIR(c->mode) && !(c->flags & NODE_RELOC_STUB) &&
		    (err = collect_files(fo, c)) < 0)
			return err;
	return 0;
}

/* A file with data, as genisoimage's deferred-write list holds it. */
struct data_ent {
	struct elt_node *n;
	int32_t weight;      /* highest weight among the names of the data */
	uint32_t lba;        /* extent in the default order */
};

static int cmp_sort(const void *a, const void *b)
{
	const struct data_ent *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return x->lba < y->lba ? -1 : x->lba > y->lba;
}

/* One disk inode, one extent: hard links and a file grafted twice share
 * data (mkisofs -cache-inodes, the default). The table maps an inode to
 * the index of its data entry. */
struct link_table {
	uint32_t *slot;          /* data entry index + 1, 0 = free */
	size_t cap;
};

static size_t link_slot(const struct link_table *t, const struct data_ent *de,
                        const struct elt_node *n)
{
	uint64_t h = (n->dev * 0x9e3779b97f4a7c15ull) ^
	             (n->ino * 0xc2b2ae3d27d4eb4full);
	size_t i = (size_t)(h ^ (h >> 29)) & (t->cap - 1);

	while (t->slot[i] && !(de[t->slot[i] - 1].n->dev == n->dev &&
	                       de[t->slot[i] - 1].n->ino == n->ino))
		i = (i + 1) & (t->cap - 1);
	return i;
}

static int check_size(struct elt_stream *s, struct elt_node *n)
{
	char path[1024];

	if (n->size > 0xFFFFFFFFull && s->w.o.iso_level < 3)
		return err_set(s->img, ELT_ELIMIT,
		               tree_iso_path(n, path, sizeof path),
		               "file of %llu bytes needs -iso-level 3 "
		               "(4 GiB and more)", (unsigned long long)n->size);
	return 0;
}

/* genisoimage's assign_file_addresses: walk the files in default order;
 * data gets the next blocks, empty files the next free block without
 * using it, a second name of a cached inode its first name's extent.
 * With -sort, the data is then reordered by weight (ties: default
 * order); empty files keep the extent they got in the default pass. */
static int place_files(struct elt_stream *s)
{
	struct plan *p = &s->plan;
	struct file_order fo = { 0 };
	struct link_table lt = { 0 };
	struct data_ent *de = NULL;
	bool share = !(s->img->add_flags & ELT_ADD_NO_CACHE_INODES);
	uint32_t cursor = p->total_blocks;
	size_t i, nd = 0;
	int err;

	if ((err = collect_files(&fo, s->img->root)) < 0)
		goto out;
	for (lt.cap = 64; lt.cap < fo.n * 2; lt.cap *= 2)
		;
	lt.slot = calloc(lt.cap, sizeof *lt.slot);
	de = malloc((fo.n + 1) * sizeof *de);
	if (fo.n >= UINT32_MAX) {
		err = err_set(s->img, ELT_ELIMIT, NULL, "too many files");
		goto out;
	}
	if (!lt.slot || !de) {
		err = err_set(s->img, ELT_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (i = 0; i < fo.n; i++) {
		struct elt_node *n = fo.v[i];
		size_t slot = 0;

		n->data_owner = NULL;
		if (share && n->src_kind == SRC_DISK) {
			slot = link_slot(&lt, de, n);
			if (lt.slot[slot]) {
				struct data_ent *o = &de[lt.slot[slot] - 1];
				n->data_owner = o->n;
				if (n->sort_weight > o->weight)
					o->weight = n->sort_weight;
				continue;
			}
		}
		if (!has_data(n) || n->size == 0) {
			n->lba = cursor;
			continue;
		}
		if ((err = check_size(s, n)) < 0)
			goto out;
		if (share && n->src_kind == SRC_DISK) {
			lt.slot[slot] = (uint32_t)nd + 1;
		}
		de[nd].n = n;
		de[nd].weight = n->sort_weight;
		de[nd].lba = cursor;
		nd++;
		if ((uint64_t)cursor + BLOCKS_OF(n->size) > UINT32_MAX) {
			err = err_set(s->img, ELT_ELIMIT, NULL,
			              "the image would exceed 2^32 blocks");
			goto out;
		}
		cursor += BLOCKS_OF(n->size);
	}
	/* El Torito switches genisoimage's sorting on: torito_prepare()
	 * gave the catalog and the boot images their weights. */
	if ((s->img->sorts.n || s->img->n_boots) && nd)
		qsort(de, nd, sizeof *de, cmp_sort);
	for (i = 0; i < nd; i++) {
		bool cat = (de[i].n->flags & NODE_CATALOG) != 0;
		de[i].n->lba = p->total_blocks;
		if (cat)
			p->catalog_lba = p->total_blocks;
		if ((err = layout_add(p, cat ? EXT_CATALOG : EXT_FILE,
		                      BLOCKS_OF(de[i].n->size), de[i].n, 0)) < 0)
			goto out;
	}
out:
	free(fo.v);
	free(lt.slot);
	free(de);
	return err;
}

static uint32_t even_blocks(uint32_t bytes)
{
	uint32_t b = BLOCKS_OF(bytes);

	return (b + 1u) & ~1u;
}

int layout_plan(struct elt_stream *s)
{
	struct plan *p = &s->plan;
	bool joliet = (s->w.o.ext & ELT_EXT_JOLIET) != 0;
	bool rr = (s->w.o.ext & ELT_EXT_ROCKRIDGE) != 0;
	int err;

	empty_kids(s->img->root);
	if ((err = order_path_table(s, NS_ISO)) < 0)
		return err;
	if (joliet && (err = order_path_table(s, NS_JOLIET)) < 0)
		return err;
	if ((err = each_dir(s, s->img->root, NS_ISO, measure_dir)) < 0)
		return err;
	if (joliet && (err = each_dir(s, s->img->root, NS_JOLIET,
	                              measure_dir)) < 0)
		return err;

	if ((err = layout_add(p, s->w.has_system_area ? EXT_SYSAREA : EXT_ZERO,
	                      16, NULL, 0)) < 0)
		return err;
	p->pvd_lba = p->total_blocks;
	if ((err = layout_add(p, EXT_PVD, 1, NULL, 0)) < 0)
		return err;
	if (s->img->n_boots && (err = layout_add(p, EXT_BOOTREC, 1, NULL, 0)) < 0)
		return err;
	if (joliet && (err = layout_add(p, EXT_SVD, 1, NULL, 0)) < 0)
		return err;
	if ((err = layout_add(p, EXT_TERM, 1, NULL, 0)) < 0)
		return err;
	/* genisoimage's empty "version descriptor" block */
	if ((err = layout_add(p, EXT_ZERO, 1, NULL, 0)) < 0)
		return err;
	p->ptab_lba[NS_ISO][0] = p->total_blocks;
	if ((err = layout_add(p, EXT_PATHTAB, even_blocks(p->ptab_size[NS_ISO]),
	                      NULL, NS_ISO * 2)) < 0)
		return err;
	p->ptab_lba[NS_ISO][1] = p->total_blocks;
	if ((err = layout_add(p, EXT_PATHTAB, even_blocks(p->ptab_size[NS_ISO]),
	                      NULL, NS_ISO * 2 + 1)) < 0)
		return err;
	if (joliet) {
		p->ptab_lba[NS_JOLIET][0] = p->total_blocks;
		if ((err = layout_add(p, EXT_PATHTAB,
		                      even_blocks(p->ptab_size[NS_JOLIET]), NULL,
		                      NS_JOLIET * 2)) < 0)
			return err;
		p->ptab_lba[NS_JOLIET][1] = p->total_blocks;
		if ((err = layout_add(p, EXT_PATHTAB,
		                      even_blocks(p->ptab_size[NS_JOLIET]), NULL,
		                      NS_JOLIET * 2 + 1)) < 0)
			return err;
	}
	if ((err = each_dir(s, s->img->root, NS_ISO, place_dir)) < 0)
		return err;
	if (joliet && (err = each_dir(s, s->img->root, NS_JOLIET, place_dir)) < 0)
		return err;
	if (rr) {
		p->er_lba = p->total_blocks;
		if ((err = layout_add(p, EXT_ER, 1, NULL, 0)) < 0)
			return err;
	}
	if ((err = place_files(s)) < 0)
		return err;
	if (s->w.o.pad_blocks &&
	    (err = layout_add(p, EXT_ZERO, s->w.o.pad_blocks, NULL, 0)) < 0)
		return err;
	return 0;
}
