// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-fault-report.c - the text report of syncdax-bench fault:
 * one line per case, the histograms, sdx_prepare() times and the p50
 * ratios of each group.
 */
#include <stdio.h>

#include "bench.h"

static void print_case(const struct bench_fault_case *c)
{
	const struct bench_stats *s = &c->st;
	char commits[24], fc[24], beyond[24];

	if (c->status != BENCH_OK) {
		printf("%-26s %s: %s\n", c->name, bench_status_str(c->status),
		       c->reason);
		return;
	}
	if (c->beyond_known)
		snprintf(beyond, sizeof(beyond), "%ld", c->blocks_beyond);
	else
		snprintf(beyond, sizeof(beyond), "-");
	printf("%-26s %6zu %9.2f %9.2f %9.2f %9.2f %9.2f %7s %7s %7s\n",
	       c->name, s->n, (double)s->min / 1e3, s->avg / 1e3,
	       (double)s->p50 / 1e3, (double)s->p99 / 1e3, (double)s->max / 1e3,
	       bench_fmt_long(commits, sizeof(commits), c->commits.commits),
	       bench_fmt_long(fc, sizeof(fc), c->commits.fast_commits), beyond);
}

static void print_prepare(const struct bench_fault_run *r)
{
	bool header = false;
	size_t i;

	for (i = 0; i < BENCH_FAULT_NCASES; i++) {
		const struct bench_fault_case *c = &r->cases[i];

		if (c->status != BENCH_OK || c->variant != BV_PREPARED)
			continue;
		if (!header)
			printf("\nsdx_prepare() of the touched range before the faults, us (mean of the rounds)\n");
		header = true;
		printf("%-26s %9.2f\n", c->name, (double)c->prepare_ns / 1e3);
	}
}

static void print_ratios(const struct bench_fault_run *r)
{
	size_t i;

	printf("\np50 ratios           flag/plain  mapsync/plain  flag/mapsync  p99 flag/plain\n");
	for (i = 0; i < r->ngroups; i++) {
		const struct bench_fault_group *g = &r->groups[i];
		char a[16], b[16], c[16], d[16];

		printf("%-20s %10s %14s %13s %15s\n", g->name,
		       bench_fmt_double(a, sizeof(a), g->flag_vs_plain_p50, 2),
		       bench_fmt_double(b, sizeof(b), g->mapsync_vs_plain_p50, 2),
		       bench_fmt_double(c, sizeof(c), g->flag_vs_mapsync_p50, 2),
		       bench_fmt_double(d, sizeof(d), g->flag_vs_plain_p99, 2));
	}
}

void bench_fault_print(const struct bench_fault_run *r)
{
	size_t i;

	bench_text_env(&r->env);
	bench_text_load(&r->load);
	printf("first-write fault latency in us; %zu faults per 4k case, %zu per 2m case,\n"
	       "%zu round(s), the faults of all rounds together;\n"
	       "commits: jbd2 transactions, fc: ext4 fast commits during the faults;\n"
	       "beyond: 4 KiB blocks one round's file has beyond the pages touched\n\n",
	       r->n4k, r->n2m, r->rounds);
	printf("%-26s %6s %9s %9s %9s %9s %9s %7s %7s %7s\n", "case", "faults",
	       "min", "avg", "p50", "p99", "max", "commits", "fc", "beyond");
	for (i = 0; i < BENCH_FAULT_NCASES; i++)
		if (r->cases[i].status != BENCH_UNSELECTED)
			print_case(&r->cases[i]);
	printf("\nhistograms: faults per latency bucket [from,to) us\n");
	for (i = 0; i < BENCH_FAULT_NCASES; i++)
		if (r->cases[i].status == BENCH_OK)
			bench_text_hist(r->cases[i].name, &r->cases[i].st);
	print_prepare(r);
	print_ratios(r);
}
