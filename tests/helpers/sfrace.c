// SPDX-License-Identifier: GPL-2.0
/*
 * sfrace - first-touch pages of a shared mapping from two threads while a
 * third turns the sync-fault flag on and off as fast as it can, and msync
 * the mapping after each round (tests/vm/kernel-race.bats).
 *
 *   sfrace FILE PAGES_PER_ROUND ROUNDS
 *
 * The file is made sparse and PAGES_PER_ROUND * ROUNDS pages long; every
 * page is stored to exactly once, so every write fault allocates a block
 * and, when the fault is synchronous, needs a commit.  Whatever path a
 * fault took, its page must be written back by the msync that ends its
 * round: an ordinary fault tags the entry dirty, and a synchronous one
 * tags it dirty when it makes the entry writable.  The test checks that
 * with the dax_writeback_one tracepoint.  Prints "toggles=N pages=N".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi-syncfault.h"

#define PAGE 4096UL
#define WRITERS 2

static const char *path;
static char *base;
static long per_round;
static atomic_int stop;
static atomic_long toggles;

struct writer {
	pthread_t thread;
	long first, step, end;
};

static void die(const char *what, int e)
{
	fprintf(stderr, "sfrace: %s %s: %s\n", what, path, strerror(e));
	exit(1);
}

static void *toggler(void *arg)
{
	struct fs_syncfault sf = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	(void)arg;
	if (fd < 0)
		die("open", errno);
	while (!atomic_load(&stop)) {
		sf.sf_flags ^= FS_SYNCFAULT_ON;
		if (ioctl(fd, FS_IOC_SETSYNCFAULT, &sf))
			die("FS_IOC_SETSYNCFAULT", errno);
		atomic_fetch_add(&toggles, 1);
	}
	close(fd);
	return NULL;
}

static void *writer(void *arg)
{
	struct writer *w = arg;
	long i;

	for (i = w->first; i < w->end; i += w->step)
		((volatile char *)base)[i * PAGE] = (char)(i | 1);
	return NULL;
}

static void spawn(pthread_t *t, void *(*fn)(void *), void *arg)
{
	int e = pthread_create(t, NULL, fn, arg);

	if (e)
		die("pthread_create", e);
}

int main(int argc, char **argv)
{
	struct writer w[WRITERS];
	pthread_t tog;
	long rounds, r, total;
	size_t len;
	int fd, i;

	if (argc != 4) {
		fprintf(stderr, "usage: sfrace FILE PAGES_PER_ROUND ROUNDS\n");
		return 2;
	}
	path = argv[1];
	per_round = strtol(argv[2], NULL, 0);
	rounds = strtol(argv[3], NULL, 0);
	if (per_round <= 0 || rounds <= 0)
		return 2;
	total = per_round * rounds;
	len = (size_t)total * PAGE;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("open", errno);
	if (ftruncate(fd, (off_t)len))
		die("ftruncate", errno);
	base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED)
		die("mmap", errno);
	madvise(base, len, MADV_NOHUGEPAGE);

	for (r = 0; r < rounds; r++) {
		atomic_store(&stop, 0);
		spawn(&tog, toggler, NULL);
		for (i = 0; i < WRITERS; i++) {
			w[i].first = r * per_round + i;
			w[i].step = WRITERS;
			w[i].end = (r + 1) * per_round;
			spawn(&w[i].thread, writer, &w[i]);
		}
		for (i = 0; i < WRITERS; i++)
			pthread_join(w[i].thread, NULL);
		atomic_store(&stop, 1);
		pthread_join(tog, NULL);
		if (msync(base, len, MS_SYNC))
			die("msync", errno);
	}
	munmap(base, len);
	close(fd);
	printf("toggles=%ld pages=%ld\n", atomic_load(&toggles), total);
	return 0;
}
