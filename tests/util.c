/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util.h"

char *util_tmpdir(void)
{
	const char *base = getenv("ELT_BUILDDIR");
	char *p;

	if (!base)
		base = "/tmp";
	if (asprintf(&p, "%s/tmp-test-XXXXXX", base) < 0)
		return NULL;
	if (!mkdtemp(p)) {
		free(p);
		return NULL;
	}
	return p;
}

static int rm_one(const char *path, const struct stat *sb, int flag,
                  struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

int util_rm_rf(const char *path)
{
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

int util_write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	const char *p = data;

	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd);
}

char *util_fixture(const char *rel)
{
	const char *base = getenv("ELT_FIXTURES");
	char *p;

	if (!base)
		base = "fixtures";
	if (asprintf(&p, "%s/%s", base, rel) < 0)
		return NULL;
	return p;
}

int util_build(elt_image *img, const elt_write_opts *o, uint8_t **out,
               size_t *len)
{
	elt_stream *s = NULL;
	int64_t size, n;
	int err;

	*out = NULL;
	*len = 0;
	if ((err = elt_stream_new(&s, img, o)) < 0)
		return err;
	size = elt_stream_size(s);
	*out = malloc(size > 0 ? (size_t)size : 1);
	if (!*out) {
		elt_stream_free(s);
		return ELT_ENOMEM;
	}
	n = elt_stream_read(s, *out, (size_t)size);
	if (n >= 0 && n != size)
		n = ELT_EINTERNAL;
	elt_stream_free(s);
	if (n < 0) {
		free(*out);
		*out = NULL;
		return (int)n;
	}
	*len = (size_t)size;
	return 0;
}

long util_diff(const uint8_t *a, const uint8_t *b, size_t len,
               const char *what)
{
	size_t i, blk, j;

	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			break;
	if (i == len)
		return -1;
	blk = i / 2048 * 2048;
	fprintf(stderr, "%s: first difference at byte %zu (block %zu +%zu)\n",
	        what, i, blk / 2048, i - blk);
	for (j = (i - blk) / 16 * 16; j < 2048 && j < (i - blk) / 16 * 16 + 64;
	     j += 16) {
		size_t k;
		fprintf(stderr, "  %04zx got ", j);
		for (k = 0; k < 16 && blk + j + k < len; k++)
			fprintf(stderr, "%02x", a[blk + j + k]);
		fprintf(stderr, " want ");
		for (k = 0; k < 16 && blk + j + k < len; k++)
			fprintf(stderr, "%02x", b[blk + j + k]);
		fprintf(stderr, "\n");
	}
	return (long)i;
}
