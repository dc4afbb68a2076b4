/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The allocation-failure hook: the library's objects are linked into the
 * test program, so --wrap redirects their malloc family here. */
#include <stddef.h>
#include <string.h>

#include "allocfail.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

long alloc_count, alloc_fail_at = -1;

static int alloc_fails(void)
{
	return alloc_fail_at >= 0 && alloc_count++ == alloc_fail_at;
}

void *__wrap_malloc(size_t n)
{
	return alloc_fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
	return alloc_fails() ? NULL : __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
	return alloc_fails() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return alloc_fails() ? NULL : __real_strdup(s);
}
