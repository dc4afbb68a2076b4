/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Translation tables (trans.c, mkisofs -T) against genisoimage 1.1.11.
 *
 * The expected tables were MEASURED on genisoimage 1.1.11 for the same
 * tree (genisoimage -T -R -J, read back with isoinfo -x): one line per
 * listed entry in record order, type letter, a space, the ISO name
 * left-justified in 208 columns, a tab, the original name (links: a tab
 * and the target), "\n"; no line for the table itself, for entries
 * hidden from ISO or for directories made up for graft points.  The
 * images are read back with a small directory reader of this file, not
 * with the library.  When genisoimage is installed, the live test builds
 * the same tree with it and compares the tables byte for byte.
 *
 * The tree must come back unchanged after every stream (tables removed,
 * the on-disk TRANS.TBL put back), also when elt_stream_new fails at any
 * allocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "allocfail.h"
#include "util.h"

/* ---- a small ISO 9660 directory reader (ECMA-119 9.1) ---- */

#define SECTOR 2048
#define PVD_ROOT 156     /* ECMA-119 8.4.18: root directory record */
#define DR_LEN 0
#define DR_EXTENT 2      /* 9.1.3, both-endian: LSB first */
#define DR_SIZE 10       /* 9.1.4 */
#define DR_NAME_LEN 32   /* 9.1.10 */
#define DR_NAME 33       /* 9.1.11 */
#define VD_TYPE_SVD 2    /* 8.5.1 */
#define VD_TYPE_TERM 255 /* 8.3.1 */
#define TBL_COLUMN 208   /* measured: the ISO name column of a line */

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Look up name (raw identifier bytes) in the directory at rec; *out is
 * the record. Returns 1 found, 0 not found. */
static int dir_find(const uint8_t *img, size_t len, const uint8_t *dirrec,
                    const void *name, size_t nlen, const uint8_t **out)
{
	uint32_t lba = le32(dirrec + DR_EXTENT), size = le32(dirrec + DR_SIZE);
	size_t off = (size_t)lba * SECTOR, end = off + size;

	if (end > len)
		return 0;
	while (off < end) {
		const uint8_t *r = img + off;
		if (r[DR_LEN] == 0) {
			off = (off / SECTOR + 1) * SECTOR;
			continue;
		}
		if (r[DR_NAME_LEN] == nlen && memcmp(r + DR_NAME, name, nlen) == 0) {
			*out = r;
			return 1;
		}
		off += r[DR_LEN];
	}
	return 0;
}

/* Walk an ISO path ("SUB", "TRANS.TBL;1", ...) from the PVD root. */
static const uint8_t *iso_lookup(const uint8_t *img, size_t len,
                                 const char *const *path, size_t depth)
{
	const uint8_t *rec = img + 16 * SECTOR + PVD_ROOT;
	size_t i;

	for (i = 0; i < depth; i++)
		if (!dir_find(img, len, rec, path[i], strlen(path[i]), &rec))
			return NULL;
	return rec;
}

/* A file of the root of the Joliet tree (ASCII name). */
static const uint8_t *joliet_root_file(const uint8_t *img, size_t len,
                                       const char *name)
{
	uint8_t u[256];
	size_t vd, i, n = strlen(name);
	const uint8_t *rec;

	for (vd = 17; (vd + 1) * SECTOR <= len; vd++) {
		const uint8_t *d = img + vd * SECTOR;
		if (d[0] == VD_TYPE_TERM)
			return NULL;
		if (d[0] != VD_TYPE_SVD)
			continue;
		for (i = 0; i < n; i++) {
			u[2 * i] = 0;
			u[2 * i + 1] = (uint8_t)name[i];
		}
		if (dir_find(img, len, d + PVD_ROOT, u, 2 * n, &rec))
			return rec;
		return NULL;
	}
	return NULL;
}

/* A file's bytes as a NUL-terminated string (malloc'd). */
static char *file_text(const uint8_t *img, size_t len, const uint8_t *rec)
{
	uint32_t lba = le32(rec + DR_EXTENT), size = le32(rec + DR_SIZE);
	char *t;

	if ((size_t)lba * SECTOR + size > len)
		return NULL;
	t = malloc(size + 1);
	if (!t)
		return NULL;
	memcpy(t, img + (size_t)lba * SECTOR, size);
	t[size] = '\0';
	return t;
}

/* ---- expected lines ---- */

struct line {
	char type;
	const char *iso, *name, *extra;
};

static char *table_of(const struct line *l, size_t n)
{
	size_t cap = 1, i, pos = 0;
	char *t;

	for (i = 0; i < n; i++)
		cap += 2 + TBL_COLUMN + 2 + strlen(l[i].name) +
		       (l[i].extra ? strlen(l[i].extra) + 1 : 0) + 1;
	t = malloc(cap);
	for (i = 0; t && i < n; i++)
		pos += (size_t)snprintf(t + pos, cap - pos, "%c %-*s\t%s%s%s\n",
		                        l[i].type, TBL_COLUMN, l[i].iso,
		                        l[i].name, l[i].extra ? "\t" : "",
		                        l[i].extra ? l[i].extra : "");
	return t;
}

/* ---- the tree ---- */

static char *tree_dir;

static int make_tree(void)
{
	char p[1024];

	tree_dir = util_tmpdir();
	if (!tree_dir)
		return -1;
	snprintf(p, sizeof p, "%s/sub", tree_dir);
	if (mkdir(p, 0755) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/empty", tree_dir);
	if (mkdir(p, 0755) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/hello.txt", tree_dir);
	if (util_write_file(p, "hello\n", 6) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/LongFileName-with.many.dots.txt", tree_dir);
	if (util_write_file(p, "x\n", 2) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/sub/a.c", tree_dir);
	if (util_write_file(p, "c\n", 2) < 0)
		return -1;
	/* a table on the source disc: genisoimage -T never reads it */
	snprintf(p, sizeof p, "%s/TRANS.TBL", tree_dir);
	if (util_write_file(p, "user\n", 5) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/link", tree_dir);
	if (symlink("hello.txt", p) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/fifo", tree_dir);
	if (mkfifo(p, 0644) < 0)
		return -1;
	return 0;
}

static int clean_tree(void)
{
	if (tree_dir)
		util_rm_rf(tree_dir);
	free(tree_dir);
	return 0;
}

static elt_write_opts opts(unsigned int ext, const char *tbl)
{
	elt_write_opts o;

	elt_write_opts_init(&o, ELT_WRITE_OPTS_VERSION);
	o.timestamp = 1811808000;
	o.gmt_offset = 0;
	o.ext = ext;
	o.trans_tbl = tbl;
	return o;
}

static elt_image *tree_image(void)
{
	elt_image *img = NULL;

	if (elt_image_new(&img) < 0)
		return NULL;
	if (elt_image_add_tree(img, "/", tree_dir, 0) < 0) {
		elt_image_free(img);
		return NULL;
	}
	return img;
}

static const char *const ROOT_TBL[] = { "TRANS.TBL;1" };
static const char *const SUB_TBL[] = { "SUB", "TRANS.TBL;1" };

/* Measured: genisoimage 1.1.11 -T -R -J on the tree above. */
static const struct line root_rr[] = {
	{ 'D', "EMPTY", "empty", NULL },
	{ 'P', "FIFO.;1", "fifo", NULL },
	{ 'F', "HELLO.TXT;1", "hello.txt", NULL },
	{ 'L', "LINK.;1", "link", "hello.txt" },
	{ 'F', "LONGFILE.TXT;1", "LongFileName-with.many.dots.txt", NULL },
	{ 'D', "SUB", "sub", NULL },
};
static const struct line sub_rr[] = {
	{ 'F', "A.C;1", "a.c", NULL },
};
/* Measured: -T -J (no Rock Ridge: the link is left out). */
static const struct line root_plain[] = {
	{ 'D', "EMPTY", "empty", NULL },
	{ 'P', "FIFO.;1", "fifo", NULL },
	{ 'F', "HELLO.TXT;1", "hello.txt", NULL },
	{ 'F', "LONGFILE.TXT;1", "LongFileName-with.many.dots.txt", NULL },
	{ 'D', "SUB", "sub", NULL },
};

static void check_table(const uint8_t *buf, size_t len,
                        const char *const *path, size_t depth,
                        const struct line *l, size_t n)
{
	const uint8_t *rec = iso_lookup(buf, len, path, depth);
	char *want = table_of(l, n), *got;

	CU_ASSERT_FATAL(rec != NULL);
	got = file_text(buf, len, rec);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_EQUAL(le32(rec + DR_SIZE), strlen(want));
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
	free(want);
}

static void test_content(void)
{
	elt_image *img = tree_image();
	elt_write_opts o = opts(ELT_EXT_ROCKRIDGE | ELT_EXT_JOLIET, "TRANS.TBL");
	const char *const emp[] = { "EMPTY", "TRANS.TBL;1" };
	uint8_t *buf;
	size_t len;

	CU_ASSERT_FATAL(img != NULL);
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	check_table(buf, len, ROOT_TBL, 1, root_rr,
	            sizeof root_rr / sizeof *root_rr);
	check_table(buf, len, SUB_TBL, 2, sub_rr, 1);
	/* an empty directory has no table */
	CU_ASSERT_PTR_NULL(iso_lookup(buf, len, emp, 2));
	/* Joliet lists the table under its own name */
	CU_ASSERT_PTR_NOT_NULL(joliet_root_file(buf, len, "TRANS.TBL"));
	free(buf);

	o = opts(ELT_EXT_JOLIET, "TRANS.TBL");
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	check_table(buf, len, ROOT_TBL, 1, root_plain,
	            sizeof root_plain / sizeof *root_plain);
	free(buf);
	elt_image_free(img);
}

static void test_hide_joliet(void)
{
	elt_image *img = tree_image();
	elt_write_opts o = opts(ELT_EXT_JOLIET, "TRANS.TBL");
	uint8_t *buf;
	size_t len;

	CU_ASSERT_FATAL(img != NULL);
	o.flags |= ELT_WRITE_HIDE_JOLIET_TRANS;
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	CU_ASSERT_PTR_NULL(joliet_root_file(buf, len, "TRANS.TBL"));
	CU_ASSERT_PTR_NOT_NULL(joliet_root_file(buf, len, "hello.txt"));
	CU_ASSERT_PTR_NOT_NULL(iso_lookup(buf, len, ROOT_TBL, 1));
	free(buf);
	elt_image_free(img);
}

/* -table-name: the name is mapped like any file name (measured:
 * "Long Table Name.list" is LONG_TAB.LIS;1 at level 1), and the disc's
 * TRANS.TBL is an ordinary file then. */
static const struct line root_named[] = {
	{ 'D', "EMPTY", "empty", NULL },
	{ 'P', "FIFO.;1", "fifo", NULL },
	{ 'F', "HELLO.TXT;1", "hello.txt", NULL },
	{ 'L', "LINK.;1", "link", "hello.txt" },
	{ 'F', "LONGFILE.TXT;1", "LongFileName-with.many.dots.txt", NULL },
	{ 'D', "SUB", "sub", NULL },
	{ 'F', "TRANS.TBL;1", "TRANS.TBL", NULL },
};

static void test_table_name(void)
{
	elt_image *img = tree_image();
	elt_write_opts o = opts(ELT_EXT_ROCKRIDGE | ELT_EXT_JOLIET,
	                        "Long Table Name.list");
	const char *const p[] = { "LONG_TAB.LIS;1" };
	uint8_t *buf;
	size_t len;

	CU_ASSERT_FATAL(img != NULL);
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	check_table(buf, len, p, 1, root_named,
	            sizeof root_named / sizeof *root_named);
	CU_ASSERT_PTR_NOT_NULL(joliet_root_file(buf, len,
	                                        "Long Table Name.list"));
	free(buf);
	elt_image_free(img);
}

/* The TRANS.TBL of the source disc is in the image without -T only, and
 * with another table name it is a file like the others. */
static void test_source_table(void)
{
	elt_image *img = tree_image();
	elt_write_opts o = opts(ELT_EXT_ROCKRIDGE, NULL);
	const char *const user[] = { "TRANS.TBL;1" };
	const uint8_t *rec;
	uint8_t *buf;
	size_t len;
	char *t;

	CU_ASSERT_FATAL(img != NULL);
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	rec = iso_lookup(buf, len, user, 1);
	CU_ASSERT_FATAL(rec != NULL);
	t = file_text(buf, len, rec);
	CU_ASSERT_STRING_EQUAL(t, "user\n");
	free(t);
	free(buf);

	o = opts(ELT_EXT_ROCKRIDGE, "NAMES.LST");
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	rec = iso_lookup(buf, len, user, 1);
	CU_ASSERT_FATAL(rec != NULL);
	t = file_text(buf, len, rec);
	CU_ASSERT_STRING_EQUAL(t, "user\n");
	free(t);
	free(buf);
	elt_image_free(img);
}

/* Measured: an entry whose ISO name is the table name (compared up to the
 * version) keeps its name and the directory gets no table; a table whose
 * mapped name equals another entry's is fatal in genisoimage. */
static void test_suppressed_and_clash(void)
{
	elt_image *img = tree_image();
	elt_write_opts o = opts(ELT_EXT_ROCKRIDGE, "TRANS.TBL");
	const char *const sub_user[] = { "SUB", "TRANS.TBL;1" };
	const uint8_t *rec;
	uint8_t *buf, *ref, *again;
	size_t len, rlen, alen;
	char *t;

	CU_ASSERT_FATAL(img != NULL);
	CU_ASSERT_FATAL(elt_image_add_mem(img, "/sub/trans.tbl", "mine\n",
	                                  5) == 0);
	o.trans_tbl = NULL;
	CU_ASSERT_FATAL(util_build(img, &o, &ref, &rlen) == 0);
	o.trans_tbl = "TRANS.TBL";
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	rec = iso_lookup(buf, len, sub_user, 2);
	CU_ASSERT_FATAL(rec != NULL);
	t = file_text(buf, len, rec);
	CU_ASSERT_STRING_EQUAL(t, "mine\n");
	free(t);
	/* the root still has its table */
	CU_ASSERT_PTR_NOT_NULL(iso_lookup(buf, len, ROOT_TBL, 1));
	free(buf);

	/* "hello.TXT" maps to HELLO.TXT;1 like hello.txt */
	o.trans_tbl = "hello.TXT";
	CU_ASSERT_EQUAL(util_build(img, &o, &buf, &len), ELT_EEXIST);
	CU_ASSERT_PTR_NOT_NULL(strstr(elt_image_errmsg(img), "HELLO.TXT;1"));

	/* bad names */
	o.trans_tbl = "";
	CU_ASSERT_EQUAL(util_build(img, &o, &buf, &len), ELT_EINVAL);
	o.trans_tbl = "a/b";
	CU_ASSERT_EQUAL(util_build(img, &o, &buf, &len), ELT_EINVAL);

	/* nothing of that is left in the tree */
	o.trans_tbl = NULL;
	CU_ASSERT_FATAL(util_build(img, &o, &again, &alen) == 0);
	CU_ASSERT_EQUAL_FATAL(alen, rlen);
	CU_ASSERT_EQUAL(util_diff(ref, again, rlen, "after failures"), -1);
	free(ref);
	free(again);
	elt_image_free(img);
}

/* Directories made up for a path (graft points, memory files) have no
 * line in their parent's table (measured with -graft-points
 * docs/readme.txt=FILE: the root table does not list DOCS). */
static void test_invented_dirs(void)
{
	elt_image *img = tree_image();
	elt_write_opts o = opts(ELT_EXT_ROCKRIDGE | ELT_EXT_JOLIET, "TRANS.TBL");
	const char *const docs[] = { "DOCS", "TRANS.TBL;1" };
	static const struct line doc_lines[] = {
		{ 'F', "README.TXT;1", "readme.txt", NULL },
	};
	uint8_t *buf;
	size_t len;

	CU_ASSERT_FATAL(img != NULL);
	CU_ASSERT_FATAL(elt_image_add_mem(img, "/docs/readme.txt", "r\n",
	                                  2) == 0);
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	check_table(buf, len, ROOT_TBL, 1, root_rr,
	            sizeof root_rr / sizeof *root_rr);
	check_table(buf, len, docs, 2, doc_lines, 1);
	free(buf);
	elt_image_free(img);
}

/* Any number of streams leave the tree as it was: the image without
 * tables is the same before and after. */
static void test_restore(void)
{
	elt_image *img = tree_image();
	elt_write_opts plain = opts(ELT_EXT_ROCKRIDGE | ELT_EXT_JOLIET, NULL);
	elt_write_opts tbl = opts(ELT_EXT_ROCKRIDGE | ELT_EXT_JOLIET, "TRANS.TBL");
	uint8_t *ref, *buf, *t1, *t2;
	size_t rlen, len, l1, l2;
	elt_node *n = NULL;

	CU_ASSERT_FATAL(img != NULL);
	CU_ASSERT_FATAL(util_build(img, &plain, &ref, &rlen) == 0);
	CU_ASSERT_FATAL(util_build(img, &tbl, &t1, &l1) == 0);
	CU_ASSERT_FATAL(util_build(img, &tbl, &t2, &l2) == 0);
	CU_ASSERT_EQUAL_FATAL(l1, l2);
	CU_ASSERT_EQUAL(util_diff(t1, t2, l1, "second -T stream"), -1);
	CU_ASSERT_FATAL(util_build(img, &plain, &buf, &len) == 0);
	CU_ASSERT_EQUAL_FATAL(len, rlen);
	CU_ASSERT_EQUAL(util_diff(ref, buf, len, "after -T"), -1);
	/* the image is editable again and the disc's table is back */
	CU_ASSERT_EQUAL(elt_image_lookup(&n, img, "/TRANS.TBL"), 0);
	CU_ASSERT_EQUAL(elt_image_add_mem(img, "/new.txt", "n", 1), 0);
	free(ref);
	free(buf);
	free(t1);
	free(t2);
	elt_image_free(img);
}

/* Every allocation of elt_stream_new fails in turn: ELT_ENOMEM, and the
 * tree is intact afterwards. */
static void test_alloc_failures(void)
{
	elt_image *img = tree_image();
	elt_write_opts plain = opts(ELT_EXT_ROCKRIDGE, NULL);
	elt_write_opts tbl = opts(ELT_EXT_ROCKRIDGE, "TRANS.TBL");
	uint8_t *ref, *full, *buf;
	size_t rlen, flen, len;
	long i, failures = 0;
	int done = 0;

	CU_ASSERT_FATAL(img != NULL);
	CU_ASSERT_FATAL(util_build(img, &plain, &ref, &rlen) == 0);
	CU_ASSERT_FATAL(util_build(img, &tbl, &full, &flen) == 0);
	for (i = 0; !done && i < 100000; i++) {
		elt_stream *s = NULL;
		int err;

		alloc_count = 0;
		alloc_fail_at = i;
		err = elt_stream_new(&s, img, &tbl);
		alloc_fail_at = -1;
		if (err == 0) {
			done = 1;
			elt_stream_free(s);
			break;
		}
		failures++;
		if (err != ELT_ENOMEM) {
			CU_FAIL("a failed allocation gave another error");
			fprintf(stderr, "allocation %ld: %d %s\n", i, err,
			        elt_image_errmsg(img));
		}
		CU_ASSERT_FATAL(util_build(img, &plain, &buf, &len) == 0);
		CU_ASSERT_EQUAL_FATAL(len, rlen);
		if (util_diff(ref, buf, len, "after a failed stream") != -1) {
			CU_FAIL("tree changed by a failed stream");
			free(buf);
			break;
		}
		free(buf);
	}
	CU_ASSERT(done);
	CU_ASSERT(failures > 10);
	CU_ASSERT_FATAL(util_build(img, &tbl, &buf, &len) == 0);
	CU_ASSERT_EQUAL_FATAL(len, flen);
	CU_ASSERT_EQUAL(util_diff(full, buf, len, "-T after failures"), -1);
	free(ref);
	free(full);
	free(buf);
	elt_image_free(img);
}

/* With genisoimage installed: the same tree, tables compared byte for
 * byte (names and order come from the real tool). */
static void test_live(void)
{
	static const char *const tables[][2] = {
		{ "TRANS.TBL;1", NULL }, { "SUB", "TRANS.TBL;1" },
	};
	elt_image *img;
	elt_write_opts o = opts(ELT_EXT_ROCKRIDGE | ELT_EXT_JOLIET, "TRANS.TBL");
	char cmd[4096], *out_dir, iso[1100];
	uint8_t *mine, *theirs = NULL;
	size_t mlen, tlen = 0, k;
	FILE *f;
	long sz;

	if (system("genisoimage -version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "genisoimage not installed: live test skipped\n");
		return;
	}
	out_dir = util_tmpdir();
	CU_ASSERT_FATAL(out_dir != NULL);
	snprintf(iso, sizeof iso, "%s/g.iso", out_dir);
	snprintf(cmd, sizeof cmd, "genisoimage -quiet -T -R -J -o '%s' '%s' "
	         "2>/dev/null", iso, tree_dir);
	CU_ASSERT_FATAL(system(cmd) == 0);
	f = fopen(iso, "rb");
	CU_ASSERT_FATAL(f != NULL);
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	rewind(f);
	theirs = malloc((size_t)sz);
	CU_ASSERT_FATAL(theirs != NULL);
	tlen = fread(theirs, 1, (size_t)sz, f);
	fclose(f);
	img = tree_image();
	CU_ASSERT_FATAL(img != NULL);
	CU_ASSERT_FATAL(util_build(img, &o, &mine, &mlen) == 0);
	for (k = 0; k < 2; k++) {
		size_t depth = tables[k][1] ? 2 : 1;
		const uint8_t *a = iso_lookup(theirs, tlen, tables[k], depth);
		const uint8_t *b = iso_lookup(mine, mlen, tables[k], depth);
		char *ta, *tb;
		CU_ASSERT_FATAL(a && b);
		ta = file_text(theirs, tlen, a);
		tb = file_text(mine, mlen, b);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ta);
		CU_ASSERT_PTR_NOT_NULL_FATAL(tb);
		CU_ASSERT_STRING_EQUAL(tb, ta);
		free(ta);
		free(tb);
	}
	free(mine);
	free(theirs);
	elt_image_free(img);
	util_rm_rf(out_dir);
	free(out_dir);
}

int register_tests(void)
{
	CU_pSuite s = CU_add_suite("trans", NULL, NULL);

	if (!s || make_tree() < 0)
		return -1;
	atexit((void (*)(void))clean_tree);
	CU_add_test(s, "measured table content", test_content);
	CU_add_test(s, "hidden from Joliet", test_hide_joliet);
	CU_add_test(s, "table name", test_table_name);
	CU_add_test(s, "table of the source disc", test_source_table);
	CU_add_test(s, "suppressed table, clash", test_suppressed_and_clash);
	CU_add_test(s, "made-up directories", test_invented_dirs);
	CU_add_test(s, "tree restored", test_restore);
	CU_add_test(s, "allocation failure at every allocation",
	            test_alloc_failures);
	CU_add_test(s, "live genisoimage", test_live);
	return CU_get_error() == CUE_SUCCESS ? 0 : -1;
}
