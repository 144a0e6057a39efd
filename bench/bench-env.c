// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-env.c - where syncdax-bench runs: the file system of the
 * directory, its journal's commit counters, and the machine's load.
 *
 * The counters are those the kernel exports (6.12): jbd2's
 * /proc/fs/jbd2/DEV-8/info starts with "N transactions (M requested), ...",
 * ext4's /proc/fs/ext4/DEV/fc_info with "fc stats:\nN commits\nM
 * ineligible\n...".  The load is /proc/loadavg and the steal column of
 * /proc/stat (time a hypervisor ran something else while this CPU wanted
 * to run; always 0 where the hypervisor does not report it, as QEMU TCG).
 * With the syncdax series, ext4 also exports the window it allocates
 * ahead of a synchronous fault (/sys/fs/ext4/DEV/syncfault_prealloc_kb).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <syncdax.h>

#include "bench.h"

/* The kernel's name of the block device holding dir ("pmem0"): 0 or -1. */
static int dev_name(const char *dir, char *name, size_t size)
{
	char path[64], link[PATH_MAX];
	const char *base;
	struct stat st;
	ssize_t len;

	if (stat(dir, &st) != 0)
		return -1;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u",
		 major(st.st_dev), minor(st.st_dev));
	len = readlink(path, link, sizeof(link) - 1);
	if (len <= 0)
		return -1;
	link[len] = '\0';
	base = strrchr(link, '/');
	base = base ? base + 1 : link;
	len = (ssize_t)strlen(base);
	if ((size_t)len >= size)
		return -1;
	memcpy(name, base, (size_t)len + 1);
	return 0;
}

/* The first bytes of a /proc file as a string: 0 or -1. */
static int read_head(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n ? 0 : -1;
}

/*
 * The preallocation window of synchronous allocating faults (kernel patch
 * 7: /sys/fs/ext4/DEV/syncfault_prealloc_kb), or -1 where there is none.
 */
static long window_kb(const char *dir)
{
	char name[128], path[PATH_MAX], text[32];
	long kb;

	if (dev_name(dir, name, sizeof(name)) != 0)
		return -1;
	snprintf(path, sizeof(path), "/sys/fs/ext4/%s/syncfault_prealloc_kb", name);
	if (read_head(path, text, sizeof(text)) != 0 || sscanf(text, "%ld", &kb) != 1)
		return -1;
	return kb;
}

void bench_env_probe(const char *bench, const char *dir, struct bench_env *e)
{
	struct sdx_probe *p = NULL;

	memset(e, 0, sizeof(*e));
	e->bench = bench;
	e->dir = dir;
	e->fast_commit = SDX_UNKNOWN;
	e->window_kb = window_kb(dir);
	snprintf(e->cpu_flush, sizeof(e->cpu_flush), "%s",
		 sdx_flush_insn_str(sdx_flush_insn()));
	if (sdx_probe_path(NULL, dir, &p) != 0)
		return;
	e->probed = true;
	snprintf(e->fstype, sizeof(e->fstype), "%s", sdx_probe_get_fstype(p));
	snprintf(e->mount_dax, sizeof(e->mount_dax), "%s",
		 sdx_mount_dax_str(sdx_probe_get_mount_dax(p)));
	snprintf(e->blockdev, sizeof(e->blockdev), "%s", sdx_probe_get_blockdev(p));
	e->fast_commit = sdx_probe_get_fast_commit(p);
	sdx_probe_free(p);
}

void bench_journal_read(const char *dir, struct bench_journal *j)
{
	char name[128], path[PATH_MAX], text[256];

	j->commits = j->fast_commits = j->fc_ineligible = -1;
	if (dev_name(dir, name, sizeof(name)) != 0)
		return;
	/* ext4's journal: DEV-8 (8 is the journal's inode number). */
	snprintf(path, sizeof(path), "/proc/fs/jbd2/%s-8/info", name);
	if (read_head(path, text, sizeof(text)) != 0 ||
	    sscanf(text, "%ld transactions", &j->commits) != 1)
		j->commits = -1;
	snprintf(path, sizeof(path), "/proc/fs/ext4/%s/fc_info", name);
	if (read_head(path, text, sizeof(text)) != 0 ||
	    sscanf(text, "fc stats: %ld commits %ld ineligible",
		   &j->fast_commits, &j->fc_ineligible) != 2)
		j->fast_commits = j->fc_ineligible = -1;
}

static long delta(long before, long after)
{
	return before >= 0 && after >= before ? after - before : -1;
}

void bench_journal_delta(const struct bench_journal *before,
			 const struct bench_journal *after,
			 struct bench_journal *d)
{
	d->commits = delta(before->commits, after->commits);
	d->fast_commits = delta(before->fast_commits, after->fast_commits);
	d->fc_ineligible = delta(before->fc_ineligible, after->fc_ineligible);
}

static double loadavg(void)
{
	double l;
	FILE *f = fopen("/proc/loadavg", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%lf", &l) != 1)
		l = -1;
	fclose(f);
	return l;
}

/* Steal and total jiffies of all CPUs from /proc/stat's "cpu" line: 0 or -1. */
static int cpu_times(uint64_t *steal, uint64_t *total)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int n, i;

	if (!f)
		return -1;
	/* user nice system idle iowait irq softirq steal (guest is in user) */
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n != 8)
		return -1;
	*total = 0;
	for (i = 0; i < 8; i++)
		*total += v[i];
	*steal = v[7];
	return 0;
}

void bench_load_start(struct bench_load *l)
{
	memset(l, 0, sizeof(*l));
	l->loadavg_before = loadavg();
	l->loadavg_after = -1;
	l->steal_percent = -1;
	l->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpu_times(&l->steal0, &l->total0) != 0)
		l->total0 = 0;
}

void bench_load_end(struct bench_load *l)
{
	uint64_t steal, total;

	l->loadavg_after = loadavg();
	if (l->total0 && cpu_times(&steal, &total) == 0 && total > l->total0 &&
	    steal >= l->steal0)
		l->steal_percent = 100.0 * (double)(steal - l->steal0) /
				   (double)(total - l->total0);
}
