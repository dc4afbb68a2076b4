/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* El Torito 1.0: boot record VD, boot catalog, boot info table. */
#include "internal.h"

int torito_prepare(struct elt_stream *s)
{
	(void)s;
	return 0;
}

int torito_encode_bootrec(uint8_t *dst, const struct elt_stream *s)
{
	(void)dst; (void)s;
	return ELT_EINTERNAL;
}

int torito_encode_catalog(uint8_t *dst, const struct elt_stream *s)
{
	(void)dst; (void)s;
	return ELT_EINTERNAL;
}

void torito_patch(const struct elt_stream *s, const struct elt_node *n,
                  uint64_t off, uint8_t *buf, size_t len)
{
	(void)s; (void)n; (void)off; (void)buf; (void)len;
}

void torito_free(elt_image *img)
{
	(void)img;
}
