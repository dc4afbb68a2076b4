/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared helpers of the CUnit test programs. */
#ifndef ELT_TEST_UTIL_H
#define ELT_TEST_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <CUnit/CUnit.h>
#include "eltorito/eltorito.h"

/* Each test program defines this: add its suites, return 0 or -1. */
int register_tests(void);

/* Make a fresh temporary directory under $ELT_BUILDDIR (or /tmp);
 * removed by util_rm_rf. Returns a malloc'd path. */
char *util_tmpdir(void);
int util_rm_rf(const char *path);
/* Write len bytes of data to path (created 0644). */
int util_write_file(const char *path, const void *data, size_t len);
/* Path under $ELT_FIXTURES; malloc'd. */
char *util_fixture(const char *rel);
/* Build a whole image into memory; *out malloc'd. Returns 0 or ELT_E*. */
int util_build(elt_image *img, const elt_write_opts *o, uint8_t **out,
               size_t *len);
/* Compare two buffers; on a difference print a hexdump of the first
 * differing block (named `what`) and return the offset, else -1. */
long util_diff(const uint8_t *a, const uint8_t *b, size_t len,
               const char *what);
#endif
