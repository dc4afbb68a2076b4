/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pull stream: names and plan are made once, then elt_stream_read
 * walks the extents. Metadata extents are rendered into a scratch buffer;
 * file data is read straight into the caller's buffer, one input open at
 * a time.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

static int copy_opts(struct wopts *w, elt_image *img,
                     const elt_write_opts *o)
{
	const char **fields[11];
	size_t i;

	if (!o || o->version != ELT_WRITE_OPTS_VERSION)
		return err_set(img, ELT_EINVAL, NULL,
		               "unknown elt_write_opts version");
	if (o->iso_level < 1 || o->iso_level > 3)
		return err_set(img, ELT_EINVAL, NULL,
		               "iso level %d: must be 1, 2 or 3", o->iso_level);
	if (o->ucs_level < 1 || o->ucs_level > 3)
		return err_set(img, ELT_EINVAL, NULL,
		               "ucs level %d: must be 1, 2 or 3", o->ucs_level);
	w->o = *o;
	fields[0] = &w->o.volume_id;
	fields[1] = &w->o.system_id;
	fields[2] = &w->o.publisher;
	fields[3] = &w->o.preparer;
	fields[4] = &w->o.app_id;
	fields[5] = &w->o.volset_id;
	fields[6] = &w->o.abstract_file;
	fields[7] = &w->o.biblio_file;
	fields[8] = &w->o.copyright_file;
	fields[9] = &w->o.input_charset;
	fields[10] = &w->o.trans_tbl;
	for (i = 0; i < 11; i++) {
		if (!*fields[i])
			continue;
		w->strs[i] = strdup(*fields[i]);
		if (!w->strs[i])
			return ELT_ENOMEM;
		*fields[i] = w->strs[i];
	}
	if (o->system_area) {
		memcpy(w->system_area, o->system_area, sizeof w->system_area);
		w->has_system_area = true;
	}
	w->o.system_area = NULL;
	return 0;
}

/* ECMA-119 dates carry the offset in 15-minute units (9.1.5). */
static int gmt_quarters(int64_t now, int gmt_offset)
{
	if (gmt_offset == ELT_GMTOFF_LOCAL) {
		time_t t = (time_t)now;
		struct tm tm;
		if (!localtime_r(&t, &tm))
			return 0;
		return (int)(tm.tm_gmtoff / 900);
	}
	if (gmt_offset < -48 * 15 || gmt_offset > 52 * 15)
		return 0;
	return gmt_offset / 15;
}

int elt_stream_new(elt_stream **out, elt_image *img,
                   const elt_write_opts *opts)
{
	elt_stream *s;
	int err;

	if (!out || !img)
		return ELT_EINVAL;
	*out = NULL;
	if (img->frozen)
		return err_set(img, ELT_ESTATE, NULL,
		               "another stream of this image is still open");
	s = calloc(1, sizeof *s);
	if (!s)
		return err_set(img, ELT_ENOMEM, NULL, "out of memory");
	s->img = img;
	s->fd = -1;
	s->scratch_ext = SIZE_MAX;
	img->frozen++;
	if ((err = copy_opts(&s->w, img, opts)) < 0)
		goto fail;
	s->now = s->w.o.timestamp >= 0 ? s->w.o.timestamp : (int64_t)time(NULL);
	s->gmtoff_q = gmt_quarters(s->now, s->w.o.gmt_offset);
	if ((err = torito_prepare(s)) < 0)
		goto fail;
	if ((err = trans_prepare(s)) < 0)
		goto fail;
	if ((err = layout_prepare_tree(s)) < 0)
		goto fail;
	if ((err = names_compute(s)) < 0)
		goto fail;
	if ((err = trans_fill(s)) < 0)
		goto fail;
	layout_joliet_fixup(s);
	if ((err = layout_plan(s)) < 0)
		goto fail;
	s->size = (uint64_t)s->plan.total_blocks * BLOCK;
	*out = s;
	return 0;
fail:
	if (err == ELT_ENOMEM && !img->errmsg[0])
		err_set(img, err, NULL, "out of memory");
	elt_stream_free(s);
	return err;
}

int64_t elt_stream_size(const elt_stream *s)
{
	return s ? (int64_t)s->size : ELT_EINVAL;
}

static void close_input(elt_stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

void elt_stream_cancel(elt_stream *s)
{
	if (!s)
		return;
	close_input(s);
	s->cancelled = 1;
}

void elt_stream_free(elt_stream *s)
{
	size_t i;

	if (!s)
		return;
	close_input(s);
	names_free(s->img->root);
	layout_restore_tree(s);
	trans_restore(s);
	layout_free(&s->plan);
	for (i = 0; i < 11; i++)
		free(s->w.strs[i]);
	free(s->scratch);
	free(s->pathbuf);
	s->img->frozen--;
	free(s);
}

int stream_render_meta(struct elt_stream *s, const struct extent *e,
                       uint8_t *dst)
{
	int64_t got;

	memset(dst, 0, (size_t)e->blocks * BLOCK);
	switch (e->kind) {
	case EXT_ZERO:
		return 0;
	case EXT_SYSAREA:
		memcpy(dst, s->w.system_area, sizeof s->w.system_area);
		return 0;
	case EXT_PVD:
		got = ecma_encode_pvd(dst, s);
		break;
	case EXT_BOOTREC:
		got = torito_encode_bootrec(dst, s);
		break;
	case EXT_SVD:
		got = joliet_encode_svd(dst, s);
		break;
	case EXT_TERM:
		got = ecma_encode_term(dst);
		break;
	case EXT_PATHTAB:
		got = pathtab_encode(dst, s, (enum ns)(e->aux / 2), e->aux % 2);
		if (got >= 0 && (uint32_t)got != s->plan.ptab_size[e->aux / 2])
			goto mismatch;
		return 0;
	case EXT_DIR:
		got = ecma_encode_dir(dst, NULL, s, e->obj, (enum ns)e->aux);
		break;
	case EXT_CE:
		got = ecma_encode_dir(NULL, dst, s, e->obj, NS_ISO);
		if (got >= 0)
			got = (int64_t)e->blocks * BLOCK;
		break;
	case EXT_ER:
		got = rr_encode_er(dst, s);
		if (got >= 0)
			got = BLOCK;
		break;
	case EXT_CATALOG:
		got = torito_encode_catalog(dst, s);
		if (got >= 0)
			got = BLOCK;
		break;
	default:
		return err_set(s->img, ELT_EINTERNAL, NULL,
		               "extent kind %u cannot be rendered", e->kind);
	}
	if (got < 0)
		return (int)got;
	if ((uint64_t)got != (uint64_t)e->blocks * BLOCK)
		goto mismatch;
	return 0;
mismatch:
	return err_set(s->img, ELT_EINTERNAL, NULL,
	               "extent at block %u (kind %u) rendered %lld bytes, "
	               "planned %u blocks: please report", e->lba, e->kind,
	               (long long)got, e->blocks);
}

static int read_meta(elt_stream *s, const struct extent *e, uint8_t *dst,
                     size_t len)
{
	size_t need = (size_t)e->blocks * BLOCK;
	int err;

	if (e->kind == EXT_ZERO) {
		memset(dst, 0, len);
		return 0;
	}
	if (s->scratch_ext != s->ext_idx) {
		if (need > s->scratch_cap) {
			uint8_t *p = realloc(s->scratch, need);
			if (!p)
				return err_set(s->img, ELT_ENOMEM, NULL,
				               "out of memory");
			s->scratch = p;
			s->scratch_cap = need;
		}
		s->scratch_ext = SIZE_MAX;
		if ((err = stream_render_meta(s, e, s->scratch)) < 0)
			return err;
		s->scratch_ext = s->ext_idx;
	}
	memcpy(dst, s->scratch + s->ext_off, len);
	return 0;
}

/* The input ended before its recorded size, or grew: the image keeps the
 * recorded size (zero-filled), with a warning or, strict, an error. */
static int size_changed(elt_stream *s, const struct elt_node *n,
                        const char *how)
{
	char path[1024];

	if (n->src_kind == SRC_DISK) {
		source_disk_path(n, &s->pathbuf, &s->pathcap);
		snprintf(path, sizeof path, "%s", s->pathbuf);
	} else {
		tree_iso_path(n, path, sizeof path);
	}
	if (s->w.o.flags & ELT_WRITE_STRICT_INPUTS)
		return err_set(s->img, ELT_EIO, path,
		               "file %s while the image was written", how);
	msg_emit(s->img, ELT_MSG_WARNING, ELT_MSGC_SIZE_CHANGED, path,
	         "file %s while the image was written", how);
	return 0;
}

/* After the last byte of n: one more read tells whether it grew. */
static int check_growth(elt_stream *s, const struct elt_node *n)
{
	uint8_t probe;
	int64_t got;

	if (n->src_kind != SRC_DISK)
		return 0;
	got = source_read(s, n, s->fd, n->size, &probe, 1);
	if (got < 0)
		return (int)got;
	return got > 0 ? size_changed(s, n, "grew") : 0;
}

static int read_file(elt_stream *s, const struct extent *e, uint8_t *dst,
                     size_t len)
{
	const struct elt_node *n = e->obj;
	uint64_t off = s->ext_off;
	size_t done = 0;
	int err;

	if (off == 0 && n->src_kind == SRC_DISK && s->fd < 0) {
		if ((err = source_open(s, n, &s->fd)) < 0)
			return err;
		s->file_read = 0;
	}
	if (off == 0)
		s->file_read = 0;
	while (done < len && off + done < n->size) {
		uint64_t want = n->size - (off + done);
		int64_t got;
		if (want > len - done)
			want = len - done;
		got = source_read(s, n, s->fd, off + done, dst + done,
		                  (size_t)want);
		if (got < 0)
			return (int)got;
		if (got == 0) {
			/* shrank: the rest of its extent stays zero */
			if ((err = size_changed(s, n, "shrank")) < 0)
				return err;
			s->file_read = n->size;
			memset(dst + done, 0, len - done);
			done = len;
			break;
		}
		done += (size_t)got;
		s->file_read += (uint64_t)got;
	}
	if (done < len)
		memset(dst + done, 0, len - done);
	/* n may be the first name of a hard-linked boot image */
	if (s->img->n_boots)
		torito_patch(s, n, off, dst, len);
	if (off + len == (uint64_t)e->blocks * BLOCK) {
		if (s->file_read == n->size && (err = check_growth(s, n)) < 0)
			return err;
		close_input(s);
	}
	return 0;
}

int64_t elt_stream_read(elt_stream *s, void *buf, size_t len)
{
	uint8_t *dst = buf;
	size_t done = 0;
	int err;

	if (!s || (!buf && len))
		return ELT_EINVAL;
	if (s->cancelled)
		return ELT_ECANCELED;
	if (s->err)
		return s->err;
	if (len > INT64_MAX)
		len = INT64_MAX;
	while (done < len && s->ext_idx < s->plan.n) {
		const struct extent *e = &s->plan.ext[s->ext_idx];
		uint64_t ext_bytes = (uint64_t)e->blocks * BLOCK;
		size_t chunk = len - done;

		if (chunk > ext_bytes - s->ext_off)
			chunk = (size_t)(ext_bytes - s->ext_off);
		if (e->kind == EXT_FILE)
			err = read_file(s, e, dst + done, chunk);
		else
			err = read_meta(s, e, dst + done, chunk);
		if (err < 0) {
			close_input(s);
			s->err = err;
			return err;
		}
		done += chunk;
		s->ext_off += chunk;
		s->pos += chunk;
		if (s->ext_off == ext_bytes) {
			s->ext_idx++;
			s->ext_off = 0;
		}
	}
	return (int64_t)done;
}
