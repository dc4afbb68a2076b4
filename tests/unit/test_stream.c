/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pull stream: any read size gives the same bytes, the size is known
 * up front, and every failure (input errors, inputs changing size, full
 * output, allocation failures at each allocation in turn) ends cleanly.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "allocfail.h"
#include "util.h"

static elt_write_opts opts(void)
{
	elt_write_opts o;
	elt_write_opts_init(&o, ELT_WRITE_OPTS_VERSION);
	o.timestamp = 1700000000;
	o.gmt_offset = 0;
	o.pad_blocks = 150;
	return o;
}

static char *tree_dir;

/* A tree with sizes around block boundaries and a larger file. */
static int make_tree(void)
{
	static const size_t sizes[] = { 0, 1, 2047, 2048, 2049, 4096,
	                                300000, 3 * 1024 * 1024 + 5 };
	char path[512];
	size_t i, j;

	tree_dir = util_tmpdir();
	if (!tree_dir)
		return -1;
	snprintf(path, sizeof path, "%s/sub", tree_dir);
	if (mkdir(path, 0755) < 0)
		return -1;
	for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		uint8_t *d = malloc(sizes[i] + 1);
		for (j = 0; j < sizes[i]; j++)
			d[j] = (uint8_t)(j * 31 + i);
		snprintf(path, sizeof path, "%s/%s/f%zu.bin", tree_dir,
		         i % 2 ? "sub" : ".", i);
		if (util_write_file(path, d, sizes[i]) < 0)
			return -1;
		free(d);
	}
	return 0;
}

static int clean_tree(void)
{
	if (tree_dir)
		util_rm_rf(tree_dir);
	free(tree_dir);
	return 0;
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

static void test_random_reads(void)
{
	elt_image *img = tree_image();
	elt_write_opts o = opts();
	uint8_t *whole, *pieces;
	size_t len, pos = 0;
	elt_stream *s;
	unsigned int seed = 12345;

	CU_ASSERT_FATAL(img != NULL);
	CU_ASSERT_FATAL(util_build(img, &o, &whole, &len) == 0);
	CU_ASSERT_FATAL(elt_stream_new(&s, img, &o) == 0);
	CU_ASSERT(elt_stream_size(s) == (int64_t)len);
	pieces = malloc(len);
	while (pos < len) {
		size_t want;
		int64_t got;
		seed = seed * 1103515245u + 12345u;
		switch (seed % 4) {
		case 0: want = 1 + seed % 7; break;
		case 1: want = 1 + seed % 5000; break;
		case 2: want = 2048; break;
		default: want = 1 + seed % (3u << 20); break;
		}
		got = elt_stream_read(s, pieces + pos,
		                      want > len - pos ? len - pos : want);
		/* always a full buffer unless the end is reached */
		CU_ASSERT_FATAL(got == (int64_t)(want > len - pos ? len - pos : want));
		pos += (size_t)got;
	}
	CU_ASSERT(elt_stream_read(s, pieces, 10) == 0);
	CU_ASSERT(util_diff(pieces, whole, len, "random reads") < 0);
	elt_stream_free(s);
	free(pieces);
	/* a second stream gives the same bytes */
	CU_ASSERT_FATAL(util_build(img, &o, &pieces, &pos) == 0);
	CU_ASSERT(pos == len && memcmp(pieces, whole, len) == 0);
	free(pieces);
	free(whole);
	elt_image_free(img);
}

static void test_frozen(void)
{
	elt_image *img = tree_image();
	elt_write_opts o = opts();
	elt_stream *s, *s2;

	CU_ASSERT_FATAL(img != NULL);
	CU_ASSERT_FATAL(elt_stream_new(&s, img, &o) == 0);
	CU_ASSERT(elt_image_add_mem(img, "/x", "x", 1) == ELT_ESTATE);
	CU_ASSERT(elt_stream_new(&s2, img, &o) == ELT_ESTATE);
	elt_stream_cancel(s);
	{
		uint8_t b[16];
		CU_ASSERT(elt_stream_read(s, b, 16) == ELT_ECANCELED);
	}
	elt_stream_free(s);
	CU_ASSERT(elt_image_add_mem(img, "/x", "x", 1) == 0);
	o.version = 99;
	CU_ASSERT(elt_stream_new(&s, img, &o) == ELT_EINVAL);
	elt_image_free(img);
}

struct faulty {
	uint64_t fail_at;   /* fail when a read reaches this offset */
	uint64_t short_at;  /* report end of data here */
};

static int64_t faulty_read(void *payload, uint64_t off, void *buf, size_t len)
{
	struct faulty *f = payload;

	if (off + len > f->fail_at)
		return -1;
	if (off >= f->short_at)
		return 0;
	if (off + len > f->short_at)
		len = (size_t)(f->short_at - off);
	memset(buf, 'q', len);
	return (int64_t)len;
}

static int size_warnings;
static void on_msg(int sev, int code, const char *path, const char *text,
                   void *payload)
{
	(void)path; (void)text; (void)payload;
	if (sev == ELT_MSG_WARNING && code == ELT_MSGC_SIZE_CHANGED)
		size_warnings++;
}

static void test_faulty_sources(void)
{
	struct faulty f = { 100000, UINT64_MAX };
	elt_image *img;
	elt_write_opts o = opts();
	uint8_t *buf;
	size_t len;

	CU_ASSERT_FATAL(elt_image_new(&img) == 0);
	elt_image_set_msg_fn(img, on_msg, NULL);
	CU_ASSERT(elt_image_add_callback(img, "/dir/bad.bin", 200000,
	                                 faulty_read, &f) == 0);
	CU_ASSERT(util_build(img, &o, &buf, &len) == ELT_EIO);
	CU_ASSERT(strstr(elt_image_errmsg(img), "/dir/bad.bin") != NULL);
	/* a short source: zero-filled with a warning, or strict: error */
	f.fail_at = UINT64_MAX;
	f.short_at = 5000;
	size_warnings = 0;
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	CU_ASSERT(size_warnings == 1);
	{
		/* the file is the last extent before 150 padding blocks */
		size_t data = len - 150 * 2048 - ((200000 + 2047) / 2048) * 2048;
		CU_ASSERT(buf[data] == 'q' && buf[data + 4999] == 'q');
		CU_ASSERT(buf[data + 5000] == 0 && buf[data + 199999] == 0);
	}
	free(buf);
	o.flags |= ELT_WRITE_STRICT_INPUTS;
	CU_ASSERT(util_build(img, &o, &buf, &len) == ELT_EIO);
	CU_ASSERT(strstr(elt_image_errmsg(img), "shrank") != NULL);
	elt_image_free(img);
}

static void test_growing_file(void)
{
	char *dir = util_tmpdir(), path[512];
	elt_image *img;
	elt_write_opts o = opts();
	uint8_t *buf;
	size_t len;
	int fd;

	CU_ASSERT_FATAL(dir != NULL);
	snprintf(path, sizeof path, "%s/grow.txt", dir);
	CU_ASSERT_FATAL(util_write_file(path, "abc", 3) == 0);
	CU_ASSERT_FATAL(elt_image_new(&img) == 0);
	elt_image_set_msg_fn(img, on_msg, NULL);
	CU_ASSERT_FATAL(elt_image_add_tree(img, "/", dir, 0) == 0);
	fd = open(path, O_WRONLY | O_APPEND);
	CU_ASSERT(write(fd, "defg", 4) == 4);
	close(fd);
	size_warnings = 0;
	CU_ASSERT_FATAL(util_build(img, &o, &buf, &len) == 0);
	CU_ASSERT(size_warnings == 1);
	free(buf);
	o.flags |= ELT_WRITE_STRICT_INPUTS;
	CU_ASSERT(util_build(img, &o, &buf, &len) == ELT_EIO);
	CU_ASSERT(strstr(elt_image_errmsg(img), "grow.txt: file grew") != NULL);
	/* removed after the scan: an error naming it */
	unlink(path);
	CU_ASSERT(util_build(img, &o, &buf, &len) == ELT_EIO);
	CU_ASSERT(strstr(elt_image_errmsg(img), "grow.txt") != NULL);
	elt_image_free(img);
	util_rm_rf(dir);
	free(dir);
}

static void test_full_output(void)
{
	elt_image *img = tree_image();
	elt_write_opts o = opts();
	int fd = open("/dev/full", O_WRONLY);

	CU_ASSERT_FATAL(img != NULL);
	if (fd < 0) {
		fprintf(stderr, "no /dev/full: part skipped\n");
		elt_image_free(img);
		return;
	}
	CU_ASSERT(elt_write_fd(img, &o, fd) == ELT_EIO);
	CU_ASSERT(strstr(elt_image_errmsg(img), "No space") != NULL);
	close(fd);
	elt_image_free(img);
}

/* Fail the 1st, 2nd, ... allocation of a whole build until one succeeds:
 * each failure must be ELT_ENOMEM with no leak (checked under ASan). */
static void test_alloc_failures(void)
{
	long i, failures = 0;
	int done = 0;

	for (i = 0; !done && i < 100000; i++) {
		elt_image *img = NULL;
		elt_write_opts o = opts();
		uint8_t *buf = NULL;
		size_t len;
		int err;

		alloc_count = 0;
		alloc_fail_at = i;
		err = elt_image_new(&img);
		if (err == 0)
			err = elt_image_add_tree(img, "/", tree_dir, 0);
		if (err == 0)
			err = elt_image_add_mem(img, "/m/mem.txt", "mem", 3);
		if (err == 0)
			err = util_build(img, &o, &buf, &len);
		alloc_fail_at = -1;
		if (err == 0) {
			done = 1;
		} else {
			CU_ASSERT_EQUAL(err, ELT_ENOMEM);
			failures++;
		}
		free(buf);
		elt_image_free(img);
	}
	CU_ASSERT(done);
	CU_ASSERT(failures > 10);
	fprintf(stderr, "allocation failures tested: %ld\n", failures);
}

int register_tests(void)
{
	CU_pSuite s = CU_add_suite("stream", NULL, NULL);

	if (make_tree() < 0)
		return -1;
	if (!s)
		return -1;
	CU_add_test(s, "random read sizes", test_random_reads);
	CU_add_test(s, "frozen image, cancel, versions", test_frozen);
	CU_add_test(s, "failing and short sources", test_faulty_sources);
	CU_add_test(s, "input growing or vanishing", test_growing_file);
	CU_add_test(s, "full output device", test_full_output);
	CU_add_test(s, "allocation failure at every allocation", test_alloc_failures);
	atexit((void (*)(void))clean_tree);
	return CU_get_error() == CUE_SUCCESS ? 0 : -1;
}
