// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_map.c - sdx_map_fd()/sdx_unmap()/sdx_map_mode() on ordinary (non-DAX)
 * files: argument checking, refusal without the fallback, the msync
 * fallback when asked for
 */
#include "test-common.h"

#include <sys/mman.h>

static char *dir, *file, *empty;
static long pagesize;

static int setup(void **state)
{
	const char *base = scratch_base();

	(void)state;
	pagesize = sysconf(_SC_PAGESIZE);
	dir = scratch_dir(base);
	if (!dir)
		return -1;
	file = scratch_file(dir, "file", 4 * pagesize);
	empty = scratch_file(dir, "empty", 0);
	return file && empty ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	unlink(empty);
	free(empty);
	scratch_remove(dir, file);
	return 0;
}

static void assert_unmapped(const struct sdx_mapping *m)
{
	assert_null(m->addr);
	assert_int_equal(m->length, 0);
	assert_int_equal(m->mode, SDX_MAP_NONE);
	assert_int_equal(sdx_map_mode(m), SDX_MAP_NONE);
}

static void test_map_args(void **state)
{
	struct sdx_mapping m;
	int fd = open(file, O_RDWR);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(sdx_map_fd(fd, 0, pagesize, 0, NULL), -EINVAL);
	assert_int_equal(sdx_map_fd(-1, 0, pagesize, 0, &m), -EBADF);
	assert_unmapped(&m);
	assert_int_equal(sdx_map_fd(fd, 0, pagesize, 0x100, &m), -EINVAL);
	assert_int_equal(sdx_map_fd(fd, 0, pagesize, SDX_MAP_ALLOW_MSYNC | 0x2, &m), -EINVAL);
	assert_int_equal(sdx_map_fd(fd, 1, pagesize, SDX_MAP_ALLOW_MSYNC, &m), -EINVAL);
	assert_int_equal(sdx_map_fd(fd, -pagesize, pagesize, SDX_MAP_ALLOW_MSYNC, &m), -EINVAL);
	assert_unmapped(&m);
	close(fd);
	assert_int_equal(sdx_map_fd(fd, 0, pagesize, SDX_MAP_ALLOW_MSYNC, &m), -EBADF);
}

static void test_map_readonly_fd_is_ebadf(void **state)
{
	struct sdx_mapping m;
	int fd = open(file, O_RDONLY);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(sdx_map_fd(fd, 0, pagesize, SDX_MAP_ALLOW_MSYNC, &m), -EBADF);
	assert_unmapped(&m);
	close(fd);
}

static void test_map_directory_and_pipe_einval(void **state)
{
	struct sdx_mapping m;
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	int p[2];

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(sdx_map_fd(fd, 0, pagesize, SDX_MAP_ALLOW_MSYNC, &m), -EINVAL);
	close(fd);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(sdx_map_fd(p[1], 0, pagesize, SDX_MAP_ALLOW_MSYNC, &m), -EINVAL);
	close(p[0]);
	close(p[1]);
}

static void test_map_whole_empty_file_einval(void **state)
{
	struct sdx_mapping m;
	int fd = open(empty, O_RDWR);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(sdx_map_fd(fd, 0, 0, SDX_MAP_ALLOW_MSYNC, &m), -EINVAL);
	close(fd);
}

static void test_map_non_dax_refused_without_fallback(void **state)
{
	struct sdx_mapping m;
	int fd = open(file, O_RDWR);
	int ret;

	(void)state;
	assert_true(fd >= 0);
	ret = sdx_map_fd(fd, 0, pagesize, 0, &m);
	assert_int_equal(ret, -EOPNOTSUPP);
	assert_non_null(strstr(sdx_map_strerror(ret), "DAX"));
	assert_unmapped(&m);
	close(fd);
}

static void test_map_tmpfs_refused_without_fallback(void **state)
{
	struct sdx_mapping m;
	char *d, *f;
	int fd;

	(void)state;
	if (access("/dev/shm", W_OK) != 0)
		skip();
	d = scratch_dir("/dev/shm");
	assert_non_null(d);
	f = scratch_file(d, "f", pagesize);
	assert_non_null(f);
	fd = open(f, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(sdx_map_fd(fd, 0, 0, 0, &m), -EOPNOTSUPP);
	assert_int_equal(sdx_map_fd(fd, 0, 0, SDX_MAP_ALLOW_MSYNC, &m), 0);
	assert_int_equal(sdx_map_mode(&m), SDX_MAP_MSYNC_FALLBACK);
	assert_int_equal(sdx_unmap(&m), 0);
	close(fd);
	unlink(f);
	rmdir(d);
	free(f);
	free(d);
}

static void test_map_fallback_persists_with_msync(void **state)
{
	static const char msg[] = "libsyncdax fallback mapping";
	struct sdx_mapping m;
	char buf[sizeof(msg)];
	int fd = open(file, O_RDWR);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(sdx_map_fd(fd, 0, 2 * pagesize, SDX_MAP_ALLOW_MSYNC, &m), 0);
	assert_non_null(m.addr);
	assert_int_equal(m.length, 2 * pagesize);
	assert_int_equal(m.offset, 0);
	assert_int_equal(m.mode, SDX_MAP_MSYNC_FALLBACK);
	assert_int_equal(sdx_map_mode(&m), SDX_MAP_MSYNC_FALLBACK);
	memcpy((char *)m.addr + pagesize - 5, msg, sizeof(msg));	/* spans two pages */
	assert_int_equal(sdx_persist(&m, (char *)m.addr + pagesize - 5, sizeof(msg)), 0);
	assert_int_equal(sdx_unmap(&m), 0);
	assert_unmapped(&m);
	assert_int_equal(pread(fd, buf, sizeof(buf), pagesize - 5), (ssize_t)sizeof(buf));
	assert_memory_equal(buf, msg, sizeof(msg));
	close(fd);
}

static void test_map_offset_and_whole_file(void **state)
{
	struct sdx_mapping m;
	int fd = open(file, O_RDWR);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "XYZ", 3, 2 * pagesize), 3);
	/* length 0: from offset to the end of the file */
	assert_int_equal(sdx_map_fd(fd, pagesize, 0, SDX_MAP_ALLOW_MSYNC, &m), 0);
	assert_int_equal(m.length, 3 * pagesize);
	assert_int_equal(m.offset, pagesize);
	assert_memory_equal((char *)m.addr + pagesize, "XYZ", 3);
	assert_int_equal(sdx_unmap(&m), 0);
	close(fd);
}

static void test_unmap_args(void **state)
{
	struct sdx_mapping m;

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(sdx_unmap(NULL), -EINVAL);
	assert_int_equal(sdx_unmap(&m), -EINVAL);
	assert_int_equal(sdx_map_mode(NULL), SDX_MAP_NONE);
	assert_int_equal(sdx_map_mode(&m), SDX_MAP_NONE);
}

static void test_unmap_twice_einval(void **state)
{
	struct sdx_mapping m;
	int fd = open(file, O_RDWR);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(sdx_map_fd(fd, 0, pagesize, SDX_MAP_ALLOW_MSYNC, &m), 0);
	close(fd);	/* the mapping outlives the descriptor */
	((char *)m.addr)[0] = 'a';
	assert_int_equal(sdx_persist(&m, m.addr, 1), 0);
	assert_int_equal(sdx_unmap(&m), 0);
	assert_int_equal(sdx_unmap(&m), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_args),
		cmocka_unit_test(test_map_readonly_fd_is_ebadf),
		cmocka_unit_test(test_map_directory_and_pipe_einval),
		cmocka_unit_test(test_map_whole_empty_file_einval),
		cmocka_unit_test(test_map_non_dax_refused_without_fallback),
		cmocka_unit_test(test_map_tmpfs_refused_without_fallback),
		cmocka_unit_test(test_map_fallback_persists_with_msync),
		cmocka_unit_test(test_map_offset_and_whole_file),
		cmocka_unit_test(test_unmap_args),
		cmocka_unit_test(test_unmap_twice_einval),
	};

	return cmocka_run_group_tests_name("map", tests, setup, teardown);
}
