// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_errors.c - sdx_strerror() and the name functions
 */
#include "test-common.h"

static void test_strerror_enotty_says_kernel_lacks_support(void **state)
{
	(void)state;
	assert_non_null(strstr(sdx_strerror(-ENOTTY), "kernel lacks sync-fault support"));
	assert_non_null(strstr(sdx_strerror(-ENOTTY), "boot a kernel with the syncdax series"));
}

static void test_strerror_positive_equals_negative(void **state)
{
	(void)state;
	assert_string_equal(sdx_strerror(ENOTTY), sdx_strerror(-ENOTTY));
	assert_string_equal(sdx_strerror(EIO), sdx_strerror(-EIO));
}

static void test_strerror_eopnotsupp_says_fs_lacks_flag(void **state)
{
	(void)state;
	assert_non_null(strstr(sdx_strerror(-EOPNOTSUPP),
			       "file system does not support the sync-fault flag"));
}

static void test_strerror_eopnotsupp_is_only_about_the_flag(void **state)
{
	const char *text = sdx_strerror(-EOPNOTSUPP);

	(void)state;
	/* the flag case only: the mapping case is sdx_map_strerror()'s */
	assert_int_equal(strncmp(text, "file system does not support the sync-fault flag",
				 strlen("file system does not support the sync-fault flag")), 0);
	assert_null(strstr(text, "mapping"));
	/* which file systems, and what to do (contract v2: declared support) */
	assert_non_null(strstr(text, "tmpfs"));
	assert_non_null(strstr(text, "overlayfs"));
	assert_non_null(strstr(text, "put the file on ext4"));
}

static void test_strerror_ebusy_explains_shared_writable_mappings(void **state)
{
	const char *text = sdx_strerror(-EBUSY);

	(void)state;
	assert_non_null(strstr(text, "shared writable mappings"));
	assert_non_null(strstr(text, "not in DAX mode on a synchronous device"));
	assert_non_null(strstr(text, "unmap it"));
	assert_string_equal(sdx_strerror(EBUSY), text);
	/* no mapping call returns EBUSY for that reason */
	assert_string_not_equal(sdx_map_strerror(-EBUSY), text);
}

static void test_strerror_eio_says_read_the_flag_again(void **state)
{
	const char *text = sdx_strerror(-EIO);

	(void)state;
	assert_non_null(strstr(text, "could not read or write the inode"));
	assert_non_null(strstr(text, "may or may not have changed"));
	assert_non_null(strstr(text, "read it again"));
	/* for a mapping EIO is about the data written back, not the flag */
	assert_null(strstr(sdx_map_strerror(-EIO), "flag"));
	assert_non_null(strstr(sdx_map_strerror(-EIO), "may not be durable"));
}

static void test_strerror_eperm_names_immutable_and_append_only(void **state)
{
	const char *text = sdx_strerror(-EPERM);

	(void)state;
	assert_non_null(strstr(text, "owner or CAP_FOWNER"));
	assert_non_null(strstr(text, "immutable"));
	assert_non_null(strstr(text, "append-only"));
	assert_non_null(strstr(text, "chattr -i -a"));
}

static void test_map_strerror_explains_mapping_refusal(void **state)
{
	(void)state;
	assert_non_null(strstr(sdx_map_strerror(-EOPNOTSUPP),
			       "no synchronous-fault mapping possible"));
	assert_non_null(strstr(sdx_map_strerror(-EOPNOTSUPP), "-o dax"));
	assert_string_equal(sdx_map_strerror(EOPNOTSUPP), sdx_map_strerror(-EOPNOTSUPP));
	assert_non_null(strstr(sdx_map_strerror(-EBADF), "O_RDWR"));
	/* errors with no mapping-specific meaning: the sdx_strerror() text */
	assert_string_equal(sdx_map_strerror(-ENOTTY), sdx_strerror(-ENOTTY));
	assert_string_equal(sdx_map_strerror(-ENOMEM), sdx_strerror(-ENOMEM));
	assert_string_equal(sdx_map_strerror(0), "success");
}

static void test_strerror_distinct_for_library_errors(void **state)
{
	const int errs[] = { ENOTTY, EOPNOTSUPP, EINVAL, EPERM, EROFS, EBADF, ELOOP,
			     EBUSY, EIO };
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		for (j = i + 1; j < sizeof(errs) / sizeof(errs[0]); j++)
			assert_string_not_equal(sdx_strerror(-errs[i]), sdx_strerror(-errs[j]));
	assert_non_null(strstr(sdx_strerror(-EROFS), "read-only"));
	assert_non_null(strstr(sdx_strerror(-EPERM), "owner"));
}

static void test_strerror_zero_and_unknown(void **state)
{
	(void)state;
	assert_string_equal(sdx_strerror(0), "success");
	assert_non_null(sdx_strerror(-99999));
	assert_true(strlen(sdx_strerror(-99999)) > 0);
	assert_non_null(sdx_strerror(INT32_MIN + 1));
	assert_string_equal(sdx_strerror(INT32_MIN), "unknown error");
	assert_non_null(sdx_map_strerror(INT32_MIN));
	/* an errno the library has no text of its own for: the libc text */
	assert_string_equal(sdx_strerror(-ENOSPC), strerrordesc_np(ENOSPC));
	assert_string_equal(sdx_map_strerror(-ENOSPC), strerrordesc_np(ENOSPC));
}

static void test_why_str_each_bit_distinct(void **state)
{
	const unsigned int bits[] = {
		SDX_WHY_FLAG_CLEAR, SDX_WHY_NOT_DAX, SDX_WHY_MOUNT_NOT_DAX,
		SDX_WHY_DEV_NOT_DAX, SDX_WHY_DEV_NOT_SYNC, SDX_WHY_NO_KERNEL,
		SDX_WHY_UNKNOWN, SDX_WHY_FS_UNSUPPORTED,
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		assert_string_not_equal(sdx_why_str(bits[i]), "unknown reason");
		for (j = i + 1; j < sizeof(bits) / sizeof(bits[0]); j++)
			assert_string_not_equal(sdx_why_str(bits[i]), sdx_why_str(bits[j]));
	}
	assert_string_equal(sdx_why_str(0), "unknown reason");
	assert_string_equal(sdx_why_str(0x80000000u), "unknown reason");
	assert_string_equal(sdx_why_str(SDX_WHY_FLAG_CLEAR | SDX_WHY_NOT_DAX), "unknown reason");
	assert_non_null(strstr(sdx_why_str(SDX_WHY_NO_KERNEL), "kernel lacks"));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sdx_map_mode_str(SDX_MAP_FLAG), "flag");
	assert_string_equal(sdx_map_mode_str(SDX_MAP_SYNC), "map_sync");
	assert_string_equal(sdx_map_mode_str(SDX_MAP_MSYNC_FALLBACK), "msync_fallback");
	assert_string_equal(sdx_map_mode_str(SDX_MAP_NONE), "none");
	assert_string_equal(sdx_map_mode_str(-1), "none");
	assert_string_equal(sdx_flush_insn_str(SDX_FLUSH_CLWB), "clwb");
	assert_string_equal(sdx_flush_insn_str(SDX_FLUSH_CLFLUSHOPT), "clflushopt");
	assert_string_equal(sdx_flush_insn_str(SDX_FLUSH_CLFLUSH), "clflush");
	assert_string_equal(sdx_flush_insn_str(42), "none");
	assert_string_equal(sdx_mount_dax_str(SDX_MOUNT_DAX_ALWAYS), "always");
	assert_string_equal(sdx_mount_dax_str(SDX_MOUNT_DAX_NEVER), "never");
	assert_string_equal(sdx_mount_dax_str(SDX_MOUNT_DAX_INODE), "inode");
	assert_string_equal(sdx_mount_dax_str(SDX_MOUNT_DAX_NONE), "none");
	assert_string_equal(sdx_ns_mode_str(SDX_NS_FSDAX), "fsdax");
	assert_string_equal(sdx_ns_mode_str(SDX_NS_RAW), "raw");
	assert_string_equal(sdx_ns_mode_str(SDX_NS_SECTOR), "sector");
	assert_string_equal(sdx_ns_mode_str(SDX_NS_UNKNOWN), "unknown");
	assert_string_equal(sdx_ns_mode_str(SDX_NS_NONE), "none");
}

static void test_version_matches_header(void **state)
{
	char want[32];

	(void)state;
	snprintf(want, sizeof(want), "%d.%d.%d", SDX_VERSION_MAJOR, SDX_VERSION_MINOR,
		 SDX_VERSION_PATCH);
	assert_string_equal(sdx_version(), want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strerror_enotty_says_kernel_lacks_support),
		cmocka_unit_test(test_strerror_positive_equals_negative),
		cmocka_unit_test(test_strerror_eopnotsupp_says_fs_lacks_flag),
		cmocka_unit_test(test_strerror_eopnotsupp_is_only_about_the_flag),
		cmocka_unit_test(test_strerror_ebusy_explains_shared_writable_mappings),
		cmocka_unit_test(test_strerror_eio_says_read_the_flag_again),
		cmocka_unit_test(test_strerror_eperm_names_immutable_and_append_only),
		cmocka_unit_test(test_map_strerror_explains_mapping_refusal),
		cmocka_unit_test(test_strerror_distinct_for_library_errors),
		cmocka_unit_test(test_strerror_zero_and_unknown),
		cmocka_unit_test(test_why_str_each_bit_distinct),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_version_matches_header),
	};

	return cmocka_run_group_tests_name("errors", tests, NULL, NULL);
}
