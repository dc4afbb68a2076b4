/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ECMA-119 7.1-7.3 numbers and 8.4.26.1 / 9.1.5 dates. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"

void put_711(uint8_t *p, uint8_t v) { p[0] = v; }

/* 7.2.1: 16-bit little-endian */
void put_721(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* 7.2.2: 16-bit big-endian */
void put_722(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* 7.2.3: both-byte order */
void put_723(uint8_t *p, uint16_t v)
{
	put_721(p, v);
	put_722(p + 2, v);
}

/* 7.3.1: 32-bit little-endian */
void put_731(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* 7.3.2: 32-bit big-endian */
void put_732(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* 7.3.3: both-byte order */
void put_733(uint8_t *p, uint32_t v)
{
	put_731(p, v);
	put_732(p + 4, v);
}

/* Broken-down clock time of t shifted by gmtoff_q quarter hours. */
static void shifted_tm(int64_t t, int gmtoff_q, struct tm *tm)
{
	time_t tt = (time_t)(t + (int64_t)gmtoff_q * 900);

	if (!gmtime_r(&tt, tm))
		memset(tm, 0, sizeof *tm);
}

/* 9.1.5: years since 1900, month, day, hour, minute, second, offset. */
void put_dt7(uint8_t *p, int64_t t, int gmtoff_q)
{
	struct tm tm;

	shifted_tm(t, gmtoff_q, &tm);
	p[0] = (uint8_t)tm.tm_year;
	p[1] = (uint8_t)(tm.tm_mon + 1);
	p[2] = (uint8_t)tm.tm_mday;
	p[3] = (uint8_t)tm.tm_hour;
	p[4] = (uint8_t)tm.tm_min;
	p[5] = (uint8_t)tm.tm_sec;
	p[6] = (uint8_t)(int8_t)gmtoff_q;
}

/* 8.4.26.1: "YYYYMMDDHHMMSScc" and the offset; t < 0 is "not specified",
 * sixteen '0' digits and a zero offset. */
void put_dt17(uint8_t *p, int64_t t, int gmtoff_q)
{
	struct tm tm;
	char digits[32];

	if (t < 0) {
		memset(p, '0', 16);
		p[16] = 0;
		return;
	}
	shifted_tm(t, gmtoff_q, &tm);
	snprintf(digits, sizeof digits, "%04d%02d%02d%02d%02d%02d00",
	         (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday,
	         tm.tm_hour, tm.tm_min, tm.tm_sec);
	memcpy(p, digits, 16);
	p[16] = (uint8_t)(int8_t)gmtoff_q;
}

void put_strpad(uint8_t *p, size_t len, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > len)
		n = len;
	if (n)
		memcpy(p, s, n);
	memset(p + n, ' ', len - n);
}

/* Decode one UTF-8 sequence; invalid bytes decode as '_'. */
static uint32_t utf8_next(const unsigned char **sp)
{
	const unsigned char *s = *sp;
	uint32_t c = s[0];
	int n = 0, i;

	if (c < 0x80) {
		*sp = s + 1;
		return c;
	}
	if ((c & 0xe0) == 0xc0) { c &= 0x1f; n = 1; }
	else if ((c & 0xf0) == 0xe0) { c &= 0x0f; n = 2; }
	else if ((c & 0xf8) == 0xf0) { c &= 0x07; n = 3; }
	else { *sp = s + 1; return '_'; }
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*sp = s + 1;
			return '_';
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	*sp = s + n + 1;
	return c;
}

/* Joliet text fields: UCS-2BE, padded with U+0020. */
void put_ucs2pad(uint8_t *p, size_t len, const char *utf8)
{
	const unsigned char *s = (const unsigned char *)(utf8 ? utf8 : "");
	size_t i = 0;

	while (*s && i + 1 < len) {
		uint32_t c = utf8_next(&s);
		if (c > 0xffff)
			c = '_';
		p[i] = (uint8_t)(c >> 8);
		p[i + 1] = (uint8_t)c;
		i += 2;
	}
	for (; i + 1 < len; i += 2) {
		p[i] = 0;
		p[i + 1] = ' ';
	}
	if (i < len)
		p[i] = 0;
}
