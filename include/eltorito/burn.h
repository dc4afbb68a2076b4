/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libeltorito: hand an image stream to libburn.
 *
 * Installed only when libeltorito was built with libburn.  C89-clean; it
 * needs only eltorito.h.  Include <libburn/libburn.h> yourself to use the
 * returned object.
 */
#ifndef ELTORITO_BURN_H
#define ELTORITO_BURN_H

#include "eltorito/eltorito.h"

#ifdef __cplusplus
extern "C" {
#endif

struct burn_source;

/* Wrap stream s in a new libburn data source (struct burn_source version 1,
 * refcount 1).  Its read_xt delivers full buffers of image bytes until the
 * end (EOF = 0; a stream error gives -1); get_size reports
 * elt_stream_size(s) until set_size changes it, and reads then follow the
 * new size (zeros after the image, nothing beyond a smaller size); cancel
 * calls elt_stream_cancel.  No thread and no temporary file are used; put
 * burn_fifo_source_new() in front for a real drive.
 *
 * On success *out owns s: burn_source_free() on the last reference frees
 * the stream (the image must outlive it).  On failure s is untouched and
 * still owned by the caller.
 * Errors: ELT_EINVAL (NULL argument), ELT_ENOMEM.  Since 0.1. */
ELT_API int elt_burn_source_new(struct burn_source **out, elt_stream *s);

#ifdef __cplusplus
}
#endif
#endif
