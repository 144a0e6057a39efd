// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * counter.c - a persistent counter: each run adds one to a 64-bit counter
 * kept in FILE and makes it durable with a store and sdx_persist(), no
 * write() or fsync().
 *
 *   counter [--allow-msync] FILE
 *
 * On a DAX file system the mapping has synchronous faults (the file's
 * sync-fault flag, or MAP_SYNC) and sdx_persist() is a cache flush; with
 * --allow-msync any file works and sdx_persist() calls msync().
 *
 * Build:  cc -o counter counter.c $(pkg-config --cflags --libs syncdax)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <syncdax.h>

#define COUNTER_MAGIC	UINT64_C(0x5344584354520001)	/* "SDXCTR" v1 */
#define COUNTER_SIZE	4096

struct counter {
	uint64_t magic;
	uint64_t count;
};

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	struct sdx_mapping m;
	struct counter *c;
	const char *path;
	struct stat st;
	int fd, ret;

	if (argc == 3 && !strcmp(argv[1], "--allow-msync")) {
		flags = SDX_MAP_ALLOW_MSYNC;
		path = argv[2];
	} else if (argc == 2 && argv[1][0] != '-') {
		path = argv[1];
	} else {
		fprintf(stderr, "usage: counter [--allow-msync] FILE\n");
		return 2;
	}

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(path);
		return 1;
	}
	if (st.st_size < COUNTER_SIZE && ftruncate(fd, COUNTER_SIZE) < 0) {
		perror(path);
		return 1;
	}
	ret = sdx_map_fd(fd, 0, COUNTER_SIZE, flags, &m);
	close(fd);
	if (ret < 0) {
		fprintf(stderr, "counter: %s: %s\n", path, sdx_map_strerror(ret));
		return 1;
	}

	c = m.addr;
	if (c->magic != COUNTER_MAGIC) {
		/* a new file: the count first, then the magic that validates it */
		c->count = 0;
		ret = sdx_persist(&m, &c->count, sizeof(c->count));
		c->magic = COUNTER_MAGIC;
		if (!ret)
			ret = sdx_persist(&m, &c->magic, sizeof(c->magic));
	}
	c->count++;
	if (!ret)
		ret = sdx_persist(&m, &c->count, sizeof(c->count));
	if (ret < 0) {
		fprintf(stderr, "counter: %s: %s\n", path, sdx_map_strerror(ret));
		sdx_unmap(&m);
		return 1;
	}
	printf("counter=%" PRIu64 " mode=%s\n", c->count, sdx_map_mode_str(sdx_map_mode(&m)));
	sdx_unmap(&m);
	return 0;
}
