// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-fault.c - syncdax-bench fault: the latency of first-write page
 * faults on preallocated, sparse and fallocate'd files, mapped plain, with
 * MAP_SYNC and with the sync-fault flag, with 4 KiB and 2 MiB pages; the
 * sparse and fallocate'd files also touched in random order and after
 * sdx_prepare() of the range.
 *
 * Each case maps a fresh scratch file (unlinked at once) and times the
 * first store to each page (4 KiB) or 2 MiB region with CLOCK_MONOTONIC
 * around the store: the page fault happens inside it.  Around the faults it
 * reads the journal's commit counters, and afterwards how many blocks the
 * file has: a kernel that allocates ahead of a synchronous fault shows
 * there what that costs in space.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <syncdax.h>

#include "bench.h"

#define SZ_4K	4096ul
#define SZ_2M	(2ul << 20)


static void set_reason(struct bench_fault_case *c, int status,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_reason(struct bench_fault_case *c, int status,
		       const char *fmt, ...)
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
	size_t len = 0;

	snprintf(buf, size, "the flag is not active");
	if (sdx_state_fd(fd, &s) != 0 || !s.why_not)
		return;
	for (bit = 1; bit && len < size; bit <<= 1)
		if (s.why_not & bit)
			len += snprintf(buf + len, size - len, "%s%s",
					len ? "; " : "", sdx_why_str(bit));
}

/* Write zeros over the whole file: 0 or errno. */
static int write_zeros(int fd, size_t size)
{
	static char zeros[1 << 20];
	size_t done;

	for (done = 0; done < size; ) {
		size_t len = size - done < sizeof(zeros) ? size - done : sizeof(zeros);
		ssize_t w = pwrite(fd, zeros, len, (off_t)done);

		if (w < 0)
			return errno;
		done += (size_t)w;
	}
	return 0;
}

/* Give the scratch file its blocks as the case wants; 0 or errno. */
static int fill_file(int fd, int file, size_t size)
{
	switch (file) {
	case BF_PREALLOC:
		/*
		 * Allocate the whole file at once first, which gives larger
		 * (for 2m cases, better aligned) extents than growing it 1 MiB
		 * at a time; then write every block.
		 */
		if (fallocate(fd, 0, 0, (off_t)size) != 0 && errno != EOPNOTSUPP)
			return errno;
		return write_zeros(fd, size);
	case BF_SPARSE:
		return ftruncate(fd, (off_t)size) ? errno : 0;
	default:
		return fallocate(fd, 0, 0, (off_t)size) ? errno : 0;
	}
}

/* A fresh unlinked scratch file in dir without the flag: fd, or -1. */
static int scratch_open(const char *dir, struct bench_fault_case *c)
{
	char path[PATH_MAX];
	int fd, err;

	snprintf(path, sizeof(path), "%s/.syncdax-bench.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0) {
		set_reason(c, BENCH_FAILED, "cannot create a scratch file: %s",
			   strerror(errno));
		return -1;
	}
	unlink(path);
	/* A file created in a flagged directory inherits the flag. */
	if (sdx_get_flag_fd(fd) == 1 && (err = sdx_set_flag_fd(fd, 0)) < 0) {
		set_reason(c, BENCH_FAILED, "cannot clear the inherited flag: %s",
			   sdx_strerror(err));
		close(fd);
		return -1;
	}
	return fd;
}

/* sdx_prepare() of the range the faults will touch, timed: 0 or -1. */
static int prepare_range(int fd, struct bench_fault_case *c, size_t len)
{
	uint64_t t0;
	int err;

	t0 = bench_now_ns();
	err = sdx_prepare(fd, 0, len);
	c->prepare_ns += bench_now_ns() - t0;
	if (err < 0) {
		set_reason(c, BENCH_FAILED, "sdx_prepare: %s", sdx_strerror(err));
		return -1;
	}
	return 0;
}

/* Blocks, flag, sdx_prepare() and a quiet journal for case c: 0 or -1. */
static int setup_file(int fd, struct bench_fault_case *c, size_t nfaults)
{
	int err = fill_file(fd, c->file, c->file_size);

	if (err == EOPNOTSUPP && c->file == BF_FALLOC) {
		set_reason(c, BENCH_SKIPPED, "fallocate() not supported here");
		return -1;
	}
	if (err) {
		set_reason(c, BENCH_FAILED, "cannot prepare the %s file of %zu bytes: %s",
			   bench_file_names[c->file], c->file_size, strerror(err));
		return -1;
	}
	if (c->map == BM_FLAG && (err = sdx_set_flag_fd(fd, 1)) < 0) {
		set_reason(c, BENCH_SKIPPED, "cannot set the sync-fault flag: %s: %s",
			   strerror(-err), sdx_strerror(err));
		return -1;
	}
	if (c->variant == BV_PREPARED &&
	    prepare_range(fd, c, nfaults * c->unit) != 0)
		return -1;
	/* Start from a quiet journal: the setup is not part of the faults. */
	if (fsync(fd) != 0 || syncfs(fd) != 0) {
		set_reason(c, BENCH_FAILED, "fsync: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Map size bytes of fd at a 2 MiB-aligned address; *res is what to unmap. */
static void *map_aligned(int fd, size_t size, int flags, void **res,
			 size_t *reslen)
{
	void *r;
	uintptr_t p;

	*reslen = size + SZ_2M;
	r = mmap(NULL, *reslen, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED)
		return MAP_FAILED;
	*res = r;
	p = ((uintptr_t)r + SZ_2M - 1) & ~(uintptr_t)(SZ_2M - 1);
	return mmap((void *)p, size, PROT_READ | PROT_WRITE, flags | MAP_FIXED,
		    fd, 0);
}

/* The mapping of case c, or MAP_FAILED with the reason set. */
static char *map_case(int fd, struct bench_fault_case *c, void **res,
		      size_t *reslen)
{
	int flags = c->map == BM_MAPSYNC ? MAP_SHARED_VALIDATE | MAP_SYNC
					 : MAP_SHARED;
	char *addr = map_aligned(fd, c->file_size, flags, res, reslen);
	char why[256];
	int err;

	if (addr != MAP_FAILED) {
		/* 4 KiB cases must not get PMD faults; 2 MiB cases may. */
		madvise(addr, c->file_size,
			c->page == BP_2M ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
		return addr;
	}
	err = errno;
	if (c->map == BM_MAPSYNC && (err == EOPNOTSUPP || err == EINVAL)) {
		set_reason(c, BENCH_SKIPPED, "MAP_SYNC refused: %s: not a DAX file on a synchronous device",
			   strerror(err));
	} else if (c->map == BM_FLAG && err == EOPNOTSUPP) {
		why_not_active(fd, why, sizeof(why));
		set_reason(c, BENCH_SKIPPED, "shared mapping of a flagged file refused: %s: %s",
			   strerror(err), why);
	} else {
		set_reason(c, BENCH_FAILED, "mmap: %s", strerror(err));
	}
	return MAP_FAILED;
}

/*
 * The units (pages or 2 MiB regions) the faults touch, in the order they
 * touch them: the first n in file order, or n distinct ones of the whole
 * file in an order that depends only on the seed.
 */
static uint32_t *pick_units(const struct bench_fault_case *c, size_t n,
			    unsigned long seed)
{
	size_t nunits = c->file_size / c->unit, i;
	uint32_t *u = calloc(nunits, sizeof(*u));
	uint64_t state = seed ? seed : 1;

	if (!u)
		return NULL;
	for (i = 0; i < nunits; i++)
		u[i] = (uint32_t)i;
	if (c->variant != BV_RANDOM)
		return u;
	/* The first n steps of a Fisher-Yates shuffle. */
	for (i = 0; i < n && i + 1 < nunits; i++) {
		size_t j = i + (size_t)(bench_rand(&state) % (nunits - i));
		uint32_t t = u[i];

		u[i] = u[j];
		u[j] = t;
	}
	return u;
}

/* d added to the sum of the rounds so far; unknown (-1) stays unknown. */
static void add_commits(struct bench_journal *sum,
			const struct bench_journal *d, bool first)
{
	if (first) {
		*sum = *d;
		return;
	}
	sum->commits = sum->commits < 0 || d->commits < 0 ? -1 :
		       sum->commits + d->commits;
	sum->fast_commits = sum->fast_commits < 0 || d->fast_commits < 0 ? -1 :
			    sum->fast_commits + d->fast_commits;
	sum->fc_ineligible = sum->fc_ineligible < 0 || d->fc_ineligible < 0 ? -1 :
			     sum->fc_ineligible + d->fc_ineligible;
}

/*
 * Time the first store to each of the n units after the samples of the
 * earlier rounds; add the commits to theirs.
 */
static void touch_units(const char *dir, struct bench_fault_case *c,
			char *addr, const uint32_t *units, size_t n)
{
	struct bench_journal before, after, d;
	uint64_t *ns = c->ns + c->nsamples;
	size_t i;

	bench_journal_read(dir, &before);
	for (i = 0; i < n; i++) {
		volatile uint64_t *p =
			(volatile uint64_t *)(addr + (size_t)units[i] * c->unit);
		uint64_t t0, t1;

		t0 = bench_now_ns();
		atomic_signal_fence(memory_order_seq_cst);
		*p = i + 1;
		atomic_signal_fence(memory_order_seq_cst);
		t1 = bench_now_ns();
		ns[i] = t1 - t0;
	}
	bench_journal_read(dir, &after);
	bench_journal_delta(&before, &after, &d);
	add_commits(&c->commits, &d, c->nsamples == 0);
	c->nsamples += n;
}

/* 4 KiB blocks of fd's extents that are not unwritten (FIEMAP), or -1. */
static long written_blocks(int fd, size_t size)
{
	enum { BATCH = 64 };
	struct fiemap *fm = calloc(1, sizeof(*fm) + BATCH * sizeof(struct fiemap_extent));
	uint64_t start = 0, bytes = 0;
	bool last = false;

	if (!fm)
		return -1;
	while (!last && start < size) {
		unsigned int i;

		fm->fm_start = start;
		fm->fm_length = size - start;
		/* Write back first: without DAX, blocks are written at writeback. */
		fm->fm_flags = FIEMAP_FLAG_SYNC;
		fm->fm_extent_count = BATCH;
		if (ioctl(fd, FS_IOC_FIEMAP, fm) != 0) {
			free(fm);
			return -1;
		}
		if (!fm->fm_mapped_extents)
			break;
		for (i = 0; i < fm->fm_mapped_extents; i++) {
			const struct fiemap_extent *e = &fm->fm_extents[i];

			if (!(e->fe_flags & FIEMAP_EXTENT_UNWRITTEN))
				bytes += e->fe_length;
			last = e->fe_flags & FIEMAP_EXTENT_LAST;
			start = e->fe_logical + e->fe_length;
		}
	}
	free(fm);
	return (long)(bytes / SZ_4K);
}

/*
 * How many blocks the file has after the faults.  Beyond the touched ones
 * count, for a sparse file, all allocated blocks (st_blocks, which also
 * counts extent-tree blocks), for a fallocate'd file the written ones.  A
 * negative number on 2m cases: PMD faults fell back to 4 KiB pages.
 */
static void count_blocks(int fd, struct bench_fault_case *c, size_t n)
{
	struct stat st;

	c->blocks_touched = (long)(n * (c->unit / SZ_4K));
	c->blocks_allocated = fstat(fd, &st) == 0 ?
			      (long)((uint64_t)st.st_blocks * 512 / SZ_4K) : -1;
	c->blocks_written = written_blocks(fd, c->file_size);
	if (c->file == BF_SPARSE && c->blocks_allocated >= 0) {
		c->beyond_known = true;
		c->blocks_beyond = c->blocks_allocated - c->blocks_touched;
	} else if (c->file == BF_FALLOC && c->blocks_written >= 0) {
		c->beyond_known = true;
		c->blocks_beyond = c->blocks_written - c->blocks_touched;
	}
}

/*
 * One round of case c: n faults on a fresh scratch file in o->dir, their
 * latencies after those of the earlier rounds.  Leaves c->status OK, or
 * sets it and the reason.
 */
static void run_case(const struct bench_opts *o, struct bench_fault_case *c,
		     size_t n, size_t rounds)
{
	size_t reslen = 0;
	uint32_t *units = NULL;
	void *res = NULL;
	int fd;

	c->unit = c->page == BP_2M ? SZ_2M : SZ_4K;
	c->file_size = n * c->unit *
		       (c->file == BF_PREALLOC ? 1 : BENCH_FAULT_SPREAD);
	if (!c->ns)
		c->ns = calloc(n * rounds, sizeof(*c->ns));
	units = pick_units(c, n, o->seed);
	if (!c->ns || !units) {
		set_reason(c, BENCH_FAILED, "out of memory");
		free(units);
		return;
	}
	fd = scratch_open(o->dir, c);
	if (fd < 0) {
		free(units);
		return;
	}
	if (setup_file(fd, c, n) == 0) {
		char *addr = map_case(fd, c, &res, &reslen);

		if (addr != MAP_FAILED) {
			touch_units(o->dir, c, addr, units, n);
			count_blocks(fd, c, n);
		}
	}
	if (res)
		munmap(res, reslen);
	close(fd);
	free(units);
}

static const struct bench_fault_case *
find(const struct bench_fault_run *r, int file, int map, int page, int variant)
{
	size_t i;

	for (i = 0; i < BENCH_FAULT_NCASES; i++) {
		const struct bench_fault_case *c = &r->cases[i];

		if (c->file == file && c->map == map && c->page == page &&
		    c->variant == variant)
			return c;
	}
	return NULL;
}

static double p50_of(const struct bench_fault_case *c)
{
	return c && c->status == BENCH_OK ? (double)c->st.p50 : -1;
}

static double p99_of(const struct bench_fault_case *c)
{
	return c && c->status == BENCH_OK ? (double)c->st.p99 : -1;
}

/* The ratios of the group whose plain case is cases[i]. */
static void add_group(struct bench_fault_run *r, const struct bench_fault_case *plain)
{
	struct bench_fault_group *g = &r->groups[r->ngroups++];
	int f = plain->file, p = plain->page, v = plain->variant;
	const struct bench_fault_case *ms = find(r, f, BM_MAPSYNC, p, v);
	const struct bench_fault_case *fl = find(r, f, BM_FLAG, p, v);

	snprintf(g->name, sizeof(g->name), "%s-%s%s%s", bench_file_names[f],
		 bench_page_names[p], v == BV_SEQ ? "" : "-",
		 v == BV_SEQ ? "" : bench_variant_names[v]);
	g->flag_vs_plain_p50 = bench_ratio(p50_of(fl), p50_of(plain));
	g->mapsync_vs_plain_p50 = bench_ratio(p50_of(ms), p50_of(plain));
	g->flag_vs_mapsync_p50 = bench_ratio(p50_of(fl), p50_of(ms));
	g->flag_vs_plain_p99 = bench_ratio(p99_of(fl), p99_of(plain));
	g->flag_vs_unprepared_plain_p50 = v != BV_PREPARED ? -1 :
		bench_ratio(p50_of(fl), p50_of(find(r, f, BM_PLAIN, p, BV_SEQ)));
}

static void compute_groups(struct bench_fault_run *r)
{
	size_t i;

	r->ngroups = 0;
	for (i = 0; i < BENCH_FAULT_NCASES; i++)
		if (r->cases[i].map == BM_PLAIN)
			add_group(r, &r->cases[i]);
}

/* Lay out the cases; returns how many are selected. */
static unsigned int init_cases(struct bench_fault_run *r)
{
	unsigned int nsel = 0;
	size_t i;

	for (i = 0; i < BENCH_FAULT_NCASES; i++) {
		struct bench_fault_case *c = &r->cases[i];

		memset(c, 0, sizeof(*c));
		c->name = bench_fault_names[i];
		c->file = bench_fault_defs[i].file;
		c->map = bench_fault_defs[i].map;
		c->page = bench_fault_defs[i].page;
		c->variant = bench_fault_defs[i].variant;
		c->commits.commits = c->commits.fast_commits = -1;
		c->commits.fc_ineligible = -1;
		c->blocks_touched = c->blocks_allocated = c->blocks_written = -1;
		c->status = bench_selected(r->opts->cases, c->name) ?
			    BENCH_OK : BENCH_UNSELECTED;
		if (c->status == BENCH_OK)
			nsel++;
	}
	return nsel;
}

/*
 * Run the selected cases, r->rounds times each.  A round runs every group
 * (the plain, MAP_SYNC and flag case of one file kind, page size and
 * variant, which follow each other in bench_fault_defs[]) with its
 * mappings in an order rotated by one from the round before: each mapping
 * runs first, second and third equally often, so what comes from a case's
 * place in the run (a cold path, the journal's state, the emulator's
 * caches) does not land on one mapping only.  False when a case failed.
 */
static bool run_cases(struct bench_fault_run *r, unsigned int nsel)
{
	const struct bench_opts *o = r->opts;
	unsigned int done = 0, total = nsel * (unsigned int)r->rounds;
	bool ok = true;
	size_t round, g, k;

	for (round = 0; round < r->rounds; round++) {
		for (g = 0; g < BENCH_FAULT_NCASES; g += BM_NMAP) {
			for (k = 0; k < BM_NMAP; k++) {
				struct bench_fault_case *c =
					&r->cases[g + (k + round) % BM_NMAP];

				if (c->status == BENCH_UNSELECTED)
					continue;
				bench_progress(o, "fault", ++done, total, c->name);
				if (c->status != BENCH_OK)
					continue;
				run_case(o, c, c->page == BP_2M ? r->n2m : r->n4k,
					 r->rounds);
				if (c->status == BENCH_FAILED) {
					fprintf(stderr, BENCH_PROG ": %s: %s: %s\n",
						o->dir, c->name, c->reason);
					ok = false;
				}
			}
		}
	}
	bench_progress(o, "fault", 0, 0, NULL);
	return ok;
}

/* The statistics of every case over all its rounds. */
static void finish_cases(struct bench_fault_run *r)
{
	size_t i;

	for (i = 0; i < BENCH_FAULT_NCASES; i++) {
		struct bench_fault_case *c = &r->cases[i];

		if (c->status != BENCH_OK)
			continue;
		bench_stats(c->ns, c->nsamples, &c->st);
		c->prepare_ns /= r->rounds;
	}
}

int bench_fault(const struct bench_opts *o)
{
	struct bench_fault_run *r = calloc(1, sizeof(*r));
	unsigned int nsel;
	bool ok;
	size_t i;
	int rc;

	if (!r) {
		bench_error(o->dir, ENOMEM, NULL);
		return BENCH_EXIT_FAILED;
	}
	r->opts = o;
	r->n4k = o->count ? o->count :
		 o->quick ? BENCH_QUICK_FAULT : BENCH_FAULT_COUNT;
	r->n2m = o->huge_count ? o->huge_count :
		 o->quick ? BENCH_QUICK_HUGE : BENCH_HUGE_COUNT;
	if (r->n2m > r->n4k)
		r->n2m = r->n4k;
	r->rounds = o->rounds ? o->rounds :
		    o->quick ? BENCH_QUICK_ROUNDS : BENCH_FAULT_ROUNDS;
	bench_env_probe("fault", o->dir, &r->env);
	nsel = init_cases(r);
	bench_load_start(&r->load);
	ok = run_cases(r, nsel);
	bench_load_end(&r->load);
	finish_cases(r);
	compute_groups(r);

	rc = BENCH_EXIT_OK;
	if (o->json && bench_json_print(json_bench_fault(r)) != 0)
		rc = BENCH_EXIT_FAILED;
	if (!o->json)
		bench_fault_print(r);
	for (i = 0; i < BENCH_FAULT_NCASES; i++)
		free(r->cases[i].ns);
	free(r);
	return ok ? rc : BENCH_EXIT_FAILED;
}
