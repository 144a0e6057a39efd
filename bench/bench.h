/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench.h - what the parts of syncdax-bench share.  Calls go one way:
 *
 *   syncdax-bench.c (main: command line, dispatch, error messages)
 *     -> bench-fault.c, bench-persist.c (the two benchmarks)
 *          -> bench-stats.c (statistics, clock), bench-env.c (file
 *             system, journal counters, load), bench-report.c (text output),
 *             bench-json.c (JSON output)
 *        bench-fault-report.c (the fault benchmark's text report)
 *     -> bench-select.c (--cases patterns)
 * and bench-cases.c holds the names all of them use (data only).
 *
 * bench-json.c only reads the structures below; it calls nothing in
 * bench*.c but the statistics helpers.  Nothing here is shared with
 * syncdaxctl: both are programs on top of libsyncdax.
 */
#ifndef SYNCDAX_BENCH_H
#define SYNCDAX_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BENCH_PROG	"syncdax-bench"

enum {
	BENCH_EXIT_OK = 0,	/* the benchmark ran (also with skipped cases) */
	BENCH_EXIT_FAILED = 1,	/* the benchmark failed */
	BENCH_EXIT_USAGE = 2,	/* bad command line */
};

#define BENCH_FAULT_COUNT	512	/* -n default for fault */
#define BENCH_HUGE_COUNT	16	/* --huge-count default (2 MiB faults) */
#define BENCH_FAULT_ROUNDS	3	/* -r default for fault */
#define BENCH_MAX_ROUNDS	64
#define BENCH_PERSIST_COUNT	2000	/* -n default for persist */
#define BENCH_QUICK_FAULT	32	/* -q */
#define BENCH_QUICK_HUGE	4
#define BENCH_QUICK_ROUNDS	1
#define BENCH_QUICK_PERSIST	200
#define BENCH_PERSIST_SIZE	(16u << 20)	/* file of persist */
#define BENCH_QUICK_PERSIST_SIZE (4u << 20)
#define BENCH_UPDATE_SIZE	64	/* bytes per persist update */
#define BENCH_MAX_COUNT		(1u << 20)
#define BENCH_HIST_BUCKETS	32
#define BENCH_PER_FAULTS	512	/* commits are reported per this many faults */

struct bench_opts {
	const char *dir;
	const char *cases;	/* --cases, NULL: all */
	unsigned long count;	/* -n, 0: default */
	unsigned long huge_count; /* --huge-count, 0: default */
	unsigned long rounds;	/* -r (fault), 0: default */
	unsigned long seed;	/* --seed */
	bool json;		/* -J */
	bool quick;		/* -q */
	bool progress;		/* progress on stderr */
	bool samples;		/* --samples: raw samples in the JSON */
};

/* ---- bench-stats.c: statistics and the clock ---- */

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

/* count scaled to BENCH_PER_FAULTS faults; < 0 when count is unknown (< 0). */
double bench_per_faults(long count, size_t faults);

/* The next number of a seeded pseudo-random sequence (state != 0). */
uint64_t bench_rand(uint64_t *state);

/* a / b, or < 0 when either is unknown (< 0) or b is 0. */
double bench_ratio(double a, double b);

/* ---- bench-select.c: --cases ---- */

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

/* ---- bench-env.c: where the benchmark runs ---- */

/* The file system facts a report names; "" when unknown. */
struct bench_env {
	const char *bench;	/* "fault" or "persist" */
	const char *dir;
	bool probed;		/* the rest is known */
	char fstype[64];
	char mount_dax[16];
	char blockdev[64];
	char cpu_flush[16];
	int fast_commit;	/* SDX_YES/SDX_NO/SDX_UNKNOWN: ext4 fast_commit */
	long window_kb;		/* ext4's syncfault_prealloc_kb; -1: none (unpatched) */
};

/* Journal counters of the file system holding a directory; -1: unknown. */
struct bench_journal {
	long commits;		/* jbd2 transactions (/proc/fs/jbd2/DEV-8/info) */
	long fast_commits;	/* ext4 fast commits (/proc/fs/ext4/DEV/fc_info) */
	long fc_ineligible;	/* commits fast_commit could not do */
};

/* The load of the machine the benchmark runs on (the guest, in run-bench). */
struct bench_load {
	double loadavg_before, loadavg_after;	/* 1-minute; < 0: unknown */
	long cpus;				/* online CPUs */
	double steal_percent;			/* of all CPU time; < 0: unknown */
	uint64_t steal0, total0;		/* /proc/stat at the start */
};

void bench_env_probe(const char *bench, const char *dir, struct bench_env *e);

/* Read the journal counters of the file system holding dir. */
void bench_journal_read(const char *dir, struct bench_journal *j);

/* after - before, counter by counter (-1 where either is unknown). */
void bench_journal_delta(const struct bench_journal *before,
			 const struct bench_journal *after,
			 struct bench_journal *delta);

/* Record the load at the start and at the end of a benchmark. */
void bench_load_start(struct bench_load *l);
void bench_load_end(struct bench_load *l);

/* ---- bench-report.c: text output ---- */

/* Progress on stderr (when enabled): "[i/n] what"; NULL what: done. */
void bench_progress(const struct bench_opts *o, const char *bench,
		    unsigned int i, unsigned int n, const char *what);

/* One line "BENCH benchmark in DIR: FS, dax=MODE, device DEV, ..." on stdout. */
void bench_text_env(const struct bench_env *e);

/* One line about the load during the benchmark on stdout. */
void bench_text_load(const struct bench_load *l);

/* "[lo,hi):count ..." for the non-empty buckets, after a padded name. */
void bench_text_hist(const char *name, const struct bench_stats *s);

/* A count, or "-" when unknown (< 0), into buf. */
const char *bench_fmt_long(char *buf, size_t size, long v);

/* A number with decimals, or "-" when unknown (< 0), into buf. */
const char *bench_fmt_double(char *buf, size_t size, double v, int decimals);

/* ---- the benchmarks: bench-fault.c, bench-persist.c; exit status (0, 1) ---- */

int bench_fault(const struct bench_opts *o);
int bench_persist(const struct bench_opts *o);

/* bench-cases.c: case and method names (--cases, the reports). */
extern const char *const bench_fault_names[];
extern const size_t bench_fault_nnames;
extern const char *const bench_persist_names[];
extern const size_t bench_persist_nnames;

enum bench_status { BENCH_UNSELECTED = -1, BENCH_OK, BENCH_SKIPPED, BENCH_FAILED };

/* "ok", "skipped", "failed". */
const char *bench_status_str(int status);

/* ---- bench-fault.c: what it measured, for bench-fault-report.c and bench-json.c ---- */

enum bench_file { BF_PREALLOC, BF_SPARSE, BF_FALLOC, BF_NFILE };
enum bench_map { BM_PLAIN, BM_MAPSYNC, BM_FLAG, BM_NMAP };
enum bench_page { BP_4K, BP_2M, BP_NPAGE };
/*
 * How the pages are first touched: in file order, in random order, or in
 * file order after sdx_prepare() of the range (sparse and fallocate'd
 * files only).
 */
enum bench_variant { BV_SEQ, BV_RANDOM, BV_PREPARED, BV_NVARIANT };

#define BENCH_FAULT_NCASES	42
/* Groups of the three mappings of one file kind, page size and variant. */
#define BENCH_FAULT_NGROUPS	(BENCH_FAULT_NCASES / BM_NMAP)
/*
 * Sparse and fallocate'd files are this many times larger than the range
 * the faults touch, so that blocks allocated beyond the touched pages
 * (a kernel that allocates ahead) stay inside the file and are counted.
 */
#define BENCH_FAULT_SPREAD	4

extern const char *const bench_file_names[BF_NFILE];
extern const char *const bench_map_names[BM_NMAP];
extern const char *const bench_page_names[BP_NPAGE];
extern const char *const bench_variant_names[BV_NVARIANT];

/* What each of bench_fault_names[] is, in the order the cases run. */
struct bench_fault_def {
	int file, map, page, variant;
};
extern const struct bench_fault_def bench_fault_defs[BENCH_FAULT_NCASES];

struct bench_fault_case {
	const char *name;
	int file, map, page, variant;
	int status;			/* enum bench_status */
	char reason[512];
	size_t unit;			/* bytes per fault: 4 KiB or 2 MiB */
	size_t file_size;
	uint64_t *ns;			/* latencies of every round, sorted after bench_stats() */
	size_t nsamples;		/* in ns[] so far */
	struct bench_stats st;
	uint64_t prepare_ns;		/* sdx_prepare() of the range (BV_PREPARED), per round */
	struct bench_journal commits;	/* during the faults, all rounds */
	/* In 4 KiB blocks after the faults of one round; -1: unknown. */
	long blocks_touched;		/* faults * unit */
	long blocks_allocated;		/* st_blocks */
	long blocks_written;		/* FIEMAP extents not unwritten */
	bool beyond_known;
	long blocks_beyond;		/* allocated (sparse) or written (falloc) - touched */
};

/* p50 and p99 ratios of the mappings of one group, < 0: not measured. */
struct bench_fault_group {
	char name[32];			/* e.g. "sparse-4k-random" */
	double flag_vs_plain_p50, mapsync_vs_plain_p50, flag_vs_mapsync_p50;
	double flag_vs_plain_p99;
	/* BV_PREPARED: the flagged prepared file against a plain unprepared one. */
	double flag_vs_unprepared_plain_p50;
};

struct bench_fault_run {
	const struct bench_opts *opts;
	struct bench_env env;
	struct bench_load load;
	size_t n4k, n2m;		/* faults per case and round */
	size_t rounds;
	struct bench_fault_case cases[BENCH_FAULT_NCASES];
	struct bench_fault_group groups[BENCH_FAULT_NGROUPS];
	size_t ngroups;
};

/* The text report on stdout (bench-fault-report.c). */
void bench_fault_print(const struct bench_fault_run *r);

/* ---- bench-persist.c: what it measured, for bench-json.c ---- */

enum bench_method { PM_MSYNC, PM_FDATASYNC, PM_DSYNC, PM_MAPSYNC, PM_FLAG,
		    PM_NMETHOD };

struct bench_persist_method {
	const char *name;
	int status;		/* enum bench_status */
	char reason[512];
	size_t updates;
	uint64_t ns;		/* all updates */
	long commits;		/* journal commits during them, -1 unknown */
	double ops_per_sec;	/* < 0: not measured */
};

struct bench_persist_run {
	const struct bench_opts *opts;
	struct bench_env env;
	struct bench_load load;
	size_t count, file_size;
	struct bench_persist_method methods[PM_NMETHOD];
	double flag_vs_msync;	/* < 0: not measured */
};

/* ---- bench-json.c: --json ---- */

struct json_object;

/* The object "fault --json" prints. */
struct json_object *json_bench_fault(const struct bench_fault_run *r);

/* The object "persist --json" prints. */
struct json_object *json_bench_persist(const struct bench_persist_run *r);

/* Print o on stdout followed by a newline and release it; 0 or -1. */
int bench_json_print(struct json_object *o);

/* ---- syncdax-bench.c: messages ---- */

/*
 * "syncdax-bench: PATH: strerror(err)[: EXPLANATION]" on stderr (err is a
 * positive errno value; explanation may be NULL).
 */
void bench_error(const char *path, int err, const char *explanation);

#endif /* SYNCDAX_BENCH_H */
