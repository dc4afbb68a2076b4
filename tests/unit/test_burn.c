/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_burn: the burn_source of elt_burn_source_new() against libburn's
 * contract (libburn.h, struct burn_source), and real burns through
 * burn_fifo_source_new() to a stdio: file and to a pipe.  The reference
 * bytes always come from elt_write_fd().
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <libburn.h>

#include "eltorito/burn.h"
#include "util.h"

#define SECTOR 2048
#define BIG_FILE (700u * 1024u + 123u)   /* not block-aligned on purpose */

static elt_write_opts opts = ELT_WRITE_OPTS_INIT;
static char *tmp;
static uint8_t *ref;        /* elt_write_fd() output */
static size_t ref_len;

/* Three in-memory files: a small one, a larger one with pseudo-random
 * bytes, and an empty one. */
static elt_image *make_image(void)
{
	static uint8_t big[BIG_FILE];
	elt_image *img = NULL;
	uint32_t x = 12345;
	size_t i;

	for (i = 0; i < sizeof(big); i++) {
		x = x * 1103515245u + 12345u;
		big[i] = (uint8_t)(x >> 16);
	}
	if (elt_image_new(&img) != 0)
		return NULL;
	if (elt_image_add_mem(img, "/readme.txt", "hello burn\n", 11) != 0 ||
	    elt_image_add_mem(img, "/data/big.bin", big, sizeof(big)) != 0 ||
	    elt_image_add_mem(img, "/data/empty", "", 0) != 0) {
		elt_image_free(img);
		return NULL;
	}
	return img;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf != NULL &&
	    read(fd, buf, (size_t)st.st_size) != (ssize_t)st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static int suite_init(void)
{
	elt_image *img;
	char path[4096];
	int fd, rc;

	opts.timestamp = 1700000000;   /* same bytes from every stream */
	tmp = util_tmpdir();
	img = make_image();
	if (tmp == NULL || img == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/ref.iso", tmp);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	rc = elt_write_fd(img, &opts, fd);
	close(fd);
	elt_image_free(img);
	if (rc != 0)
		return -1;
	ref = slurp(path, &ref_len);
	if (ref == NULL || ref_len == 0 || ref_len % SECTOR != 0)
		return -1;
	if (!burn_initialize())
		return -1;
	/* keep libburn quiet; failures show up in our assertions */
	burn_msgs_set_severities("NEVER", "NEVER", "test_burn: ");
	return 0;
}

static int suite_clean(void)
{
	burn_finish();
	free(ref);
	if (tmp != NULL)
		util_rm_rf(tmp);
	free(tmp);
	return 0;
}

/* A fresh image and burn_source over it. */
static struct burn_source *new_src(elt_image **imgp)
{
	struct burn_source *src = NULL;
	elt_stream *s = NULL;

	*imgp = make_image();
	if (*imgp == NULL)
		return NULL;
	if (elt_stream_new(&s, *imgp, &opts) != 0)
		return NULL;
	if (elt_burn_source_new(&src, s) != 0) {
		elt_stream_free(s);
		return NULL;
	}
	return src;
}

/* Read everything with read_xt in requests of `chunk` bytes; every call
 * but the last must return a full buffer. */
static uint8_t *read_all(struct burn_source *src, int chunk, size_t *len,
                         int *short_reads)
{
	size_t cap = ref_len + 16u * (size_t)chunk, n = 0;
	uint8_t *buf = malloc(cap);
	int got;

	*short_reads = 0;
	if (buf == NULL)
		return NULL;
	while (n + (size_t)chunk <= cap &&
	       (got = src->read_xt(src, buf + n, chunk)) > 0) {
		if (got != chunk)
			(*short_reads)++;
		n += (size_t)got;
	}
	*len = n;
	return buf;
}

static void test_fields(void)
{
	elt_image *img;
	struct burn_source *src = new_src(&img);

	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	CU_ASSERT_EQUAL(src->refcount, 1);
	CU_ASSERT_EQUAL(src->version, 1);
	CU_ASSERT_PTR_NULL(src->read);
	CU_ASSERT_PTR_NULL(src->read_sub);
	CU_ASSERT_PTR_NULL(src->next);
	CU_ASSERT_PTR_NOT_NULL(src->read_xt);
	CU_ASSERT_PTR_NOT_NULL(src->get_size);
	CU_ASSERT_PTR_NOT_NULL(src->set_size);
	CU_ASSERT_PTR_NOT_NULL(src->cancel);
	CU_ASSERT_PTR_NOT_NULL(src->free_data);
	CU_ASSERT_EQUAL(src->get_size(src), (off_t)ref_len);
	burn_source_free(src);
	elt_image_free(img);
}

static void test_bad_args(void)
{
	elt_image *img = make_image();
	struct burn_source *src = NULL;
	elt_stream *s = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	CU_ASSERT_EQUAL(elt_burn_source_new(&src, NULL), ELT_EINVAL);
	CU_ASSERT_EQUAL_FATAL(elt_stream_new(&s, img, &opts), 0);
	CU_ASSERT_EQUAL(elt_burn_source_new(NULL, s), ELT_EINVAL);
	/* on failure the caller still owns the stream */
	elt_stream_free(s);
	elt_image_free(img);
}

static void check_reads(int chunk)
{
	elt_image *img;
	struct burn_source *src = new_src(&img);
	uint8_t *got;
	size_t len = 0;
	int shorts = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	got = read_all(src, chunk, &len, &shorts);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_EQUAL(len, ref_len);
	/* only the last buffer may be short, and only if chunk does not
	 * divide the image */
	CU_ASSERT(shorts <= (ref_len % (size_t)chunk != 0));
	if (len == ref_len)
		CU_ASSERT_EQUAL(util_diff(got, ref, len, "read_xt"), -1);
	/* EOF stays EOF */
	CU_ASSERT_EQUAL(src->read_xt(src, got, chunk), 0);
	free(got);
	burn_source_free(src);
	elt_image_free(img);
}

static void test_read_sector(void) { check_reads(SECTOR); }
static void test_read_fifo32k(void) { check_reads(32 * 1024); }
static void test_read_odd(void) { check_reads(1000); }
static void test_read_big(void) { check_reads(1024 * 1024 + 2048); }

static void test_set_size_larger(void)
{
	elt_image *img;
	struct burn_source *src = new_src(&img);
	size_t len = 0, i, extra = 5 * SECTOR;
	int shorts, nonzero = 0;
	uint8_t *got;

	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	CU_ASSERT_EQUAL(src->set_size(src, (off_t)(ref_len + extra)), 1);
	CU_ASSERT_EQUAL(src->get_size(src), (off_t)(ref_len + extra));
	got = read_all(src, SECTOR, &len, &shorts);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_EQUAL(len, ref_len + extra);
	CU_ASSERT_EQUAL(shorts, 0);
	if (len == ref_len + extra) {
		CU_ASSERT_EQUAL(util_diff(got, ref, ref_len, "set_size"), -1);
		for (i = ref_len; i < len; i++)
			nonzero |= got[i];
		CU_ASSERT_EQUAL(nonzero, 0);
	}
	free(got);
	burn_source_free(src);
	elt_image_free(img);
}

static void test_set_size_smaller(void)
{
	elt_image *img;
	struct burn_source *src = new_src(&img);
	size_t len = 0;
	int shorts;
	uint8_t *got;

	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	CU_ASSERT_EQUAL(src->set_size(src, 40 * SECTOR), 1);
	CU_ASSERT_EQUAL(src->get_size(src), 40 * SECTOR);
	CU_ASSERT_EQUAL(src->set_size(src, -1), 0);
	CU_ASSERT_EQUAL(src->get_size(src), 40 * SECTOR);
	got = read_all(src, 3 * SECTOR, &len, &shorts);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_EQUAL(len, 40 * SECTOR);
	if (len == 40 * SECTOR)
		CU_ASSERT_EQUAL(util_diff(got, ref, len, "set_size"), -1);
	free(got);
	burn_source_free(src);
	elt_image_free(img);
}

static void test_cancel(void)
{
	elt_image *img;
	struct burn_source *src = new_src(&img);
	unsigned char buf[SECTOR];

	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	CU_ASSERT_EQUAL(src->read_xt(src, buf, SECTOR), SECTOR);
	CU_ASSERT(src->cancel(src) > 0);
	CU_ASSERT_EQUAL(src->read_xt(src, buf, SECTOR), -1);
	CU_ASSERT_EQUAL(src->read_xt(src, buf, SECTOR), -1);
	burn_source_free(src);
	elt_image_free(img);
}

/* free_data must free the stream: the image is frozen while a stream
 * lives (ELT_ESTATE) and editable again afterwards. */
static void test_free_data(void)
{
	elt_image *img;
	struct burn_source *src = new_src(&img);
	unsigned char buf[SECTOR];

	CU_ASSERT_PTR_NOT_NULL_FATAL(src);
	CU_ASSERT_EQUAL(elt_image_add_mem(img, "/late", "x", 1), ELT_ESTATE);
	src->refcount++;              /* a second holder, as libburn does */
	burn_source_free(src);        /* first holder lets go */
	CU_ASSERT_EQUAL(src->read_xt(src, buf, SECTOR), SECTOR);
	CU_ASSERT_EQUAL(elt_image_add_mem(img, "/late", "x", 1), ELT_ESTATE);
	burn_source_free(src);        /* last one: free_data */
	CU_ASSERT_EQUAL(elt_image_add_mem(img, "/late", "x", 1), 0);
	elt_image_free(img);
}

/* Burn src through libburn's fifo to adr; returns 1 if libburn says it
 * went well. */
static int burn_to(const char *adr)
{
	struct burn_drive_info *infos = NULL;
	struct burn_drive *d;
	struct burn_source *src, *fifo;
	struct burn_disc *disc;
	struct burn_session *ses;
	struct burn_track *tr;
	struct burn_write_opts *wo;
	char reasons[BURN_REASONS_LEN];
	elt_image *img;
	int ok = 0;

	src = new_src(&img);
	if (src == NULL)
		return 0;
	if (burn_drive_scan_and_grab(&infos, (char *)adr, 1) <= 0) {
		burn_source_free(src);
		elt_image_free(img);
		return 0;
	}
	d = infos[0].drive;
	fifo = burn_fifo_source_new(src, SECTOR, 512, 0);
	disc = burn_disc_create();
	ses = burn_session_create();
	tr = burn_track_create();
	burn_disc_add_session(disc, ses, BURN_POS_END);
	burn_track_define_data(tr, 0, 0, 1, BURN_MODE1);
	if (fifo != NULL &&
	    burn_track_set_source(tr, fifo) == BURN_SOURCE_OK) {
		burn_session_add_track(ses, tr, BURN_POS_END);
		wo = burn_write_opts_new(d);
		burn_write_opts_set_perform_opc(wo, 0);
		burn_write_opts_set_underrun_proof(wo, 1);
		if (burn_write_opts_auto_write_type(wo, disc, reasons, 0) !=
		    BURN_WRITE_NONE) {
			burn_disc_write(wo, disc);
			while (burn_drive_get_status(d, NULL) ==
			       BURN_DRIVE_SPAWNING)
				usleep(1000);
			while (burn_drive_get_status(d, NULL) !=
			       BURN_DRIVE_IDLE)
				usleep(10000);
			ok = burn_drive_wrote_well(d);
		}
		burn_write_opts_free(wo);
	}
	burn_track_free(tr);
	burn_session_free(ses);
	burn_disc_free(disc);
	if (fifo != NULL)
		burn_source_free(fifo);
	burn_source_free(src);
	burn_drive_release(d, 0);
	burn_drive_info_free(infos);
	/* every source reference is gone: the stream must be freed */
	if (elt_image_add_mem(img, "/late", "x", 1) != 0)
		ok = 0;
	elt_image_free(img);
	return ok;
}

static void check_file(const char *path, const char *what)
{
	size_t len = 0;
	uint8_t *got = slurp(path, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_EQUAL(len, ref_len);
	if (len == ref_len)
		CU_ASSERT_EQUAL(util_diff(got, ref, len, what), -1);
	free(got);
}

static void test_burn_stdio_file(void)
{
	char path[4096], adr[4200];

	snprintf(path, sizeof(path), "%s/out.iso", tmp);
	snprintf(adr, sizeof(adr), "stdio:%s", path);
	CU_ASSERT_EQUAL(burn_to(adr), 1);
	check_file(path, "stdio file");
}

/* stdio:/dev/fd/N with N the write end of a pipe; a child copies the pipe
 * to a file. */
static void test_burn_pipe(void)
{
	char path[4096], adr[64];
	int p[2], status = -1;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/pipe.iso", tmp);
	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		char buf[65536];
		ssize_t n;
		int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		close(p[1]);
		while (out >= 0 && (n = read(p[0], buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n)
				_exit(1);
		_exit(out >= 0 && close(out) == 0 ? 0 : 1);
	}
	close(p[0]);
	snprintf(adr, sizeof(adr), "stdio:/dev/fd/%d", p[1]);
	CU_ASSERT_EQUAL(burn_to(adr), 1);
	close(p[1]);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	check_file(path, "pipe");
}

int register_tests(void)
{
	CU_pSuite s = CU_add_suite("burn_source", suite_init, suite_clean);

	if (s == NULL)
		return -1;
	if (!CU_add_test(s, "fields", test_fields) ||
	    !CU_add_test(s, "bad arguments", test_bad_args) ||
	    !CU_add_test(s, "read_xt 2048", test_read_sector) ||
	    !CU_add_test(s, "read_xt 32 KiB", test_read_fifo32k) ||
	    !CU_add_test(s, "read_xt 1000", test_read_odd) ||
	    !CU_add_test(s, "read_xt 1 MiB + 2048", test_read_big) ||
	    !CU_add_test(s, "set_size larger", test_set_size_larger) ||
	    !CU_add_test(s, "set_size smaller", test_set_size_smaller) ||
	    !CU_add_test(s, "cancel", test_cancel) ||
	    !CU_add_test(s, "free_data", test_free_data) ||
	    !CU_add_test(s, "burn fifo to stdio file", test_burn_stdio_file) ||
	    !CU_add_test(s, "burn fifo to pipe", test_burn_pipe))
		return -1;
	return 0;
}
