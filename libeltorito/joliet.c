/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Joliet supplementary volume descriptor (Joliet spec 1995, ECMA-119 8.5). */
#include "internal.h"

int joliet_encode_svd(uint8_t *dst, const struct elt_stream *s)
{
	(void)dst; (void)s;
	return ELT_EINVAL;
}
