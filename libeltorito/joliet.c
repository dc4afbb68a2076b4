/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Joliet supplementary volume descriptor (Joliet spec 1995, ECMA-119 8.5).
 *
 * genisoimage builds it from a copy of the primary descriptor: type 2,
 * the UCS-2 escape sequence, the Joliet path tables and root directory,
 * and every text field converted in place to UCS-2BE.  The conversion
 * fills the field from its first bytes, so a 32-byte field keeps its first
 * 16 characters (spaces included, giving 00 20 padding), a 128-byte field
 * 64, and a 37-byte field 18 characters plus one zero byte.  Characters
 * Joliet forbids become '_' (so "9660/HFS" reads "9660_HFS").  We do the
 * same, starting from the PVD the ISO side encodes.
 */
#include <iconv.h>
#include <string.h>

#include "internal.h"

/* ECMA-119 8.5 supplementary volume descriptor field offsets */
#define SVD_TYPE           0    /* 8.5.1 */
#define SVD_TYPE_SUPPL     2
#define SVD_SYSTEM_ID      8    /* 8.5.4, 32 bytes */
#define SVD_VOLUME_ID      40   /* 8.5.5, 32 bytes */
#define SVD_ESCAPES        88   /* 8.5.6, 32 bytes */
#define SVD_PTAB_SIZE      132  /* 8.5.7 -> 8.4.13, 7.3.3 */
#define SVD_PTAB_L         140  /* 8.4.14, 7.3.1 */
#define SVD_PTAB_L_OPT     144  /* 8.4.15 */
#define SVD_PTAB_M         148  /* 8.4.16, 7.3.2 */
#define SVD_PTAB_M_OPT     152  /* 8.4.17 */
#define SVD_ROOT_RECORD    156  /* 8.4.18, 34 bytes */
#define SVD_VOLSET_ID      190  /* 8.4.19, 128 bytes */
#define SVD_PUBLISHER      318  /* 8.4.20, 128 */
#define SVD_PREPARER       446  /* 8.4.21, 128 */
#define SVD_APPLICATION    574  /* 8.4.22, 128 */
#define SVD_COPYRIGHT      702  /* 8.4.23, 37 */
#define SVD_ABSTRACT       739  /* 8.4.24, 37 */
#define SVD_BIBLIO         776  /* 8.4.25, 37 */

#define DR_EXTENT          2    /* 9.1.3, 7.3.3 */
#define DR_SIZE            10   /* 9.1.4, 7.3.3 */

/* Joliet spec 1995, 5: escape sequences of UCS-2 levels 1, 2 and 3 */
static const char ucs_escape[3] = { '@', 'C', 'E' };

#define UCS_BAD '_'

/* Characters Joliet does not allow in identifiers (Joliet 1995, 3.4):
 * controls, DEL and * / : ; ? \ all become '_'. */
static uint32_t joliet_fix(uint32_t c)
{
	if (c < 0x20 || c == 0x7f)
		return UCS_BAD;
	switch (c) {
	case '*': case '/': case ':': case ';': case '?': case '\\':
		return UCS_BAD;
	default:
		return c;
	}
}

/* Convert the len-byte field at p (as the PVD holds it, in the input
 * charset) in place to UCS-2BE, as genisoimage's convert_to_unicode()
 * does: the first len / 2 characters, then a zero byte if len is odd.
 * Where genisoimage would abort (a sequence invalid in the charset, a
 * character outside the BMP) we write '_'. */
static void field_to_ucs2(iconv_t cd, uint8_t *p, size_t len)
{
	char in[128];
	char *ip = in;
	size_t inleft = len, i;

	memcpy(in, p, len);
	iconv(cd, NULL, NULL, NULL, NULL);
	for (i = 0; i + 1 < len; i += 2) {
		uint8_t u[4];
		char *op = (char *)u;
		size_t oleft = sizeof u;
		uint32_t c = ' ';   /* past the copied bytes: blanks */

		if (inleft > 0) {
			if (iconv(cd, &ip, &inleft, &op, &oleft) == (size_t)-1 &&
			    oleft == sizeof u) {
				/* nothing converted: skip one bad byte */
				ip++;
				inleft--;
				c = UCS_BAD;
			} else if (oleft == 0) {
				c = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
				    (uint32_t)u[2] << 8 | u[3];
			}
		}
		c = c > 0xffff ? UCS_BAD : joliet_fix(c);
		p[i] = (uint8_t)(c >> 8);
		p[i + 1] = (uint8_t)c;
	}
	if (len & 1)
		p[len - 1] = 0;
}

int joliet_encode_svd(uint8_t *dst, const struct elt_stream *s)
{
	static const struct { uint16_t off, len; } text[] = {
		{ SVD_SYSTEM_ID, 32 }, { SVD_VOLUME_ID, 32 },
		{ SVD_VOLSET_ID, 128 }, { SVD_PUBLISHER, 128 },
		{ SVD_PREPARER, 128 }, { SVD_APPLICATION, 128 },
		{ SVD_COPYRIGHT, 37 }, { SVD_ABSTRACT, 37 }, { SVD_BIBLIO, 37 },
	};
	const struct elt_node *root = s->img->root;
	int level = s->w.o.ucs_level, err;
	iconv_t cd;
	size_t i;

	if (!dst)
		return BLOCK;
	cd = iconv_open("UTF-32BE", names_input_charset(s));
	if (cd == (iconv_t)-1)
		return err_set(s->img, ELT_EINVAL, NULL, "unknown input charset %s",
		               names_input_charset(s));
	if (level < 1 || level > 3)
		level = 3;
	err = ecma_encode_pvd(dst, s);
	if (err < 0) {
		iconv_close(cd);
		return err;
	}
	dst[SVD_TYPE] = SVD_TYPE_SUPPL;
	memset(dst + SVD_ESCAPES, 0, 32);
	dst[SVD_ESCAPES] = '%';
	dst[SVD_ESCAPES + 1] = '/';
	dst[SVD_ESCAPES + 2] = (uint8_t)ucs_escape[level - 1];
	put_733(dst + SVD_PTAB_SIZE, s->plan.ptab_size[NS_JOLIET]);
	put_731(dst + SVD_PTAB_L, s->plan.ptab_lba[NS_JOLIET][0]);
	put_731(dst + SVD_PTAB_L_OPT, 0);
	put_732(dst + SVD_PTAB_M, s->plan.ptab_lba[NS_JOLIET][1]);
	put_732(dst + SVD_PTAB_M_OPT, 0);
	/* the root record is the PVD's (same date and flags) but for the
	 * Joliet directory's extent */
	put_733(dst + SVD_ROOT_RECORD + DR_EXTENT, root->jlba);
	put_733(dst + SVD_ROOT_RECORD + DR_SIZE, root->jblocks * BLOCK);
	for (i = 0; i < sizeof text / sizeof text[0]; i++)
		field_to_ucs2(cd, dst + text[i].off, text[i].len);
	iconv_close(cd);
	return BLOCK;
}
