// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_check_verdict.c - the diagnosis of "syncdaxctl check"
 * (cli/check-items.c) for each environment, from a fake probe: this file
 * defines struct sdx_probe and its accessors, which take the place of
 * libsyncdax's (the executable's definitions win over the shared
 * library's), so every verdict can be reached on a host without pmem.
 * Built and run by "make -C cli check-unit".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <syncdax.h>

#include "check.h"

struct sdx_probe {
	int kernel, flag, dax_attr, mount_dax, dev_dax, dev_sync, ns_mode;
	int fast_commit, flush, sync_fault, kernel_sync_fault;
	struct sdx_state state;
	const char *fstype, *blockdev, *ns, *sync_why, *options;
};

int sdx_probe_get_kernel(const struct sdx_probe *p) { return p->kernel; }
int sdx_probe_get_flag(const struct sdx_probe *p) { return p->flag; }
int sdx_probe_get_dax_attr(const struct sdx_probe *p) { return p->dax_attr; }
int sdx_probe_get_mount_dax(const struct sdx_probe *p) { return p->mount_dax; }
int sdx_probe_get_dev_dax(const struct sdx_probe *p) { return p->dev_dax; }
int sdx_probe_get_dev_sync(const struct sdx_probe *p) { return p->dev_sync; }
int sdx_probe_get_ns_mode(const struct sdx_probe *p) { return p->ns_mode; }
int sdx_probe_get_fast_commit(const struct sdx_probe *p) { return p->fast_commit; }
int sdx_probe_get_flush(const struct sdx_probe *p) { return p->flush; }
int sdx_probe_get_sync_fault(const struct sdx_probe *p) { return p->sync_fault; }
int sdx_probe_get_kernel_sync_fault(const struct sdx_probe *p) { return p->kernel_sync_fault; }
const struct sdx_state *sdx_probe_get_state(const struct sdx_probe *p) { return &p->state; }
unsigned int sdx_probe_get_dev_major(const struct sdx_probe *p) { (void)p; return 259; }
unsigned int sdx_probe_get_dev_minor(const struct sdx_probe *p) { (void)p; return 0; }
const char *sdx_probe_get_fstype(const struct sdx_probe *p) { return p->fstype; }
const char *sdx_probe_get_blockdev(const struct sdx_probe *p) { return p->blockdev; }
const char *sdx_probe_get_namespace(const struct sdx_probe *p) { return p->ns; }
const char *sdx_probe_get_dev_sync_why(const struct sdx_probe *p) { return p->sync_why; }
const char *sdx_probe_get_source(const struct sdx_probe *p) { (void)p; return "/dev/pmem0"; }
const char *sdx_probe_get_target(const struct sdx_probe *p) { (void)p; return "/mnt"; }
const char *sdx_probe_get_options(const struct sdx_probe *p) { return p->options; }
const char *sdx_probe_get_region(const struct sdx_probe *p) { (void)p; return "region0"; }
const char *sdx_probe_get_provider(const struct sdx_probe *p) { (void)p; return "ACPI.NFIT"; }

/* Where the flag works: ext4 -o dax on an fsdax namespace of an NVDIMM. */
static struct sdx_probe ready_probe(void)
{
	struct sdx_probe p = {
		.kernel = SDX_YES, .flag = SDX_NO, .dax_attr = SDX_NO,
		.mount_dax = SDX_MOUNT_DAX_ALWAYS, .dev_dax = SDX_YES,
		.dev_sync = SDX_YES, .ns_mode = SDX_NS_FSDAX,
		.fast_commit = SDX_YES, .flush = SDX_FLUSH_CLWB,
		.sync_fault = SDX_YES, .kernel_sync_fault = SDX_YES,
		.options = "rw,relatime,dax=always",
		.state = { .flags = SDX_STATE_DAX, .why_not = SDX_WHY_FLAG_CLEAR },
		.fstype = "ext4", .blockdev = "pmem0", .ns = "namespace0.0",
		.sync_why = "a MAP_SYNC mapping of a DAX file succeeds",
	};
	return p;
}

static struct check_report report;

static enum check_verdict diagnose(const struct sdx_probe *p, bool is_dir)
{
	memset(&report, 0, sizeof(report));
	report.path = is_dir ? "/mnt/dir" : "/mnt/file";
	report.is_dir = is_dir;
	report.probe = p;
	check_diagnose(&report);
	return report.verdict;
}

static const struct check_item *item(int which)
{
	return &report.items[which];
}

static int fails(void)
{
	int i, n = 0;

	for (i = 0; i < CK_COUNT; i++)
		n += report.items[i].result == CHECK_FAIL;
	return n;
}

static void test_ready(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	assert_int_equal(diagnose(&p, false), VERDICT_READY);
	assert_int_equal(fails(), 0);
	assert_string_equal(item(CK_FLAG)->fix, "syncdaxctl enable /mnt/file");
	assert_int_equal(diagnose(&p, true), VERDICT_READY);
}

static void test_no_kernel_support(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	p.kernel = SDX_NO;
	assert_int_equal(diagnose(&p, false), VERDICT_NO_KERNEL);
	assert_int_equal(item(CK_KERNEL)->result, CHECK_FAIL);
}

static void test_fs_unsupported(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	p.fstype = "xfs";
	p.state.why_not = SDX_WHY_FS_UNSUPPORTED;
	assert_int_equal(diagnose(&p, false), VERDICT_FS_UNSUPPORTED);
	assert_string_equal(report.verdict_why, "the file system does not support the flag");
	assert_int_equal(item(CK_FS)->result, CHECK_FAIL);
	assert_non_null(strstr(item(CK_FAST_COMMIT)->detail, "not ext4"));
}

static void test_not_dax_mount_never(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	p.mount_dax = SDX_MOUNT_DAX_NEVER;
	p.state.flags = 0;
	assert_int_equal(diagnose(&p, false), VERDICT_NOT_DAX);
	assert_int_equal(item(CK_MOUNT)->result, CHECK_FAIL);
}

static void test_not_dax_inode_without_attribute(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	p.mount_dax = SDX_MOUNT_DAX_INODE;
	p.state.flags = 0;
	assert_int_equal(diagnose(&p, false), VERDICT_NOT_DAX);
	assert_non_null(strstr(report.verdict_why, "lacks the DAX attribute"));
	assert_non_null(strstr(item(CK_MOUNT)->fix, "chattr +x /mnt/file"));
	assert_non_null(strstr(item(CK_MOUNT)->fix, "evicted"));
	/* a directory without the attribute: its new files would not be DAX */
	assert_int_equal(diagnose(&p, true), VERDICT_NOT_DAX);
	/* with it, and a file in DAX mode: ready */
	p.dax_attr = SDX_YES;
	assert_int_equal(diagnose(&p, true), VERDICT_READY);
	p.state.flags = SDX_STATE_DAX;
	assert_int_equal(diagnose(&p, false), VERDICT_READY);
}

/* ACPI NFIT raw namespace: no DAX; the fix destroys data and says so. */
static void test_not_dax_raw_namespace_without_dax(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	p.ns_mode = SDX_NS_RAW;
	p.dev_dax = SDX_NO;
	p.state.flags = 0;
	assert_int_equal(diagnose(&p, false), VERDICT_NOT_DAX);
	assert_int_equal(item(CK_NAMESPACE)->result, CHECK_FAIL);
	assert_non_null(strstr(item(CK_NAMESPACE)->fix, "create-namespace -f -e namespace0.0 -m fsdax"));
	assert_non_null(strstr(item(CK_NAMESPACE)->fix, "DESTROYS"));
	assert_non_null(strstr(item(CK_DEVICE)->fix, "DESTROYS"));
}

/* memmap= (e820), of_pmem: a raw namespace with DAX works. */
static void test_ready_raw_namespace_with_dax(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	p.ns_mode = SDX_NS_RAW;
	assert_int_equal(diagnose(&p, false), VERDICT_READY);
	assert_int_equal(item(CK_NAMESPACE)->result, CHECK_PASS);
	assert_string_equal(item(CK_NAMESPACE)->fix, "");
}

/* dm-linear over pmem: no namespace is not a failure. */
static void test_ready_without_namespace(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	p.ns_mode = SDX_NS_NONE;
	p.ns = "";
	p.blockdev = "dm-0";
	assert_int_equal(diagnose(&p, false), VERDICT_READY);
	assert_int_equal(item(CK_NAMESPACE)->result, CHECK_INFO);
	assert_non_null(strstr(item(CK_NAMESPACE)->detail, "no namespace"));
}

/* virtio-pmem: DAX, but the kernel refuses MAP_SYNC. */
static void test_not_synchronous(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	p.ns_mode = SDX_NS_RAW;
	p.dev_sync = SDX_NO;
	p.sync_why = "the kernel refuses MAP_SYNC on a DAX file here (EOPNOTSUPP)";
	assert_int_equal(diagnose(&p, false), VERDICT_NOT_SYNC);
	assert_non_null(strstr(report.verdict_why, "EOPNOTSUPP"));
	assert_int_equal(item(CK_SYNC)->result, CHECK_FAIL);
	assert_int_equal(fails(), 1);
}

static void test_no_flush_insn(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	p.flush = SDX_FLUSH_NONE;
	assert_int_equal(diagnose(&p, false), VERDICT_NO_FLUSH);
	assert_int_equal(item(CK_CPU)->result, CHECK_FAIL);
}

/* A read-only mount: the MAP_SYNC trial cannot be made. */
static void test_unknown(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	p.dev_sync = SDX_UNKNOWN;
	p.sync_why = "cannot create a trial file in /mnt: Read-only file system";
	assert_int_equal(diagnose(&p, false), VERDICT_UNKNOWN);
	assert_int_equal(item(CK_SYNC)->result, CHECK_UNKNOWN);
	assert_non_null(strstr(report.verdict_why, "Read-only"));
	p = ready_probe();
	p.kernel = SDX_UNKNOWN;
	assert_int_equal(diagnose(&p, false), VERDICT_UNKNOWN);
}

/* A digit in s: a figure that was measured somewhere else. */
static bool has_digit(const char *s)
{
	return strpbrk(s, "0123456789") != NULL;
}

/*
 * fast_commit: what is true of this system and what it changes in kind,
 * never a figure measured in the emulator; the benchmark measures it here.
 */
static void test_fast_commit_states_kind_not_figures(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	p.fast_commit = SDX_NO;
	assert_int_equal(diagnose(&p, false), VERDICT_READY);
	assert_int_equal(item(CK_FAST_COMMIT)->result, CHECK_INFO);
	assert_non_null(strstr(item(CK_FAST_COMMIT)->detail, "fast_commit off: "));
	assert_non_null(strstr(item(CK_FAST_COMMIT)->detail, "full journal commit"));
	assert_non_null(strstr(item(CK_FAST_COMMIT)->detail, "syncdax-bench fault /mnt"));
	assert_false(has_digit(item(CK_FAST_COMMIT)->detail));
	assert_null(strstr(item(CK_FAST_COMMIT)->detail, "docs/bench"));
	assert_string_equal(item(CK_FAST_COMMIT)->fix,
			    "tune2fs -O fast_commit /dev/pmem0 (on the unmounted file system)");
	p.fast_commit = SDX_YES;
	diagnose(&p, false);
	assert_non_null(strstr(item(CK_FAST_COMMIT)->detail, "fast_commit on: "));
	assert_non_null(strstr(item(CK_FAST_COMMIT)->detail, "fast commit"));
	assert_non_null(strstr(item(CK_FAST_COMMIT)->detail, "syncdax-bench fault /mnt"));
	assert_false(has_digit(item(CK_FAST_COMMIT)->detail));
	assert_string_equal(item(CK_FAST_COMMIT)->fix, "");
	p.fast_commit = SDX_UNKNOWN;
	diagnose(&p, false);
	assert_non_null(strstr(item(CK_FAST_COMMIT)->detail, "unknown"));
}

/* ext4 without the sync_fault feature: the flag cannot be set; the fix says how and what it means. */
static void test_no_sync_fault_feature(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	p.sync_fault = SDX_NO;
	assert_int_equal(diagnose(&p, false), VERDICT_NO_FEATURE);
	assert_string_equal(report.verdict_why, "the file system lacks the sync_fault feature");
	assert_string_equal(item(CK_FEATURE)->name, "feature");
	assert_int_equal(item(CK_FEATURE)->result, CHECK_FAIL);
	assert_non_null(strstr(item(CK_FEATURE)->detail, "/dev/pmem0 lacks the sync_fault feature"));
	assert_string_equal(item(CK_FEATURE)->fix,
			    "tune2fs -O sync_fault /dev/pmem0 (also while mounted; from then on, kernels without the sync-fault series mount this file system read-only)");
	assert_int_equal(fails(), 1);
	/* with it: pass, and ready */
	p.sync_fault = SDX_YES;
	assert_int_equal(diagnose(&p, false), VERDICT_READY);
	assert_int_equal(item(CK_FEATURE)->result, CHECK_PASS);
	assert_non_null(strstr(item(CK_FEATURE)->detail, "kernels without the sync-fault series mount it read-only"));
	/* the super block could not be read: unknown, and no verdict from it */
	p.sync_fault = SDX_UNKNOWN;
	assert_int_equal(diagnose(&p, false), VERDICT_READY);
	assert_int_equal(item(CK_FEATURE)->result, CHECK_UNKNOWN);
	/* not ext4: does not apply */
	p.fstype = "xfs";
	p.state.why_not = SDX_WHY_FS_UNSUPPORTED;
	assert_int_equal(diagnose(&p, false), VERDICT_FS_UNSUPPORTED);
	assert_int_equal(item(CK_FEATURE)->result, CHECK_INFO);
}

/* A file system with the feature on a kernel without the series: mounted read-only, and why. */
static void test_feature_on_kernel_without_series(void **state)
{
	struct sdx_probe p = ready_probe();

	(void)state;
	p.kernel = SDX_NO;
	p.kernel_sync_fault = SDX_NO;
	p.options = "ro,relatime,dax=always";
	assert_int_equal(diagnose(&p, false), VERDICT_NO_KERNEL);
	assert_int_equal(item(CK_FEATURE)->result, CHECK_PASS);
	assert_non_null(strstr(item(CK_FEATURE)->detail,
		"which this kernel lacks (no sync-fault series): it mounted the file system read-only"));
	/* "ro" is an option, not a part of one */
	p.options = "rw,errors=remount-ro";
	diagnose(&p, false);
	assert_non_null(strstr(item(CK_FEATURE)->detail, "it mounts the file system read-only"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready),
		cmocka_unit_test(test_no_kernel_support),
		cmocka_unit_test(test_fs_unsupported),
		cmocka_unit_test(test_not_dax_mount_never),
		cmocka_unit_test(test_not_dax_inode_without_attribute),
		cmocka_unit_test(test_not_dax_raw_namespace_without_dax),
		cmocka_unit_test(test_ready_raw_namespace_with_dax),
		cmocka_unit_test(test_ready_without_namespace),
		cmocka_unit_test(test_not_synchronous),
		cmocka_unit_test(test_no_flush_insn),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_fast_commit_states_kind_not_figures),
		cmocka_unit_test(test_no_sync_fault_feature),
		cmocka_unit_test(test_feature_on_kernel_without_series),
	};

	return cmocka_run_group_tests_name("check_verdict", tests, NULL, NULL);
}
