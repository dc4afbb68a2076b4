/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ECMA-119 9.4 path tables, type L (7.3.1) and type M (7.3.2), for the
 * ISO tree and the Joliet tree. */
#include <string.h>

#include "internal.h"

#define PT_ID_LEN    0  /* 9.4.1 */
#define PT_EXT_LEN   1  /* 9.4.2 */
#define PT_EXTENT    2  /* 9.4.3 */
#define PT_PARENT    6  /* 9.4.4 */
#define PT_ID        8  /* 9.4.5 */

static void dir_id(const struct elt_node *d, enum ns ns, const char **id,
                   uint8_t *len)
{
	if (!d->parent) {
		*id = "\0";       /* 9.4.5: the root's identifier is one 0 byte */
		*len = 1;
	} else if (ns == NS_JOLIET) {
		*id = d->jname;
		*len = d->jlen;
	} else {
		*id = d->iso_name;
		*len = d->iso_len;
	}
}

uint32_t pathtab_size(const struct elt_stream *s, enum ns ns)
{
	uint32_t i, size = 0;

	for (i = 0; i < s->plan.ndirs[ns]; i++) {
		const char *id;
		uint8_t len;
		dir_id(s->plan.dirs[ns][i], ns, &id, &len);
		size += 8u + len + (len & 1u);   /* 9.4.6: pad to even */
	}
	return size;
}

int pathtab_encode(uint8_t *dst, const struct elt_stream *s, enum ns ns,
                   int msb)
{
	uint32_t i, pos = 0;

	for (i = 0; i < s->plan.ndirs[ns]; i++) {
		const struct elt_node *d = s->plan.dirs[ns][i];
		const struct elt_node *p = layout_parent(d, ns);
		uint32_t lba = ns == NS_JOLIET ? d->jlba : d->lba;
		uint32_t pnum = ns == NS_JOLIET ? p->jptab_num : p->ptab_num;
		const char *id;
		uint8_t len;

		dir_id(d, ns, &id, &len);
		dst[pos + PT_ID_LEN] = len;
		dst[pos + PT_EXT_LEN] = 0;
		if (msb) {
			put_732(dst + pos + PT_EXTENT, lba);
			put_722(dst + pos + PT_PARENT, (uint16_t)pnum);
		} else {
			put_731(dst + pos + PT_EXTENT, lba);
			put_721(dst + pos + PT_PARENT, (uint16_t)pnum);
		}
		memcpy(dst + pos + PT_ID, id, len);
		pos += 8u + len + (len & 1u);
	}
	return (int)pos;
}
