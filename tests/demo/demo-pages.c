// SPDX-License-Identifier: GPL-2.0
/*
 * demo-pages - store self-checking pages through a plain shared mapping and
 * count, after a power cut, how many are still in the file.
 *
 *   demo-pages write FILE NPAGES SEED [map_sync]
 *                                        map FILE shared (with MAP_SYNC if
 *                                        asked), and for each page store a
 *                                        header and make it durable with
 *                                        sdx_flush()+sdx_drain() (a CPU
 *                                        cache flush, no msync)
 *   demo-pages verify FILE NPAGES SEED   print how many pages hold their
 *                                        header intact
 *
 * A header is {magic, seed, page index, checksum}.  Exit 1 on errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <syncdax.h>

#define PAGE 4096
#define MAGIC 0x53594e4344415831ULL	/* "SYNCDAX1" */

struct header {
	uint64_t magic;
	uint64_t seed;
	uint64_t index;
	uint64_t sum;
};

static uint64_t checksum(const struct header *h)
{
	return (h->magic ^ (h->seed * 0x9e3779b97f4a7c15ULL)) + h->index * 31;
}

static int die(const char *what, const char *path, int err)
{
	fprintf(stderr, "demo-pages: %s %s: %s\n", what, path, strerror(err));
	return 1;
}

static int do_write(const char *path, long npages, uint64_t seed, int map_sync)
{
	int mflags = map_sync ? MAP_SHARED_VALIDATE | MAP_SYNC : MAP_SHARED;
	size_t len = (size_t)npages * PAGE;
	char *map;
	long i;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return die("open", path, errno);
	if (ftruncate(fd, len))
		return die("ftruncate", path, errno);
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, mflags, fd, 0);
	if (map == MAP_FAILED)
		return die("mmap", path, errno);
	close(fd);
	for (i = 0; i < npages; i++) {
		struct header *h = (struct header *)(map + i * PAGE);

		h->magic = MAGIC;
		h->seed = seed;
		h->index = i;
		h->sum = checksum(h);
		sdx_flush(h, sizeof(*h));
		sdx_drain();
	}
	/* no msync(), no fsync(): the power cut follows */
	printf("%s: %ld pages stored and flushed from the CPU cache\n", path, npages);
	return 0;
}

static int do_verify(const char *path, long npages, uint64_t seed)
{
	long i, good = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return die("open", path, errno);
	for (i = 0; i < npages; i++) {
		struct header h;

		if (pread(fd, &h, sizeof(h), (off_t)i * PAGE) != sizeof(h))
			continue;
		if (h.magic == MAGIC && h.seed == seed && h.index == (uint64_t)i &&
		    h.sum == checksum(&h))
			good++;
	}
	close(fd);
	printf("%ld\n", good);
	return 0;
}

int main(int argc, char **argv)
{
	long npages;
	uint64_t seed;

	if (argc != 5 && !(argc == 6 && !strcmp(argv[5], "map_sync"))) {
		fprintf(stderr, "usage: demo-pages write|verify FILE NPAGES SEED [map_sync]\n");
		return 2;
	}
	npages = strtol(argv[3], NULL, 0);
	seed = strtoull(argv[4], NULL, 0);
	if (npages <= 0) {
		fprintf(stderr, "demo-pages: NPAGES must be positive\n");
		return 2;
	}
	if (!strcmp(argv[1], "write"))
		return do_write(argv[2], npages, seed, argc == 6);
	if (!strcmp(argv[1], "verify"))
		return do_verify(argv[2], npages, seed);
	fprintf(stderr, "demo-pages: unknown command '%s'\n", argv[1]);
	return 2;
}
