/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Allocation-failure hook for test programs linked with
 * ALLOCFAIL_LDFLAGS (-Wl,--wrap=malloc,...): after alloc_fail_at
 * allocations (counted in alloc_count) the next one returns NULL.
 * alloc_fail_at < 0 turns the hook off. */
#ifndef ELT_TEST_ALLOCFAIL_H
#define ELT_TEST_ALLOCFAIL_H
extern long alloc_count, alloc_fail_at;
#endif
