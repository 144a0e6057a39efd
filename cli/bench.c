// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench.c - syncdaxctl bench: the command line, statistics, progress and
 * the parts of the reports both benchmarks share.  The benchmarks
 * themselves are bench-fault.c and bench-persist.c.
 */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <syncdax.h>

#include "bench.h"
#include "builtin.h"
#include "json.h"
#include "util.h"

static const char bench_help[] =
	"Usage: " PROG " bench fault [OPTIONS] DIR\n"
	"       " PROG " bench persist [OPTIONS] DIR\n"
	"\n"
	"Measure the cost of synchronous page faults with scratch files in DIR\n"
	"(removed afterwards).\n"
	"\n"
	"  fault     latency of first-write page faults: preallocated, sparse and\n"
	"            fallocate'd files, each mapped plain, with MAP_SYNC and with\n"
	"            the sync-fault flag, with 4 KiB and 2 MiB pages\n"
	"  persist   throughput of random 64-byte updates made durable by msync,\n"
	"            pwrite+fdatasync, pwrite on O_DSYNC, MAP_SYNC + cache flush\n"
	"            and the flag + cache flush\n"
	"\n"
	"Cases that cannot run in DIR are reported as skipped, with the reason.\n"
	"\n"
	"Options:\n"
	"  -n, --count N           faults per 4 KiB case (fault, default 512) or\n"
	"                          updates per method (persist, default 2000)\n"
	"      --huge-count N      2 MiB faults per 2 MiB case (default 16, at\n"
	"                          most -n)\n"
	"  -c, --cases LIST        run only the cases (fault) or methods (persist)\n"
	"                          matching the comma-separated fnmatch patterns,\n"
	"                          e.g. 'sparse-*-4k,prealloc-flag-*' or 'msync,flag'\n"
	"  -q, --quick             few faults and updates: a smoke test\n"
	"  -s, --seed N            seed of the random update offsets (persist)\n"
	"  -J, --json              print one JSON object instead of tables\n"
	"      --samples           (fault, with --json) add every latency\n"
	"      --progress          show progress on stderr also when it is not a\n"
	"                          terminal\n"
	"      --no-progress       never show progress\n"
	HELP_HELP
	"\n"
	"Fault cases are named FILE-MAPPING-PAGE: FILE prealloc, sparse or falloc;\n"
	"MAPPING plain, mapsync or flag; PAGE 4k or 2m.  Persist methods: msync,\n"
	"fdatasync, dsync, mapsync, flag.\n"
	"\n"
	"Exit status: 0 success (also with skipped cases), 1 the benchmark failed,\n"
	"2 usage error.  See syncdaxctl(8).\n";

/* ---- statistics ---- */

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

struct json_object *bench_json_us(double ns)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.3f", ns / 1000.0);
	return json_object_new_double_s(ns / 1000.0, buf);
}

/* ---- progress ---- */

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
			fprintf(stderr, PROG " bench %s: done\n", bench);
		return;
	}
	fprintf(stderr, "%s" PROG " bench %s: [%u/%u] %s%s", tty ? "\r\033[K" : "",
		bench, i, n, what, tty ? "" : "\n");
	fflush(stderr);
}

/* ---- case selection ---- */

/* Call fn for each comma-separated pattern of list; stop when it says so. */
static bool each_pattern(const char *list,
			 bool (*fn)(const char *pat, void *data), void *data)
{
	char pat[256];
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");

		if (len >= sizeof(pat))
			len = sizeof(pat) - 1;
		memcpy(pat, p, len);
		pat[len] = '\0';
		if (!fn(pat, data))
			return false;
		p += strcspn(p, ",");
		if (!*p)
			return true;
		p++;
	}
}

static bool pattern_misses(const char *pat, void *data)
{
	return *pat == '\0' || fnmatch(pat, (const char *)data, 0) != 0;
}

bool bench_selected(const char *list, const char *name)
{
	if (!list)
		return true;
	/* each_pattern() stops (false) at the first pattern that matches. */
	return !each_pattern(list, pattern_misses, (void *)name);
}

struct valid_ctx {
	const char *const *names;
	size_t n;
	char *bad;
	size_t badsize;
};

static bool pattern_matches_some(const char *pat, void *data)
{
	struct valid_ctx *v = data;
	size_t i;

	for (i = 0; *pat && i < v->n; i++)
		if (fnmatch(pat, v->names[i], 0) == 0)
			return true;
	snprintf(v->bad, v->badsize, "%s", pat);
	return false;
}

bool bench_patterns_valid(const char *list, const char *const *names,
			  size_t n, char *bad, size_t badsize)
{
	struct valid_ctx v = { names, n, bad, badsize };

	return each_pattern(list, pattern_matches_some, &v);
}

/* ---- the environment ---- */

long bench_journal_commits(const char *dir)
{
	char path[PATH_MAX], link[PATH_MAX];
	struct stat st;
	const char *name;
	long commits = -1;
	ssize_t len;
	FILE *f;

	if (stat(dir, &st) != 0)
		return -1;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u",
		 major(st.st_dev), minor(st.st_dev));
	len = readlink(path, link, sizeof(link) - 1);
	if (len <= 0)
		return -1;
	link[len] = '\0';
	name = strrchr(link, '/');
	name = name ? name + 1 : link;
	/* ext4's journal: DEV-8 (the journal inode number). */
	if (strlen(name) > 200)
		return -1;
	snprintf(path, sizeof(path), "/proc/fs/jbd2/%.200s-8/info", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld transactions", &commits) != 1)
		commits = -1;
	fclose(f);
	return commits;
}

static struct json_object *str_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

void bench_json_env(struct json_object *o, const char *bench,
		    const char *dir)
{
	struct sdx_probe *p = NULL;
	bool ok = sdx_probe_path(NULL, dir, &p) == 0;

	json_object_object_add(o, "benchmark", json_object_new_string(bench));
	json_object_object_add(o, "version",
			       json_object_new_string(SYNCDAX_VERSION));
	json_object_object_add(o, "dir", json_object_new_string(dir));
	json_object_object_add(o, "filesystem",
			       ok ? str_or_null(sdx_probe_get_fstype(p)) : NULL);
	json_object_object_add(o, "mount_dax", ok ?
		json_object_new_string(sdx_mount_dax_str(sdx_probe_get_mount_dax(p))) : NULL);
	json_object_object_add(o, "blockdev",
			       ok ? str_or_null(sdx_probe_get_blockdev(p)) : NULL);
	json_object_object_add(o, "cpu_flush",
		json_object_new_string(sdx_flush_insn_str(sdx_flush_insn())));
	sdx_probe_free(p);
}

void bench_text_env(const char *bench, const char *dir)
{
	struct sdx_probe *p = NULL;

	if (sdx_probe_path(NULL, dir, &p) == 0)
		printf("%s benchmark in %s: %s, dax=%s, device %s, cpu flush %s\n",
		       bench, dir, *sdx_probe_get_fstype(p) ? sdx_probe_get_fstype(p) : "?",
		       sdx_mount_dax_str(sdx_probe_get_mount_dax(p)),
		       *sdx_probe_get_blockdev(p) ? sdx_probe_get_blockdev(p) : "none",
		       sdx_flush_insn_str(sdx_flush_insn()));
	else
		printf("%s benchmark in %s\n", bench, dir);
	sdx_probe_free(p);
}

/* ---- the command ---- */

/* A positive count up to BENCH_MAX_COUNT (or any unsigned long for a seed). */
static bool parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = (unsigned long)v;
	return true;
}

enum {
	OPT_HUGE_COUNT = 1000,
	OPT_SAMPLES,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
};

int cmd_bench(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count",       required_argument, NULL, 'n' },
		{ "huge-count",  required_argument, NULL, OPT_HUGE_COUNT },
		{ "cases",       required_argument, NULL, 'c' },
		{ "quick",       no_argument,       NULL, 'q' },
		{ "seed",        required_argument, NULL, 's' },
		{ "samples",     no_argument,       NULL, OPT_SAMPLES },
		{ "progress",    no_argument,       NULL, OPT_PROGRESS },
		{ "no-progress", no_argument,       NULL, OPT_NO_PROGRESS },
		OPT_JSON,
		OPT_HELP,
		OPT_END,
	};
	const char *cmd = argv[0];
	struct bench_opts o = { .seed = 1 };
	int progress = -1;	/* -1: when stderr is a terminal */
	const char *mode;
	struct stat st;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "n:c:qs:Jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!parse_ulong(optarg, BENCH_MAX_COUNT, &o.count) ||
			    !o.count)
				return usage_error(cmd, "-n: '%s' is not a count from 1 to %u",
						   optarg, BENCH_MAX_COUNT);
			break;
		case OPT_HUGE_COUNT:
			if (!parse_ulong(optarg, BENCH_MAX_COUNT, &o.huge_count) ||
			    !o.huge_count)
				return usage_error(cmd, "--huge-count: '%s' is not a count from 1 to %u",
						   optarg, BENCH_MAX_COUNT);
			break;
		case 'c':
			o.cases = optarg;
			break;
		case 'q':
			o.quick = true;
			break;
		case 's':
			if (!parse_ulong(optarg, ULONG_MAX, &o.seed))
				return usage_error(cmd, "--seed: '%s' is not a number",
						   optarg);
			break;
		case 'J':
			o.json = true;
			break;
		case OPT_SAMPLES:
			o.samples = true;
			break;
		case OPT_PROGRESS:
			progress = 1;
			break;
		case OPT_NO_PROGRESS:
			progress = 0;
			break;
		case 'h':
			fputs(bench_help, stdout);
			return EXIT_ALL_OK;
		default:
			/* A known option without its argument. */
			if ((optopt > 0 && optopt < 256 && strchr("ncs", optopt)) ||
			    optopt == OPT_HUGE_COUNT)
				return usage_error(cmd, "option '%s' needs an argument",
						   argv[optind - 1]);
			return bad_option(cmd, argv);
		}
	}
	if (optind >= argc)
		return usage_error(cmd, "no benchmark given (fault or persist)");
	mode = argv[optind++];
	if (strcmp(mode, "fault") != 0 && strcmp(mode, "persist") != 0)
		return usage_error(cmd, "%s: unknown benchmark (fault or persist)",
				   mode);
	if (optind >= argc)
		return usage_error(cmd, "no directory given");
	if (optind + 1 < argc)
		return usage_error(cmd, "only one directory can be used at a time");
	o.dir = argv[optind];
	if (o.cases) {
		bool fault = strcmp(mode, "fault") == 0;
		char bad[256];

		if (!bench_patterns_valid(o.cases,
				fault ? bench_fault_names : bench_persist_names,
				fault ? bench_fault_nnames : bench_persist_nnames,
				bad, sizeof(bad)))
			return usage_error(cmd, "--cases: '%s' matches no %s",
					   bad, fault ? "case" : "method");
	}
	o.progress = progress < 0 ? isatty(STDERR_FILENO) : progress;

	if (stat(o.dir, &st) != 0) {
		report_error(cmd, o.dir, errno, NULL);
		return EXIT_SOME_FAILED;
	}
	if (!S_ISDIR(st.st_mode)) {
		report_error(cmd, o.dir, ENOTDIR, NULL);
		return EXIT_SOME_FAILED;
	}
	if (strcmp(mode, "fault") == 0)
		return bench_fault(&o);
	return bench_persist(&o);
}
