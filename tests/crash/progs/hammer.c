// SPDX-License-Identifier: GPL-2.0
/*
 * hammer - bounded concurrency test of one flagged file
 * (tests/vm/crash-faults.bats).
 *
 *   hammer FILE SECONDS SEED [WRITERS]
 *
 * FILE (created, 2*R pages with R = 64 per writer) is mapped MAP_SHARED by
 * WRITERS (default 3) processes that store self-checking records and persist
 * them with sdx_persist()-style flushes, while other processes at the same
 * time toggle the sync-fault flag on and off, truncate the upper half away
 * and back, punch holes into the upper half and read the whole file.
 *
 * Oracle: the lower half is written only by the writers, each in its own
 * pages, so at the end each such page must hold exactly the last record its
 * writer stored there.  In the upper half pages disappear at random, so a
 * record there must only never be at a wrong offset (index field 0 or the
 * page's own index), which is what a stale mapping after a truncate or a
 * punch would break.  Writers survive SIGBUS in the upper half (a store
 * beyond EOF).  Prints counts; exit 1 on a violation or a dead process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <syncdax.h>

#define PAGE 4096L
#define PER 64
#define MAGIC 0x48414d4d4552ULL
#define MAXW 8

struct rec {
	uint64_t magic, index, writer, seq, sum;
};

static uint64_t sum(const struct rec *r)
{
	return (r->magic * 31 + r->index) * 1000003 + r->writer * 7919 + r->seq;
}

#include "xorshift.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static sigjmp_buf jb;
static volatile sig_atomic_t sigbus;
static void on_bus(int sig)
{
	(void)sig;
	sigbus++;
	siglongjmp(jb, 1);
}

static const char *path;
static long npages, half;
static int nwriters;

static int writer(int w, double until, uint64_t *last)
{
	int fd = open(path, O_RDWR);
	char *map;
	volatile long stores = 0, bus = 0;
	struct sigaction sa = { .sa_handler = on_bus };

	if (fd < 0)
		return 1;
	map = mmap(NULL, (size_t)(npages * PAGE), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror("hammer: writer mmap");
		return 1;
	}
	sigaction(SIGBUS, &sa, NULL);
	while (now() < until) {
		volatile long p;
		volatile struct rec *r;
		struct rec v;

		if (rnd() & 1)
			p = w * PER + (long)(rnd() % PER);		/* own stable page */
		else
			p = half + (long)(rnd() % (uint64_t)half);	/* shared upper half */
		v.magic = MAGIC;
		v.index = (uint64_t)p;
		v.writer = (uint64_t)w;
		v.seq = (uint64_t)++stores;
		v.sum = sum(&v);
		r = (volatile struct rec *)(map + p * PAGE);
		if (sigsetjmp(jb, 1)) {
			bus++;
			continue;
		}
		r->index = v.index;
		r->writer = v.writer;
		r->seq = v.seq;
		r->sum = v.sum;
		r->magic = v.magic;
		sdx_flush((const void *)r, sizeof(*r));
		sdx_drain();
		if (p < half)
			last[p] = v.seq;
	}
	printf("writer %d: %ld stores, %ld SIGBUS in the upper half\n", w, stores, bus);
	return 0;
}

static int other(int kind, double until)
{
	int fd = open(path, O_RDWR);
	long n = 0, err = 0;
	char buf[PAGE];

	if (fd < 0)
		return 1;
	while (now() < until) {
		long p = half + (long)(rnd() % (uint64_t)half);
		int rc = 0;

		switch (kind) {
		case 0:	/* toggle the flag */
			rc = sdx_set_flag_fd(fd, (int)(n & 1) ^ 1);
			if (rc < 0) {
				fprintf(stderr, "hammer: toggle: %s\n", sdx_strerror(rc));
				return 1;
			}
			break;
		case 1:	/* truncate the upper half away and back */
			if (ftruncate(fd, half * PAGE + (long)(rnd() % (uint64_t)half) * PAGE) ||
			    ftruncate(fd, npages * PAGE))
				err++;
			break;
		case 2:	/* punch a hole into the upper half */
			if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, p * PAGE,
				      (1 + (long)(rnd() % 4)) * PAGE) && errno != EINVAL)
				err++;
			break;
		case 3:	/* read */
			if (pread(fd, buf, sizeof(buf), (rnd() % (uint64_t)npages) * PAGE) < 0)
				err++;
			break;
		}
		n++;
		usleep(1000 + (useconds_t)(rnd() % 5000));
	}
	printf("%s: %ld operations, %ld errors\n",
	       (const char *[]){ "toggle", "truncate", "punch", "read" }[kind], n, err);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	double secs, until;
	uint64_t seed, *last;
	pid_t pids[MAXW + 4];
	int i, nproc = 0, bad = 0, fd, rc;
	char *map;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: hammer FILE SECONDS SEED [WRITERS]\n");
		return 2;
	}
	path = argv[1];
	secs = atof(argv[2]);
	seed = strtoull(argv[3], NULL, 0);
	nwriters = argc == 5 ? atoi(argv[4]) : 3;
	if (nwriters < 1 || nwriters > MAXW)
		return 2;
	half = (long)nwriters * PER;
	npages = 2 * half;
	printf("hammer: %s, %d writers, %.0f s, seed %llu\n", path, nwriters, secs,
	       (unsigned long long)seed);

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, npages * PAGE)) {
		perror(path);
		return 1;
	}
	rc = sdx_set_flag_fd(fd, 1);
	if (rc < 0) {
		fprintf(stderr, "hammer: set flag: %s\n", sdx_strerror(rc));
		return 1;
	}
	last = mmap(NULL, (size_t)half * sizeof(*last), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (last == MAP_FAILED)
		return 1;
	until = now() + secs;
	fflush(stdout);
	for (i = 0; i < nwriters + 4; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			rng = seed * 0x9e3779b97f4a7c15ULL + (uint64_t)i * 7919 + 1;
			rc = i < nwriters ? writer(i, until, last) : other(i - nwriters, until);
			fflush(stdout);
			_exit(rc);
		}
		pids[nproc++] = pid;
	}
	for (i = 0; i < nproc; i++) {
		int st;

		waitpid(pids[i], &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "hammer: process %d died (status %#x%s%s)\n", i, st,
				WIFSIGNALED(st) ? ", signal " : "",
				WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "");
			bad = 1;
		}
	}

	/* the oracle */
	if (ftruncate(fd, npages * PAGE))
		return 1;
	map = mmap(NULL, (size_t)(npages * PAGE), PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror("hammer: mmap for checking");
		return 1;
	}
	long checked = 0, upper = 0;

	for (long p = 0; p < npages; p++) {
		const struct rec *r = (const struct rec *)(map + p * PAGE);

		if (p < half) {
			if (!last[p])
				continue;
			checked++;
			if (r->magic != MAGIC || r->index != (uint64_t)p ||
			    r->writer != (uint64_t)(p / PER) || r->seq != last[p] ||
			    r->sum != sum(r)) {
				fprintf(stderr, "hammer: page %ld: expected writer %ld seq %llu, found magic %#llx index %llu writer %llu seq %llu\n",
					p, p / PER, (unsigned long long)last[p],
					(unsigned long long)r->magic, (unsigned long long)r->index,
					(unsigned long long)r->writer, (unsigned long long)r->seq);
				bad = 1;
			}
		} else {
			if (r->index)
				upper++;
			if (r->index && r->index != (uint64_t)p) {
				fprintf(stderr, "hammer: upper page %ld holds a record of page %llu\n",
					p, (unsigned long long)r->index);
				bad = 1;
			}
		}
	}
	rc = sdx_get_flag_fd(fd);
	printf("hammer: %ld stable pages match their last store, %ld upper pages hold records at their own offset, flag %d\n",
	       checked, upper, rc);
	if (rc < 0)
		bad = 1;
	return bad;
}
