// SPDX-License-Identifier: GPL-2.0
/*
 * sfmap - hold one mapping of a file and act on it when told, so that a
 * test can change the sync-fault flag between creating a mapping and
 * faulting through it (tests/vm/kernel-mappings.bats).
 *
 *   sfmap FILE NPAGES MODE [nohuge]
 *
 * MODE: shared (O_RDWR, PROT_READ|PROT_WRITE, MAP_SHARED), shared-protread
 * (O_RDWR, PROT_READ, MAP_SHARED: may be made writable with mprotect),
 * sync (MAP_SHARED_VALIDATE|MAP_SYNC), private.  The file is not resized.
 *
 * After mapping it prints "ready" (or "err ENAME" and exits 1), then reads
 * commands from stdin, one per line, and answers each with one line,
 * "ok [...]" or "err ENAME":
 *   write A B      store one byte to each page A..B-1 (first byte of each)
 *   read A B       load one byte from each page A..B-1
 *   mprotect rw|ro change the protection of the whole mapping
 *   msync          msync(MS_SYNC) of the whole mapping
 *   vmflags        "ok sf=N": whether the kernel shows VM_SYNC ("sf" in
 *                  /proc/self/smaps) on the mapping
 *   quit           unmap and exit 0 (so does end of input)
 * A store that raises SIGBUS ends the program with that signal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static char *base;
static size_t len;

static const char *ename(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case ENODEV: return "ENODEV";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EBUSY: return "EBUSY";
	case EIO: return "EIO";
	case ENOENT: return "ENOENT";
	default: return "E?";
	}
}

static void answer(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void answer(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Whether smaps shows "sf" (VM_SYNC) in the VmFlags of our mapping. */
static int vm_sync_shown(void)
{
	char line[512], want[32];
	int in_ours = 0, sf = -1;
	FILE *f;

	snprintf(want, sizeof(want), "%lx-", (unsigned long)base);
	f = fopen("/proc/self/smaps", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, want, strlen(want)))
			in_ours = 1;
		else if (in_ours && !strncmp(line, "VmFlags:", 8)) {
			sf = strstr(line, " sf") != NULL;
			break;
		}
	}
	fclose(f);
	return sf;
}

static int range(const char *args, size_t *a, size_t *b)
{
	if (sscanf(args, "%zu %zu", a, b) != 2 || *a > *b || *b * PAGE > len)
		return -1;
	return 0;
}

static void command(char *cmd)
{
	volatile char *p = (volatile char *)base;
	size_t a, b, i;

	cmd[strcspn(cmd, "\n")] = '\0';
	if (!strncmp(cmd, "write ", 6) && !range(cmd + 6, &a, &b)) {
		for (i = a; i < b; i++)
			p[i * PAGE] = (char)(i + 1);
		answer("ok");
	} else if (!strncmp(cmd, "read ", 5) && !range(cmd + 5, &a, &b)) {
		unsigned int sum = 0;

		for (i = a; i < b; i++)
			sum += (unsigned char)p[i * PAGE];
		answer("ok %u", sum);
	} else if (!strcmp(cmd, "mprotect rw") || !strcmp(cmd, "mprotect ro")) {
		int prot = strcmp(cmd, "mprotect rw") ? PROT_READ : PROT_READ | PROT_WRITE;

		if (mprotect(base, len, prot))
			answer("err %s", ename(errno));
		else
			answer("ok");
	} else if (!strcmp(cmd, "msync")) {
		if (msync(base, len, MS_SYNC))
			answer("err %s", ename(errno));
		else
			answer("ok");
	} else if (!strcmp(cmd, "vmflags")) {
		answer("ok sf=%d", vm_sync_shown());
	} else {
		answer("err usage: %s", cmd);
	}
}

int main(int argc, char **argv)
{
	int mflags = MAP_SHARED, prot = PROT_READ | PROT_WRITE;
	char cmd[256];
	long npages;
	int fd;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: sfmap FILE NPAGES shared|shared-protread|sync|private [nohuge]\n");
		return 2;
	}
	npages = strtol(argv[2], NULL, 0);
	if (npages <= 0)
		return 2;
	len = (size_t)npages * PAGE;
	if (!strcmp(argv[3], "shared-protread"))
		prot = PROT_READ;
	else if (!strcmp(argv[3], "sync"))
		mflags = MAP_SHARED_VALIDATE | MAP_SYNC;
	else if (!strcmp(argv[3], "private"))
		mflags = MAP_PRIVATE;
	else if (strcmp(argv[3], "shared"))
		return 2;

	fd = open(argv[1], O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		answer("err %s", ename(errno));
		return 1;
	}
	base = mmap(NULL, len, prot, mflags, fd, 0);
	close(fd);
	if (base == MAP_FAILED) {
		answer("err %s", ename(errno));
		return 1;
	}
	if (argc == 5 && !strcmp(argv[4], "nohuge"))
		madvise(base, len, MADV_NOHUGEPAGE);
	answer("ready");
	while (fgets(cmd, sizeof(cmd), stdin) && strcmp(cmd, "quit\n"))
		command(cmd);
	munmap(base, len);
	return 0;
}
