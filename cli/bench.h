/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench.h - what the parts of "syncdaxctl bench" share: the options, the
 * statistics and the progress line (bench.c), the two benchmarks
 * (bench-fault.c, bench-persist.c).
 */
#ifndef SYNCDAXCTL_BENCH_H
#define SYNCDAXCTL_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#define BENCH_FAULT_COUNT	512	/* -n default for fault */
#define BENCH_HUGE_COUNT	16	/* --huge-count default (2 MiB faults) */
#define BENCH_PERSIST_COUNT	2000	/* -n default for persist */
#define BENCH_QUICK_FAULT	32	/* -q */
#define BENCH_QUICK_HUGE	4
#define BENCH_QUICK_PERSIST	200
#define BENCH_PERSIST_SIZE	(16u << 20)	/* file of persist */
#define BENCH_QUICK_PERSIST_SIZE (4u << 20)
#define BENCH_UPDATE_SIZE	64	/* bytes per persist update */
#define BENCH_MAX_COUNT		(1u << 20)
#define BENCH_HIST_BUCKETS	32

struct bench_opts {
	const char *dir;
	const char *cases;	/* --cases, NULL: all */
	unsigned long count;	/* -n, 0: default */
	unsigned long huge_count; /* --huge-count, 0: default */
	unsigned long seed;	/* --seed */
	bool json;		/* -J */
	bool quick;		/* -q */
	bool progress;		/* progress on stderr */
	bool samples;		/* --samples: raw samples in the JSON */
};

/* Statistics over a set of latencies in nanoseconds. */
struct bench_stats {
	size_t n;
	uint64_t min, max, p50, p99;
	double avg;
	uint64_t hist[BENCH_HIST_BUCKETS];	/* bucket 0: [0,1) us, k: [2^(k-1), 2^k) us */
	unsigned int nbuckets;			/* up to the last non-empty one */
};

/* Sorts ns[] in place. */
void bench_stats(uint64_t *ns, size_t n, struct bench_stats *s);

/* Lower and upper bound (us) of histogram bucket k. */
uint64_t bench_bucket_lo(unsigned int k);
uint64_t bench_bucket_hi(unsigned int k);

/* Nanoseconds of CLOCK_MONOTONIC. */
uint64_t bench_now_ns(void);

/* A number in microseconds with 3 decimals as JSON, from nanoseconds. */
struct json_object *bench_json_us(double ns);

/* Progress on stderr (when enabled): "[i/n] what"; NULL what: done. */
void bench_progress(const struct bench_opts *o, const char *bench,
		    unsigned int i, unsigned int n, const char *what);

/*
 * Whether NAME is selected by the comma-separated list of fnmatch(3)
 * patterns (NULL: everything).
 */
bool bench_selected(const char *list, const char *name);

/*
 * Every pattern of the list matches at least one of names[0..n-1]; else
 * the first that does not is copied to bad. An empty pattern never matches.
 */
bool bench_patterns_valid(const char *list, const char *const *names,
			  size_t n, char *bad, size_t badsize);

/* Commits of the jbd2 journal of the file system holding dir; -1: unknown. */
long bench_journal_commits(const char *dir);

/* Common fields of both JSON reports: dir, file system, mount. */
void bench_json_env(struct json_object *o, const char *bench,
		    const char *dir);

/* One line "DIR: FS, dax=MODE, device DEV" on stdout for the text report. */
void bench_text_env(const char *bench, const char *dir);

/* The benchmarks; exit status (0, 1). */
int bench_fault(const struct bench_opts *o);
int bench_persist(const struct bench_opts *o);

/* Case and method names, for --cases validation. */
extern const char *const bench_fault_names[];
extern const size_t bench_fault_nnames;
extern const char *const bench_persist_names[];
extern const size_t bench_persist_nnames;

#endif /* SYNCDAXCTL_BENCH_H */
