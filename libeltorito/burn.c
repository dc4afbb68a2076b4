/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * burn.c: an image stream as a libburn data source (struct burn_source).
 *
 * libburn pulls sectors through read_xt() and demands a full buffer on
 * every call but the last one, which elt_stream_read() guarantees.  libburn
 * asks for one 2048-byte sector per call when it drives the source itself
 * (stdio: targets without a fifo), and 2048 bytes or 32 KiB per call from
 * the thread of burn_fifo_source_new().  Small requests are served from a
 * read-ahead buffer so that the stream still reads its inputs in large
 * chunks; larger requests go straight into libburn's buffer.
 *
 * No thread and no temporary file: the caller's thread (or libburn's fifo
 * thread) does all the work inside read_xt().
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libburn.h>

#include "eltorito/burn.h"

/* struct burn_source.version: 1 has read_xt and cancel (libburn.h). */
#define BSRC_VERSION 1
/* Requests smaller than this are served from the read-ahead buffer. */
#define BSRC_AHEAD (256u * 1024u)

struct bsrc {
	elt_stream *s;       /* owned */
	int64_t size;        /* elt_stream_size() */
	int64_t fixed;       /* size programmed by set_size(), or -1 */
	int64_t pos;         /* bytes handed out so far */
	uint8_t *ahead;      /* read-ahead buffer, allocated on first use */
	size_t ahead_len;    /* valid bytes in ahead */
	size_t ahead_off;    /* next unread byte in ahead */
	int stream_end;      /* elt_stream_read() returned 0 */
	int err;             /* sticky: ELT_E* of a failed read or cancel */
};

static struct bsrc *bsrc_of(struct burn_source *src)
{
	return src != NULL ? (struct bsrc *)src->data : NULL;
}

/* The number of bytes this source delivers in total. */
static int64_t bsrc_limit(const struct bsrc *b)
{
	return b->fixed >= 0 ? b->fixed : b->size;
}

/* Read from the stream into dst; remember the end and the first error. */
static int64_t stream_fill(struct bsrc *b, uint8_t *dst, size_t len)
{
	int64_t got = elt_stream_read(b->s, dst, len);

	if (got < 0)
		b->err = (int)got;
	else if (got == 0)
		b->stream_end = 1;
	return got;
}

/* Copy up to len image bytes into dst, through the read-ahead buffer for
 * small requests.  Returns the count (fewer only at the stream's end) or a
 * negative ELT_E*. */
static int64_t bsrc_take(struct bsrc *b, uint8_t *dst, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = b->ahead_len - b->ahead_off;
		int64_t got;

		if (n > 0) {
			if (n > len - done)
				n = len - done;
			memcpy(dst + done, b->ahead + b->ahead_off, n);
			b->ahead_off += n;
			done += n;
			continue;
		}
		if (b->stream_end)
			break;
		if (len - done >= BSRC_AHEAD) {
			/* Large request: no copy through the buffer. */
			got = stream_fill(b, dst + done, len - done);
			if (got < 0)
				return got;
			done += (size_t)got;
			continue;
		}
		if (b->ahead == NULL) {
			b->ahead = malloc(BSRC_AHEAD);
			if (b->ahead == NULL)
				return ELT_ENOMEM;
		}
		got = stream_fill(b, b->ahead, BSRC_AHEAD);
		if (got < 0)
			return got;
		b->ahead_len = (size_t)got;
		b->ahead_off = 0;
	}
	return (int64_t)done;
}

static int bsrc_read_xt(struct burn_source *src, unsigned char *buffer,
                        int size)
{
	struct bsrc *b = bsrc_of(src);
	int64_t want, got;

	if (b == NULL || size < 0 || (buffer == NULL && size > 0)) {
		errno = EINVAL;
		return -1;
	}
	if (b->err != 0) {
		errno = b->err == ELT_ECANCELED ? ECANCELED : EIO;
		return -1;
	}
	want = bsrc_limit(b) - b->pos;
	if (want <= 0 || size == 0)
		return 0;
	if (want > size)
		want = size;
	got = bsrc_take(b, buffer, (size_t)want);
	if (got < 0) {
		b->err = (int)got;
		errno = got == ELT_ENOMEM ? ENOMEM :
			got == ELT_ECANCELED ? ECANCELED : EIO;
		return -1;
	}
	/* set_size() beyond the image: libburn wants the size it asked for,
	 * so the tail reads as zeros. */
	if (got < want)
		memset(buffer + got, 0, (size_t)(want - got));
	b->pos += want;
	return (int)want;
}

static off_t bsrc_get_size(struct burn_source *src)
{
	struct bsrc *b = bsrc_of(src);

	return b != NULL ? (off_t)bsrc_limit(b) : 0;
}

static int bsrc_set_size(struct burn_source *src, off_t size)
{
	struct bsrc *b = bsrc_of(src);

	if (b == NULL || size < 0)
		return 0;
	b->fixed = (int64_t)size;
	return 1;
}

static int bsrc_cancel(struct burn_source *src)
{
	struct bsrc *b = bsrc_of(src);

	if (b == NULL)
		return 0;
	elt_stream_cancel(b->s);
	if (b->err == 0)
		b->err = ELT_ECANCELED;
	return 1;
}

static void bsrc_free_data(struct burn_source *src)
{
	struct bsrc *b = bsrc_of(src);

	if (b == NULL)
		return;
	elt_stream_free(b->s);
	free(b->ahead);
	free(b);
	src->data = NULL;
}

ELT_API int elt_burn_source_new(struct burn_source **out, elt_stream *s)
{
	struct burn_source *src = NULL;
	struct bsrc *b = NULL;
	int64_t size;
	int err;

	if (out == NULL || s == NULL)
		return ELT_EINVAL;
	*out = NULL;
	size = elt_stream_size(s);
	if (size < 0)
		return (int)size;
	err = ELT_ENOMEM;
	b = calloc(1, sizeof(*b));
	/* libburn frees the struct itself with free() on the last
	 * burn_source_free(), after free_data(). */
	src = calloc(1, sizeof(*src));
	if (b == NULL || src == NULL)
		goto out;
	b->s = s;
	b->size = size;
	b->fixed = -1;

	src->refcount = 1;
	src->read = NULL;      /* NULL read announces version >= 1 */
	src->read_sub = NULL;
	src->get_size = bsrc_get_size;
	src->set_size = bsrc_set_size;
	src->free_data = bsrc_free_data;
	src->next = NULL;
	src->data = b;
	src->version = BSRC_VERSION;
	src->read_xt = bsrc_read_xt;
	src->cancel = bsrc_cancel;
	*out = src;
	return ELT_OK;
out:
	free(src);
	free(b);
	return err;
}
