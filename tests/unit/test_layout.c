/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The layout plan, checked on whole images by a small reader written
 * here from ECMA-119 (it shares no code with the library): descriptor
 * set, path tables, directory records never crossing a block, extents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "util.h"

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* 7.3.3: both halves must agree. */
static uint32_t both32(const uint8_t *p)
{
	CU_ASSERT_EQUAL(le32(p), be32(p + 4));
	return le32(p);
}

struct rec {
	uint32_t extent, size;
	uint8_t flags, len;
	char id[256];
};

/* Read directory at lba/size; check the 6.8.1 sector rule on the way. */
static int read_dir(const uint8_t *img, size_t imglen, uint32_t lba,
                    uint32_t size, struct rec *out, int max)
{
	uint32_t off = 0;
	int n = 0;

	CU_ASSERT(size % 2048 == 0);
	CU_ASSERT((uint64_t)lba * 2048 + size <= imglen);
	while (off < size && n < max) {
		const uint8_t *r = img + (size_t)lba * 2048 + off;
		if (r[0] == 0) {                   /* rest of block unused */
			off = (off / 2048 + 1) * 2048;
			continue;
		}
		CU_ASSERT(r[0] >= 34 && r[0] % 2 == 0);
		CU_ASSERT(off / 2048 == (off + r[0] - 1) / 2048);
		out[n].extent = both32(r + 2);
		out[n].size = both32(r + 10);
		out[n].flags = r[25];
		out[n].len = r[32];
		memcpy(out[n].id, r + 33, r[32]);
		out[n].id[r[32]] = '\0';
		n++;
		off += r[0];
	}
	return n;
}

static elt_write_opts opts(void)
{
	elt_write_opts o;
	elt_write_opts_init(&o, ELT_WRITE_OPTS_VERSION);
	o.timestamp = 1700000000;
	o.gmt_offset = 0;
	return o;
}

static void test_descriptors(void)
{
	elt_image *img;
	elt_write_opts o = opts();
	uint8_t *buf, *pvd;
	size_t len;
	uint32_t total, lpt, mpt;

	CU_ASSERT_FATAL(elt_image_new(&img) == 0);
	CU_ASSERT(elt_image_add_mem(img, "/a.txt", "hello", 5) == 0);
	CU_ASSERT(elt_image_add_mem(img, "/d/b.txt", "x", 1) == 0);
	o.pad_blocks = 150;
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	pvd = buf + 16 * 2048;
	CU_ASSERT(pvd[0] == 1 && memcmp(pvd + 1, "CD001", 5) == 0);
	CU_ASSERT(buf[17 * 2048] == 255);          /* terminator */
	total = both32(pvd + 80);
	CU_ASSERT(total * 2048ull == len);
	lpt = le32(pvd + 140);
	mpt = be32(pvd + 148);
	/* one zero block after the terminator; each table in an even slot */
	CU_ASSERT(lpt == 19);
	CU_ASSERT(mpt == 21);
	CU_ASSERT(le32(pvd + 144) == 0 && be32(pvd + 152) == 0);
	/* root + d: two records, 10 + 10 bytes */
	CU_ASSERT(both32(pvd + 132) == 20);
	CU_ASSERT(buf[lpt * 2048] == 1 && buf[lpt * 2048 + 8] == 0);
	CU_ASSERT(buf[lpt * 2048 + 10] == 1);        /* D: one-byte id */
	CU_ASSERT(buf[lpt * 2048 + 18] == 'D');
	CU_ASSERT(buf[lpt * 2048 + 16] == 1);        /* parent: root */
	CU_ASSERT(buf[mpt * 2048 + 17] == 1);        /* big-endian parent */
	/* last 150 blocks are padding */
	{
		size_t i, nz = 0;
		for (i = len - 150 * 2048; i < len; i++)
			nz += buf[i] != 0;
		CU_ASSERT(nz == 0);
	}
	free(buf);
	elt_image_free(img);
}

/* 68 bytes of . and .., 39 records of 40 bytes and 10 of 42 end exactly
 * at 2048: genisoimage already moves such a last record to the next
 * block, and so must we. */
static void test_exact_block_end(void)
{
	elt_image *img;
	elt_write_opts o = opts();
	uint8_t *buf;
	size_t len;
	struct rec r[64];
	char path[32];
	int i, n;
	uint32_t root;

	CU_ASSERT_FATAL(elt_image_new(&img) == 0);
	for (i = 0; i < 39; i++) {
		snprintf(path, sizeof path, "/F%02d.T", i);  /* F00.T;1: 7 */
		CU_ASSERT(elt_image_add_mem(img, path, "", 0) == 0);
	}
	for (i = 0; i < 10; i++) {
		snprintf(path, sizeof path, "/G%02d.TX", i); /* G00.TX;1: 8 */
		CU_ASSERT(elt_image_add_mem(img, path, "", 0) == 0);
	}
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	root = both32(buf + 16 * 2048 + 156 + 2);
	CU_ASSERT(both32(buf + 16 * 2048 + 156 + 10) == 4096);
	n = read_dir(buf, len, root, 4096, r, 64);
	CU_ASSERT(n == 51);
	CU_ASSERT(strcmp(r[50].id, "G09.TX;1") == 0);
	/* the 51st record starts the second block */
	CU_ASSERT(buf[(size_t)root * 2048 + 2048] == 42);
	free(buf);
	elt_image_free(img);
}

static void test_records_cross_no_block(void)
{
	elt_image *img;
	elt_write_opts o = opts();
	uint8_t *buf;
	size_t len;
	struct rec *r = malloc(sizeof *r * 1100);
	char path[64];
	int i, n;

	CU_ASSERT_FATAL(elt_image_new(&img) == 0);
	for (i = 0; i < 1000; i++) {
		snprintf(path, sizeof path, "/many/f%04d.txt", i);
		CU_ASSERT(elt_image_add_mem(img, path, path, strlen(path)) == 0);
	}
	o.iso_level = 2;
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	{
		uint32_t root = both32(buf + 16 * 2048 + 158);
		struct rec rr[4];
		CU_ASSERT(read_dir(buf, len, root, 2048, rr, 4) == 3);
		n = read_dir(buf, len, rr[2].extent, rr[2].size, r, 1100);
		CU_ASSERT(n == 1002);
		/* every file's extent holds its own path as content */
		for (i = 2; i < n; i++) {
			snprintf(path, sizeof path, "/many/f%04d.txt", i - 2);
			CU_ASSERT(r[i].size == strlen(path));
			CU_ASSERT(memcmp(buf + (size_t)r[i].extent * 2048, path,
			                 r[i].size) == 0);
		}
	}
	free(buf);
	free(r);
	elt_image_free(img);
}

static int warnings;
static void count_msg(int sev, int code, const char *path, const char *text,
                      void *payload)
{
	(void)path; (void)text; (void)payload;
	if (sev == ELT_MSG_WARNING && code == ELT_MSGC_DEPTH)
		warnings++;
}

/* Without Rock Ridge or -D a directory at level 8 is left empty. */
static void test_depth_cut(void)
{
	elt_image *img;
	elt_write_opts o = opts();
	uint8_t *buf;
	size_t len;
	struct rec r[8];
	uint32_t lba, size;
	int level;

	CU_ASSERT_FATAL(elt_image_new(&img) == 0);
	elt_image_set_msg_fn(img, count_msg, NULL);
	CU_ASSERT(elt_image_add_mem(img, "/A/B/C/D/E/F/G/H/I/f.txt", "x", 1) == 0);
	CU_ASSERT(elt_image_add_mem(img, "/A/B/C/D/E/F/g.txt", "x", 1) == 0);
	warnings = 0;
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	CU_ASSERT(warnings == 1);
	lba = both32(buf + 16 * 2048 + 158);
	size = 2048;
	for (level = 1; level < 8; level++) {
		int n = read_dir(buf, len, lba, size, r, 8);
		int want = level == 7 ? 4 : 3;  /* F holds G and g.txt */
		CU_ASSERT_EQUAL(n, want);
		lba = r[2].extent;
		size = r[2].size;
	}
	/* G (level 8): only . and .. */
	CU_ASSERT(read_dir(buf, len, lba, size, r, 8) == 2);
	free(buf);
	/* -D keeps the whole tree */
	o.relax |= ELT_RELAX_DEEP_DIRS;
	warnings = 0;
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	CU_ASSERT(warnings == 0);
	free(buf);
	elt_image_free(img);
}

/* Rock Ridge: subdirectories of level-8 directories move to RR_MOVED,
 * the root's first subdirectory; an empty file record stays in their
 * place; Joliet shows the original tree; the model is unchanged after. */
static void test_relocation(void)
{
	elt_image *img;
	elt_write_opts o = opts();
	elt_node *node;
	uint8_t *buf, *again;
	size_t len, len2;
	struct rec r[8];
	uint32_t lba, size, jroot;
	int level, n;

	CU_ASSERT_FATAL(elt_image_new(&img) == 0);
	CU_ASSERT(elt_image_add_mem(img, "/A/B/C/D/E/F/G/H/I/f.txt", "x", 1) == 0);
	CU_ASSERT(elt_image_add_mem(img, "/Z/z.txt", "z", 1) == 0);
	o.ext = ELT_EXT_ROCKRIDGE | ELT_EXT_JOLIET;
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	lba = both32(buf + 16 * 2048 + 158);
	n = read_dir(buf, len, lba, 2048, r, 8);
	CU_ASSERT_FATAL(n == 5);
	CU_ASSERT(strcmp(r[3].id, "RR_MOVED") == 0);
	CU_ASSERT(r[3].extent == lba + 1);          /* first subdirectory */
	lba = r[2].extent;                          /* A, level 2 */
	size = r[2].size;
	for (level = 2; level < 8; level++) {       /* down to G */
		n = read_dir(buf, len, lba, size, r, 8);
		CU_ASSERT_FATAL(n == 3);
		lba = r[2].extent;
		size = r[2].size;
	}
	n = read_dir(buf, len, lba, size, r, 8);
	CU_ASSERT_FATAL(n == 3);
	CU_ASSERT(strcmp(r[2].id, "H") == 0);
	CU_ASSERT(r[2].flags == 0 && r[2].size == 0);   /* the stub */
	/* Joliet: H is a directory under G, no rr_moved in the root */
	jroot = both32(buf + 17 * 2048 + 158);    /* SVD right after PVD */
	CU_ASSERT(buf[17 * 2048] == 2);
	n = read_dir(buf, len, jroot, 2048, r, 8);
	CU_ASSERT(n == 4);
	free(buf);
	/* the model is back as it was */
	CU_ASSERT(elt_image_lookup(&node, img, "/A/B/C/D/E/F/G/H/I/f.txt") == 0);
	CU_ASSERT(elt_image_lookup(&node, img, "/rr_moved") == ELT_ENOENT);
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	CU_ASSERT_FATAL(util_build(img, &o, &again, &len2) == 0);
	CU_ASSERT(len == len2 && memcmp(buf, again, len) == 0);
	free(again);
	free(buf);
	elt_image_free(img);
}

static int64_t zero_reader(void *payload, uint64_t off, void *buf, size_t len)
{
	(void)payload; (void)off;
	memset(buf, 0xa5, len);
	return (int64_t)len;
}

/* 7.5 / FORMAT 7: 4 GiB and more needs level 3 and several sections. */
static void test_multi_extent(void)
{
	elt_image *img;
	elt_write_opts o = opts();
	elt_stream *s;
	uint64_t size = 5ull << 30;
	uint8_t *head;
	struct rec r[8];
	int n;

	CU_ASSERT_FATAL(elt_image_new(&img) == 0);
	CU_ASSERT(elt_image_add_callback(img, "/big.img", size, zero_reader,
	                                 NULL) == 0);
	o.iso_level = 2;
	CU_ASSERT(elt_stream_new(&s, img, &o) == ELT_ELIMIT);
	CU_ASSERT(strstr(elt_image_errmsg(img), "big.img") != NULL);
	o.iso_level = 3;
	o.pad_blocks = 0;
	CU_ASSERT_FATAL(elt_stream_new(&s, img, &o) == 0);
	CU_ASSERT(elt_stream_size(s) == (int64_t)(24 * 2048 + size));
	head = malloc(24 * 2048);
	CU_ASSERT_FATAL(elt_stream_read(s, head, 24 * 2048) == 24 * 2048);
	n = read_dir(head, 24 * 2048, both32(head + 16 * 2048 + 158), 2048, r, 8);
	CU_ASSERT_FATAL(n == 4);
	CU_ASSERT(strcmp(r[2].id, r[3].id) == 0);
	CU_ASSERT(r[2].flags == 0x80 && r[3].flags == 0);
	CU_ASSERT(r[2].size == 0xFFFFF800u);
	CU_ASSERT(r[3].size == size - 0xFFFFF800u);
	CU_ASSERT(r[3].extent == r[2].extent + 0xFFFFF800u / 2048);
	free(head);
	elt_stream_free(s);
	elt_image_free(img);
}

static void test_hard_links(void)
{
	char *dir = util_tmpdir(), a[512], b[512];
	elt_image *img;
	elt_write_opts o = opts();
	uint8_t *buf;
	size_t len;
	struct rec r[8];

	CU_ASSERT_FATAL(dir != NULL);
	snprintf(a, sizeof a, "%s/a.txt", dir);
	snprintf(b, sizeof b, "%s/b.txt", dir);
	CU_ASSERT_FATAL(util_write_file(a, "same data", 9) == 0);
	CU_ASSERT_FATAL(link(a, b) == 0);
	CU_ASSERT_FATAL(elt_image_new(&img) == 0);
	CU_ASSERT_FATAL(elt_image_add_tree(img, "/", dir, 0) == 0);
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	CU_ASSERT(read_dir(buf, len, both32(buf + 16 * 2048 + 158), 2048, r, 8) == 4);
	CU_ASSERT(r[2].extent == r[3].extent);
	CU_ASSERT(r[2].size == 9 && r[3].size == 9);
	free(buf);
	elt_image_free(img);
	/* -no-cache-inodes: two copies */
	CU_ASSERT_FATAL(elt_image_new(&img) == 0);
	CU_ASSERT_FATAL(elt_image_add_tree(img, "/", dir,
	                                   ELT_ADD_NO_CACHE_INODES) == 0);
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	CU_ASSERT(read_dir(buf, len, both32(buf + 16 * 2048 + 158), 2048, r, 8) == 4);
	CU_ASSERT(r[2].extent != r[3].extent);
	free(buf);
	elt_image_free(img);
	util_rm_rf(dir);
	free(dir);
}

int register_tests(void)
{
	CU_pSuite s = CU_add_suite("layout", NULL, NULL);

	if (!s)
		return -1;
	CU_add_test(s, "descriptor set and path table slots", test_descriptors);
	CU_add_test(s, "record ending at a block end moves", test_exact_block_end);
	CU_add_test(s, "1000 records, none crosses a block", test_records_cross_no_block);
	CU_add_test(s, "depth limit without Rock Ridge", test_depth_cut);
	CU_add_test(s, "multi-extent files at level 3", test_multi_extent);
	CU_add_test(s, "Rock Ridge relocation to RR_MOVED", test_relocation);
	CU_add_test(s, "hard links share one extent", test_hard_links);
	return CU_get_error() == CUE_SUCCESS ? 0 : -1;
}
