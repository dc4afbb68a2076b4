/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mkisofs translation tables (-T, -table-name): one file per directory
 * that maps each ISO 9660 name to the original name, as genisoimage
 * 1.1.11 writes it.
 *
 * Measured with genisoimage 1.1.11 (-T, -table-name, -R, -J, -r, -uid,
 * -gid, -file-mode, -hide, -hide-joliet, -hidden, -hide-joliet-trans-tbl,
 * graft points, El Torito, relocation and deep trees):
 *
 * - While scanning directories genisoimage skips every entry whose name
 *   is the table name (files and directories), so a table on the source
 *   disc never reaches the image.  Graft points are not filtered.
 * - Every directory listed in the ISO tree gets a table, except
 *   rr_moved, directories left unread past the depth limit, directories
 *   with no entry to list, and directories holding an entry whose final
 *   ISO name equals the table name (compared as genisoimage's name hash
 *   does: up to a valid ";version").  A table whose mapped ISO name
 *   equals another entry's is fatal ("same ISO9660 name").
 * - Listed: the entries of the ISO tree in record order, without the
 *   table, without directories made up for graft points (they have no
 *   line in genisoimage) and without entries hidden from ISO.
 * - One line per entry: the type letter (D, F, L, B, C, P, S; a
 *   relocation stub is D), a space, the ISO name (";1" when used)
 *   left-justified in 208 columns, a tab, the original name, for links
 *   a tab and the target, for devices a tab and "major minor"; "\n".
 *   The file size is exactly the bytes of the lines, no terminator.
 * - The table is a regular file of the directory, sorted and placed like
 *   the others (first read for ties), data in record order; its name is
 *   mapped like any file name; mode 0444 with one link, the caller's
 *   uid/gid (or -uid/-gid, 0 with -r), all dates the clock; -file-mode
 *   does not apply.  Joliet lists it under the table name unless
 *   ELT_WRITE_HIDE_JOLIET_TRANS.
 *
 * The lines need the final ISO names, so the tables are added after a
 * first naming pass and the names are computed once more with them (the
 * table never clashes by then, so the other names do not change).  The
 * nodes exist for one stream: trans_restore removes them and puts back
 * the entries set aside.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "internal.h"

/* genisoimage pads the ISO name column to its name buffer size (207
 * characters) plus one. */
#define TBL_NAME_COLUMN 208
/* ISO 9660 file version numbers (ECMA-119 7.5.1: 1 to 32767). */
#define ISO_VERSION_MAX 32767
#define ISO_VERSION_DIGITS 5
/* The table's Rock Ridge mode (RRIP 4.1.1): read-only regular file. */
#define TBL_MODE (S_IFREG | 0444)

struct parked {
	struct elt_node *node, *parent, *prev;
};

struct trans_state {
	struct elt_node **tables;
	size_t ntables, tables_cap;
	struct parked *parked;
	size_t nparked, parked_cap;
};


static struct trans_state *state(struct elt_stream *s)
{
	if (!s->trans)
		s->trans = calloc(1, sizeof *s->trans);
	return s->trans;
}

/* ---- entries named like the table ---- */

/* Was n read by a directory scan (genisoimage filters only those)?  A
 * graft point's node carries its own disk path whose last component is
 * not necessarily its name; made-up and in-memory entries are never
 * scanned. */
static bool scanned(const struct elt_node *n)
{
	const char *base;

	if (n->flags & (NODE_INVENTED | NODE_GRAFT_DIR | NODE_CATALOG))
		return false;
	if (n->src_kind == SRC_MEM || n->src_kind == SRC_CALLBACK)
		return false;
	if (!n->disk_path)
		return true;
	base = strrchr(n->disk_path, '/');
	base = base ? base + 1 : n->disk_path;
	return strcmp(base, n->name) == 0;
}

static int park(struct trans_state *t, struct elt_node *n,
                struct elt_node *prev)
{
	struct elt_node *dir = n->parent;

	if (t->nparked == t->parked_cap) {
		size_t cap = t->parked_cap ? t->parked_cap * 2 : 8;
		void *p = realloc(t->parked, cap * sizeof *t->parked);
		if (!p)
			return ELT_ENOMEM;
		t->parked = p;
		t->parked_cap = cap;
	}
	t->parked[t->nparked].node = n;
	t->parked[t->nparked].parent = dir;
	t->parked[t->nparked].prev = prev;
	t->nparked++;
	tree_unlink(n, prev);
	return 0;
}

int trans_prepare(struct elt_stream *s)
{
	const char *name = s->w.o.trans_tbl;
	struct elt_node *root = s->img->root, *d;
	struct trans_state *t;
	int err;

	if (!name)
		return 0;
	if (!*name || strchr(name, '/'))
		return err_set(s->img, ELT_EINVAL, NULL,
		               "translation table name '%s': must be a file name",
		               name);
	if (!(t = state(s)))
		return err_set(s->img, ELT_ENOMEM, NULL, "out of memory");
	for (d = root; d; d = tree_next(d, root)) {
		struct elt_node *c, *prev = NULL;
		if (!S_ISDIR(d->mode))
			continue;
		for (c = d->first_child; c; prev = c, c = c->next)
			if (strcmp(c->name, name) == 0 && scanned(c))
				break;
		if (c && (err = park(t, c, prev)) < 0)
			return err_set(s->img, err, NULL, "out of memory");
	}
	return 0;
}

/* ---- which directories get a table ---- */

/* genisoimage's name hash equality (hash.c find_file_hash): the names
 * agree up to the end or a ';' and what is left of each is nothing or a
 * valid version. */
static bool version_ok(const char *p)
{
	long v;
	int i;

	if (*p == '\0')
		return true;
	if (*p != ';')
		return false;
	for (i = 0, p++; p[i] && i < ISO_VERSION_DIGITS; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	v = strtol(p, NULL, 10);
	return v >= 1 && v <= ISO_VERSION_MAX;
}

static bool same_iso_name(const char *a, const char *b)
{
	while (*a && *a != ';' && *b && *b != ';' && *a == *b) {
		a++;
		b++;
	}
	if (*a && *a != ';')
		return false;
	if (*b && *b != ';')
		return false;
	return version_ok(a) && version_ok(b);
}

/* Does n get a line?  Directories genisoimage made up for graft points
 * have none, nor has the table. */
static bool has_line(const struct elt_node *n)
{
	return !(n->flags & (NODE_INVENTED | NODE_GRAFT_DIR | NODE_TRANS_TBL |
	                     NODE_RELOCATED));
}

static bool iso_listed_dir(const struct elt_node *d)
{
	if (!S_ISDIR(d->mode) ||
	    (d->flags & (NODE_RELOC_STUB | NODE_RR_MOVED | NODE_NOT_READ)))
		return false;
	for (; d && d->parent; d = d->parent)
		if (d->hidden & ELT_NS_ISO)
			return false;
	return true;
}

/* The ISO name genisoimage gives the table: the file name mapping of
 * this stream's options, which names.c knows; ask it about a one-file
 * image. */
static int table_iso_name(struct elt_stream *s, char **out)
{
	struct elt_stream *probe = NULL;
	elt_image *img = NULL;
	struct elt_node *n;
	int err;

	*out = NULL;
	if ((err = elt_image_new(&img)) < 0)
		goto out;
	probe = calloc(1, sizeof *probe);
	n = tree_new_node(img, img->root, s->w.o.trans_tbl,
	                  strlen(s->w.o.trans_tbl));
	if (!probe || !n) {
		err = ELT_ENOMEM;
		goto out;
	}
	n->mode = TBL_MODE;
	probe->img = img;
	probe->w.o = s->w.o;
	probe->w.o.ext &= ~ELT_EXT_JOLIET;
	probe->now = s->now;
	if ((err = names_compute(probe)) < 0) {
		err = err_set(s->img, err, NULL, "translation table name '%s': %s",
		              s->w.o.trans_tbl, elt_image_errmsg(img));
		goto out;
	}
	if (!n->iso_name) {
		err = err_set(s->img, ELT_EINTERNAL, NULL,
		              "translation table name '%s' has no iso9660 name",
		              s->w.o.trans_tbl);
		goto out;
	}
	*out = strdup(n->iso_name);
	if (!*out)
		err = ELT_ENOMEM;
out:
	if (img)
		names_free(img->root);
	elt_image_free(img);
	free(probe);
	return err;
}

/* 1: d gets a table, 0: it does not, or ELT_EEXIST. */
static int wants_table(struct elt_stream *s, const struct elt_node *d,
                       const char *tbl_iso)
{
	uint32_t i, lines = 0;

	if (!iso_listed_dir(d))
		return 0;
	for (i = 0; i < d->n_iso_kids; i++) {
		const struct elt_node *k = d->iso_kids[i];
		if (same_iso_name(s->w.o.trans_tbl, k->iso_name))
			return 0;
		if (has_line(k))
			lines++;
	}
	if (lines == 0)
		return 0;
	for (i = 0; i < d->n_iso_kids; i++) {
		const struct elt_node *k = d->iso_kids[i];
		char p[1024];
		if (same_iso_name(tbl_iso, k->iso_name))
			return err_set(s->img, ELT_EEXIST,
			               tree_iso_path(k, p, sizeof p),
			               "same iso9660 name %s as the translation "
			               "table %s", k->iso_name, s->w.o.trans_tbl);
	}
	return 1;
}

static int add_table(struct elt_stream *s, struct trans_state *t,
                     struct elt_node *d)
{
	const char *name = s->w.o.trans_tbl;
	struct elt_node *n;

	if (t->ntables == t->tables_cap) {
		size_t cap = t->tables_cap ? t->tables_cap * 2 : 64;
		void *p = realloc(t->tables, cap * sizeof *t->tables);
		if (!p)
			return ELT_ENOMEM;
		t->tables = p;
		t->tables_cap = cap;
	}
	/* appended: genisoimage puts it at the head of its list, where the
	 * last read entry is */
	n = tree_new_node(s->img, d, name, strlen(name));
	if (!n)
		return ELT_ENOMEM;
	t->tables[t->ntables++] = n;
	n->mode = TBL_MODE;
	n->nlink = 1;
	n->uid = (uint32_t)getuid();
	n->gid = (uint32_t)getgid();
	n->mtime = n->atime = n->ctime = -1;
	n->src_kind = SRC_MEM;
	n->flags = NODE_TRANS_TBL;
	if (s->w.o.flags & ELT_WRITE_HIDE_JOLIET_TRANS)
		n->hidden = ELT_NS_JOLIET;
	return 0;
}

/* ---- the table's bytes ---- */

static char type_letter(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return 'D';
	case S_IFBLK: return 'B';
	case S_IFCHR: return 'C';
	case S_IFIFO: return 'P';
	case S_IFLNK: return 'L';
	case S_IFSOCK: return 'S';
	default: return 'F';
	}
}

/* One line for k into buf of cap bytes (NULL, 0 measures); returns its
 * length without the terminating NUL snprintf adds. */
static size_t put_line(char *buf, size_t cap, const struct elt_node *k)
{
	char type = type_letter(k->mode);
	int w;

	if (type == 'L')
		w = snprintf(buf, cap, "%c %-*s\t%s\t%s\n", type,
		             TBL_NAME_COLUMN, k->iso_name, k->name,
		             k->link_target ? k->link_target : "");
	else if (type == 'B' || type == 'C')
		w = snprintf(buf, cap, "%c %-*s\t%s\t%lu %lu\n", type,
		             TBL_NAME_COLUMN, k->iso_name, k->name,
		             (unsigned long)major(k->rdev),
		             (unsigned long)minor(k->rdev));
	else
		w = snprintf(buf, cap, "%c %-*s\t%s\n", type, TBL_NAME_COLUMN,
		             k->iso_name, k->name);
	return w > 0 ? (size_t)w : 0;
}

static int fill_one(struct elt_stream *s, struct elt_node *tbl,
                    const char *tbl_iso)
{
	struct elt_node *d = tbl->parent;
	size_t size = 0, pos = 0;
	char *buf;
	uint32_t i;

	if (!tbl->iso_name || strcmp(tbl->iso_name, tbl_iso) != 0) {
		char p[1024];
		return err_set(s->img, ELT_EINTERNAL,
		               tree_iso_path(tbl, p, sizeof p),
		               "translation table renamed to %s: please report",
		               tbl->iso_name ? tbl->iso_name : "(none)");
	}
	for (i = 0; i < d->n_iso_kids; i++)
		if (has_line(d->iso_kids[i]))
			size += put_line(NULL, 0, d->iso_kids[i]);
	buf = malloc(size + 1);
	if (!buf)
		return ELT_ENOMEM;
	for (i = 0; i < d->n_iso_kids; i++)
		if (has_line(d->iso_kids[i]))
			pos += put_line(buf + pos, size + 1 - pos,
			                d->iso_kids[i]);
	free(tbl->mem);
	tbl->mem = buf;
	tbl->size = size;
	return pos == size ? 0 : ELT_EINTERNAL;
}

int trans_fill(struct elt_stream *s)
{
	struct elt_node *root = s->img->root, *d;
	struct trans_state *t;
	char *tbl_iso = NULL;
	elt_msg_fn fn;
	size_t i;
	int err, want;

	if (!s->w.o.trans_tbl)
		return 0;
	if (!(t = state(s)))
		return err_set(s->img, ELT_ENOMEM, NULL, "out of memory");
	if ((err = table_iso_name(s, &tbl_iso)) < 0)
		goto out;
	for (d = root; d; d = tree_next(d, root)) {
		if (d->flags & NODE_TRANS_TBL)
			continue;
		if ((want = wants_table(s, d, tbl_iso)) < 0) {
			err = want;
			goto out;
		}
		if (want && (err = add_table(s, t, d)) < 0)
			goto out;
	}
	if (t->ntables == 0)
		goto out;
	/* the second naming pass repeats the first one's notes: keep quiet */
	fn = s->img->msg_fn;
	s->img->msg_fn = NULL;
	err = names_compute(s);
	s->img->msg_fn = fn;
	if (err < 0)
		goto out;
	for (i = 0; i < t->ntables; i++)
		if ((err = fill_one(s, t->tables[i], tbl_iso)) < 0)
			goto out;
out:
	free(tbl_iso);
	if (err == ELT_ENOMEM)
		err_set(s->img, err, NULL, "out of memory");
	return err;
}

/* ---- undo ---- */

void trans_restore(struct elt_stream *s)
{
	struct trans_state *t = s->trans;
	size_t i;

	if (!t)
		return;
	for (i = t->ntables; i-- > 0;) {
		tree_unlink(t->tables[i], NULL);
		tree_free(t->tables[i]);
		s->img->nodes--;
	}
	for (i = t->nparked; i-- > 0;) {
		struct parked *p = &t->parked[i];
		struct elt_node *dir = p->parent;
		if (p->prev) {
			p->node->next = p->prev->next;
			p->prev->next = p->node;
		} else {
			p->node->next = dir->first_child;
			dir->first_child = p->node;
		}
		if (!p->node->next)
			dir->last_child = p->node;
		dir->nchildren++;
	}
	free(t->tables);
	free(t->parked);
	free(t);
	s->trans = NULL;
}
