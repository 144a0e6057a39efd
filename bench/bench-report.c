// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-report.c - the text output both benchmarks of syncdax-bench
 * share: progress on stderr, the lines about the environment and the load,
 * histograms.  (JSON is built in bench-json.c.)
 */
#include <stdio.h>
#include <unistd.h>

#include "bench.h"

static const char *const status_names[] = { "ok", "skipped", "failed" };

const char *bench_status_str(int status)
{
	if (status < BENCH_OK || status > BENCH_FAILED)
		return "unselected";
	return status_names[status];
}

void bench_progress(const struct bench_opts *o, const char *bench,
		    unsigned int i, unsigned int n, const char *what)
{
	bool tty = isatty(STDERR_FILENO);

	if (!o->progress)
		return;
	if (!what) {
		if (tty)
			fprintf(stderr, "\r\033[K");
		else
			fprintf(stderr, BENCH_PROG " %s: done\n", bench);
		return;
	}
	fprintf(stderr, "%s" BENCH_PROG " %s: [%u/%u] %s%s", tty ? "\r\033[K" : "",
		bench, i, n, what, tty ? "" : "\n");
	fflush(stderr);
}

void bench_text_env(const struct bench_env *e)
{
	char window[48] = "";

	if (e->window_kb >= 0)
		snprintf(window, sizeof(window), ", sync-fault window %ld KiB",
			 e->window_kb);
	if (e->probed)
		printf("%s benchmark in %s: %s, dax=%s, device %s, cpu flush %s%s\n",
		       e->bench, e->dir, *e->fstype ? e->fstype : "?",
		       e->mount_dax, *e->blockdev ? e->blockdev : "none",
		       e->cpu_flush, window);
	else
		printf("%s benchmark in %s%s\n", e->bench, e->dir, window);
}

void bench_text_load(const struct bench_load *l)
{
	char before[32], after[32], steal[32];

	printf("load: %ld CPUs, load average %s before, %s after, steal time %s%%\n",
	       l->cpus,
	       bench_fmt_double(before, sizeof(before), l->loadavg_before, 2),
	       bench_fmt_double(after, sizeof(after), l->loadavg_after, 2),
	       bench_fmt_double(steal, sizeof(steal), l->steal_percent, 1));
}

void bench_text_hist(const char *name, const struct bench_stats *s)
{
	unsigned int k;

	printf("%-26s", name);
	for (k = 0; k < s->nbuckets; k++)
		if (s->hist[k])
			printf(" [%llu,%llu):%llu",
			       (unsigned long long)bench_bucket_lo(k),
			       (unsigned long long)bench_bucket_hi(k),
			       (unsigned long long)s->hist[k]);
	printf("\n");
}

const char *bench_fmt_long(char *buf, size_t size, long v)
{
	if (v < 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%ld", v);
	return buf;
}

const char *bench_fmt_double(char *buf, size_t size, double v, int decimals)
{
	if (v < 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.*f", decimals, v);
	return buf;
}
