// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hold-mapping FILE READY - host test helper: map the first page of FILE
 * shared and writable, store to it, create the file READY, and keep the
 * mapping until killed. Lets a test show what the sync-fault ioctls do
 * to an inode that has a shared writable mapping in another process.
 * Errors: one line on stderr naming the operation, exit 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int die(const char *what, const char *path)
{
	fprintf(stderr, "hold-mapping: %s %s: %s\n", what, path,
		strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	char *addr;
	int fd, ready;

	if (argc != 3) {
		fprintf(stderr, "usage: hold-mapping FILE READY\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return die("open", argv[1]);
	if (ftruncate(fd, page) < 0)
		return die("ftruncate", argv[1]);
	addr = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, 0);
	if (addr == MAP_FAILED)
		return die("mmap", argv[1]);
	addr[0] = 'x';
	ready = open(argv[2], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (ready < 0)
		return die("create", argv[2]);
	close(ready);
	for (;;)
		pause();
}
