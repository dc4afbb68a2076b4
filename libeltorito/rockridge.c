/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SUSP 1.12 / RRIP 1.12 system use entries. */
#include "internal.h"

int rr_encode_su(uint8_t *su, size_t room, uint8_t *ce_dst,
                 struct elt_stream *s, struct elt_node *dir,
                 struct elt_node *node, int which, uint32_t *ce_off)
{
	(void)su; (void)room; (void)ce_dst; (void)s; (void)dir; (void)node;
	(void)which; (void)ce_off;
	return 0;
}

int rr_encode_er(uint8_t *dst, const struct elt_stream *s)
{
	(void)dst; (void)s;
	return 0;
}
