// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_persist.c - the CPU flush instruction choice, sdx_flush()/
 * sdx_drain()/sdx_persist() on ordinary memory and files, several
 * threads at once (including the first, one-time CPU probe)
 */
#include "test-common.h"

#include <pthread.h>
#include <sys/mman.h>
#include <cpuid.h>

#define THREADS	4

static int env_set(const char *name)
{
	const char *v = getenv(name);

	return v && !strcmp(v, "1");
}

/* Whether /proc/cpuinfo lists flag (the kernel's reading of CPUID); -1: unknown. */
static int cpuinfo_has(const char *flag)
{
	char line[8192], *tok, *save;
	FILE *f = fopen("/proc/cpuinfo", "r");
	int found = -1;

	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "flags", 5) || !colon)
			continue;
		found = 0;
		for (tok = strtok_r(colon + 1, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save))
			if (!strcmp(tok, flag))
				found = 1;
	}
	fclose(f);
	return found;
}

/*
 * What the library must choose, from sources other than its own code:
 * <cpuid.h>'s named feature bits, as this process sees them (valgrind
 * hides CLWB and CLFLUSHOPT from its guest), each cross-checked against
 * /proc/cpuinfo, which may offer more but never less; CLFLUSH from
 * /proc/cpuinfo alone.  Minus what the environment forbids.
 */
static int expected_insn(void)
{
	unsigned int a, b, c, d;
	int clwb = 0, clflushopt = 0, clflush = cpuinfo_has("clflush");

	if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
		clwb = !!(b & bit_CLWB);
		clflushopt = !!(b & bit_CLFLUSHOPT);
	}
	if (clwb)
		assert_int_not_equal(cpuinfo_has("clwb"), 0);
	if (clflushopt)
		assert_int_not_equal(cpuinfo_has("clflushopt"), 0);
	assert_int_not_equal(clflush, -1);	/* no /proc/cpuinfo: cannot tell */
	if (clwb && !env_set("SYNCDAX_NO_CLWB"))
		return SDX_FLUSH_CLWB;
	if (clflushopt && !env_set("SYNCDAX_NO_CLFLUSHOPT"))
		return SDX_FLUSH_CLFLUSHOPT;
	return clflush ? SDX_FLUSH_CLFLUSH : SDX_FLUSH_NONE;
}

static pthread_barrier_t barrier;

static void *first_probe_thread(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&barrier);
	return (void *)(long)sdx_flush_insn();
}

/* Runs first: the one-time probe is raced by several threads. */
static void test_flush_insn_first_call_from_threads(void **state)
{
	pthread_t t[THREADS];
	void *ret;
	int i;

	(void)state;
	assert_int_equal(pthread_barrier_init(&barrier, NULL, THREADS), 0);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, first_probe_thread, NULL), 0);
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], &ret), 0);
		assert_int_equal((long)ret, expected_insn());
	}
	pthread_barrier_destroy(&barrier);
}

static void test_flush_insn_matches_cpuid(void **state)
{
	(void)state;
	assert_int_equal(sdx_flush_insn(), expected_insn());
	assert_int_equal(sdx_flush_insn(), sdx_flush_insn());
	/* every x86-64 CPU has CLFLUSH */
	assert_int_not_equal(sdx_flush_insn(), SDX_FLUSH_NONE);
}

static void test_flush_any_alignment_and_length(void **state)
{
	size_t off, len;
	char *buf = malloc(4096 + 256);

	(void)state;
	assert_non_null(buf);
	memset(buf, 0x5a, 4096 + 256);
	for (off = 0; off < 130; off += 13)
		for (len = 0; len < 4096; len = len * 3 + 1)
			sdx_flush(buf + off, len);
	sdx_drain();
	/* flushing writes back, it never changes the data */
	for (off = 0; off < 4096 + 256; off++)
		assert_int_equal(buf[off], 0x5a);
	sdx_flush(NULL, 64);
	sdx_flush(buf, 0);
	free(buf);
}

static void test_persist_args(void **state)
{
	char *dir = scratch_dir(scratch_base());
	char *file = dir ? scratch_file(dir, "f", 8192) : NULL;
	struct sdx_mapping m;
	char *mem;
	int fd;

	(void)state;
	assert_non_null(file);
	fd = open(file, O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	memset(&m, 0, sizeof(m));
	assert_int_equal(sdx_persist(NULL, file, 1), -EINVAL);
	assert_int_equal(sdx_persist(&m, file, 1), -EINVAL);	/* not mapped */
	assert_int_equal(sdx_map_fd(fd, 0, 4096, SDX_MAP_ALLOW_MSYNC, &m), 0);
	mem = m.addr;
	assert_int_equal(sdx_persist(&m, NULL, 1), -EINVAL);
	assert_int_equal(sdx_persist(&m, mem - 1, 1), -EINVAL);
	assert_int_equal(sdx_persist(&m, mem + 4095, 2), -EINVAL);
	assert_int_equal(sdx_persist(&m, mem + 4096, 1), -EINVAL);
	assert_int_equal(sdx_persist(&m, mem + 1, SIZE_MAX), -EINVAL);
	assert_int_equal(sdx_persist(&m, mem + 4096, 0), 0);
	assert_int_equal(sdx_persist(&m, mem, 4096), 0);
	m.mode = 99;
	assert_int_equal(sdx_persist(&m, mem, 1), -EINVAL);
	m.mode = SDX_MAP_MSYNC_FALLBACK;
	assert_int_equal(sdx_unmap(&m), 0);
	close(fd);
	scratch_remove(dir, file);
}

/*
 * A struct sdx_mapping is the caller's memory: one made or altered by hand
 * to say "synchronous" must not get "durable" from a cache flush (a plain
 * mapping needs msync()).  sdx_persist() refuses it, sdx_map_mode() does
 * not believe it, sdx_unmap() does not unmap it.
 */
static void test_persist_refuses_a_forged_mapping(void **state)
{
	char *dir = scratch_dir(scratch_base());
	char *file = dir ? scratch_file(dir, "f", 8192) : NULL;
	struct sdx_mapping m, forged;
	char *mem;
	int fd;

	(void)state;
	assert_non_null(file);
	/* made by hand over plain memory */
	mem = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(mem != MAP_FAILED);
	memset(&forged, 0, sizeof(forged));
	forged.addr = mem;
	forged.length = 8192;
	forged.mode = SDX_MAP_SYNC;
	assert_int_equal(sdx_persist(&forged, mem, 8192), -EINVAL);
	forged.mode = SDX_MAP_FLAG;
	assert_int_equal(sdx_persist(&forged, mem + 63, 2), -EINVAL);
	assert_int_equal(sdx_map_mode(&forged), SDX_MAP_NONE);
	assert_int_equal(sdx_unmap(&forged), -EINVAL);
	mem[8191] = 1;	/* still mapped */
	munmap(mem, 8192);

	/* the library's msync mapping, its mode changed by the caller */
	fd = open(file, O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(sdx_map_fd(fd, 0, 8192, SDX_MAP_ALLOW_MSYNC, &m), 0);
	assert_int_equal(sdx_map_mode(&m), SDX_MAP_MSYNC_FALLBACK);
	assert_int_equal(sdx_persist(&m, m.addr, 10), 0);
	forged = m;	/* a copy is the same mapping */
	assert_int_equal(sdx_persist(&forged, forged.addr, 10), 0);
	forged.mode = SDX_MAP_SYNC;
	assert_int_equal(sdx_persist(&forged, forged.addr, 10), -EINVAL);
	assert_int_equal(sdx_map_mode(&forged), SDX_MAP_NONE);
	forged = m;
	forged.length = 4096;	/* or its range */
	assert_int_equal(sdx_persist(&forged, forged.addr, 10), -EINVAL);
	assert_int_equal(sdx_unmap(&m), 0);
	assert_int_equal(sdx_persist(&m, file, 1), -EINVAL);	/* unmapped */
	close(fd);
	scratch_remove(dir, file);
}

struct worker {
	int fd;
	long pagesize;
	int idx;
	int ret;
};

static void *persist_thread(void *arg)
{
	struct worker *w = arg;
	struct sdx_mapping m;
	char *p;
	int i;

	w->ret = sdx_map_fd(w->fd, w->idx * w->pagesize, w->pagesize,
			    SDX_MAP_ALLOW_MSYNC, &m);
	if (w->ret)
		return NULL;
	p = m.addr;
	for (i = 0; i < 200 && !w->ret; i++) {
		p[i % w->pagesize] = (char)('A' + w->idx);
		sdx_flush(p + i, 1);
		sdx_drain();
		w->ret = sdx_persist(&m, p + (i * 17) % (w->pagesize - 64), 64);
	}
	if (!w->ret)
		w->ret = sdx_unmap(&m);
	return NULL;
}

static void test_persist_concurrent_threads(void **state)
{
	const char *base = scratch_base();
	long pagesize = sysconf(_SC_PAGESIZE);
	struct worker w[THREADS];
	pthread_t t[THREADS];
	char *dir, *file, c;
	int fd, i;

	(void)state;
	dir = scratch_dir(base);
	assert_non_null(dir);
	file = scratch_file(dir, "f", THREADS * pagesize);
	assert_non_null(file);
	fd = open(file, O_RDWR);
	assert_true(fd >= 0);
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .fd = fd, .pagesize = pagesize, .idx = i };
		assert_int_equal(pthread_create(&t[i], NULL, persist_thread, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].ret, 0);
	}
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pread(fd, &c, 1, i * pagesize + 7), 1);
		assert_int_equal(c, 'A' + i);
	}
	close(fd);
	scratch_remove(dir, file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flush_insn_first_call_from_threads),
		cmocka_unit_test(test_flush_insn_matches_cpuid),
		cmocka_unit_test(test_flush_any_alignment_and_length),
		cmocka_unit_test(test_persist_args),
		cmocka_unit_test(test_persist_refuses_a_forged_mapping),
		cmocka_unit_test(test_persist_concurrent_threads),
	};

	return cmocka_run_group_tests_name("persist", tests, NULL, NULL);
}
