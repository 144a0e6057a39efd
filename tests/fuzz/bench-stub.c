// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_cli links with -Wl,--wrap=bench_fault,--wrap=bench_persist: the
 * option parsing of "syncdaxctl bench" is fuzzed, the measurements (which
 * map files and take seconds) are not run.
 */
#include <stdlib.h>

#include "bench.h"

int __wrap_bench_fault(const struct bench_opts *o);
int __wrap_bench_persist(const struct bench_opts *o);

int __wrap_bench_fault(const struct bench_opts *o)
{
	if (!o || !o->dir)
		abort();
	return 0;
}

int __wrap_bench_persist(const struct bench_opts *o)
{
	if (!o || !o->dir)
		abort();
	return 0;
}
