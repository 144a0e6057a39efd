// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * syncdax-bench.c - main() of syncdax-bench: the command line, the
 * messages and the dispatch to the benchmarks (bench-fault.c,
 * bench-persist.c); see bench.h for the rest.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <syncdax.h>

#include "bench.h"

#define PROG BENCH_PROG

static const char bench_help[] =
	"Usage: " PROG " fault [OPTIONS] DIR\n"
	"       " PROG " persist [OPTIONS] DIR\n"
	"       " PROG " -V|--version\n"
	"\n"
	"Measure the cost of synchronous page faults with scratch files in DIR\n"
	"(removed afterwards).\n"
	"\n"
	"  fault     latency of first-write page faults: preallocated, sparse and\n"
	"            fallocate'd files, each mapped plain, with MAP_SYNC and with\n"
	"            the sync-fault flag, with 4 KiB and 2 MiB pages; sparse and\n"
	"            fallocate'd files also touched in random order and after\n"
	"            sdx_prepare(); with the journal commits and fast commits\n"
	"            each case caused and the blocks it left beyond those touched\n"
	"  persist   throughput of random 64-byte updates made durable by msync,\n"
	"            pwrite+fdatasync, pwrite on O_DSYNC, MAP_SYNC + cache flush\n"
	"            and a flagged file mapped by sdx_map_fd() + sdx_persist()\n"
	"\n"
	"Cases that cannot run in DIR are reported as skipped, with the reason.\n"
	"\n"
	"Options:\n"
	"  -n, --count N           faults per 4 KiB case (fault, default 512) or\n"
	"                          updates per method (persist, default 2000)\n"
	"      --huge-count N      2 MiB faults per 2 MiB case (default 16, at\n"
	"                          most -n)\n"
	"  -r, --rounds N          (fault) run every case N times, the mappings of\n"
	"                          a file kind in a rotated order each round, and\n"
	"                          report all rounds' faults together (default 3,\n"
	"                          1 with -q)\n"
	"  -c, --cases LIST        run only the cases (fault) or methods (persist)\n"
	"                          matching the comma-separated fnmatch patterns,\n"
	"                          e.g. 'sparse-*-4k,prealloc-flag-*' or 'msync,flag'\n"
	"  -q, --quick             few faults and updates: a smoke test\n"
	"  -s, --seed N            seed of the random offsets (fault: the random\n"
	"                          cases; persist: the updates; default 1)\n"
	"  -J, --json              print one JSON object instead of tables\n"
	"      --samples           (fault, with --json) add every latency\n"
	"      --progress          show progress on stderr also when it is not a\n"
	"                          terminal\n"
	"      --no-progress       never show progress\n"
	"  -V, --version           show the version and exit\n"
	"  -h, --help              show this help and exit\n"
	"\n"
	"Fault cases are named FILE-MAPPING-PAGE[-VARIANT]: FILE prealloc, sparse\n"
	"or falloc; MAPPING plain, mapsync or flag; PAGE 4k or 2m; VARIANT (sparse\n"
	"and falloc only) random or prepared.  Persist methods: msync, fdatasync,\n"
	"dsync, mapsync, flag.\n"
	"\n"
	"Exit status: 0 success (also with skipped cases), 1 the benchmark failed\n"
	"(or its output could not be written), 2 usage error.  See syncdax-bench(8).\n";


/* A positive count up to max (or any unsigned long for a seed). */
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

static const struct option bench_longopts[] = {
	{ "count",       required_argument, NULL, 'n' },
	{ "huge-count",  required_argument, NULL, OPT_HUGE_COUNT },
	{ "rounds",      required_argument, NULL, 'r' },
	{ "cases",       required_argument, NULL, 'c' },
	{ "quick",       no_argument,       NULL, 'q' },
	{ "seed",        required_argument, NULL, 's' },
	{ "samples",     no_argument,       NULL, OPT_SAMPLES },
	{ "progress",    no_argument,       NULL, OPT_PROGRESS },
	{ "no-progress", no_argument,       NULL, OPT_NO_PROGRESS },
	{ "json",        no_argument,       NULL, 'J' },
	{ "version",     no_argument,       NULL, 'V' },
	{ "help",        no_argument,       NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* "syncdax-bench: MESSAGE" and a hint to --help; returns the usage status. */
static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry '" PROG " --help' for more information.\n", stderr);
	return BENCH_EXIT_USAGE;
}

/* A count option's argument (1..max) into *out: 0, or the usage error's status. */
static int count_arg(const char *opt, const char *arg,
		     unsigned int max, unsigned long *out)
{
	if (parse_ulong(arg, max, out) && *out)
		return 0;
	return usage_error("%s: '%s' is not a count from 1 to %u", opt,
			   arg, max);
}

/*
 * The options into *o and *progress (-1: when stderr is a terminal): -1 to
 * go on, else the exit status (--help, usage errors).
 */
static int parse_options(int argc, char **argv, struct bench_opts *o,
			 int *progress)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "n:r:c:qs:JVh", bench_longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (count_arg("-n", optarg, BENCH_MAX_COUNT, &o->count))
				return BENCH_EXIT_USAGE;
			break;
		case OPT_HUGE_COUNT:
			if (count_arg("--huge-count", optarg, BENCH_MAX_COUNT,
				      &o->huge_count))
				return BENCH_EXIT_USAGE;
			break;
		case 'r':
			if (count_arg("--rounds", optarg, BENCH_MAX_ROUNDS,
				      &o->rounds))
				return BENCH_EXIT_USAGE;
			break;
		case 'c':
			o->cases = optarg;
			break;
		case 'q':
			o->quick = true;
			break;
		case 's':
			if (!parse_ulong(optarg, ULONG_MAX, &o->seed))
				return usage_error("--seed: '%s' is not a number",
						   optarg);
			break;
		case 'J':
			o->json = true;
			break;
		case OPT_SAMPLES:
			o->samples = true;
			break;
		case OPT_PROGRESS:
		case OPT_NO_PROGRESS:
			*progress = c == OPT_PROGRESS;
			break;
		case 'h':
			fputs(bench_help, stdout);
			return BENCH_EXIT_OK;
		case 'V':
			printf(PROG " %s (libsyncdax %s)\n", SYNCDAX_VERSION,
			       sdx_version());
			return BENCH_EXIT_OK;
		default:
			/* A known option without its argument. */
			if ((optopt > 0 && optopt < 256 && strchr("nrcs", optopt)) ||
			    optopt == OPT_HUGE_COUNT)
				return usage_error("option '%s' needs an argument",
						   argv[optind - 1]);
			if (optopt)
				return usage_error("invalid option -- '%c'", optopt);
			return usage_error("unrecognized option '%s'",
					   argv[optind - 1]);
		}
	}
	return -1;
}

/* The benchmark and directory operands, and --cases: -1, or the status. */
static int parse_operands(int argc, char **argv, struct bench_opts *o,
			  bool *fault)
{
	const char *mode;
	char bad[256];

	if (optind >= argc)
		return usage_error("no benchmark given (fault or persist)");
	mode = argv[optind++];
	*fault = strcmp(mode, "fault") == 0;
	if (!*fault && strcmp(mode, "persist") != 0)
		return usage_error("%s: unknown benchmark (fault or persist)",
				   mode);
	if (optind >= argc)
		return usage_error("no directory given");
	if (optind + 1 < argc)
		return usage_error("only one directory can be used at a time");
	o->dir = argv[optind];
	if (o->rounds && !*fault)
		return usage_error("--rounds applies to the fault benchmark only");
	if (o->cases &&
	    !bench_patterns_valid(o->cases,
				  *fault ? bench_fault_names : bench_persist_names,
				  *fault ? bench_fault_nnames : bench_persist_nnames,
				  bad, sizeof(bad)))
		return usage_error("--cases: '%s' matches no %s", bad,
				   *fault ? "case" : "method");
	return -1;
}

/*
 * A write to stdout that failed (a full disk, a closed pipe) fails the
 * run, naming the cause, as util-linux's close_stdout() does: stdout is
 * flushed and closed here, and the first error wins.
 */
static int close_stdout(int rc)
{
	bool failed = ferror(stdout);
	int err = 0;

	/* A flush that fails sets errno; an earlier failed write did not keep it. */
	if (fflush(stdout) != 0) {
		failed = true;
		err = errno;
	}
	if (fclose(stdout) != 0 && errno != EBADF && !failed) {
		failed = true;
		err = errno;
	}
	if (!failed)
		return rc;
	if (err)
		bench_error("standard output", err, "cannot write the results");
	else
		fprintf(stderr, PROG ": standard output: write error: cannot write the results\n");
	return rc == BENCH_EXIT_OK ? BENCH_EXIT_FAILED : rc;
}

static int run(int argc, char **argv)
{
	struct bench_opts o = { .seed = 1 };
	int progress = -1, rc;
	struct stat st;
	bool fault = false;

	rc = parse_options(argc, argv, &o, &progress);
	if (rc < 0)
		rc = parse_operands(argc, argv, &o, &fault);
	if (rc >= 0)
		return rc;
	o.progress = progress < 0 ? isatty(STDERR_FILENO) : progress;
	if (stat(o.dir, &st) != 0) {
		bench_error(o.dir, errno, NULL);
		return BENCH_EXIT_FAILED;
	}
	if (!S_ISDIR(st.st_mode)) {
		bench_error(o.dir, ENOTDIR, NULL);
		return BENCH_EXIT_FAILED;
	}
	return fault ? bench_fault(&o) : bench_persist(&o);
}

int main(int argc, char **argv)
{
	return close_stdout(run(argc, argv));
}
