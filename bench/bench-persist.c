// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-persist.c - syncdax-bench persist: throughput of random 64-byte
 * updates to a preallocated file, each made durable before the next by
 * msync(MS_SYNC) of its page, pwrite+fdatasync, pwrite on an O_DSYNC file
 * descriptor, a store through a MAP_SYNC mapping + cache flush, and a store
 * to a flagged file mapped by sdx_map_fd() + sdx_persist() (the library's
 * way: MAP_SYNC first, the flag as information).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <syncdax.h>

#include "bench.h"

#define PAGE	4096ul


/* One method's scratch file and how updates reach it. */
struct target {
	char path[PATH_MAX];
	int fd, dfd;			/* dfd: O_DSYNC (dsync) */
	char *addr;			/* msync, mapsync: the mapping */
	size_t size;
	struct sdx_mapping map;		/* flag: the library's mapping */
};

static void set_reason(struct bench_persist_method *m, int status,
		       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_reason(struct bench_persist_method *m, int status,
		       const char *fmt, ...)
{
	va_list ap;

	m->status = status;
	va_start(ap, fmt);
	vsnprintf(m->reason, sizeof(m->reason), fmt, ap);
	va_end(ap);
}

static int preallocate(int fd, size_t size)
{
	char *buf = calloc(1, 1 << 20);
	size_t done;

	if (!buf)
		return ENOMEM;
	for (done = 0; done < size; ) {
		size_t len = size - done < (1u << 20) ? size - done : (1u << 20);
		ssize_t w = pwrite(fd, buf, len, (off_t)done);

		if (w < 0) {
			int err = errno;

			free(buf);
			return err;
		}
		done += (size_t)w;
	}
	free(buf);
	return fsync(fd) ? errno : 0;
}

/* Store to every page so that the timed loop takes no page faults. */
static void prefault(char *addr, size_t size)
{
	size_t off;

	for (off = 0; off < size; off += PAGE)
		((volatile char *)addr)[off] = 0;
}

/* A preallocated scratch file without the flag, synced: 0 or -1. */
static int open_scratch(const char *dir, struct bench_persist_method *m,
			struct target *t)
{
	int err;

	snprintf(t->path, sizeof(t->path), "%s/.syncdax-bench.XXXXXX", dir);
	t->fd = mkstemp(t->path);
	if (t->fd < 0) {
		set_reason(m, BENCH_FAILED, "cannot create a scratch file: %s",
			   strerror(errno));
		return -1;
	}
	if (sdx_get_flag_fd(t->fd) == 1 && (err = sdx_set_flag_fd(t->fd, 0)) < 0) {
		set_reason(m, BENCH_FAILED, "cannot clear the inherited flag: %s",
			   sdx_strerror(err));
		return -1;
	}
	err = preallocate(t->fd, t->size);
	if (err) {
		set_reason(m, BENCH_FAILED, "cannot preallocate %zu bytes: %s",
			   t->size, strerror(err));
		return -1;
	}
	/*
	 * Start from a quiet journal and clean pages.  Not after the
	 * mappings are pre-faulted: writeback write-protects DAX pages again,
	 * and every update would take a fault.
	 */
	if (syncfs(t->fd) != 0) {
		set_reason(m, BENCH_FAILED, "syncfs: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The flagged file mapped by libsyncdax in flag mode: 0 or -1. */
static int map_flagged(struct bench_persist_method *m, struct target *t)
{
	int err = sdx_set_flag_fd(t->fd, 1);

	if (err < 0) {
		set_reason(m, BENCH_SKIPPED, "cannot set the sync-fault flag: %s: %s",
			   strerror(-err), sdx_strerror(err));
		return -1;
	}
	err = sdx_map_fd(t->fd, 0, t->size, 0, &t->map);
	if (err < 0) {
		set_reason(m, BENCH_SKIPPED, "cannot map the flagged file: %s",
			   sdx_map_strerror(err));
		return -1;
	}
	/*
	 * libsyncdax asks for MAP_SYNC first (the guarantee is bound to the
	 * mapping) and reports the flag as information: either mode gives
	 * synchronous faults; the msync fallback does not.
	 */
	if ((t->map.mode != SDX_MAP_FLAG && t->map.mode != SDX_MAP_SYNC) ||
	    t->map.inode_flag != SDX_YES) {
		set_reason(m, BENCH_SKIPPED, "libsyncdax mapped the flagged file in mode %s, %s",
			   sdx_map_mode_str(t->map.mode), t->map.inode_flag == SDX_YES ?
			   "without synchronous faults" : "not reporting the flag active");
		return -1;
	}
	t->addr = t->map.addr;
	prefault(t->addr, t->size);
	return 0;
}

/* What the method needs besides the file: 0 or -1. */
static int open_method(struct bench_persist_method *m, int method,
		       struct target *t)
{
	switch (method) {
	case PM_MSYNC:
		t->addr = mmap(NULL, t->size, PROT_READ | PROT_WRITE, MAP_SHARED,
			       t->fd, 0);
		if (t->addr == MAP_FAILED) {
			set_reason(m, BENCH_FAILED, "mmap: %s", strerror(errno));
			return -1;
		}
		return 0;
	case PM_DSYNC:
		t->dfd = open(t->path, O_WRONLY | O_DSYNC | O_CLOEXEC);
		if (t->dfd < 0) {
			set_reason(m, BENCH_FAILED, "open O_DSYNC: %s", strerror(errno));
			return -1;
		}
		return 0;
	case PM_MAPSYNC:
		t->addr = mmap(NULL, t->size, PROT_READ | PROT_WRITE,
			       MAP_SHARED_VALIDATE | MAP_SYNC, t->fd, 0);
		if (t->addr == MAP_FAILED) {
			set_reason(m, BENCH_SKIPPED, "MAP_SYNC refused: %s: not a DAX file on a synchronous device",
				   strerror(errno));
			return -1;
		}
		prefault(t->addr, t->size);
		return 0;
	case PM_FLAG:
		return map_flagged(m, t);
	default:
		return 0;
	}
}

/* Write upd at off and make it durable the method's way: 0 or -1. */
static int update(struct bench_persist_method *m, int method,
		  struct target *t, const unsigned char *upd, size_t off)
{
	size_t len = BENCH_UPDATE_SIZE;
	ssize_t w;
	int err;

	switch (method) {
	case PM_MSYNC:
		memcpy(t->addr + off, upd, len);
		if (msync(t->addr + (off & ~(PAGE - 1)), PAGE, MS_SYNC) == 0)
			return 0;
		set_reason(m, BENCH_FAILED, "msync: %s", strerror(errno));
		return -1;
	case PM_FDATASYNC:
	case PM_DSYNC:
		w = pwrite(method == PM_DSYNC ? t->dfd : t->fd, upd, len,
			   (off_t)off);
		if (w == (ssize_t)len && (method == PM_DSYNC || fdatasync(t->fd) == 0))
			return 0;
		set_reason(m, BENCH_FAILED, "%s: %s", method == PM_DSYNC ?
			   "pwrite O_DSYNC" : "pwrite+fdatasync",
			   w >= 0 && w < (ssize_t)len ? "short write" : strerror(errno));
		return -1;
	case PM_MAPSYNC:
		memcpy(t->addr + off, upd, len);
		sdx_flush(t->addr + off, len);
		sdx_drain();
		return 0;
	default:
		memcpy(t->addr + off, upd, len);
		err = sdx_persist(&t->map, t->addr + off, len);
		if (err == 0)
			return 0;
		set_reason(m, BENCH_FAILED, "sdx_persist: %s", sdx_map_strerror(err));
		return -1;
	}
}

/* n random updates, timed, with the journal commits they caused. */
static void timed_updates(const struct bench_opts *o,
			  struct bench_persist_method *m, int method,
			  struct target *t, size_t n)
{
	uint64_t seed = o->seed ? o->seed : 1, t0, t1;
	size_t slots = t->size / BENCH_UPDATE_SIZE, i;
	unsigned char upd[BENCH_UPDATE_SIZE];
	struct bench_journal before, after, d;

	bench_journal_read(o->dir, &before);
	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		/* The same offsets for every method. */
		size_t off = (size_t)(bench_rand(&seed) % slots) * BENCH_UPDATE_SIZE;

		memset(upd, (int)(i & 0xff), sizeof(upd));
		memcpy(upd, &i, sizeof(i));
		if (update(m, method, t, upd, off) != 0)
			return;
	}
	t1 = bench_now_ns();
	bench_journal_read(o->dir, &after);
	bench_journal_delta(&before, &after, &d);
	m->commits = d.commits;
	m->updates = n;
	m->ns = t1 > t0 ? t1 - t0 : 1;
	m->ops_per_sec = (double)m->updates * 1e9 / (double)m->ns;
	m->status = BENCH_OK;
}

static void run_method(const struct bench_opts *o,
		       struct bench_persist_method *m, int method, size_t n,
		       size_t size)
{
	struct target t = { .fd = -1, .dfd = -1, .addr = MAP_FAILED, .size = size };

	m->commits = -1;
	m->ops_per_sec = -1;
	if (open_scratch(o->dir, m, &t) == 0 && open_method(m, method, &t) == 0)
		timed_updates(o, m, method, &t, n);
	if (t.map.addr)
		sdx_unmap(&t.map);
	else if (t.addr != MAP_FAILED)
		munmap(t.addr, size);
	if (t.dfd >= 0)
		close(t.dfd);
	if (t.fd >= 0) {
		close(t.fd);
		unlink(t.path);
	}
}

static void print_method(const struct bench_persist_method *m,
			 double flag_ops)
{
	char commits[24], vs[24];

	if (m->status != BENCH_OK) {
		printf("%-10s %s: %s\n", m->name, bench_status_str(m->status),
		       m->reason);
		return;
	}
	printf("%-10s %8zu %10.3f %12.1f %10.2f %8s %9s\n", m->name,
	       m->updates, (double)m->ns / 1e9, m->ops_per_sec,
	       (double)m->ns / 1e3 / (double)m->updates,
	       bench_fmt_long(commits, sizeof(commits), m->commits),
	       bench_fmt_double(vs, sizeof(vs),
				bench_ratio(m->ops_per_sec, flag_ops), 4));
}

static void print_text(const struct bench_persist_run *r)
{
	int i;

	bench_text_env(&r->env);
	bench_text_load(&r->load);
	printf("%zu random %d-byte updates per method in a %zu MiB preallocated file\n\n",
	       r->count, BENCH_UPDATE_SIZE, r->file_size >> 20);
	printf("%-10s %8s %10s %12s %10s %8s %9s\n", "method", "updates",
	       "seconds", "ops/s", "avg us", "commits", "vs flag");
	for (i = 0; i < PM_NMETHOD; i++)
		if (r->methods[i].status != BENCH_UNSELECTED)
			print_method(&r->methods[i], r->methods[PM_FLAG].ops_per_sec);
	if (r->flag_vs_msync > 0)
		printf("\nflag throughput / msync throughput: %.2f\n",
		       r->flag_vs_msync);
}

/* Run the selected methods; false when one failed. */
static bool run_methods(struct bench_persist_run *r)
{
	const struct bench_opts *o = r->opts;
	unsigned int nsel = 0, done = 0;
	bool ok = true;
	int i;

	for (i = 0; i < PM_NMETHOD; i++) {
		r->methods[i].name = bench_persist_names[i];
		r->methods[i].ops_per_sec = -1;
		r->methods[i].status = bench_selected(o->cases, bench_persist_names[i]) ?
				       BENCH_OK : BENCH_UNSELECTED;
		nsel += r->methods[i].status == BENCH_OK;
	}
	for (i = 0; i < PM_NMETHOD; i++) {
		struct bench_persist_method *m = &r->methods[i];

		if (m->status == BENCH_UNSELECTED)
			continue;
		bench_progress(o, "persist", ++done, nsel, m->name);
		run_method(o, m, i, r->count, r->file_size);
		if (m->status == BENCH_FAILED) {
			fprintf(stderr, BENCH_PROG ": %s: %s: %s\n", o->dir,
				m->name, m->reason);
			ok = false;
		}
	}
	bench_progress(o, "persist", 0, 0, NULL);
	return ok;
}

int bench_persist(const struct bench_opts *o)
{
	struct bench_persist_run r = { .opts = o };
	int rc = BENCH_EXIT_OK;
	bool ok;

	r.count = o->count ? o->count :
		  o->quick ? BENCH_QUICK_PERSIST : BENCH_PERSIST_COUNT;
	r.file_size = o->quick ? BENCH_QUICK_PERSIST_SIZE : BENCH_PERSIST_SIZE;
	bench_env_probe("persist", o->dir, &r.env);
	bench_load_start(&r.load);
	ok = run_methods(&r);
	bench_load_end(&r.load);
	r.flag_vs_msync = bench_ratio(r.methods[PM_FLAG].ops_per_sec,
				      r.methods[PM_MSYNC].ops_per_sec);
	if (o->json && bench_json_print(json_bench_persist(&r)) != 0)
		rc = BENCH_EXIT_FAILED;
	if (!o->json)
		print_text(&r);
	return ok ? rc : BENCH_EXIT_FAILED;
}
