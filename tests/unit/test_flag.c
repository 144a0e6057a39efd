// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_flag.c - sdx_get_flag_* / sdx_set_flag_*: argument checking, file
 * types refused before any ioctl, symlink handling, and the kernel's
 * answer passed through unchanged (ENOTTY on an unpatched kernel)
 */
#include "test-common.h"

#include <sys/socket.h>

struct fixture {
	char *dir;
	char *file;
	char *fifo;
	char *link;
};

static int setup(void **state)
{
	const char *base = scratch_base();
	static struct fixture fx;
	struct fixture *f = &fx;

	f->dir = scratch_dir(base);
	if (!f->dir)
		return -1;
	f->file = scratch_file(f->dir, "file", 4096);
	f->fifo = scratch_path(f->dir, "fifo");
	f->link = scratch_path(f->dir, "link");
	if (!f->file || !f->fifo || !f->link)
		return -1;
	if (mkfifo(f->fifo, 0600) < 0 || symlink("file", f->link) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->file);
	unlink(f->fifo);
	unlink(f->link);
	rmdir(f->dir);
	free(f->file);
	free(f->fifo);
	free(f->link);
	free(f->dir);
	memset(f, 0, sizeof(*f));
	return 0;
}

static void test_get_bad_fd_is_ebadf(void **state)
{
	(void)state;
	assert_int_equal(sdx_get_flag_fd(-1), -EBADF);
	assert_int_equal(sdx_get_flag_fd(-42), -EBADF);
	assert_int_equal(sdx_get_flag_fd(INT32_MAX), -EBADF);
}

static void test_set_bad_fd_is_ebadf(void **state)
{
	(void)state;
	assert_int_equal(sdx_set_flag_fd(-1, 1), -EBADF);
	assert_int_equal(sdx_set_flag_fd(INT32_MAX, 0), -EBADF);
}

static void test_closed_fd_is_ebadf(void **state)
{
	struct fixture *f = *state;
	int fd = open(f->file, O_RDONLY);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(sdx_get_flag_fd(fd), -EBADF);
	assert_int_equal(sdx_set_flag_fd(fd, 0), -EBADF);
}

static void test_set_bad_value_is_einval(void **state)
{
	struct fixture *f = *state;
	int fd = open(f->file, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(sdx_set_flag_fd(fd, 2), -EINVAL);
	assert_int_equal(sdx_set_flag_fd(fd, -1), -EINVAL);
	close(fd);
	assert_int_equal(sdx_set_flag_path(f->file, 2, 0), -EINVAL);
	assert_int_equal(sdx_set_flag_path(f->file, -1, 0), -EINVAL);
}

static void test_path_null_empty_missing(void **state)
{
	struct fixture *f = *state;
	char *missing = scratch_path(f->dir, "missing");

	assert_int_equal(sdx_get_flag_path(NULL, 0), -EINVAL);
	assert_int_equal(sdx_set_flag_path(NULL, 1, 0), -EINVAL);
	assert_int_equal(sdx_get_flag_path("", 0), -ENOENT);
	assert_int_equal(sdx_get_flag_path(missing, 0), -ENOENT);
	assert_int_equal(sdx_set_flag_path(missing, 1, 0), -ENOENT);
	free(missing);
}

static void test_path_unknown_flags_einval(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sdx_get_flag_path(f->file, 0x2), -EINVAL);
	assert_int_equal(sdx_set_flag_path(f->file, 1, 0x80000000u), -EINVAL);
}

/*
 * The answer for a fifo.  That it is never opened (not even with
 * O_NONBLOCK, which would return at once) is test_no_open.c's, which
 * counts the opens.
 */
static void test_fifo_refused_einval(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sdx_get_flag_path(f->fifo, 0), -EINVAL);
	assert_int_equal(sdx_set_flag_path(f->fifo, 1, 0), -EINVAL);
	assert_int_equal(sdx_set_flag_path(f->fifo, 0, SDX_PATH_NOFOLLOW), -EINVAL);
}

static void test_device_refused(void **state)
{
	(void)state;
	assert_int_equal(sdx_get_flag_path("/dev/null", 0), -EINVAL);
	assert_int_equal(sdx_set_flag_path("/dev/null", 1, 0), -EINVAL);
}

static void test_pipe_and_socket_fds_refused(void **state)
{
	int p[2], sv[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(sdx_get_flag_fd(p[0]), -EINVAL);
	assert_int_equal(sdx_set_flag_fd(p[1], 1), -EINVAL);
	close(p[0]);
	close(p[1]);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(sdx_get_flag_fd(sv[0]), -EINVAL);
	assert_int_equal(sdx_set_flag_fd(sv[0], 0), -EINVAL);
	close(sv[0]);
	close(sv[1]);
}

static void test_nofollow_symlink_is_eloop(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sdx_get_flag_path(f->link, SDX_PATH_NOFOLLOW), -ELOOP);
	assert_int_equal(sdx_set_flag_path(f->link, 1, SDX_PATH_NOFOLLOW), -ELOOP);
}

static void test_symlink_followed_by_default(void **state)
{
	struct fixture *f = *state;

	/* same answer as for the target itself */
	assert_int_equal(sdx_get_flag_path(f->link, 0), sdx_get_flag_path(f->file, 0));
}

static void test_get_passes_kernel_answer_through(void **state)
{
	struct fixture *f = *state;
	struct fs_syncfault sf;
	int raw, ret;

	raw = raw_get_path(f->file, &sf);
	ret = sdx_get_flag_path(f->file, 0);
	if (raw == 0)
		assert_int_equal(ret, (sf.sf_flags & FS_SYNCFAULT_ON) ? 1 : 0);
	else
		assert_int_equal(ret, raw);
	raw = raw_get_path(f->dir, &sf);
	ret = sdx_get_flag_path(f->dir, 0);
	if (raw == 0)
		assert_int_equal(ret, (sf.sf_flags & FS_SYNCFAULT_ON) ? 1 : 0);
	else
		assert_int_equal(ret, raw);
}

static void test_unpatched_kernel_gives_enotty(void **state)
{
	struct fixture *f = *state;
	int fd;

	if (!kernel_unpatched(f->file))
		skip();
	assert_int_equal(sdx_get_flag_path(f->file, 0), -ENOTTY);
	assert_int_equal(sdx_set_flag_path(f->file, 1, 0), -ENOTTY);
	assert_int_equal(sdx_set_flag_path(f->dir, 0, 0), -ENOTTY);
	fd = open(f->file, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(sdx_get_flag_fd(fd), -ENOTTY);
	assert_int_equal(sdx_set_flag_fd(fd, 0), -ENOTTY);
	close(fd);
}

static void test_tmpfs_refuses_get_and_set(void **state)
{
	struct stat before, after;
	char *dir, *file;
	int fd;

	(void)state;
	if (access("/dev/shm", W_OK) != 0)
		skip();
	dir = scratch_dir("/dev/shm");
	assert_non_null(dir);
	file = scratch_file(dir, "file", 4096);
	assert_non_null(file);
	assert_int_equal(stat(file, &before), 0);
	/*
	 * v2: EOPNOTSUPP from a patched kernel (tmpfs has not opted in),
	 * ENOTTY from an unpatched one; never an answer for the flag.
	 */
	if (kernel_unpatched(file)) {
		assert_int_equal(sdx_get_flag_path(file, 0), -ENOTTY);
		assert_int_equal(sdx_set_flag_path(file, 1, 0), -ENOTTY);
		assert_int_equal(sdx_get_flag_path(dir, 0), -ENOTTY);
	} else {
		assert_int_equal(sdx_get_flag_path(file, 0), -EOPNOTSUPP);
		assert_int_equal(sdx_set_flag_path(file, 1, 0), -EOPNOTSUPP);
		assert_int_equal(sdx_get_flag_path(dir, 0), -EOPNOTSUPP);
		assert_int_equal(sdx_set_flag_path(dir, 0, 0), -EOPNOTSUPP);
	}
	fd = open(file, O_RDWR);
	assert_true(fd >= 0);
	assert_true(sdx_get_flag_fd(fd) < 0);
	assert_true(sdx_set_flag_fd(fd, 1) < 0);
	close(fd);
	/* nothing about the inode changed, not even ctime */
	assert_int_equal(stat(file, &after), 0);
	assert_int_equal(before.st_ctim.tv_sec, after.st_ctim.tv_sec);
	assert_int_equal(before.st_ctim.tv_nsec, after.st_ctim.tv_nsec);
	assert_int_equal(before.st_mode, after.st_mode);
	scratch_remove(dir, file);
}

static void test_get_does_not_change_the_file(void **state)
{
	struct fixture *f = *state;
	struct stat before, after;

	assert_int_equal(stat(f->file, &before), 0);
	(void)sdx_get_flag_path(f->file, 0);
	assert_int_equal(stat(f->file, &after), 0);
	assert_int_equal(before.st_size, after.st_size);
	assert_int_equal(before.st_mode, after.st_mode);
	assert_int_equal(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
	assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_bad_fd_is_ebadf),
		cmocka_unit_test(test_set_bad_fd_is_ebadf),
		cmocka_unit_test(test_closed_fd_is_ebadf),
		cmocka_unit_test(test_set_bad_value_is_einval),
		cmocka_unit_test(test_path_null_empty_missing),
		cmocka_unit_test(test_path_unknown_flags_einval),
		cmocka_unit_test(test_fifo_refused_einval),
		cmocka_unit_test(test_device_refused),
		cmocka_unit_test(test_pipe_and_socket_fds_refused),
		cmocka_unit_test(test_nofollow_symlink_is_eloop),
		cmocka_unit_test(test_symlink_followed_by_default),
		cmocka_unit_test(test_get_passes_kernel_answer_through),
		cmocka_unit_test(test_unpatched_kernel_gives_enotty),
		cmocka_unit_test(test_tmpfs_refuses_get_and_set),
		cmocka_unit_test(test_get_does_not_change_the_file),
	};

	return cmocka_run_group_tests_name("flag", tests, setup, teardown);
}
