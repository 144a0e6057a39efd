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
	struct sdx_probe *p = (struct sdx_probe *)&p;

	(void)state;
	assert_int_equal(sdx_probe_path(NULL, NULL, &p), -EINVAL);
	assert_null(p);
	assert_int_equal(sdx_probe_path(NULL, "/", NULL), -EINVAL);
}

static void test_probe_missing_path_enoent(void **state)
{
	struct sdx_probe *p = NULL;

	(void)state;
	assert_int_equal(sdx_probe_path(NULL, "/nonexistent/sdx-unit", &p), -ENOENT);
	assert_null(p);
}

static void test_probe_device_node_einval(void **state)
{
	struct sdx_probe *p = NULL;

	(void)state;
	assert_int_equal(sdx_probe_path(NULL, "/dev/null", &p), -EINVAL);
	assert_null(p);
}

static void test_probe_root(void **state)
{
	struct sdx_probe *p = NULL;
	struct stat st;

	(void)state;
	assert_int_equal(probe_again("/", &p), 0);
	assert_int_equal(stat("/", &st), 0);
	assert_int_equal(sdx_probe_get_dev_major(p), major(st.st_dev));
	assert_int_equal(sdx_probe_get_dev_minor(p), minor(st.st_dev));
	assert_string_equal(sdx_probe_get_target(p), "/");
	assert_true(strlen(sdx_probe_get_fstype(p)) > 0);
	assert_true(strlen(sdx_probe_get_source(p)) > 0);
	assert_true(strlen(sdx_probe_get_options(p)) > 0);
	assert_int_equal(sdx_probe_get_flush(p), sdx_flush_insn());
	/* the kernel answer agrees with the raw ioctl */
	if (kernel_unpatched("/")) {
		assert_int_equal(sdx_probe_get_kernel(p), SDX_NO);
		assert_int_equal(sdx_probe_get_flag(p), SDX_UNKNOWN);
		assert_true(sdx_probe_get_state(p)->why_not & SDX_WHY_NO_KERNEL);
	} else if (fs_not_opted_in("/")) {
		assert_int_equal(sdx_probe_get_kernel(p), SDX_YES);
		assert_int_equal(sdx_probe_get_flag(p), SDX_UNKNOWN);
		assert_true(sdx_probe_get_state(p)->why_not & SDX_WHY_FS_UNSUPPORTED);
	} else {
		assert_int_equal(sdx_probe_get_kernel(p), SDX_YES);
		assert_int_not_equal(sdx_probe_get_flag(p), SDX_UNKNOWN);
	}
	/* an ext4 or xfs root without a dax option is dax=inode */
	if (!strcmp(sdx_probe_get_fstype(p), "ext4") && !strstr(sdx_probe_get_options(p), "dax"))
		assert_int_equal(sdx_probe_get_mount_dax(p), SDX_MOUNT_DAX_INODE);
	/* a block device root names its device */
	if (sdx_probe_get_dev_major(p))
		assert_true(strlen(sdx_probe_get_blockdev(p)) > 0);
	sdx_probe_free(p);
}

static void test_probe_tmpfs_has_no_dax(void **state)
{
	struct sdx_probe *p = NULL;
	const char *dirs[] = { "/dev/shm", "/run" };
	size_t i;
	int seen = 0;

	(void)state;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (!is_tmpfs(dirs[i]))
			continue;
		seen++;
		assert_int_equal(probe_again(dirs[i], &p), 0);
		assert_string_equal(sdx_probe_get_fstype(p), "tmpfs");
		assert_int_equal(sdx_probe_get_mount_dax(p), SDX_MOUNT_DAX_NONE);
		assert_int_equal(sdx_probe_get_dev_major(p), 0);
		assert_string_equal(sdx_probe_get_blockdev(p), "");
		assert_int_equal(sdx_probe_get_ns_mode(p), SDX_NS_NONE);
		assert_int_not_equal(sdx_probe_get_dev_sync(p), SDX_YES);
		assert_false(sdx_probe_get_state(p)->flags & SDX_STATE_ACTIVE);
		assert_false(sdx_probe_get_state(p)->flags & SDX_STATE_DAX);
		assert_true(sdx_probe_get_state(p)->why_not & SDX_WHY_MOUNT_NOT_DAX);
		assert_true(sdx_probe_get_state(p)->why_not & SDX_WHY_NOT_DAX);
		/* tmpfs has not opted in: the flag cannot be read (v2) */
		assert_int_equal(sdx_probe_get_flag(p), SDX_UNKNOWN);
		assert_int_equal(sdx_probe_get_kernel(p), kernel_unpatched(dirs[i]) ? SDX_NO : SDX_YES);
		assert_true(sdx_probe_get_state(p)->why_not & (kernel_unpatched(dirs[i]) ?
			    SDX_WHY_NO_KERNEL : SDX_WHY_FS_UNSUPPORTED));
		/* the mount point is a prefix of the path */
		assert_int_equal(strncmp(dirs[i], sdx_probe_get_target(p), strlen(sdx_probe_get_target(p))), 0);
	}
	sdx_probe_free(p);
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
	p = NULL;
	dir = scratch_dir("/dev/shm");
	assert_non_null(dir);
	file = scratch_file(dir, "f", 100);
	assert_non_null(file);
	assert_int_equal(probe_again(file, &p), 0);
	assert_string_equal(sdx_probe_get_fstype(p), "tmpfs");
	assert_string_equal(sdx_probe_get_target(p), "/dev/shm");
	scratch_remove(dir, file);
	sdx_probe_free(p);
}

static void test_probe_mount_matches_libmount_view_of_proc(void **state)
{
	struct sdx_probe *p = NULL;

	(void)state;
	assert_int_equal(probe_again("/proc/self", &p), 0);
	assert_string_equal(sdx_probe_get_fstype(p), "proc");
	assert_string_equal(sdx_probe_get_target(p), "/proc");
	assert_int_equal(sdx_probe_get_mount_dax(p), SDX_MOUNT_DAX_NONE);
	sdx_probe_free(p);
}

#define THREADS	4
#define ROUNDS	25

struct thread_arg {
	struct sdx_ctx *ctx;		/* shared by all threads */
	const struct sdx_probe *want;
};

static int same_probe(const struct sdx_probe *p, const struct sdx_probe *want)
{
	return !strcmp(sdx_probe_get_fstype(p), sdx_probe_get_fstype(want)) &&
	       !strcmp(sdx_probe_get_target(p), sdx_probe_get_target(want)) &&
	       !strcmp(sdx_probe_get_source(p), sdx_probe_get_source(want)) &&
	       sdx_probe_get_mount_dax(p) == sdx_probe_get_mount_dax(want) &&
	       sdx_probe_get_kernel(p) == sdx_probe_get_kernel(want) &&
	       sdx_probe_get_flush(p) == sdx_probe_get_flush(want) &&
	       !strcmp(sdx_probe_get_blockdev(p), sdx_probe_get_blockdev(want));
}

static void *probe_thread(void *data)
{
	const struct thread_arg *arg = data;
	struct sdx_probe *p;
	long bad = 0;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		p = NULL;
		if (sdx_probe_path(arg->ctx, "/", &p) != 0 || !same_probe(p, arg->want))
			bad++;
		sdx_probe_free(p);
	}
	return (void *)bad;
}

/* Threads probing at once through one context all get the same answer. */
static void test_probe_concurrent_threads_agree(void **state)
{
	struct sdx_probe *want = NULL;
	struct thread_arg arg;
	pthread_t t[THREADS];
	void *ret;
	int i;

	(void)state;
	assert_int_equal(sdx_new(&arg.ctx), 0);
	assert_int_equal(sdx_probe_path(NULL, "/", &want), 0);
	arg.want = want;
	for (i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, probe_thread, &arg), 0);
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], &ret), 0);
		assert_int_equal((long)ret, 0);
	}
	sdx_probe_free(want);
	sdx_unref(arg.ctx);
}

/* What the running kernel's ext4 says about sync_fault, looked at directly. */
static int kernel_knows_sync_fault(void)
{
	struct stat st;

	if (stat("/sys/fs/ext4/features", &st) < 0)
		return SDX_UNKNOWN;
	return stat("/sys/fs/ext4/features/sync_fault", &st) == 0 ? SDX_YES : SDX_NO;
}

/*
 * The kernel's sync_fault is a fact of the kernel, the same for a file on
 * any file system; the super block's only for ext4, and unknown where the
 * device cannot be read.
 */
static void test_probe_sync_fault_facts(void **state)
{
	struct sdx_probe *p = NULL;

	(void)state;
	assert_int_equal(sdx_probe_path(NULL, "/", &p), 0);
	assert_int_equal(sdx_probe_get_kernel_sync_fault(p), kernel_knows_sync_fault());
	if (strcmp(sdx_probe_get_fstype(p), "ext4") == 0) {
		int fd = open(sdx_probe_get_source(p), O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			assert_int_not_equal(sdx_probe_get_sync_fault(p), SDX_UNKNOWN);
		} else {
			assert_int_equal(sdx_probe_get_sync_fault(p), SDX_UNKNOWN);
		}
	}
	sdx_probe_free(p);
	p = NULL;
	if (is_tmpfs("/dev/shm")) {
		assert_int_equal(sdx_probe_path(NULL, "/dev/shm", &p), 0);
		assert_int_equal(sdx_probe_get_kernel_sync_fault(p), kernel_knows_sync_fault());
		assert_int_equal(sdx_probe_get_sync_fault(p), SDX_UNKNOWN);
		sdx_probe_free(p);
	}
	assert_int_equal(sdx_probe_get_sync_fault(NULL), SDX_UNKNOWN);
	assert_int_equal(sdx_probe_get_kernel_sync_fault(NULL), SDX_UNKNOWN);
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
		cmocka_unit_test(test_probe_sync_fault_facts),
	};

	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
