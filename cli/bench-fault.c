// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-fault.c - syncdaxctl bench fault: the latency of first-write page
 * faults on preallocated, sparse and fallocate'd files, mapped plain, with
 * MAP_SYNC and with the sync-fault flag, with 4 KiB and 2 MiB pages.
 *
 * Each case maps a fresh scratch file (unlinked at once) and times the
 * first store to each page (4 KiB) or 2 MiB region with CLOCK_MONOTONIC
 * around the store: the page fault happens inside it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <syncdax.h>

#include "bench.h"
#include "json.h"
#include "util.h"

#define SZ_4K	4096ul
#define SZ_2M	(2ul << 20)

enum { F_PREALLOC, F_SPARSE, F_FALLOC, F_N };
enum { M_PLAIN, M_MAPSYNC, M_FLAG, M_N };
enum { P_4K, P_2M, P_N };

static const char *const file_names[F_N] = { "prealloc", "sparse", "falloc" };
static const char *const map_names[M_N] = { "plain", "mapsync", "flag" };
static const char *const page_names[P_N] = { "4k", "2m" };

#define N_CASES (F_N * M_N * P_N)

/* In the order they run: by page size, file kind, mapping. */
const char *const bench_fault_names[N_CASES] = {
	"prealloc-plain-4k", "prealloc-mapsync-4k", "prealloc-flag-4k",
	"sparse-plain-4k", "sparse-mapsync-4k", "sparse-flag-4k",
	"falloc-plain-4k", "falloc-mapsync-4k", "falloc-flag-4k",
	"prealloc-plain-2m", "prealloc-mapsync-2m", "prealloc-flag-2m",
	"sparse-plain-2m", "sparse-mapsync-2m", "sparse-flag-2m",
	"falloc-plain-2m", "falloc-mapsync-2m", "falloc-flag-2m",
};
const size_t bench_fault_nnames = N_CASES;

enum { C_OK, C_SKIPPED, C_FAILED };
static const char *const status_names[] = { "ok", "skipped", "failed" };

struct fcase {
	int file, map, page;
	const char *name;
	int status;
	char reason[512];
	uint64_t *ns;		/* latencies, sorted after bench_stats() */
	struct bench_stats st;
	long commits;		/* journal commits during the faults, -1 unknown */
};

static void set_reason(struct fcase *c, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_reason(struct fcase *c, int status, const char *fmt, ...)
{
	va_list ap;

	c->status = status;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
}

/* Why the flag is not active on fd, as text. */
static void why_not_active(int fd, char *buf, size_t size)
{
	struct sdx_state s;
	unsigned int bit;
	size_t len = 0, pos = 0;

	snprintf(buf, size, "the flag is not active");
	if (sdx_state_fd(fd, &s) != 0 || !s.why_not)
		return;
	while ((bit = why_bit(s.why_not, &pos)) != 0 && len < size)
		len += snprintf(buf + len, size - len, "%s%s",
				len ? "; " : "", sdx_why_str(bit));
}

/* Give the scratch file its blocks as the case wants; 0 or errno. */
static int prepare_file(int fd, int file, size_t size)
{
	static char zeros[1 << 20];
	size_t done;

	switch (file) {
	case F_PREALLOC:
		/*
		 * Allocate the whole file at once first, which gives larger
		 * (for 2m cases, better aligned) extents than growing it 1 MiB
		 * at a time; then write every block.
		 */
		if (fallocate(fd, 0, 0, (off_t)size) != 0 && errno != EOPNOTSUPP)
			return errno;
		for (done = 0; done < size; ) {
			size_t len = size - done < sizeof(zeros) ?
				     size - done : sizeof(zeros);
			ssize_t w = pwrite(fd, zeros, len, (off_t)done);

			if (w < 0)
				return errno;
			done += (size_t)w;
		}
		return 0;
	case F_SPARSE:
		return ftruncate(fd, (off_t)size) ? errno : 0;
	default:
		return fallocate(fd, 0, 0, (off_t)size) ? errno : 0;
	}
}

/* Map size bytes of fd at a 2 MiB-aligned address; *res is what to unmap. */
static void *map_aligned(int fd, size_t size, int flags, void **res,
			 size_t *reslen)
{
	void *r, *a;
	uintptr_t p;

	*reslen = size + SZ_2M;
	r = mmap(NULL, *reslen, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED)
		return MAP_FAILED;
	*res = r;
	p = ((uintptr_t)r + SZ_2M - 1) & ~(uintptr_t)(SZ_2M - 1);
	a = mmap((void *)p, size, PROT_READ | PROT_WRITE, flags | MAP_FIXED,
		 fd, 0);
	return a;
}

/* Run one case into c; the scratch file lives in dir. */
static void run_case(const struct bench_opts *o, struct fcase *c,
		     size_t nfaults)
{
	size_t unit = c->page == P_2M ? SZ_2M : SZ_4K;
	size_t size = nfaults * unit, reslen = 0, i;
	char path[PATH_MAX];
	void *res = NULL;
	char *addr;
	int fd, err, flags;
	long before;

	c->commits = -1;
	snprintf(path, sizeof(path), "%s/.syncdax-bench.XXXXXX", o->dir);
	fd = mkstemp(path);
	if (fd < 0) {
		set_reason(c, C_FAILED, "cannot create a scratch file: %s",
			   strerror(errno));
		return;
	}
	unlink(path);

	/* A file created in a flagged directory inherits the flag. */
	if (c->map != M_FLAG && sdx_get_flag_fd(fd) == 1 &&
	    (err = sdx_set_flag_fd(fd, 0)) < 0) {
		set_reason(c, C_FAILED, "cannot clear the inherited flag: %s",
			   sdx_strerror(err));
		goto out_close;
	}
	err = prepare_file(fd, c->file, size);
	if (err == EOPNOTSUPP && c->file == F_FALLOC) {
		set_reason(c, C_SKIPPED, "fallocate() not supported here");
		goto out_close;
	}
	if (err) {
		set_reason(c, C_FAILED, "cannot prepare the %s file of %zu bytes: %s",
			   file_names[c->file], size, strerror(err));
		goto out_close;
	}
	if (c->map == M_FLAG && (err = sdx_set_flag_fd(fd, 1)) < 0) {
		const char *why = sdx_explanation(err);

		set_reason(c, C_SKIPPED, "cannot set the sync-fault flag: %s%s%s",
			   strerror(-err), why ? ": " : "", why ? why : "");
		goto out_close;
	}
	/* Start from a quiet journal: the setup is not part of the faults. */
	if (fsync(fd) != 0 || syncfs(fd) != 0) {
		set_reason(c, C_FAILED, "fsync: %s", strerror(errno));
		goto out_close;
	}

	flags = c->map == M_MAPSYNC ? MAP_SHARED_VALIDATE | MAP_SYNC : MAP_SHARED;
	addr = map_aligned(fd, size, flags, &res, &reslen);
	if (addr == MAP_FAILED) {
		err = errno;
		if (c->map == M_MAPSYNC && (err == EOPNOTSUPP || err == EINVAL)) {
			set_reason(c, C_SKIPPED, "MAP_SYNC refused: %s: not a DAX file on a synchronous device",
				   strerror(err));
		} else if (c->map == M_FLAG && err == EOPNOTSUPP) {
			char why[256];

			why_not_active(fd, why, sizeof(why));
			set_reason(c, C_SKIPPED, "shared mapping of a flagged file refused: %s: %s",
				   strerror(err), why);
		} else {
			set_reason(c, C_FAILED, "mmap: %s", strerror(err));
		}
		goto out_unmap;
	}
	/* 4 KiB cases must not get PMD faults; 2 MiB cases may. */
	madvise(addr, size, c->page == P_2M ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);

	before = bench_journal_commits(o->dir);
	for (i = 0; i < nfaults; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(addr + i * unit);
		uint64_t t0, t1;

		t0 = bench_now_ns();
		atomic_signal_fence(memory_order_seq_cst);
		*p = i + 1;
		atomic_signal_fence(memory_order_seq_cst);
		t1 = bench_now_ns();
		c->ns[i] = t1 - t0;
	}
	if (before >= 0) {
		long after = bench_journal_commits(o->dir);

		c->commits = after >= before ? after - before : -1;
	}
	bench_stats(c->ns, nfaults, &c->st);
	c->status = C_OK;
out_unmap:
	if (res)
		munmap(res, reslen);
out_close:
	close(fd);
}

static struct json_object *hist_json(const struct bench_stats *s)
{
	struct json_object *a = json_object_new_array();
	unsigned int k;

	for (k = 0; a && k < s->nbuckets; k++) {
		struct json_object *b = json_object_new_object();

		json_object_object_add(b, "lo_us",
			json_object_new_int64((int64_t)bench_bucket_lo(k)));
		json_object_object_add(b, "hi_us",
			json_object_new_int64((int64_t)bench_bucket_hi(k)));
		json_object_object_add(b, "count",
			json_object_new_int64((int64_t)s->hist[k]));
		json_object_array_add(a, b);
	}
	return a;
}

static struct json_object *case_json(const struct fcase *c, bool samples)
{
	struct json_object *o = json_object_new_object();
	bool ok = c->status == C_OK;
	const struct bench_stats *s = &c->st;

	json_object_object_add(o, "name", json_object_new_string(c->name));
	json_object_object_add(o, "file",
			       json_object_new_string(file_names[c->file]));
	json_object_object_add(o, "mapping",
			       json_object_new_string(map_names[c->map]));
	json_object_object_add(o, "page",
			       json_object_new_string(page_names[c->page]));
	json_object_object_add(o, "fault_size",
		json_object_new_int64(c->page == P_2M ? (int64_t)SZ_2M : (int64_t)SZ_4K));
	json_object_object_add(o, "status",
			       json_object_new_string(status_names[c->status]));
	json_object_object_add(o, "reason",
			       ok ? NULL : json_object_new_string(c->reason));
	json_object_object_add(o, "faults",
			       json_object_new_int64(ok ? (int64_t)s->n : 0));
	json_object_object_add(o, "min_us", ok ? bench_json_us((double)s->min) : NULL);
	json_object_object_add(o, "avg_us", ok ? bench_json_us(s->avg) : NULL);
	json_object_object_add(o, "p50_us", ok ? bench_json_us((double)s->p50) : NULL);
	json_object_object_add(o, "p99_us", ok ? bench_json_us((double)s->p99) : NULL);
	json_object_object_add(o, "max_us", ok ? bench_json_us((double)s->max) : NULL);
	json_object_object_add(o, "journal_commits", ok && c->commits >= 0 ?
			       json_object_new_int64(c->commits) : NULL);
	json_object_object_add(o, "histogram", ok ? hist_json(s) :
			       json_object_new_array());
	if (samples) {
		struct json_object *a = json_object_new_array();
		size_t i;

		for (i = 0; ok && i < s->n; i++)
			json_object_array_add(a, bench_json_us((double)c->ns[i]));
		json_object_object_add(o, "samples_us", a);
	}
	return o;
}

/* The case of file kind f, mapping m, page p. */
static const struct fcase *find(const struct fcase *cases, int f, int m, int p)
{
	return &cases[p * F_N * M_N + f * M_N + m];
}

/* p50 of case a over p50 of case b, or < 0 when either did not run. */
static double p50_ratio(const struct fcase *a, const struct fcase *b)
{
	if (a->status != C_OK || b->status != C_OK || !b->st.p50)
		return -1;
	return (double)a->st.p50 / (double)b->st.p50;
}

static struct json_object *ratio_json(double r)
{
	char buf[32];

	if (r < 0)
		return NULL;
	snprintf(buf, sizeof(buf), "%.3f", r);
	return json_object_new_double_s(r, buf);
}

static struct json_object *ratios_json(const struct fcase *cases)
{
	struct json_object *o = json_object_new_object();
	int f, p;

	for (p = 0; p < P_N; p++)
		for (f = 0; f < F_N; f++) {
			struct json_object *r = json_object_new_object();
			const struct fcase *plain = find(cases, f, M_PLAIN, p);
			const struct fcase *ms = find(cases, f, M_MAPSYNC, p);
			const struct fcase *fl = find(cases, f, M_FLAG, p);
			char key[32];

			json_object_object_add(r, "flag_vs_plain_p50",
					       ratio_json(p50_ratio(fl, plain)));
			json_object_object_add(r, "mapsync_vs_plain_p50",
					       ratio_json(p50_ratio(ms, plain)));
			json_object_object_add(r, "flag_vs_mapsync_p50",
					       ratio_json(p50_ratio(fl, ms)));
			snprintf(key, sizeof(key), "%s-%s", file_names[f],
				 page_names[p]);
			json_object_object_add(o, key, r);
		}
	return o;
}

static void print_text(const struct bench_opts *o, const struct fcase *cases,
		       size_t n4k, size_t n2m)
{
	size_t i;
	int f, p;

	bench_text_env("fault", o->dir);
	printf("first-write fault latency in us; %zu faults per 4k case, %zu per 2m case\n\n",
	       n4k, n2m);
	printf("%-20s %7s %9s %9s %9s %9s %9s %8s\n", "case", "faults", "min",
	       "avg", "p50", "p99", "max", "commits");
	for (i = 0; i < N_CASES; i++) {
		const struct fcase *c = &cases[i];
		const struct bench_stats *s = &c->st;
		char commits[24];

		if (c->status < 0)
			continue;
		if (c->status != C_OK) {
			printf("%-20s %s: %s\n", c->name, status_names[c->status],
			       c->reason);
			continue;
		}
		if (c->commits >= 0)
			snprintf(commits, sizeof(commits), "%ld", c->commits);
		else
			snprintf(commits, sizeof(commits), "-");
		printf("%-20s %7zu %9.2f %9.2f %9.2f %9.2f %9.2f %8s\n",
		       c->name, s->n, (double)s->min / 1e3, s->avg / 1e3,
		       (double)s->p50 / 1e3, (double)s->p99 / 1e3,
		       (double)s->max / 1e3, commits);
	}
	printf("\nhistograms: faults per latency bucket [from,to) us\n");
	for (i = 0; i < N_CASES; i++) {
		const struct fcase *c = &cases[i];
		unsigned int k;

		if (c->status != C_OK)
			continue;
		printf("%-20s", c->name);
		for (k = 0; k < c->st.nbuckets; k++)
			if (c->st.hist[k])
				printf(" [%llu,%llu):%llu",
				       (unsigned long long)bench_bucket_lo(k),
				       (unsigned long long)bench_bucket_hi(k),
				       (unsigned long long)c->st.hist[k]);
		printf("\n");
	}
	printf("\np50 ratios         flag/plain  mapsync/plain  flag/mapsync\n");
	for (p = 0; p < P_N; p++)
		for (f = 0; f < F_N; f++) {
			double r[3] = {
				p50_ratio(find(cases, f, M_FLAG, p), find(cases, f, M_PLAIN, p)),
				p50_ratio(find(cases, f, M_MAPSYNC, p), find(cases, f, M_PLAIN, p)),
				p50_ratio(find(cases, f, M_FLAG, p), find(cases, f, M_MAPSYNC, p)),
			};
			char key[32], cell[3][16];
			int j;

			for (j = 0; j < 3; j++) {
				if (r[j] < 0)
					snprintf(cell[j], sizeof(cell[j]), "-");
				else
					snprintf(cell[j], sizeof(cell[j]), "%.2f", r[j]);
			}
			snprintf(key, sizeof(key), "%s-%s", file_names[f],
				 page_names[p]);
			printf("%-18s %10s %14s %13s\n", key, cell[0], cell[1],
			       cell[2]);
		}
}

int bench_fault(const struct bench_opts *o)
{
	struct fcase cases[N_CASES];
	size_t n4k = o->count ? o->count :
		     o->quick ? BENCH_QUICK_FAULT : BENCH_FAULT_COUNT;
	size_t n2m = o->huge_count ? o->huge_count :
		     o->quick ? BENCH_QUICK_HUGE : BENCH_HUGE_COUNT;
	unsigned int nsel = 0, done = 0;
	bool failed = false;
	size_t i;
	int rc = EXIT_ALL_OK;

	if (n2m > n4k)
		n2m = n4k;
	for (i = 0; i < N_CASES; i++) {
		struct fcase *c = &cases[i];

		memset(c, 0, sizeof(*c));
		c->page = (int)(i / (F_N * M_N));
		c->file = (int)(i / M_N % F_N);
		c->map = (int)(i % M_N);
		c->name = bench_fault_names[i];
		c->status = bench_selected(o->cases, c->name) ? C_OK : -1;
		if (c->status == C_OK)
			nsel++;
	}
	for (i = 0; i < N_CASES; i++) {
		struct fcase *c = &cases[i];
		size_t n = c->page == P_2M ? n2m : n4k;

		if (c->status < 0)
			continue;
		bench_progress(o, "fault", ++done, nsel, c->name);
		c->ns = calloc(n, sizeof(*c->ns));
		if (!c->ns) {
			set_reason(c, C_FAILED, "out of memory");
		} else {
			run_case(o, c, n);
		}
		if (c->status == C_FAILED) {
			fprintf(stderr, PROG ": bench: %s: %s: %s\n", o->dir,
				c->name, c->reason);
			failed = true;
		}
	}
	bench_progress(o, "fault", 0, 0, NULL);

	if (o->json) {
		struct json_object *j = json_object_new_object();
		struct json_object *a = json_object_new_array();

		bench_json_env(j, "fault", o->dir);
		json_object_object_add(j, "count", json_object_new_int64((int64_t)n4k));
		json_object_object_add(j, "huge_count", json_object_new_int64((int64_t)n2m));
		json_object_object_add(j, "quick", json_object_new_boolean(o->quick));
		for (i = 0; i < N_CASES; i++)
			if (cases[i].status >= 0)
				json_object_array_add(a, case_json(&cases[i], o->samples));
		json_object_object_add(j, "cases", a);
		json_object_object_add(j, "ratios", ratios_json(cases));
		if (json_print(j) != 0)
			rc = EXIT_SOME_FAILED;
	} else {
		print_text(o, cases, n4k, n2m);
	}
	for (i = 0; i < N_CASES; i++)
		free(cases[i].ns);
	return failed ? EXIT_SOME_FAILED : rc;
}
