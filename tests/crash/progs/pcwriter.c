// SPDX-License-Identifier: GPL-2.0
/*
 * pcwriter - the writer and verifier of the power-cut suite
 * (tests/crash/run-powercut).
 *
 *   pcwriter write MODE KIND FILE NPAGES SEED ACKFILE USEC
 *	Create FILE (made durable with fsync before the first store, so a
 *	round tests the fault path, not the file's creation), map it shared
 *	and store one self-checking header into
 *	each of NPAGES pages (in a seeded order), make each store durable
 *	with sdx_flush()+sdx_drain() (no msync), and only then acknowledge
 *	it by appending one line "A PAGE SEQ COUNTED" to ACKFILE with a
 *	single write(2).  USEC microseconds pause between pages.
 *	MODE: flag       the file is flagged (sdx_set_flag_path) before mapping
 *	      mapsync    MAP_SHARED_VALIDATE|MAP_SYNC, no flag
 *	      plain      plain MAP_SHARED (the control: may lose pages)
 *	      flag-late  plain MAP_SHARED; a second process sets the flag
 *	                 while the writer runs; only pages whose store began
 *	                 after the set returned are COUNTED (=1)
 *	      flag-cleared  as flag, and a second process clears the flag
 *	                 while the writer runs: the mapping was created under
 *	                 the flag and keeps the guarantee, so every page counts
 *	KIND: sparse     ftruncate to the full size, then map
 *	      extend     start at size 0, map the full length, and extend the
 *	                 file with ftruncate in chunks of 64 pages while mapped
 *	      falloc     fallocate the full size (unwritten extents), then map
 *	      huge       2 MiB-aligned mapping of a 2 MiB-multiple file
 *	                 (PMD faults where the allocator gives aligned blocks)
 *
 *   pcwriter verify FILE ACKFILE SEED
 *	Check every acknowledged page; print "acked=N counted=N lost=N
 *	zero=N garbled=N missing=0|1 flagset=0|1 stale=N" (flagset: the
 *	second process of flag-late or flag-cleared changed the flag before
 *	the cut; stale: pages never acknowledged that hold neither zeros nor
 *	a page this round stored, i.e. old data exposed by an allocation,
 *	such as an untouched block of a synchronous fault's preallocation
 *	window that was not zeroed).  A missing FILE loses every
 *	acknowledged page.  Exit 0 (the caller judges), 1 on errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <syncdax.h>

#define PAGE 4096UL
#define HUGE (2UL << 20)
#define CHUNK 64
#define MAGIC 0x50435752495445ULL	/* "PCWRITE" */

struct header {
	uint64_t magic;
	uint64_t seed;
	uint64_t index;
	uint64_t seq;
	uint64_t sum;
};

static uint64_t checksum(const struct header *h)
{
	uint64_t x = h->magic ^ 0x9e3779b97f4a7c15ULL;

	x = (x ^ h->seed) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ h->index) * 0x94d049bb133111ebULL;
	x = (x ^ h->seq) * 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 31);
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static int fail(const char *what, const char *path, int err)
{
	fprintf(stderr, "pcwriter: %s %s: %s\n", what, path, strerror(err));
	return 1;
}

static void shuffle(long *v, long n)
{
	long i, j, t;

	for (i = n - 1; i > 0; i--) {
		j = (long)(rnd() % (uint64_t)(i + 1));
		t = v[i]; v[i] = v[j]; v[j] = t;
	}
}

static int ack(int fd, long page, long seq, int counted)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "A %ld %ld %d\n", page, seq, counted);

	return write(fd, line, (size_t)n) == n ? 0 : -1;
}

static void msleep_us(long usec)
{
	struct timespec ts = { usec / 1000000, (usec % 1000000) * 1000 };

	if (usec > 0)
		nanosleep(&ts, NULL);
}

static int do_write(int argc, char **argv)
{
	const char *mode = argv[2], *kind = argv[3], *path = argv[4];
	long npages = strtol(argv[5], NULL, 0);
	uint64_t seed = strtoull(argv[6], NULL, 0);
	const char *ackpath = argv[7];
	long usec = strtol(argv[8], NULL, 0);
	int m_flag = 0, m_sync = 0, m_late = 0, m_clear = 0, k_ext = 0, k_falloc = 0, k_huge = 0;
	_Atomic int *shared;
	size_t len;
	char *map, *base;
	long *order, i, seq;
	int fd, afd, mflags, err;
	pid_t child = -1;

	(void)argc;
	if (!strcmp(mode, "flag")) m_flag = 1;
	else if (!strcmp(mode, "mapsync")) m_sync = 1;
	else if (!strcmp(mode, "flag-late")) m_late = 1;
	else if (!strcmp(mode, "flag-cleared")) m_flag = m_clear = 1;
	else if (strcmp(mode, "plain")) { fprintf(stderr, "pcwriter: bad mode %s\n", mode); return 2; }
	if (!strcmp(kind, "extend")) k_ext = 1;
	else if (!strcmp(kind, "falloc")) k_falloc = 1;
	else if (!strcmp(kind, "huge")) k_huge = 1;
	else if (strcmp(kind, "sparse")) { fprintf(stderr, "pcwriter: bad kind %s\n", kind); return 2; }
	if (npages <= 0) { fprintf(stderr, "pcwriter: NPAGES must be positive\n"); return 2; }
	if (k_huge)
		npages = (npages + 511) / 512 * 512;
	if (k_ext)
		npages = (npages + CHUNK - 1) / CHUNK * CHUNK;
	len = (size_t)npages * PAGE;
	rng_state = seed * 2654435761ULL + 0x1234567;
	if (!rng_state)
		rng_state = 1;

	shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		return fail("mmap", "anonymous", errno);
	atomic_store(shared, 0);

	afd = open(ackpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (afd < 0)
		return fail("open", ackpath, errno);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail("open", path, errno);
	if (m_flag) {
		err = sdx_set_flag_path(path, 1, 0);
		if (err < 0) {
			fprintf(stderr, "pcwriter: set flag %s: %s\n", path, sdx_strerror(err));
			return 1;
		}
	}
	if (k_falloc) {
		if (fallocate(fd, 0, 0, (off_t)len))
			return fail("fallocate", path, errno);
	} else if (!k_ext) {
		if (ftruncate(fd, (off_t)len))
			return fail("ftruncate", path, errno);
	}

	/*
	 * The file, its size (extend: 0) and its unwritten extents are made
	 * durable before the first store, so that what a round can lose is
	 * exactly what the fault path must protect: block allocation,
	 * unwritten-to-written conversion and (extend) the growing size.
	 */
	if (fsync(fd))
		return fail("fsync", path, errno);
	{
		char dir[4096], *slash;
		int dfd;

		snprintf(dir, sizeof(dir), "%s", path);
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0 || fsync(dfd))
			return fail("fsync", dir, errno);
		close(dfd);
	}

	mflags = m_sync ? (MAP_SHARED_VALIDATE | MAP_SYNC) : MAP_SHARED;
	if (k_huge) {
		base = mmap(NULL, len + HUGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (base == MAP_FAILED)
			return fail("mmap reserve", path, errno);
		map = (char *)(((uintptr_t)base + HUGE - 1) & ~(HUGE - 1));
		map = mmap(map, len, PROT_READ | PROT_WRITE, mflags | MAP_FIXED, fd, 0);
	} else {
		map = mmap(NULL, len, PROT_READ | PROT_WRITE, mflags, fd, 0);
	}
	if (map == MAP_FAILED)
		return fail("mmap", path, errno);

	if (m_late || m_clear) {
		/* the second process: set (clear) the flag at a seeded moment */
		long delay = 200000 + (long)(rnd() % 1300000);

		child = fork();
		if (child < 0)
			return fail("fork", path, errno);
		if (child == 0) {
			const char *line = m_late ? "F flag set\n" : "C flag cleared\n";

			msleep_us(delay);
			err = sdx_set_flag_path(path, m_late, 0);
			if (err < 0) {
				fprintf(stderr, "pcwriter: late %s flag %s: %s\n",
					m_late ? "set" : "clear", path, sdx_strerror(err));
				_exit(1);
			}
			atomic_store(shared, 1);
			if (write(afd, line, strlen(line)) < 0)
				_exit(1);
			_exit(0);
		}
	}

	order = calloc((size_t)npages, sizeof(*order));
	if (!order)
		return fail("calloc", path, ENOMEM);
	for (i = 0; i < npages; i++)
		order[i] = i;
	if (k_ext) {
		for (i = 0; i < npages; i += CHUNK)
			shuffle(order + i, CHUNK);
	} else {
		shuffle(order, npages);
	}

	for (seq = 0; seq < npages; seq++) {
		long p = order[seq];
		struct header *h = (struct header *)(map + (size_t)p * PAGE);
		int counted = m_late ? atomic_load(shared) : 1;

		if (k_ext && seq % CHUNK == 0 &&
		    ftruncate(fd, (off_t)((seq + CHUNK) * (long)PAGE)))
			return fail("ftruncate", path, errno);
		h->magic = MAGIC;
		h->seed = seed;
		h->index = (uint64_t)p;
		h->seq = (uint64_t)seq;
		h->sum = checksum(h);
		sdx_flush(h, sizeof(*h));
		sdx_drain();
		if (ack(afd, p, seq, counted))
			return fail("write", ackpath, errno);
		msleep_us(usec);
	}
	if (child > 0) {
		int st;

		waitpid(child, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			return fail("late flag setter", path, EIO);
	}
	printf("pcwriter: %s %s %s: %ld pages stored\n", mode, kind, path, npages);
	return 0;
}

/* Is this never-acknowledged page of FILE zeros or a page this round stored? */
static int page_is_clean(const unsigned char *buf, long page, uint64_t seed)
{
	struct header h;
	size_t i;

	memcpy(&h, buf, sizeof(h));
	if (h.magic == MAGIC && h.seed == seed && h.index == (uint64_t)page &&
	    h.sum == checksum(&h))
		return 1;
	for (i = 0; i < PAGE; i++)
		if (buf[i])
			return 0;
	return 1;
}

/* Pages of the file at fd not marked in acked[] that hold old data. */
static long count_stale(int fd, const unsigned char *acked, long npages, uint64_t seed)
{
	static unsigned char buf[PAGE];
	long page, stale = 0;

	for (page = 0; page < npages; page++) {
		if (acked[page])
			continue;
		if (pread(fd, buf, PAGE, (off_t)page * (off_t)PAGE) != (ssize_t)PAGE)
			break;
		if (!page_is_clean(buf, page, seed))
			stale++;
	}
	return stale;
}

static int do_verify(int argc, char **argv)
{
	const char *path = argv[2], *ackpath = argv[3];
	uint64_t seed = strtoull(argv[4], NULL, 0);
	long acked = 0, counted = 0, lost = 0, zero = 0, garbled = 0, firstlost = -1;
	int missing = 0, flagset = 0, fd;
	long npages = 0, stale = 0;
	unsigned char *acked_map = NULL;
	struct stat st;
	char line[256];
	FILE *f;

	(void)argc;
	f = fopen(ackpath, "r");
	if (!f)
		return fail("open", ackpath, errno);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			return fail("open", path, errno);
		missing = 1;
	} else if (fstat(fd, &st) == 0) {
		npages = (long)(st.st_size / (off_t)PAGE);
	}
	acked_map = calloc((size_t)npages + 1, 1);
	if (!acked_map) {
		fclose(f);
		if (fd >= 0)
			close(fd);
		return fail("verify", path, ENOMEM);
	}
	while (fgets(line, sizeof(line), f)) {
		long page, seq;
		int c;
		struct header h;
		static const struct header z;

		if (!strchr(line, '\n'))
			continue;	/* torn line: not acknowledged */
		if (line[0] == 'F' || line[0] == 'C') {
			flagset = 1;	/* the second process changed the flag */
			continue;
		}
		if (sscanf(line, "A %ld %ld %d", &page, &seq, &c) != 3) {
			fprintf(stderr, "pcwriter: %s: bad line '%s'\n", ackpath, line);
			continue;
		}
		acked++;
		if (page >= 0 && page < npages)
			acked_map[page] = 1;
		if (!c)
			continue;
		counted++;
		memset(&h, 0, sizeof(h));
		if (missing || pread(fd, &h, sizeof(h), (off_t)page * (off_t)PAGE) != (ssize_t)sizeof(h)) {
			memset(&h, 0, sizeof(h));
		}
		if (h.magic == MAGIC && h.seed == seed && h.index == (uint64_t)page &&
		    h.seq == (uint64_t)seq && h.sum == checksum(&h))
			continue;
		lost++;
		if (firstlost < 0)
			firstlost = page;
		if (!memcmp(&h, &z, sizeof(h)))
			zero++;
		else
			garbled++;
	}
	fclose(f);
	if (fd >= 0) {
		stale = count_stale(fd, acked_map, npages, seed);
		close(fd);
	}
	free(acked_map);
	printf("acked=%ld counted=%ld lost=%ld zero=%ld garbled=%ld missing=%d flagset=%d first_lost=%ld stale=%ld\n",
	       acked, counted, lost, zero, garbled, missing, flagset, firstlost, stale);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 9 && !strcmp(argv[1], "write"))
		return do_write(argc, argv);
	if (argc == 5 && !strcmp(argv[1], "verify"))
		return do_verify(argc, argv);
	fprintf(stderr, "usage: pcwriter write MODE KIND FILE NPAGES SEED ACKFILE USEC\n"
		"       pcwriter verify FILE ACKFILE SEED\n");
	return 2;
}
