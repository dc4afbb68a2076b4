/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared main of every CUnit program: exit 1 if any assertion failed,
 * 99 on a CUnit framework error, 77 when the program asked to skip. */
#include <stdio.h>
#include <stdlib.h>
#include <CUnit/Basic.h>
#include "util.h"

int main(void)
{
	unsigned int failures, run;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 99;
	if (register_tests() != 0) {
		CU_cleanup_registry();
		return CU_get_error() == CUE_SUCCESS ? 77 : 99;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS) {
		CU_cleanup_registry();
		return 99;
	}
	failures = CU_get_number_of_failures();
	run = CU_get_number_of_tests_run();
	CU_cleanup_registry();
	if (run == 0) {
		fprintf(stderr, "no test ran\n");
		return 99;
	}
	return failures > 0 ? 1 : 0;
}
