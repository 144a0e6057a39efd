// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_msync.c - sdx_persist()'s msync() fallback counted where the
 * library calls the C library (msync-counter.c, LD_PRELOADed for the
 * shipped libsyncdax.so): N persists on a mapping that is not synchronous
 * make at least N msync(MS_SYNC) calls covering the ranges; on a
 * synchronous mapping (MAP_SYNC, or the inode flag: both faked, the host
 * has no DAX) none.
 */
#include "test-common.h"

#include <sys/mman.h>

#include "msync-counter.h"

#define PERSISTS	64
#define PAGES		16

static long pagesize;

struct fixture {
	char *dir, *file;
	int fd;
	struct sdx_mapping m;
};

static int setup(void **state)
{
	struct fixture *f;

	if (!msync_counter_reset)
		fail_msg("the msync counter is not loaded: run with "
			 "LD_PRELOAD=.../libmsync-counter.so");
	f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	pagesize = sysconf(_SC_PAGESIZE);
	f->dir = scratch_dir(scratch_base());
	f->file = f->dir ? scratch_file(f->dir, "f", PAGES * pagesize) : NULL;
	f->fd = f->file ? open(f->file, O_RDWR | O_CLOEXEC) : -1;
	if (f->fd < 0) {
		scratch_remove(f->dir, f->file);
		free(f);
		return -1;
	}
	msync_counter_fake_map_sync(0);
	msync_counter_fake_flag(0);
	msync_counter_fail(0);
	msync_counter_reset();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->m.mode != SDX_MAP_NONE)
		sdx_unmap(&f->m);
	close(f->fd);
	scratch_remove(f->dir, f->file);
	free(f);
	msync_counter_fake_map_sync(0);
	msync_counter_fake_flag(0);
	msync_counter_fail(0);
	return 0;
}

/* Not a test of the library: the counter is in place and counts. */
static void test_counter_is_in_place(void **state)
{
	char *p;

	(void)state;
	p = mmap(NULL, pagesize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	msync_counter_reset();
	assert_int_equal(msync(p, pagesize, MS_SYNC), 0);
	assert_int_equal(msync_counter_calls(), 1);
	assert_true(msync_counter_call(0)->addr == (uintptr_t)p);
	munmap(p, pagesize);
}

/* Offsets and lengths of the i-th persist: unaligned, some across pages. */
static void range_of(unsigned int i, size_t *off, size_t *len)
{
	size_t size = PAGES * pagesize;

	*off = ((size_t)i * 7919 + i * i * 13) % (size - 1);
	*len = 1 + ((size_t)i * 104729) % (3 * pagesize);
	if (*len > size - *off)
		*len = size - *off;
}

/* Some msync(MS_SYNC) call since the last reset covers [p, p+len) inside m. */
static void assert_covered(const struct sdx_mapping *m, const char *p, size_t len)
{
	uintptr_t lo = (uintptr_t)p, hi = lo + len;
	uintptr_t mlo = (uintptr_t)m->addr, mhi = mlo + m->length;
	const struct msync_call *c;
	unsigned int i;
	int covered = 0;

	for (i = 0; (c = msync_counter_call(i)); i++) {
		assert_true(c->flags & MS_SYNC);
		assert_int_equal(c->addr % pagesize, 0);
		/* never outside the pages of the mapping */
		assert_true(c->addr >= mlo && c->addr + c->len <= (mhi + pagesize - 1) / pagesize * pagesize);
		if (c->addr <= lo && c->addr + c->len >= hi)
			covered = 1;
	}
	if (!covered)
		fail_msg("no msync() covers [%p, +%zu)", (void *)p, len);
}

static void test_fallback_persists_call_msync_over_each_range(void **state)
{
	struct fixture *f = *state;
	unsigned int i, total = 0;
	size_t off, len;
	char *p;

	assert_int_equal(sdx_map_fd(f->fd, 0, 0, SDX_MAP_ALLOW_MSYNC, &f->m), 0);
	assert_int_equal(sdx_map_mode(&f->m), SDX_MAP_MSYNC_FALLBACK);
	p = f->m.addr;
	for (i = 0; i < PERSISTS; i++) {
		range_of(i, &off, &len);
		memset(p + off, 'a' + i % 26, len);
		msync_counter_reset();
		assert_int_equal(sdx_persist(&f->m, p + off, len), 0);
		assert_true(msync_counter_calls() >= 1);
		assert_covered(&f->m, p + off, len);
		total += msync_counter_calls();
	}
	assert_true(total >= PERSISTS);
	/* an empty range asks for nothing */
	msync_counter_reset();
	assert_int_equal(sdx_persist(&f->m, p + 5, 0), 0);
	assert_int_equal(msync_counter_calls(), 0);
}

/* The same through a mapping at a page offset of the file. */
static void test_fallback_at_an_offset_covers_the_range(void **state)
{
	struct fixture *f = *state;
	char *p;

	assert_int_equal(sdx_map_fd(f->fd, 3 * pagesize, 5 * pagesize,
				    SDX_MAP_ALLOW_MSYNC, &f->m), 0);
	assert_int_equal(sdx_map_mode(&f->m), SDX_MAP_MSYNC_FALLBACK);
	p = f->m.addr;
	msync_counter_reset();
	assert_int_equal(sdx_persist(&f->m, p + 5 * pagesize - 1, 1), 0);
	assert_int_equal(msync_counter_calls(), 1);
	assert_covered(&f->m, p + 5 * pagesize - 1, 1);
	msync_counter_reset();
	assert_int_equal(sdx_persist(&f->m, p + 1, 5 * pagesize - 2), 0);
	assert_true(msync_counter_calls() >= 1);
	assert_covered(&f->m, p + 1, 5 * pagesize - 2);
}

/* msync()'s failure is sdx_persist()'s. */
static void test_fallback_msync_error_is_returned(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sdx_map_fd(f->fd, 0, 0, SDX_MAP_ALLOW_MSYNC, &f->m), 0);
	assert_int_equal(sdx_map_mode(&f->m), SDX_MAP_MSYNC_FALLBACK);
	msync_counter_fail(EIO);
	msync_counter_reset();
	assert_int_equal(sdx_persist(&f->m, f->m.addr, 10), -EIO);
	assert_int_equal(msync_counter_calls(), 1);
	msync_counter_fail(0);
}

/* A synchronous mapping is persisted from user space: no msync() at all. */
static void persist_without_msync(struct fixture *f, int fake_map_sync, int mode)
{
	unsigned int i;
	size_t off, len;
	char *p;

	msync_counter_fake_map_sync(fake_map_sync);
	msync_counter_fake_flag(!fake_map_sync);
	assert_int_equal(sdx_map_fd(f->fd, 0, 0, SDX_MAP_ALLOW_MSYNC, &f->m), 0);
	assert_int_equal(sdx_map_mode(&f->m), mode);
	p = f->m.addr;
	msync_counter_reset();
	for (i = 0; i < PERSISTS; i++) {
		range_of(i, &off, &len);
		memset(p + off, 'A' + i % 26, len);
		assert_int_equal(sdx_persist(&f->m, p + off, len), 0);
	}
	assert_int_equal(msync_counter_calls(), 0);
}

static void test_map_sync_mapping_persists_without_msync(void **state)
{
	persist_without_msync(*state, 1, SDX_MAP_SYNC);
}

static void test_flag_mapping_persists_without_msync(void **state)
{
	persist_without_msync(*state, 0, SDX_MAP_FLAG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counter_is_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback_persists_call_msync_over_each_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback_at_an_offset_covers_the_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fallback_msync_error_is_returned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_sync_mapping_persists_without_msync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flag_mapping_persists_without_msync, setup, teardown),
	};

	return cmocka_run_group_tests_name("msync", tests, NULL, NULL);
}
