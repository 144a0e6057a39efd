// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-stats.c - the statistics of syncdax-bench: percentiles,
 * histograms and the clock the latencies are measured with.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[0..n-1], q in (0, 100]. */
static uint64_t percentile(const uint64_t *v, size_t n, unsigned int q)
{
	size_t rank = (n * q + 99) / 100;

	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

static unsigned int bucket_of(uint64_t ns)
{
	uint64_t us = ns / 1000;
	unsigned int k = 0;

	while (us && k < BENCH_HIST_BUCKETS - 1) {
		us >>= 1;
		k++;
	}
	return k;
}

uint64_t bench_bucket_lo(unsigned int k)
{
	return k ? (uint64_t)1 << (k - 1) : 0;
}

uint64_t bench_bucket_hi(unsigned int k)
{
	return (uint64_t)1 << k;
}

void bench_stats(uint64_t *ns, size_t n, struct bench_stats *s)
{
	double sum = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->n = n;
	if (!n)
		return;
	qsort(ns, n, sizeof(*ns), cmp_u64);
	for (i = 0; i < n; i++) {
		unsigned int k = bucket_of(ns[i]);

		sum += (double)ns[i];
		s->hist[k]++;
		if (k + 1 > s->nbuckets)
			s->nbuckets = k + 1;
	}
	s->min = ns[0];
	s->max = ns[n - 1];
	s->avg = sum / (double)n;
	s->p50 = percentile(ns, n, 50);
	s->p99 = percentile(ns, n, 99);
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double bench_per_faults(long count, size_t faults)
{
	if (count < 0 || !faults)
		return -1;
	return (double)count * BENCH_PER_FAULTS / (double)faults;
}

double bench_ratio(double a, double b)
{
	if (a < 0 || b <= 0)
		return -1;
	return a / b;
}

uint64_t bench_rand(uint64_t *state)
{
	/* xorshift64*: cheap, and the same sequence on every machine. */
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545F4914F6CDD1Dull;
}
