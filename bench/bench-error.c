// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * syncdax-bench's error message, shared by the program and its cases, so
 * that the cases need nothing from the file that holds main().
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"

void bench_error(const char *path, int err, const char *explanation)
{
	if (explanation && *explanation)
		fprintf(stderr, BENCH_PROG ": %s: %s: %s\n", path, strerror(err),
			explanation);
	else
		fprintf(stderr, BENCH_PROG ": %s: %s\n", path, strerror(err));
}
