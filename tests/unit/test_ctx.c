// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_ctx.c - the context and the probe's decisions, with the library's
 * sources compiled in (SYNCDAX_TEST_HOOKS): the mount table is read once
 * per context; DAX comes from queue/dax in a fake sysfs tree (0/1, a
 * partition, a raw namespace, no namespace); "synchronous" from the MAP_SYNC
 * trial; fast_commit and sync_fault from an ext4 super block, the
 * kernel's sync_fault from the fake /sys/fs/ext4/features.  (libndctl answers for the
 * real /sys only; the fake tree exercises the sysfs reading it falls back
 * to.)
 */
#include "test-common.h"
#include "private.h"
#include "test-hooks.h"

#include <sys/sysmacros.h>

static char *root;	/* the fake sysfs tree */

/* mkdir -p of root/rel. */
static void make_dirs(const char *rel)
{
	char path[PATH_MAX], *s;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (s = path + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	mkdir(path, 0755);
}

static void write_attr(const char *rel, const char *value)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n", value);
	fclose(f);
}

static void make_link(const char *target, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	assert_int_equal(symlink(target, path), 0);
}

/*
 * A fake /sys: pmem0 (259:0) on an fsdax pfn device, pmem1 (259:1) on a
 * raw namespace with DAX (e820), its partition pmem1p1 (259:2), dm-0
 * (253:0) with no nvdimm below, vda (254:0) without DAX.
 */
static int setup(void **state)
{
	(void)state;
	root = scratch_dir(scratch_base());
	if (!root)
		return -1;
	make_dirs("devices/ndbus0/region0/pfn0.0");
	write_attr("devices/ndbus0/provider", "ACPI.NFIT");
	write_attr("devices/ndbus0/region0/pfn0.0/namespace", "namespace0.0");
	make_dirs("devices/ndbus0/region0/pfn0.0/block/pmem0/queue");
	write_attr("devices/ndbus0/region0/pfn0.0/block/pmem0/queue/dax", "1");
	make_link("../../../pfn0.0", "devices/ndbus0/region0/pfn0.0/block/pmem0/device");
	make_dirs("devices/ndbus1/region1/namespace1.0/block/pmem1/queue");
	write_attr("devices/ndbus1/provider", "e820");
	write_attr("devices/ndbus1/region1/namespace1.0/block/pmem1/queue/dax", "1");
	make_link("../../../namespace1.0", "devices/ndbus1/region1/namespace1.0/block/pmem1/device");
	make_dirs("devices/ndbus1/region1/namespace1.0/block/pmem1/pmem1p1");
	write_attr("devices/ndbus1/region1/namespace1.0/block/pmem1/pmem1p1/partition", "1");
	make_dirs("devices/virtual/block/dm-0/queue");
	write_attr("devices/virtual/block/dm-0/queue/dax", "1");
	make_dirs("devices/pci/virtio1/block/vda/queue");
	write_attr("devices/pci/virtio1/block/vda/queue/dax", "0");
	make_link("../../../virtio1", "devices/pci/virtio1/block/vda/device");
	make_dirs("dev/block");
	make_link("../../devices/ndbus0/region0/pfn0.0/block/pmem0", "dev/block/259:0");
	make_link("../../devices/ndbus1/region1/namespace1.0/block/pmem1", "dev/block/259:1");
	make_link("../../devices/ndbus1/region1/namespace1.0/block/pmem1/pmem1p1", "dev/block/259:2");
	make_link("../../devices/virtual/block/dm-0", "dev/block/253:0");
	make_link("../../devices/pci/virtio1/block/vda", "dev/block/254:0");
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	free(root);
	return system(cmd) == 0 ? 0 : -1;
}

/* The facts of the fake device major:minor. */
static struct sdxi_dev fake_dev(unsigned int maj, unsigned int min)
{
	struct sdxi_dev d;

	memset(&d, 0, sizeof(d));
	d.devno = makedev(maj, min);
	d.dev_dax = SDX_UNKNOWN;
	d.ns_mode = SDX_NS_NONE;
	sdxi_probe_blockdev(root, &d);
	/* no libndctl context: a fake tree is read through sysfs */
	sdxi_probe_namespace(root, NULL, &d);
	return d;
}

static void test_ctx_new_ref_unref(void **state)
{
	struct sdx_ctx *ctx = NULL;

	(void)state;
	assert_int_equal(sdx_new(NULL), -EINVAL);
	assert_int_equal(sdx_new(&ctx), 0);
	assert_non_null(ctx);
	assert_ptr_equal(sdx_ref(ctx), ctx);
	sdx_unref(ctx);		/* one reference left */
	assert_int_equal(sdxi_test_ctx_mount_reads(ctx), 0);
	sdx_unref(ctx);		/* freed: valgrind and ASan would see a leak or a use after free */
	sdx_unref(NULL);
	assert_null(sdx_ref(NULL));
}

/* Two files on one st_dev, a probe, and another file system: one table read. */
static void test_ctx_reads_the_mount_table_once(void **state)
{
	char *dir = scratch_dir(scratch_base());
	char *a = dir ? scratch_file(dir, "a", 10) : NULL;
	char *b = dir ? scratch_file(dir, "b", 10) : NULL;
	struct sdx_probe *p = NULL;
	struct sdx_state st;
	struct sdx_ctx *ctx;

	(void)state;
	assert_non_null(b);
	assert_int_equal(sdx_new(&ctx), 0);
	assert_int_equal(sdx_ctx_state_path(ctx, a, 0, &st), 0);
	assert_int_equal(sdx_ctx_state_path(ctx, b, 0, &st), 0);
	assert_int_equal(sdxi_test_ctx_mount_reads(ctx), 1);
	assert_int_equal(sdx_probe_path(ctx, a, &p), 0);
	assert_int_equal(sdx_ctx_state_path(ctx, "/proc/self", 0, &st), 0);
	assert_int_equal(sdxi_test_ctx_mount_reads(ctx), 1);
	/* without a context, every call reads it again: what the context saves */
	assert_int_equal(sdx_state_path(a, 0, &st), 0);
	assert_int_equal(sdx_ctx_state_path(NULL, a, 0, &st), -EINVAL);
	sdx_probe_free(p);
	sdx_unref(ctx);
	unlink(a);
	free(a);
	scratch_remove(dir, b);
}

static void test_dev_queue_dax_1_is_dax_fsdax_namespace(void **state)
{
	struct sdxi_dev d = fake_dev(259, 0);

	(void)state;
	assert_string_equal(d.blockdev, "pmem0");
	assert_int_equal(d.dev_dax, SDX_YES);
	assert_int_equal(d.ns_mode, SDX_NS_FSDAX);
	assert_string_equal(d.ns, "namespace0.0");
	assert_string_equal(d.region, "region0");
	assert_string_equal(d.provider, "ACPI.NFIT");
}

static void test_dev_queue_dax_0_is_not_dax(void **state)
{
	struct sdxi_dev d = fake_dev(254, 0);

	(void)state;
	assert_string_equal(d.blockdev, "vda");
	assert_int_equal(d.dev_dax, SDX_NO);
	assert_int_equal(d.ns_mode, SDX_NS_NONE);
	assert_string_equal(d.ns, "");
}

/* e820/virtio-pmem/of_pmem: a raw namespace whose queue/dax is 1 has DAX. */
static void test_dev_raw_namespace_with_dax(void **state)
{
	struct sdxi_dev d = fake_dev(259, 1);

	(void)state;
	assert_int_equal(d.dev_dax, SDX_YES);
	assert_int_equal(d.ns_mode, SDX_NS_RAW);
	assert_string_equal(d.ns, "namespace1.0");
	assert_string_equal(d.provider, "e820");
}

static void test_dev_partition_uses_its_disk(void **state)
{
	struct sdxi_dev d = fake_dev(259, 2);

	(void)state;
	assert_string_equal(d.blockdev, "pmem1p1");
	assert_int_equal(d.dev_dax, SDX_YES);
	assert_int_equal(d.ns_mode, SDX_NS_RAW);
}

/* dm: its own queue/dax, and no namespace (not a failure). */
static void test_dev_dm_has_no_namespace(void **state)
{
	struct sdxi_dev d = fake_dev(253, 0);

	(void)state;
	assert_string_equal(d.blockdev, "dm-0");
	assert_int_equal(d.dev_dax, SDX_YES);
	assert_int_equal(d.ns_mode, SDX_NS_NONE);
	assert_string_equal(d.region, "");
}

static void test_dev_unknown_device_stays_unknown(void **state)
{
	struct sdxi_dev d = fake_dev(7, 99);

	(void)state;
	assert_int_equal(d.dev_dax, SDX_UNKNOWN);
	assert_string_equal(d.blockdev, "");
	assert_int_equal(sdxi_dev_dax(NULL), SDX_UNKNOWN);
	assert_int_equal(sdxi_dev_dax("0"), SDX_NO);
	assert_int_equal(sdxi_dev_dax("1"), SDX_YES);
}

/* The kernel's answer decides "synchronous"; a non-DAX inode cannot tell. */
static void test_sync_trial_decisions(void **state)
{
	char *dir = scratch_dir(scratch_base());
	char *f = dir ? scratch_file(dir, "f", 4096) : NULL;
	char why[SDXI_STR_WHY];
	struct stat st;
	int fd;

	(void)state;
	assert_non_null(f);
	fd = open(f, O_RDONLY);
	assert_true(fd >= 0);
	sdxi_test_inode_dax = SDX_NO;
	assert_int_equal(sdxi_sync_trial_fd(fd, why, sizeof(why)), SDX_UNKNOWN);
	assert_non_null(strstr(why, "not in DAX mode"));
	sdxi_test_inode_dax = SDX_YES;
	sdxi_test_map_sync = EOPNOTSUPP;
	assert_int_equal(sdxi_sync_trial_fd(fd, why, sizeof(why)), SDX_NO);
	assert_non_null(strstr(why, "not synchronous"));
	sdxi_test_map_sync = -1;
	assert_int_equal(sdxi_sync_trial_fd(fd, why, sizeof(why)), SDX_YES);
	sdxi_test_map_sync = ENOMEM;
	assert_int_equal(sdxi_sync_trial_fd(fd, why, sizeof(why)), SDX_UNKNOWN);
	/* the real kernel: MAP_SYNC on a file that is not DAX is EOPNOTSUPP */
	sdxi_test_map_sync = 0;
	assert_int_equal(sdxi_sync_trial_fd(fd, why, sizeof(why)), SDX_NO);
	sdxi_test_inode_dax = SDX_UNKNOWN - 1;
	/* an O_TMPFILE in a directory that is not DAX cannot tell */
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(sdxi_sync_trial_dir(dir, st.st_dev, why, sizeof(why)), SDX_UNKNOWN);
	assert_non_null(strstr(why, "not in DAX mode"));
	/* nor one where no file can be created */
	assert_int_equal(sdxi_sync_trial_dir("/proc", st.st_dev, why, sizeof(why)), SDX_UNKNOWN);
	assert_non_null(strstr(why, "cannot create a trial file in /proc"));
	/* an answer from another device is no answer for this one, even a yes */
	sdxi_test_inode_dax = SDX_YES;
	sdxi_test_map_sync = -1;
	assert_int_equal(sdxi_sync_trial_dir(dir, st.st_dev, why, sizeof(why)), SDX_YES);
	assert_int_equal(sdxi_sync_trial_dir(dir, st.st_dev + 1, why, sizeof(why)), SDX_UNKNOWN);
	assert_non_null(strstr(why, "on another file system"));
	sdxi_test_map_sync = 0;
	sdxi_test_inode_dax = SDX_UNKNOWN - 1;
	close(fd);
	scratch_remove(dir, f);
}

/* An ext4 super block image with these compat and ro_compat words. */
static void write_super(const char *path, int magic, uint32_t compat,
			uint32_t ro_compat)
{
	unsigned char sb[2048];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	memset(sb, 0, sizeof(sb));
	sb[1024 + 0x38] = magic ? 0x53 : 0;
	sb[1024 + 0x39] = magic ? 0xef : 0;
	memcpy(&sb[1024 + 0x5c], &compat, sizeof(compat));	/* little endian host */
	memcpy(&sb[1024 + 0x64], &ro_compat, sizeof(ro_compat));
	assert_int_equal(write(fd, sb, sizeof(sb)), (ssize_t)sizeof(sb));
	close(fd);
}

/* The features of the image at img, with mount options opts. */
static struct sdxi_dev features(const char *img, const char *opts)
{
	struct sdxi_dev d;

	memset(&d, 0, sizeof(d));
	d.fast_commit = d.sync_fault = d.kernel_sync_fault = 42;
	sdxi_ext4_features(root, img, opts, &d);
	return d;
}

static void test_features_from_the_super_block(void **state)
{
	char *dir = scratch_dir(scratch_base());
	char *img = dir ? scratch_path(dir, "img") : NULL;
	struct sdxi_dev d;

	(void)state;
	assert_non_null(img);
	write_super(img, 1, 0x400 | 0x4, 0x00020000 | 0x10000);
	d = features(img, "rw");
	assert_int_equal(d.fast_commit, SDX_YES);
	assert_int_equal(d.sync_fault, SDX_YES);
	d = features(img, "rw,data=journal");
	assert_int_equal(d.fast_commit, SDX_NO);
	assert_int_equal(d.sync_fault, SDX_YES);
	/* neighbours of the bits are not the bits */
	write_super(img, 1, 0x4 | 0x800, 0x10000 | 0x40000);
	d = features(img, "rw");
	assert_int_equal(d.fast_commit, SDX_NO);
	assert_int_equal(d.sync_fault, SDX_NO);
	write_super(img, 0, 0x400, 0x00020000);
	d = features(img, "rw");
	assert_int_equal(d.fast_commit, SDX_UNKNOWN);
	assert_int_equal(d.sync_fault, SDX_UNKNOWN);
	/* a short image: the words are not there to read */
	assert_int_equal(truncate(img, 1024 + 0x60), 0);
	d = features(img, "rw");
	assert_int_equal(d.fast_commit, SDX_UNKNOWN);
	assert_int_equal(d.sync_fault, SDX_UNKNOWN);
	d = features("/nonexistent/dev", NULL);
	assert_int_equal(d.sync_fault, SDX_UNKNOWN);
	d = features(NULL, NULL);
	assert_int_equal(d.fast_commit, SDX_UNKNOWN);
	/* a character device is never read (nor opened: O_PATH first) */
	d = features("/dev/zero", NULL);
	assert_int_equal(d.fast_commit, SDX_UNKNOWN);
	assert_int_equal(d.sync_fault, SDX_UNKNOWN);
	scratch_remove(dir, img);
}

/* The kernel knows sync_fault when ext4 lists it in /sys/fs/ext4/features. */
static void test_kernel_sync_fault_from_sysfs(void **state)
{
	char path[PATH_MAX];

	(void)state;
	/* no ext4 in the (fake) kernel: nothing to say */
	assert_int_equal(features(NULL, NULL).kernel_sync_fault, SDX_UNKNOWN);
	make_dirs("fs/ext4/features/fast_commit");
	assert_int_equal(features(NULL, NULL).kernel_sync_fault, SDX_NO);
	make_dirs("fs/ext4/features/sync_fault");
	assert_int_equal(features(NULL, NULL).kernel_sync_fault, SDX_YES);
	snprintf(path, sizeof(path), "%s/fs/ext4/features/sync_fault", root);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(features(NULL, NULL).kernel_sync_fault, SDX_NO);
}

static void test_mount_dax_modes(void **state)
{
	(void)state;
	assert_int_equal(sdxi_mount_dax_mode("ext4", "rw,dax"), SDX_MOUNT_DAX_ALWAYS);
	assert_int_equal(sdxi_mount_dax_mode("ext4", "rw,dax=always"), SDX_MOUNT_DAX_ALWAYS);
	assert_int_equal(sdxi_mount_dax_mode("ext4", "rw,dax=never"), SDX_MOUNT_DAX_NEVER);
	assert_int_equal(sdxi_mount_dax_mode("xfs", "rw,dax=inode"), SDX_MOUNT_DAX_INODE);
	assert_int_equal(sdxi_mount_dax_mode("ext4", "rw"), SDX_MOUNT_DAX_INODE);
	assert_int_equal(sdxi_mount_dax_mode("tmpfs", "rw"), SDX_MOUNT_DAX_NONE);
	assert_int_equal(sdxi_mount_dax_mode(NULL, NULL), SDX_MOUNT_DAX_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctx_new_ref_unref),
		cmocka_unit_test(test_ctx_reads_the_mount_table_once),
		cmocka_unit_test(test_dev_queue_dax_1_is_dax_fsdax_namespace),
		cmocka_unit_test(test_dev_queue_dax_0_is_not_dax),
		cmocka_unit_test(test_dev_raw_namespace_with_dax),
		cmocka_unit_test(test_dev_partition_uses_its_disk),
		cmocka_unit_test(test_dev_dm_has_no_namespace),
		cmocka_unit_test(test_dev_unknown_device_stays_unknown),
		cmocka_unit_test(test_sync_trial_decisions),
		cmocka_unit_test(test_features_from_the_super_block),
		cmocka_unit_test(test_kernel_sync_fault_from_sysfs),
		cmocka_unit_test(test_mount_dax_modes),
	};

	return cmocka_run_group_tests_name("ctx", tests, setup, teardown);
}
