// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-persist.c - syncdaxctl bench persist: throughput of random 64-byte
 * updates to a preallocated file, each made durable before the next by
 * msync(MS_SYNC) of its page, pwrite+fdatasync, pwrite on an O_DSYNC file
 * descriptor, a store through a MAP_SYNC mapping + cache flush, and a store
 * under the sync-fault flag + sdx_persist().
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
#include "json.h"
#include "util.h"

#define PAGE	4096ul

enum { P_MSYNC, P_FDATASYNC, P_DSYNC, P_MAPSYNC, P_FLAG, P_N };

const char *const bench_persist_names[P_N] = {
	"msync", "fdatasync", "dsync", "mapsync", "flag",
};
const size_t bench_persist_nnames = P_N;

enum { S_OK, S_SKIPPED, S_FAILED };
static const char *const status_names[] = { "ok", "skipped", "failed" };

struct pmethod {
	const char *name;
	int status;		/* -1: not selected */
	char reason[512];
	size_t updates;
	uint64_t ns;		/* all updates */
	long commits;		/* journal commits during them, -1 unknown */
};

static void set_reason(struct pmethod *m, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_reason(struct pmethod *m, int status, const char *fmt, ...)
{
	va_list ap;

	m->status = status;
	va_start(ap, fmt);
	vsnprintf(m->reason, sizeof(m->reason), fmt, ap);
	va_end(ap);
}

/* xorshift64*: the same offsets for every method. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
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

static void run_method(const struct bench_opts *o, struct pmethod *m,
		       int method, size_t n, size_t size)
{
	uint64_t seed = o->seed ? o->seed : 1, t0 = 0, t1 = 0;
	size_t slots = size / BENCH_UPDATE_SIZE, i;
	struct sdx_mapping map = { 0 };
	unsigned char upd[BENCH_UPDATE_SIZE];
	char path[PATH_MAX];
	char *addr = MAP_FAILED;
	int fd, dfd = -1, err;
	long before;

	m->commits = -1;
	snprintf(path, sizeof(path), "%s/.syncdax-bench.XXXXXX", o->dir);
	fd = mkstemp(path);
	if (fd < 0) {
		set_reason(m, S_FAILED, "cannot create a scratch file: %s",
			   strerror(errno));
		return;
	}
	if (method != P_FLAG && sdx_get_flag_fd(fd) == 1 &&
	    (err = sdx_set_flag_fd(fd, 0)) < 0) {
		set_reason(m, S_FAILED, "cannot clear the inherited flag: %s",
			   sdx_strerror(err));
		goto out;
	}
	err = preallocate(fd, size);
	if (err) {
		set_reason(m, S_FAILED, "cannot preallocate %zu bytes: %s",
			   size, strerror(err));
		goto out;
	}

	/*
	 * Start from a quiet journal and clean pages.  Not after the
	 * mappings are pre-faulted: writeback write-protects DAX pages again,
	 * and every update would take a fault.
	 */
	if (syncfs(fd) != 0) {
		set_reason(m, S_FAILED, "syncfs: %s", strerror(errno));
		goto out;
	}

	switch (method) {
	case P_MSYNC:
		addr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (addr == MAP_FAILED) {
			set_reason(m, S_FAILED, "mmap: %s", strerror(errno));
			goto out;
		}
		break;
	case P_DSYNC:
		dfd = open(path, O_WRONLY | O_DSYNC | O_CLOEXEC);
		if (dfd < 0) {
			set_reason(m, S_FAILED, "open O_DSYNC: %s", strerror(errno));
			goto out;
		}
		break;
	case P_MAPSYNC:
		addr = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0);
		if (addr == MAP_FAILED) {
			set_reason(m, S_SKIPPED, "MAP_SYNC refused: %s: not a DAX file on a synchronous device",
				   strerror(errno));
			goto out;
		}
		prefault(addr, size);
		break;
	case P_FLAG:
		err = sdx_set_flag_fd(fd, 1);
		if (err < 0) {
			const char *why = sdx_explanation(err);

			set_reason(m, S_SKIPPED, "cannot set the sync-fault flag: %s%s%s",
				   strerror(-err), why ? ": " : "", why ? why : "");
			goto out;
		}
		err = sdx_map_fd(fd, 0, size, 0, &map);
		if (err < 0) {
			set_reason(m, S_SKIPPED, "cannot map the flagged file: %s",
				   sdx_map_strerror(err));
			goto out;
		}
		if (map.mode != SDX_MAP_FLAG) {
			set_reason(m, S_SKIPPED, "libsyncdax mapped the flagged file in mode %s, not flag",
				   sdx_map_mode_str(map.mode));
			goto out;
		}
		addr = map.addr;
		prefault(addr, size);
		break;
	default:
		break;
	}
	before = bench_journal_commits(o->dir);
	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		size_t off = (size_t)(next_rand(&seed) % slots) * BENCH_UPDATE_SIZE;
		ssize_t w;

		memset(upd, (int)(i & 0xff), sizeof(upd));
		memcpy(upd, &i, sizeof(i));
		switch (method) {
		case P_MSYNC:
			memcpy(addr + off, upd, sizeof(upd));
			if (msync(addr + (off & ~(PAGE - 1)), PAGE, MS_SYNC) != 0) {
				set_reason(m, S_FAILED, "msync: %s", strerror(errno));
				goto out;
			}
			break;
		case P_FDATASYNC:
			w = pwrite(fd, upd, sizeof(upd), (off_t)off);
			if (w != (ssize_t)sizeof(upd) || fdatasync(fd) != 0) {
				set_reason(m, S_FAILED, "pwrite+fdatasync: %s",
					   w < 0 ? strerror(errno) : "short write");
				goto out;
			}
			break;
		case P_DSYNC:
			w = pwrite(dfd, upd, sizeof(upd), (off_t)off);
			if (w != (ssize_t)sizeof(upd)) {
				set_reason(m, S_FAILED, "pwrite O_DSYNC: %s",
					   w < 0 ? strerror(errno) : "short write");
				goto out;
			}
			break;
		case P_MAPSYNC:
			memcpy(addr + off, upd, sizeof(upd));
			sdx_flush(addr + off, sizeof(upd));
			sdx_drain();
			break;
		default:
			memcpy(addr + off, upd, sizeof(upd));
			err = sdx_persist(&map, addr + off, sizeof(upd));
			if (err < 0) {
				set_reason(m, S_FAILED, "sdx_persist: %s",
					   sdx_map_strerror(err));
				goto out;
			}
			break;
		}
	}
	t1 = bench_now_ns();
	if (before >= 0) {
		long after = bench_journal_commits(o->dir);

		m->commits = after >= before ? after - before : -1;
	}
	m->updates = n;
	m->ns = (t1 > t0) ? (t1 - t0) : 1;
	m->status = S_OK;
out:
	if (map.addr)
		sdx_unmap(&map);
	else if (addr != MAP_FAILED)
		munmap(addr, size);
	if (dfd >= 0)
		close(dfd);
	close(fd);
	unlink(path);
}

static double ops_per_sec(const struct pmethod *m)
{
	return m->status == S_OK ? (double)m->updates * 1e9 / (double)m->ns : -1;
}

static struct json_object *num(double v, int decimals)
{
	char buf[64];

	if (v < 0)
		return NULL;
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	return json_object_new_double_s(v, buf);
}

int bench_persist(const struct bench_opts *o)
{
	struct pmethod ms[P_N];
	size_t n = o->count ? o->count :
		   o->quick ? BENCH_QUICK_PERSIST : BENCH_PERSIST_COUNT;
	size_t size = o->quick ? BENCH_QUICK_PERSIST_SIZE : BENCH_PERSIST_SIZE;
	unsigned int nsel = 0, done = 0;
	double flag_ops, msync_ops, flag_vs_msync = -1;
	bool failed = false;
	int i, rc = EXIT_ALL_OK;

	for (i = 0; i < P_N; i++) {
		memset(&ms[i], 0, sizeof(ms[i]));
		ms[i].name = bench_persist_names[i];
		ms[i].status = bench_selected(o->cases, ms[i].name) ? S_OK : -1;
		if (ms[i].status == S_OK)
			nsel++;
	}
	for (i = 0; i < P_N; i++) {
		if (ms[i].status < 0)
			continue;
		bench_progress(o, "persist", ++done, nsel, ms[i].name);
		run_method(o, &ms[i], i, n, size);
		if (ms[i].status == S_FAILED) {
			fprintf(stderr, PROG ": bench: %s: %s: %s\n", o->dir,
				ms[i].name, ms[i].reason);
			failed = true;
		}
	}
	bench_progress(o, "persist", 0, 0, NULL);

	flag_ops = ms[P_FLAG].status == S_OK ? ops_per_sec(&ms[P_FLAG]) : -1;
	msync_ops = ms[P_MSYNC].status == S_OK ? ops_per_sec(&ms[P_MSYNC]) : -1;
	if (flag_ops > 0 && msync_ops > 0)
		flag_vs_msync = flag_ops / msync_ops;

	if (o->json) {
		struct json_object *j = json_object_new_object();
		struct json_object *a = json_object_new_array();

		bench_json_env(j, "persist", o->dir);
		json_object_object_add(j, "count", json_object_new_int64((int64_t)n));
		json_object_object_add(j, "update_size",
				       json_object_new_int(BENCH_UPDATE_SIZE));
		json_object_object_add(j, "file_size",
				       json_object_new_int64((int64_t)size));
		json_object_object_add(j, "seed",
				       json_object_new_uint64(o->seed));
		json_object_object_add(j, "quick", json_object_new_boolean(o->quick));
		for (i = 0; i < P_N; i++) {
			const struct pmethod *m = &ms[i];
			struct json_object *e;
			bool ok = m->status == S_OK;
			double ops = ops_per_sec(m);

			if (m->status < 0)
				continue;
			e = json_object_new_object();
			json_object_object_add(e, "name", json_object_new_string(m->name));
			json_object_object_add(e, "status",
				json_object_new_string(status_names[m->status]));
			json_object_object_add(e, "reason",
				ok ? NULL : json_object_new_string(m->reason));
			json_object_object_add(e, "updates",
				json_object_new_int64(ok ? (int64_t)m->updates : 0));
			json_object_object_add(e, "seconds",
				ok ? num((double)m->ns / 1e9, 6) : NULL);
			json_object_object_add(e, "ops_per_sec", ok ? num(ops, 1) : NULL);
			json_object_object_add(e, "avg_us", ok ?
				bench_json_us((double)m->ns / (double)m->updates) : NULL);
			json_object_object_add(e, "journal_commits",
				ok && m->commits >= 0 ? json_object_new_int64(m->commits) : NULL);
			json_object_object_add(e, "ratio_to_flag",
				ok && flag_ops > 0 ? num(ops / flag_ops, 4) : NULL);
			json_object_array_add(a, e);
		}
		json_object_object_add(j, "methods", a);
		json_object_object_add(j, "flag_vs_msync", num(flag_vs_msync, 2));
		if (json_print(j) != 0)
			rc = EXIT_SOME_FAILED;
	} else {
		bench_text_env("persist", o->dir);
		printf("%zu random %d-byte updates per method in a %zu MiB preallocated file\n\n",
		       n, BENCH_UPDATE_SIZE, size >> 20);
		printf("%-10s %8s %10s %12s %10s %8s %9s\n", "method", "updates",
		       "seconds", "ops/s", "avg us", "commits", "vs flag");
		for (i = 0; i < P_N; i++) {
			const struct pmethod *m = &ms[i];
			char commits[24], vs[24];

			if (m->status < 0)
				continue;
			if (m->status != S_OK) {
				printf("%-10s %s: %s\n", m->name,
				       status_names[m->status], m->reason);
				continue;
			}
			if (m->commits >= 0)
				snprintf(commits, sizeof(commits), "%ld", m->commits);
			else
				snprintf(commits, sizeof(commits), "-");
			if (flag_ops > 0)
				snprintf(vs, sizeof(vs), "%.4f", ops_per_sec(m) / flag_ops);
			else
				snprintf(vs, sizeof(vs), "-");
			printf("%-10s %8zu %10.3f %12.1f %10.2f %8s %9s\n", m->name,
			       m->updates, (double)m->ns / 1e9, ops_per_sec(m),
			       (double)m->ns / 1e3 / (double)m->updates, commits, vs);
		}
		if (flag_vs_msync > 0)
			printf("\nflag throughput / msync throughput: %.2f\n",
			       flag_vs_msync);
	}
	return failed ? EXIT_SOME_FAILED : rc;
}
