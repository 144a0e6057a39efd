// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sdx-lib-check - drive libsyncdax from tests/vm/libsyncdax.bats
 *
 *   sdx-lib-check get PATH            flag=0|1
 *   sdx-lib-check set PATH 0|1        ok
 *   sdx-lib-check state PATH          flag= dax= active= why=0x..
 *   sdx-lib-check map PATH [--allow-msync]
 *                                     mode=flag|map_sync|msync_fallback
 *                                     inode_flag=-1|0|1
 *                                     (maps, stores, persists, reads back)
 *   sdx-lib-check probe PATH          key=value lines
 *   sdx-lib-check prepare PATH OFF LEN  ok (sdx_prepare() of the range)
 *
 * On failure: "error=ENAME: text" on stdout and exit status 1; usage: 2.
 * Built by "make -C libsyncdax" (all) as libsyncdax/build/sdx-lib-check,
 * statically against libsyncdax.a so the guest needs nothing installed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <syncdax.h>

static int report(int err, const char *text)
{
	const char *name = strerrorname_np(-err);

	printf("error=%s: %s\n", name ? name : "E?", text);
	return 1;
}

static int fail(int err)
{
	return report(err, sdx_strerror(err));
}

static int fail_map(int err)
{
	return report(err, sdx_map_strerror(err));
}

static int cmd_map(const char *path, unsigned int flags)
{
	static const char msg[] = "sdx-lib-check";
	struct sdx_mapping m;
	char buf[sizeof(msg)];
	int fd, ret;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail(-errno);
	ret = sdx_map_fd(fd, 0, 0, flags, &m);
	if (ret < 0) {
		close(fd);
		return fail_map(ret);
	}
	memcpy(m.addr, msg, sizeof(msg));
	ret = sdx_persist(&m, m.addr, sizeof(msg));
	printf("mode=%s\ninode_flag=%d\n", sdx_map_mode_str(sdx_map_mode(&m)),
	       m.inode_flag);
	sdx_unmap(&m);
	if (ret < 0) {
		close(fd);
		return fail_map(ret);
	}
	if (pread(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf) ||
	    memcmp(buf, msg, sizeof(msg))) {
		close(fd);
		printf("error=EIO: data stored through the mapping not in the file\n");
		return 1;
	}
	close(fd);
	return 0;
}

static int cmd_probe(const char *path)
{
	const struct sdx_state *st;
	struct sdx_probe *p;
	int ret;

	ret = sdx_probe_path(NULL, path, &p);
	if (ret < 0)
		return fail(ret);
	st = sdx_probe_get_state(p);
	printf("kernel=%d\nflag=%d\nstate=0x%x\nwhy=0x%x\nfstype=%s\nsource=%s\n"
	       "target=%s\nmount_dax=%s\nblockdev=%s\ndev_dax=%d\ndev_sync=%d\n"
	       "dev_sync_why=%s\nns_mode=%s\nns=%s\nregion=%s\nprovider=%s\n"
	       "flush=%s\ndax_attr=%d\nfast_commit=%d\n",
	       sdx_probe_get_kernel(p), sdx_probe_get_flag(p), st->flags,
	       st->why_not, sdx_probe_get_fstype(p), sdx_probe_get_source(p),
	       sdx_probe_get_target(p),
	       sdx_mount_dax_str(sdx_probe_get_mount_dax(p)),
	       sdx_probe_get_blockdev(p), sdx_probe_get_dev_dax(p),
	       sdx_probe_get_dev_sync(p), sdx_probe_get_dev_sync_why(p),
	       sdx_ns_mode_str(sdx_probe_get_ns_mode(p)),
	       sdx_probe_get_namespace(p), sdx_probe_get_region(p),
	       sdx_probe_get_provider(p),
	       sdx_flush_insn_str(sdx_probe_get_flush(p)),
	       sdx_probe_get_dax_attr(p), sdx_probe_get_fast_commit(p));
	sdx_probe_free(p);
	return 0;
}

/* prepare PATH OFF LEN: sdx_prepare() on the file opened O_RDWR. */
static int cmd_prepare(const char *path, const char *off, const char *len)
{
	int fd, ret;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail(-errno);
	ret = sdx_prepare(fd, strtoull(off, NULL, 0), strtoull(len, NULL, 0));
	close(fd);
	if (ret < 0)
		return fail(ret);
	printf("ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct sdx_state st;
	int ret;

	if (argc < 3)
		goto usage;
	if (!strcmp(argv[1], "get") && argc == 3) {
		ret = sdx_get_flag_path(argv[2], 0);
		if (ret < 0)
			return fail(ret);
		printf("flag=%d\n", ret);
		return 0;
	}
	if (!strcmp(argv[1], "set") && argc == 4) {
		ret = sdx_set_flag_path(argv[2], atoi(argv[3]), 0);
		if (ret < 0)
			return fail(ret);
		printf("ok\n");
		return 0;
	}
	if (!strcmp(argv[1], "state") && argc == 3) {
		ret = sdx_state_path(argv[2], 0, &st);
		if (ret < 0)
			return fail(ret);
		printf("flag=%d dax=%d active=%d why=0x%x\n",
		       !!(st.flags & SDX_STATE_FLAG), !!(st.flags & SDX_STATE_DAX),
		       !!(st.flags & SDX_STATE_ACTIVE), st.why_not);
		return 0;
	}
	if (!strcmp(argv[1], "map") && argc == 3)
		return cmd_map(argv[2], 0);
	if (!strcmp(argv[1], "map") && argc == 4 && !strcmp(argv[3], "--allow-msync"))
		return cmd_map(argv[2], SDX_MAP_ALLOW_MSYNC);
	if (!strcmp(argv[1], "probe") && argc == 3)
		return cmd_probe(argv[2]);
	if (!strcmp(argv[1], "prepare") && argc == 5)
		return cmd_prepare(argv[2], argv[3], argv[4]);
usage:
	fprintf(stderr, "usage: sdx-lib-check get|set|state|map|probe|prepare PATH [...]\n");
	return 2;
}
