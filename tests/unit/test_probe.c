// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_probe.c - sdx_probe_path() against the host's real mounts (/ and
 * the tmpfs /dev/shm), argument checking, and several threads probing at
 * once
 */
#include "test-common.h"

#include <pthread.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <linux/magic.h>

static int is_tmpfs(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC;
}

static void test_probe_null_args(void **state)
{
	struct sdx_probe p;

	(void)state;
	assert_int_equal(sdx_probe_path(NULL, &p), -EINVAL);
	assert_int_equal(sdx_probe_path("/", NULL), -EINVAL);
}

static void test_probe_missing_path_enoent(void **state)
{
	struct sdx_probe p;

	(void)state;
	assert_int_equal(sdx_probe_path("/nonexistent/sdx-unit", &p), -ENOENT);
}

static void test_probe_device_node_einval(void **state)
{
	struct sdx_probe p;

	(void)state;
	assert_int_equal(sdx_probe_path("/dev/null", &p), -EINVAL);
}

static void test_probe_root(void **state)
{
	struct sdx_probe *p = calloc(1, sizeof(*p));
	struct stat st;

	(void)state;
	assert_non_null(p);
	assert_int_equal(sdx_probe_path("/", p), 0);
	assert_int_equal(stat("/", &st), 0);
	assert_int_equal(p->dev_major, major(st.st_dev));
	assert_int_equal(p->dev_minor, minor(st.st_dev));
	assert_string_equal(p->target, "/");
	assert_true(strlen(p->fstype) > 0);
	assert_true(strlen(p->source) > 0);
	assert_true(strlen(p->options) > 0);
	assert_int_equal(p->flush, sdx_flush_insn());
	/* the kernel answer agrees with the raw ioctl */
	if (kernel_unpatched("/")) {
		assert_int_equal(p->kernel, SDX_NO);
		assert_int_equal(p->flag, SDX_UNKNOWN);
		assert_true(p->state.why_not & SDX_WHY_NO_KERNEL);
	} else if (fs_not_opted_in("/")) {
		assert_int_equal(p->kernel, SDX_YES);
		assert_int_equal(p->flag, SDX_UNKNOWN);
		assert_true(p->state.why_not & SDX_WHY_FS_UNSUPPORTED);
	} else {
		assert_int_equal(p->kernel, SDX_YES);
		assert_int_not_equal(p->flag, SDX_UNKNOWN);
	}
	/* an ext4 or xfs root without a dax option is dax=inode */
	if (!strcmp(p->fstype, "ext4") && !strstr(p->options, "dax"))
		assert_int_equal(p->mount_dax, SDX_MOUNT_DAX_INODE);
	/* a block device root names its device */
	if (p->dev_major)
		assert_true(strlen(p->blockdev) > 0);
	free(p);
}

static void test_probe_tmpfs_has_no_dax(void **state)
{
	struct sdx_probe *p = calloc(1, sizeof(*p));
	const char *dirs[] = { "/dev/shm", "/run" };
	size_t i;
	int seen = 0;

	(void)state;
	assert_non_null(p);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (!is_tmpfs(dirs[i]))
			continue;
		seen++;
		assert_int_equal(sdx_probe_path(dirs[i], p), 0);
		assert_string_equal(p->fstype, "tmpfs");
		assert_int_equal(p->mount_dax, SDX_MOUNT_DAX_NONE);
		assert_int_equal(p->dev_major, 0);
		assert_string_equal(p->blockdev, "");
		assert_int_equal(p->ns_mode, SDX_NS_NONE);
		assert_int_not_equal(p->dev_sync, SDX_YES);
		assert_false(p->state.flags & SDX_STATE_ACTIVE);
		assert_false(p->state.flags & SDX_STATE_DAX);
		assert_true(p->state.why_not & SDX_WHY_MOUNT_NOT_DAX);
		assert_true(p->state.why_not & SDX_WHY_NOT_DAX);
		/* tmpfs has not opted in: the flag cannot be read (v2) */
		assert_int_equal(p->flag, SDX_UNKNOWN);
		assert_int_equal(p->kernel, kernel_unpatched(dirs[i]) ? SDX_NO : SDX_YES);
		assert_true(p->state.why_not & (kernel_unpatched(dirs[i]) ?
			    SDX_WHY_NO_KERNEL : SDX_WHY_FS_UNSUPPORTED));
		/* the mount point is a prefix of the path */
		assert_int_equal(strncmp(dirs[i], p->target, strlen(p->target)), 0);
	}
	free(p);
	if (!seen)
		skip();
}

static void test_probe_file_inside_tmpfs(void **state)
{
	struct sdx_probe *p;
	char *dir, *file;

	(void)state;
	if (!is_tmpfs("/dev/shm"))
		skip();
	p = calloc(1, sizeof(*p));
	assert_non_null(p);
	dir = scratch_dir("/dev/shm");
	assert_non_null(dir);
	file = scratch_file(dir, "f", 100);
	assert_non_null(file);
	assert_int_equal(sdx_probe_path(file, p), 0);
	assert_string_equal(p->fstype, "tmpfs");
	assert_string_equal(p->target, "/dev/shm");
	scratch_remove(dir, file);
	free(p);
}

static void test_probe_mount_matches_libmount_view_of_proc(void **state)
{
	struct sdx_probe *p = calloc(1, sizeof(*p));

	(void)state;
	assert_non_null(p);
	assert_int_equal(sdx_probe_path("/proc/self", p), 0);
	assert_string_equal(p->fstype, "proc");
	assert_string_equal(p->target, "/proc");
	assert_int_equal(p->mount_dax, SDX_MOUNT_DAX_NONE);
	free(p);
}

#define THREADS	4
#define ROUNDS	25

static void *probe_thread(void *arg)
{
	const struct sdx_probe *want = arg;
	struct sdx_probe *p = calloc(1, sizeof(*p));
	long bad = 0;
	int i;

	if (!p)
		return (void *)1L;
	for (i = 0; i < ROUNDS; i++) {
		if (sdx_probe_path("/", p) != 0 ||
		    strcmp(p->fstype, want->fstype) || strcmp(p->target, want->target) ||
		    strcmp(p->source, want->source) || p->mount_dax != want->mount_dax ||
		    p->kernel != want->kernel || p->flush != want->flush ||
		    strcmp(p->blockdev, want->blockdev))
			bad++;
	}
	free(p);
	return (void *)bad;
}

static void test_probe_concurrent_threads_agree(void **state)
{
	struct sdx_probe *want = calloc(1, sizeof(*want));
	pthread_t t[THREADS];
	void *ret;
	int i;

	(void)state;
	assert_non_null(want);
	assert_int_equal(sdx_probe_path("/", want), 0);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, probe_thread, want), 0);
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], &ret), 0);
		assert_int_equal((long)ret, 0);
	}
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_null_args),
		cmocka_unit_test(test_probe_missing_path_enoent),
		cmocka_unit_test(test_probe_device_node_einval),
		cmocka_unit_test(test_probe_root),
		cmocka_unit_test(test_probe_tmpfs_has_no_dax),
		cmocka_unit_test(test_probe_file_inside_tmpfs),
		cmocka_unit_test(test_probe_mount_matches_libmount_view_of_proc),
		cmocka_unit_test(test_probe_concurrent_threads_agree),
	};

	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
