/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The file descriptor sink: 1 MiB writes, never a seek. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define WRITE_CHUNK (1024u * 1024u)

static int write_all(elt_image *img, int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err_set(img, ELT_EIO, NULL, "write failed: %s",
			               strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int elt_write_fd(elt_image *img, const elt_write_opts *opts, int fd)
{
	elt_stream *s = NULL;
	uint8_t *buf = NULL;
	int err;

	if (!img || fd < 0)
		return ELT_EINVAL;
	if ((err = elt_stream_new(&s, img, opts)) < 0)
		return err;
	buf = malloc(WRITE_CHUNK);
	if (!buf) {
		err = err_set(img, ELT_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (;;) {
		int64_t got = elt_stream_read(s, buf, WRITE_CHUNK);
		if (got < 0) {
			err = (int)got;
			goto out;
		}
		if (got == 0)
			break;
		if ((err = write_all(img, fd, buf, (size_t)got)) < 0)
			goto out;
	}
out:
	free(buf);
	elt_stream_free(s);
	return err;
}
