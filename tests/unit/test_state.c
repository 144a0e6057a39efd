// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_state.c - sdx_state_fd()/sdx_state_path() on ordinary files: never
 * active, and always says why
 */
#include "test-common.h"

static char *dir, *file;

static int setup(void **state)
{
	const char *base = scratch_base();

	(void)state;
	dir = scratch_dir(base);
	file = dir ? scratch_file(dir, "file", 8192) : NULL;
	return file ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	scratch_remove(dir, file);
	return 0;
}

static void test_state_args(void **state)
{
	struct sdx_state st;
	int fd;

	(void)state;
	assert_int_equal(sdx_state_fd(-1, &st), -EBADF);
	fd = open(file, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(sdx_state_fd(fd, NULL), -EINVAL);
	close(fd);
	assert_int_equal(sdx_state_path(NULL, 0, &st), -EINVAL);
	assert_int_equal(sdx_state_path(file, 0, NULL), -EINVAL);
	assert_int_equal(sdx_state_path(file, 0x4, &st), -EINVAL);
	assert_int_equal(sdx_state_path("/dev/null", 0, &st), -EINVAL);
	assert_int_equal(sdx_state_path("/nonexistent/x", 0, &st), -ENOENT);
}

static void check_not_active(const struct sdx_state *st, const char *path)
{
	assert_false(st->flags & SDX_STATE_ACTIVE);
	assert_false(st->flags & SDX_STATE_DAX);
	assert_int_not_equal(st->why_not, 0);
	assert_true(st->why_not & SDX_WHY_NOT_DAX);
	if (kernel_unpatched(path)) {
		assert_true(st->why_not & SDX_WHY_NO_KERNEL);
		assert_false(st->flags & SDX_STATE_FLAG);
		assert_int_equal(st->kernel_state, 0);
	}
	assert_int_equal(st->reserved[0], 0);
}

static void test_state_ordinary_file_not_active(void **state)
{
	struct sdx_state st;
	int fd;

	(void)state;
	memset(&st, 0xff, sizeof(st));
	assert_int_equal(sdx_state_path(file, 0, &st), 0);
	check_not_active(&st, file);
	fd = open(file, O_RDONLY);
	assert_true(fd >= 0);
	memset(&st, 0xff, sizeof(st));
	assert_int_equal(sdx_state_fd(fd, &st), 0);
	check_not_active(&st, file);
	close(fd);
}

static void test_state_directory(void **state)
{
	struct sdx_state st;

	(void)state;
	assert_int_equal(sdx_state_path(dir, 0, &st), 0);
	check_not_active(&st, dir);
}

static void test_state_tmpfs(void **state)
{
	struct sdx_state st;

	(void)state;
	if (access("/dev/shm", R_OK) != 0)
		skip();
	assert_int_equal(sdx_state_path("/dev/shm", 0, &st), 0);
	check_not_active(&st, "/dev/shm");
	assert_true(st.why_not & SDX_WHY_MOUNT_NOT_DAX);
	/* tmpfs has not opted in: never "flag clear", the flag cannot be read */
	assert_false(st.flags & SDX_STATE_FLAG);
	assert_false(st.why_not & SDX_WHY_FLAG_CLEAR);
	assert_true(st.why_not & (SDX_WHY_NO_KERNEL | SDX_WHY_FS_UNSUPPORTED));
	assert_int_equal(st.kernel_state, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_args),
		cmocka_unit_test(test_state_ordinary_file_not_active),
		cmocka_unit_test(test_state_directory),
		cmocka_unit_test(test_state_tmpfs),
	};

	return cmocka_run_group_tests_name("state", tests, setup, teardown);
}
