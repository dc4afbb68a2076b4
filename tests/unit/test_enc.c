/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ECMA-119 number and date encoders against bytes worked out by hand
 * from the standard's clauses. */
#include <string.h>
#include <CUnit/CUnit.h>

#include "internal.h"
#include "util.h"

static void test_numbers(void)
{
	uint8_t b[8];
	static const uint8_t v733[8] = { 0xbe, 0, 0, 0, 0, 0, 0, 0xbe };
	static const uint8_t v733b[8] = { 0x78, 0x56, 0x34, 0x12,
	                                  0x12, 0x34, 0x56, 0x78 };
	static const uint8_t v723[4] = { 0x00, 0x08, 0x08, 0x00 };

	put_733(b, 190);                 /* FORMAT.md 1: 190 as both32 */
	CU_ASSERT(memcmp(b, v733, 8) == 0);
	put_733(b, 0x12345678);
	CU_ASSERT(memcmp(b, v733b, 8) == 0);
	put_723(b, 2048);                /* 7.2.3 */
	CU_ASSERT(memcmp(b, v723, 4) == 0);
	put_731(b, 0x01020304);
	CU_ASSERT(b[0] == 4 && b[1] == 3 && b[2] == 2 && b[3] == 1);
	put_732(b, 0x01020304);
	CU_ASSERT(b[0] == 1 && b[1] == 2 && b[2] == 3 && b[3] == 4);
	put_721(b, 0xabcd);
	CU_ASSERT(b[0] == 0xcd && b[1] == 0xab);
	put_722(b, 0xabcd);
	CU_ASSERT(b[0] == 0xab && b[1] == 0xcd);
}

static void test_dt7(void)
{
	uint8_t b[7];

	/* 2024-03-05 06:07:08 UTC = 1709618828 */
	put_dt7(b, 1709618828, 0);
	CU_ASSERT(b[0] == 124 && b[1] == 3 && b[2] == 5);
	CU_ASSERT(b[3] == 6 && b[4] == 7 && b[5] == 8 && b[6] == 0);
	/* +5:30 is 22 quarter hours; the clock time moves with it */
	put_dt7(b, 1709618828, 22);
	CU_ASSERT(b[3] == 11 && b[4] == 37 && b[6] == 22);
	/* negative offsets are signed bytes: -8:00 = -32 = 0xe0 */
	put_dt7(b, 1709618828, -32);
	CU_ASSERT(b[2] == 4 && b[3] == 22 && b[6] == 0xe0);
	put_dt7(b, 0, 0);
	CU_ASSERT(b[0] == 70 && b[1] == 1 && b[2] == 1);
}

static void test_dt17(void)
{
	uint8_t b[17];

	put_dt17(b, 1709618828, 0);
	CU_ASSERT(memcmp(b, "2024030506070800", 16) == 0);
	CU_ASSERT(b[16] == 0);
	put_dt17(b, -1, 0);              /* 8.4.26.1: not specified */
	CU_ASSERT(memcmp(b, "0000000000000000", 16) == 0);
	CU_ASSERT(b[16] == 0);
	put_dt17(b, 1709618828, 4);
	CU_ASSERT(memcmp(b, "2024030507070800", 16) == 0 && b[16] == 4);
}

static void test_strpad(void)
{
	uint8_t b[8];

	put_strpad(b, 8, "CD");
	CU_ASSERT(memcmp(b, "CD      ", 8) == 0);
	put_strpad(b, 4, "TOOLONG");
	CU_ASSERT(memcmp(b, "TOOL", 4) == 0);
	put_strpad(b, 3, NULL);
	CU_ASSERT(memcmp(b, "   ", 3) == 0);
}

static void test_ucs2pad(void)
{
	uint8_t b[8];
	static const uint8_t want[8] = { 0, 'A', 0x00, 0xe9, 0, ' ', 0, ' ' };
	static const uint8_t odd[5] = { 0, 'x', 0, ' ', 0 };

	put_ucs2pad(b, 8, "A\xc3\xa9");  /* A, U+00E9 */
	CU_ASSERT(memcmp(b, want, 8) == 0);
	put_ucs2pad(b, 5, "x");
	CU_ASSERT(memcmp(b, odd, 5) == 0);
	put_ucs2pad(b, 4, "\xf0\x9f\x98\x80");   /* beyond the BMP */
	CU_ASSERT(b[0] == 0 && b[1] == '_');
	put_ucs2pad(b, 4, "\xff");               /* invalid UTF-8 */
	CU_ASSERT(b[0] == 0 && b[1] == '_');
}

int register_tests(void)
{
	CU_pSuite s = CU_add_suite("enc", NULL, NULL);

	if (!s)
		return -1;
	CU_add_test(s, "both-byte numbers 7.2/7.3", test_numbers);
	CU_add_test(s, "7-byte dates 9.1.5", test_dt7);
	CU_add_test(s, "17-byte dates 8.4.26.1", test_dt17);
	CU_add_test(s, "a-character padding", test_strpad);
	CU_add_test(s, "UCS-2 padding", test_ucs2pad);
	return CU_get_error() == CUE_SUCCESS ? 0 : -1;
}
