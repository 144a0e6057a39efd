// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_prepare.c - sdx_prepare(): holes and unwritten extents of the range
 * become written zeros, data elsewhere and inside stays as it was, i_size
 * grows to the end of the range; bad arguments change nothing
 */
#include "test-common.h"

#include <dlfcn.h>
#include <linux/fiemap.h>
#include <linux/fs.h>

#define KIB	1024
#define MIB	(1024 * KIB)

static char *dir, *file;

/*
 * Another writer, between sdx_prepare()'s look at the extents (FIEMAP)
 * and its zeros: this file defines ioctl(), which libsyncdax's call
 * reaches first, and when armed it stores "other" at racer_off through
 * its own descriptor right after the real FIEMAP answered.
 */
static int racer_fd = -1;
static off_t racer_off;
static const char racer_data[] = "other";

int ioctl(int fd, unsigned long request, ...)
{
	static int (*real_ioctl)(int, unsigned long, ...);
	va_list ap;
	void *arg;
	int ret;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real_ioctl)
		*(void **)&real_ioctl = dlsym(RTLD_NEXT, "ioctl");
	ret = real_ioctl(fd, request, arg);
	if (request == FS_IOC_FIEMAP && racer_fd >= 0 && fd != racer_fd) {
		if (pwrite(racer_fd, racer_data, sizeof(racer_data), racer_off) !=
		    (ssize_t)sizeof(racer_data))
			ret = -1;
		racer_fd = -1;	/* once */
	}
	return ret;
}

static int setup(void **state)
{
	(void)state;
	dir = scratch_dir(scratch_base());
	file = dir ? scratch_file(dir, "file", 0) : NULL;
	return file ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	scratch_remove(dir, file);
	return 0;
}

static int open_file(int flags)
{
	int fd = open(file, flags | O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

/* The first hole at or after off (the end of the file when none). */
static off_t next_hole(int fd, off_t off)
{
	return lseek(fd, off, SEEK_HOLE);
}

/* Number of unwritten extents in [off, off+len), or -1 without FIEMAP. */
static int unwritten_extents(int fd, uint64_t off, uint64_t len)
{
	char buf[sizeof(struct fiemap) + 64 * sizeof(struct fiemap_extent)];
	struct fiemap *fm = (struct fiemap *)buf;
	uint32_t i;
	int n = 0;

	memset(buf, 0, sizeof(buf));
	fm->fm_start = off;
	fm->fm_length = len;
	fm->fm_flags = FIEMAP_FLAG_SYNC;
	fm->fm_extent_count = 64;
	if (ioctl(fd, FS_IOC_FIEMAP, fm) < 0)
		return -1;
	for (i = 0; i < fm->fm_mapped_extents; i++)
		n += !!(fm->fm_extents[i].fe_flags & FIEMAP_EXTENT_UNWRITTEN);
	return n;
}

static void assert_zeros(int fd, off_t off, size_t len)
{
	static char buf[64 * KIB];
	size_t i;

	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		assert_int_equal(pread(fd, buf, n, off), (ssize_t)n);
		for (i = 0; i < n; i++)
			assert_int_equal(buf[i], 0);
		off += (off_t)n;
		len -= n;
	}
}

static void test_prepare_sparse_file_is_allocated_and_grown(void **state)
{
	int fd = open_file(O_RDWR);
	struct stat st;

	(void)state;
	assert_int_equal(sdx_prepare(fd, 0, MIB), 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, MIB);
	assert_true(st.st_blocks * 512 >= MIB);
	assert_int_equal(next_hole(fd, 0), MIB);
	assert_zeros(fd, 0, MIB);
	close(fd);
}

static void test_prepare_keeps_existing_data(void **state)
{
	static const char data[] = "keep me";
	char buf[sizeof(data)];
	int fd = open_file(O_RDWR);
	struct stat st;

	(void)state;
	assert_int_equal(ftruncate(fd, 4 * MIB), 0);
	assert_int_equal(pwrite(fd, data, sizeof(data), MIB + 100), (ssize_t)sizeof(data));
	assert_int_equal(fsync(fd), 0);
	/* a range that starts and ends inside blocks, around the data */
	assert_int_equal(sdx_prepare(fd, 1000, 2 * MIB), 0);
	assert_int_equal(pread(fd, buf, sizeof(buf), MIB + 100), (ssize_t)sizeof(buf));
	assert_memory_equal(buf, data, sizeof(data));
	assert_zeros(fd, 0, MIB + 100);
	assert_true(next_hole(fd, 4096) >= 1000 + 2 * MIB - 4096);
	/* a bigger file is not shrunk */
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 4 * MIB);
	close(fd);
}

/*
 * The contract, shown: sdx_prepare() does not hold other writers off.
 * Data written into a hole after the holes were found is overwritten
 * with zeros, which is why syncdax.h and sdx_prepare(3) say the file must
 * have no other writer while it runs.  (Should it one day lock the range,
 * this test fails and the contract changes with it.)
 */
static void test_prepare_with_another_writer_loses_its_data(void **state)
{
	char buf[sizeof(racer_data)];
	int fd = open_file(O_RDWR);
	int other = open_file(O_RDWR);

	(void)state;
	assert_int_equal(ftruncate(fd, MIB), 0);
	racer_off = 4096 * 3;
	racer_fd = other;
	assert_int_equal(sdx_prepare(fd, 0, MIB), 0);
	assert_int_equal(racer_fd, -1);	/* the other writer did write */
	assert_int_equal(pread(fd, buf, sizeof(buf), racer_off), (ssize_t)sizeof(buf));
	assert_memory_not_equal(buf, racer_data, sizeof(racer_data));
	assert_zeros(fd, 0, MIB);
	close(other);
	close(fd);
}

static void test_prepare_converts_unwritten_extents(void **state)
{
	int fd = open_file(O_RDWR);
	int before;

	(void)state;
	if (fallocate(fd, 0, 0, MIB) < 0) {
		close(fd);
		skip();		/* the scratch file system has no fallocate */
	}
	before = unwritten_extents(fd, 0, MIB);
	if (before <= 0) {
		close(fd);
		skip();		/* no FIEMAP, or fallocate wrote the blocks */
	}
	assert_int_equal(sdx_prepare(fd, 0, MIB), 0);
	assert_int_equal(unwritten_extents(fd, 0, MIB), 0);
	assert_zeros(fd, 0, MIB);
	close(fd);
}

/* Blocks fallocated past EOF (KEEP_SIZE) become part of the file. */
static void test_prepare_grows_over_keep_size_blocks(void **state)
{
	int fd = open_file(O_RDWR);
	struct stat st;

	(void)state;
	if (fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 256 * KIB) < 0) {
		close(fd);
		skip();
	}
	assert_int_equal(sdx_prepare(fd, 0, 256 * KIB), 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 256 * KIB);
	assert_zeros(fd, 0, 256 * KIB);
	close(fd);
}

/* tmpfs has no FIEMAP: the holes are found with SEEK_HOLE. */
static void test_prepare_without_fiemap(void **state)
{
	char *d = scratch_dir("/dev/shm");
	char *f = d ? scratch_file(d, "f", 0) : NULL;
	static const char data[] = "shm";
	char buf[sizeof(data)];
	int fd;

	(void)state;
	if (!f) {
		scratch_remove(d, f);
		skip();
	}
	fd = open(f, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, sizeof(data), 300 * KIB), (ssize_t)sizeof(data));
	assert_int_equal(sdx_prepare(fd, 0, MIB), 0);
	assert_int_equal(next_hole(fd, 0), MIB);
	assert_int_equal(pread(fd, buf, sizeof(buf), 300 * KIB), (ssize_t)sizeof(buf));
	assert_memory_equal(buf, data, sizeof(data));
	close(fd);
	scratch_remove(d, f);
}

static void assert_unchanged(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(st.st_blocks, 0);
}

static void test_prepare_bad_arguments_change_nothing(void **state)
{
	int rd = open_file(O_RDONLY), rw = open_file(O_RDWR), ap = open_file(O_WRONLY | O_APPEND);
	int d = open(dir, O_RDONLY | O_DIRECTORY), pipefd[2];

	(void)state;
	assert_true(d >= 0);
	assert_int_equal(pipe(pipefd), 0);
	assert_int_equal(sdx_prepare(-1, 0, 4096), -EBADF);
	assert_int_equal(sdx_prepare(rd, 0, 4096), -EBADF);
	assert_int_equal(sdx_prepare(ap, 0, 4096), -EBADF);
	assert_int_equal(sdx_prepare(d, 0, 4096), -EINVAL);
	assert_int_equal(sdx_prepare(pipefd[1], 0, 4096), -EINVAL);
	assert_int_equal(sdx_prepare(rw, UINT64_MAX - 10, 4096), -EINVAL);
	assert_int_equal(sdx_prepare(rw, 4096, (uint64_t)INT64_MAX), -EINVAL);
	assert_int_equal(sdx_prepare(rw, (uint64_t)INT64_MAX + 1, 0), -EINVAL);
	assert_int_equal(sdx_prepare(rw, 4096, 0), 0);	/* nothing to do */
	assert_unchanged(rw);
	assert_non_null(strstr(sdx_strerror(-EINVAL), "overflow"));
	close(pipefd[0]);
	close(pipefd[1]);
	close(d);
	close(ap);
	close(rw);
	close(rd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_prepare_sparse_file_is_allocated_and_grown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_keeps_existing_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_with_another_writer_loses_its_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_converts_unwritten_extents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_grows_over_keep_size_blocks, setup, teardown),
		cmocka_unit_test(test_prepare_without_fiemap),
		cmocka_unit_test_setup_teardown(test_prepare_bad_arguments_change_nothing, setup, teardown),
	};

	return cmocka_run_group_tests_name("prepare", tests, NULL, NULL);
}
