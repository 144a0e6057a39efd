// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_fake_kernel.c - the library's handling of a patched kernel's
 * answers (contract v2, DESIGN.md section 2), on the unpatched host: this
 * file defines ioctl(), which takes precedence over the C library's for
 * libsyncdax too, and answers FS_IOC_GETSYNCFAULT / FS_IOC_SETSYNCFAULT
 * from the variables below.  Every other ioctl goes to the real one.
 */
#include "test-common.h"

#include <dlfcn.h>
#include <sys/mman.h>

/* The fake kernel's answers. */
static struct {
	int get_errno;		/* GET fails with this errno when non-zero */
	int set_errno;		/* SET fails with this errno when non-zero */
	int set_applies;	/* ... after changing the flag (a failed commit) */
	uint32_t flags;		/* sf_flags GET reports */
	uint32_t state;		/* sf_state GET reports */
	int clear_after_gets;	/* > 0: drop ACTIVE after this many GETs */
	int gets, sets;
	struct fs_syncfault last_set;
} fake;

int ioctl(int fd, unsigned long request, ...)
{
	static int (*real_ioctl)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (request == FS_IOC_GETSYNCFAULT) {
		struct fs_syncfault *sf = arg;

		fake.gets++;
		if (fake.get_errno) {
			errno = fake.get_errno;
			return -1;
		}
		if (fake.clear_after_gets && fake.gets > fake.clear_after_gets)
			fake.state &= ~FS_SYNCFAULT_STATE_ACTIVE;
		sf->sf_flags = fake.flags;
		sf->sf_state = fake.state;
		return 0;
	}
	if (request == FS_IOC_SETSYNCFAULT) {
		fake.sets++;
		memcpy(&fake.last_set, arg, sizeof(fake.last_set));
		if (fake.set_errno && !fake.set_applies) {
			errno = fake.set_errno;
			return -1;
		}
		fake.flags = fake.last_set.sf_flags;
		if (fake.set_errno) {
			errno = fake.set_errno;
			return -1;
		}
		return 0;
	}
	if (!real_ioctl)
		*(void **)&real_ioctl = dlsym(RTLD_NEXT, "ioctl");
	return real_ioctl(fd, request, arg);
}

static char *dir, *file;
static long pagesize;

static int setup(void **state)
{
	const char *base = scratch_base();

	(void)state;
	pagesize = sysconf(_SC_PAGESIZE);
	dir = scratch_dir(base);
	file = dir ? scratch_file(dir, "file", 2 * pagesize) : NULL;
	return file ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	scratch_remove(dir, file);
	return 0;
}

static int reset(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof(fake));
	return 0;
}

#define DAX	FS_SYNCFAULT_STATE_DAX
#define ACTIVE	FS_SYNCFAULT_STATE_ACTIVE

static void test_get_reports_kernel_flag(void **state)
{
	(void)state;
	fake.flags = FS_SYNCFAULT_ON;
	assert_int_equal(sdx_get_flag_path(file, 0), 1);
	fake.flags = 0;
	assert_int_equal(sdx_get_flag_path(file, 0), 0);
	assert_int_equal(fake.gets, 2);
}

static void test_set_sends_exact_struct(void **state)
{
	(void)state;
	assert_int_equal(sdx_set_flag_path(file, 1, 0), 0);
	assert_int_equal(fake.last_set.sf_flags, FS_SYNCFAULT_ON);
	assert_int_equal(fake.last_set.sf_state, 0);
	assert_int_equal(fake.last_set.sf_reserved[0], 0);
	assert_int_equal(fake.last_set.sf_reserved[1], 0);
	assert_int_equal(sdx_get_flag_path(file, 0), 1);
	assert_int_equal(sdx_set_flag_path(dir, 0, 0), 0);
	assert_int_equal(fake.last_set.sf_flags, 0);
	assert_int_equal(fake.sets, 2);
}

static void test_set_errors_pass_through(void **state)
{
	/* v2: EBUSY for unsyncable shared writable mappings, EIO for a failed commit */
	const int errs[] = { EOPNOTSUPP, EPERM, EROFS, EINVAL, ENOTTY, EBUSY, EIO };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		fake.set_errno = errs[i];
		assert_int_equal(sdx_set_flag_path(file, 1, 0), -errs[i]);
		assert_int_equal(sdx_set_flag_path(dir, 0, 0), -errs[i]);
		/* refused: the flag did not change */
		assert_int_equal(fake.flags, 0);
	}
	assert_int_equal(fake.sets, 2 * (int)(sizeof(errs) / sizeof(errs[0])));
	assert_non_null(strstr(sdx_strerror(-EOPNOTSUPP), "does not support the sync-fault flag"));
}

static void test_set_ebusy_changes_nothing_and_says_why(void **state)
{
	(void)state;
	/* the inode has shared writable mappings and is not DAX */
	fake.set_errno = EBUSY;
	assert_int_equal(sdx_set_flag_path(file, 1, 0), -EBUSY);
	fake.set_errno = 0;
	assert_int_equal(sdx_get_flag_path(file, 0), 0);
	assert_non_null(strstr(sdx_strerror(-EBUSY), "shared writable mappings"));
}

static void test_set_eio_then_get_tells_the_truth(void **state)
{
	int fd = open(file, O_RDONLY);

	(void)state;
	assert_true(fd >= 0);
	/* the commit failed after the flag changed in memory */
	fake.set_errno = EIO;
	fake.set_applies = 1;
	assert_int_equal(sdx_set_flag_fd(fd, 1), -EIO);
	assert_int_equal(sdx_get_flag_fd(fd), 1);
	/* ... or before it changed */
	fake.set_applies = 0;
	assert_int_equal(sdx_set_flag_fd(fd, 0), -EIO);
	assert_int_equal(sdx_get_flag_fd(fd), 1);
	assert_int_equal(fake.sets, 2);
	assert_int_equal(fake.gets, 2);
	close(fd);
}

static void test_fs_not_opted_in_refuses_get_and_set(void **state)
{
	(void)state;
	/* v2: a file system that has not declared support refuses both */
	fake.get_errno = EOPNOTSUPP;
	fake.set_errno = EOPNOTSUPP;
	assert_int_equal(sdx_get_flag_path(file, 0), -EOPNOTSUPP);
	assert_int_equal(sdx_get_flag_path(dir, 0), -EOPNOTSUPP);
	assert_int_equal(sdx_set_flag_path(file, 1, 0), -EOPNOTSUPP);
	assert_int_equal(sdx_set_flag_path(dir, 0, 0), -EOPNOTSUPP);
	assert_int_equal(fake.flags, 0);
	assert_int_equal(fake.gets, 2);
	assert_int_equal(fake.sets, 2);
}

static void test_refused_types_never_reach_the_kernel(void **state)
{
	(void)state;
	assert_int_equal(sdx_set_flag_path("/dev/null", 1, 0), -EINVAL);
	assert_int_equal(sdx_get_flag_path("/dev/null", 0), -EINVAL);
	assert_int_equal(fake.gets + fake.sets, 0);
}

static void test_state_active(void **state)
{
	struct sdx_state st;

	(void)state;
	fake.flags = FS_SYNCFAULT_ON;
	fake.state = DAX | ACTIVE;
	assert_int_equal(sdx_state_path(file, 0, &st), 0);
	assert_int_equal(st.flags, SDX_STATE_FLAG | SDX_STATE_DAX | SDX_STATE_ACTIVE);
	assert_int_equal(st.why_not, 0);
	assert_int_equal(st.kernel_state, DAX | ACTIVE);
}

static void test_state_flag_clear_on_dax(void **state)
{
	struct sdx_state st;

	(void)state;
	fake.state = DAX;
	assert_int_equal(sdx_state_path(file, 0, &st), 0);
	assert_int_equal(st.flags, SDX_STATE_DAX);
	assert_true(st.why_not & SDX_WHY_FLAG_CLEAR);
	assert_false(st.why_not & SDX_WHY_NOT_DAX);
	assert_false(st.why_not & SDX_WHY_NO_KERNEL);
}

static void test_state_flag_on_dax_inactive_means_async_device(void **state)
{
	struct sdx_state st;

	(void)state;
	fake.flags = FS_SYNCFAULT_ON;
	fake.state = DAX;
	assert_int_equal(sdx_state_path(file, 0, &st), 0);
	assert_int_equal(st.flags, SDX_STATE_FLAG | SDX_STATE_DAX);
	assert_int_equal(st.why_not, SDX_WHY_DEV_NOT_SYNC);
}

static void test_state_flag_on_not_dax(void **state)
{
	struct sdx_state st;

	(void)state;
	fake.flags = FS_SYNCFAULT_ON;
	assert_int_equal(sdx_state_path(file, 0, &st), 0);
	assert_int_equal(st.flags, SDX_STATE_FLAG);
	assert_true(st.why_not & SDX_WHY_NOT_DAX);
	/* the host's scratch file system is not mounted dax=always */
	assert_true(st.why_not & SDX_WHY_MOUNT_NOT_DAX);
	assert_false(st.why_not & SDX_WHY_FLAG_CLEAR);
	assert_false(st.why_not & SDX_WHY_NO_KERNEL);
}

static void test_state_get_error_is_returned(void **state)
{
	struct sdx_state st;

	(void)state;
	fake.get_errno = EIO;
	assert_int_equal(sdx_state_path(file, 0, &st), -EIO);
	fake.get_errno = ENOTTY;
	assert_int_equal(sdx_state_path(file, 0, &st), 0);
	assert_true(st.why_not & SDX_WHY_NO_KERNEL);
	assert_false(st.why_not & SDX_WHY_FS_UNSUPPORTED);
	assert_int_equal(st.kernel_state, 0);
}

static void test_state_fs_not_opted_in_is_not_an_error(void **state)
{
	struct sdx_state st;
	struct sdx_probe *p = NULL;

	(void)state;
	/* what the patched kernel answers on tmpfs, xfs, FUSE, overlayfs */
	fake.get_errno = EOPNOTSUPP;
	assert_int_equal(sdx_get_flag_path(file, 0), -EOPNOTSUPP);
	memset(&st, 0xff, sizeof(st));
	assert_int_equal(sdx_state_path(file, 0, &st), 0);
	assert_false(st.flags & SDX_STATE_ACTIVE);
	assert_false(st.flags & SDX_STATE_FLAG);
	assert_true(st.why_not & SDX_WHY_FS_UNSUPPORTED);
	assert_false(st.why_not & SDX_WHY_NO_KERNEL);
	assert_false(st.why_not & SDX_WHY_FLAG_CLEAR);
	assert_int_equal(st.kernel_state, 0);
	assert_int_equal(probe_again(file, &p), 0);
	assert_int_equal(sdx_probe_get_kernel(p), SDX_YES);
	/* the flag cannot be read there: not "clear" */
	assert_int_equal(sdx_probe_get_flag(p), SDX_UNKNOWN);
	assert_true(sdx_probe_get_state(p)->why_not & SDX_WHY_FS_UNSUPPORTED);
	sdx_probe_free(p);
}

static void test_probe_sees_kernel_support(void **state)
{
	struct sdx_probe *p = NULL;

	(void)state;
	fake.flags = FS_SYNCFAULT_ON;
	assert_int_equal(probe_again(file, &p), 0);
	assert_int_equal(sdx_probe_get_kernel(p), SDX_YES);
	assert_int_equal(sdx_probe_get_flag(p), SDX_YES);
	assert_int_equal(sdx_probe_get_state(p)->flags, SDX_STATE_FLAG);
	fake.get_errno = ENOTTY;
	assert_int_equal(probe_again(file, &p), 0);
	assert_int_equal(sdx_probe_get_kernel(p), SDX_NO);
	assert_int_equal(sdx_probe_get_flag(p), SDX_UNKNOWN);
	assert_true(sdx_probe_get_state(p)->why_not & SDX_WHY_NO_KERNEL);
	/* ENOTTY means an unpatched kernel whatever the file system */
	assert_int_equal(probe_again("/proc/self", &p), 0);
	assert_int_equal(sdx_probe_get_kernel(p), SDX_NO);
	/* another error: the kernel cannot be judged */
	fake.get_errno = EIO;
	assert_int_equal(probe_again(file, &p), -EIO);
	assert_int_equal(sdx_probe_get_kernel(p), SDX_UNKNOWN);
	assert_int_equal(sdx_probe_get_flag(p), SDX_UNKNOWN);
	sdx_probe_free(p);
}

static void test_map_uses_flag_when_active(void **state)
{
	struct sdx_mapping m;
	char c;
	int fd = open(file, O_RDWR);

	(void)state;
	assert_true(fd >= 0);
	fake.flags = FS_SYNCFAULT_ON;
	fake.state = DAX | ACTIVE;
	assert_int_equal(sdx_map_fd(fd, 0, 0, 0, &m), 0);
	assert_int_equal(sdx_map_mode(&m), SDX_MAP_FLAG);
	assert_int_equal(m.length, 2 * pagesize);
	((char *)m.addr)[pagesize + 3] = 'F';
	assert_int_equal(sdx_persist(&m, (char *)m.addr + pagesize + 3, 1), 0);
	assert_int_equal(sdx_unmap(&m), 0);
	assert_int_equal(pread(fd, &c, 1, pagesize + 3), 1);
	assert_int_equal(c, 'F');
	close(fd);
}

static void test_map_flag_cleared_while_mapping_falls_back(void **state)
{
	struct sdx_mapping m;
	int fd = open(file, O_RDWR);

	(void)state;
	assert_true(fd >= 0);
	fake.flags = FS_SYNCFAULT_ON;
	fake.state = DAX | ACTIVE;
	fake.clear_after_gets = 1;	/* the re-check after mmap sees it gone */
	assert_int_equal(sdx_map_fd(fd, 0, 0, 0, &m), -EOPNOTSUPP);
	assert_int_equal(sdx_map_mode(&m), SDX_MAP_NONE);
	assert_int_equal(fake.gets, 2);
	close(fd);
}

static void test_map_flag_set_but_inactive_is_not_flag_mode(void **state)
{
	struct sdx_mapping m;
	int fd = open(file, O_RDWR);

	(void)state;
	assert_true(fd >= 0);
	fake.flags = FS_SYNCFAULT_ON;
	fake.state = DAX;	/* e.g. virtio-pmem */
	assert_int_equal(sdx_map_fd(fd, 0, 0, 0, &m), -EOPNOTSUPP);
	assert_int_equal(sdx_map_fd(fd, 0, 0, SDX_MAP_ALLOW_MSYNC, &m), 0);
	assert_int_equal(sdx_map_mode(&m), SDX_MAP_MSYNC_FALLBACK);
	assert_int_equal(sdx_unmap(&m), 0);
	close(fd);
}

/*
 * SET's EOPNOTSUPP on ext4, where GET works, is the missing sync_fault
 * feature (contract v3): sdx_probe_strerror() says so and names the
 * administrator's command; elsewhere it is sdx_strerror()'s text.
 */
static void test_probe_strerror_names_the_missing_feature(void **state)
{
	struct sdx_probe *p = NULL;
	const char *text;

	(void)state;
	assert_int_equal(probe_again(file, &p), 0);
	if (strcmp(sdx_probe_get_fstype(p), "ext4") != 0 ||
	    sdx_probe_get_sync_fault(p) == SDX_YES) {
		sdx_probe_free(p);
		skip();
	}
	fake.set_errno = EOPNOTSUPP;
	assert_int_equal(sdx_set_flag_path(file, 1, 0), -EOPNOTSUPP);
	text = sdx_probe_strerror(p, -EOPNOTSUPP);
	assert_non_null(strstr(text, "lacks the sync_fault feature"));
	assert_non_null(strstr(text, "tune2fs -O sync_fault DEV"));
	assert_non_null(strstr(text, "read-only"));
	assert_string_equal(sdx_probe_strerror(p, EOPNOTSUPP), text);
	/* other errors, and no probe: sdx_strerror()'s text */
	assert_string_equal(sdx_probe_strerror(p, -EPERM), sdx_strerror(-EPERM));
	assert_string_equal(sdx_probe_strerror(NULL, -EOPNOTSUPP), sdx_strerror(-EOPNOTSUPP));
	/* an unpatched kernel: the feature is not what is missing */
	fake.get_errno = ENOTTY;
	assert_int_equal(probe_again(file, &p), 0);
	if (sdx_probe_get_sync_fault(p) == SDX_UNKNOWN)
		assert_string_equal(sdx_probe_strerror(p, -EOPNOTSUPP),
				    sdx_strerror(-EOPNOTSUPP));
	/* not ext4 (tmpfs), even where GET answers */
	fake.get_errno = 0;
	assert_int_equal(probe_again("/dev/shm", &p), 0);
	assert_string_not_equal(sdx_probe_get_fstype(p), "ext4");
	assert_string_equal(sdx_probe_strerror(p, -EOPNOTSUPP), sdx_strerror(-EOPNOTSUPP));
	sdx_probe_free(p);
}

#define T(f)	cmocka_unit_test_setup(f, reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_get_reports_kernel_flag),
		T(test_set_sends_exact_struct),
		T(test_set_errors_pass_through),
		T(test_set_ebusy_changes_nothing_and_says_why),
		T(test_set_eio_then_get_tells_the_truth),
		T(test_fs_not_opted_in_refuses_get_and_set),
		T(test_refused_types_never_reach_the_kernel),
		T(test_state_active),
		T(test_state_flag_clear_on_dax),
		T(test_state_flag_on_dax_inactive_means_async_device),
		T(test_state_flag_on_not_dax),
		T(test_state_get_error_is_returned),
		T(test_state_fs_not_opted_in_is_not_an_error),
		T(test_probe_sees_kernel_support),
		T(test_probe_strerror_names_the_missing_feature),
		T(test_map_uses_flag_when_active),
		T(test_map_flag_cleared_while_mapping_falls_back),
		T(test_map_flag_set_but_inactive_is_not_flag_mode),
	};

	return cmocka_run_group_tests_name("fake_kernel", tests, setup, teardown);
}
