// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sync.c - is a DAX device synchronous?  Ask the kernel, never guess from
 * names: a MAP_SHARED_VALIDATE|MAP_SYNC mapping of a DAX inode succeeds
 * exactly when dax_synchronous() holds for its device (ext4 and xfs
 * ->mmap() refuse it with EOPNOTSUPP otherwise, e.g. on virtio-pmem).
 */
#include "private.h"
#include "test-hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#ifdef SYNCDAX_TEST_HOOKS
int sdxi_test_map_sync;
int sdxi_test_inode_dax = SDX_UNKNOWN - 1;

/* statx()'s DAX answer, or the one a test forces. */
static int inode_dax(int fd)
{
	return sdxi_test_inode_dax >= SDX_UNKNOWN ? sdxi_test_inode_dax :
	       sdxi_statx_dax(fd);
}
#else
#define inode_dax(fd)	sdxi_statx_dax(fd)
#endif

/* MAP_SYNC mapping of one page of a DAX inode open at fd with prot. */
static int try_map_sync(int fd, int prot, char *why, size_t size)
{
	long pagesize = sysconf(_SC_PAGESIZE);
	void *addr;

#ifdef SYNCDAX_TEST_HOOKS
	if (sdxi_test_map_sync > 0) {
		errno = sdxi_test_map_sync;
		addr = MAP_FAILED;
	} else if (sdxi_test_map_sync < 0) {
		snprintf(why, size, "a MAP_SYNC mapping of a DAX file succeeds");
		return SDX_YES;
	} else
#endif
	addr = mmap(NULL, (size_t)pagesize, prot, MAP_SHARED_VALIDATE | MAP_SYNC,
		    fd, 0);
	if (addr != MAP_FAILED) {
		munmap(addr, (size_t)pagesize);
		snprintf(why, size, "a MAP_SYNC mapping of a DAX file succeeds");
		return SDX_YES;
	}
	if (errno == EOPNOTSUPP) {
		snprintf(why, size,
			 "the kernel refuses MAP_SYNC on a DAX file here (EOPNOTSUPP): the DAX device is not synchronous");
		return SDX_NO;
	}
	snprintf(why, size, "MAP_SYNC trial failed: %s", sdxi_errdesc(errno));
	return SDX_UNKNOWN;
}

int sdxi_sync_trial_fd(int fd, char *why, size_t size)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, size, "not a regular file");
		return SDX_UNKNOWN;
	}
	/* MAP_SYNC on a non-DAX inode fails for that reason alone. */
	if (inode_dax(fd) != SDX_YES) {
		snprintf(why, size, "the file is not in DAX mode");
		return SDX_UNKNOWN;
	}
	/* A read-only mapping: VM_SYNC is checked all the same. */
	return try_map_sync(fd, PROT_READ, why, size);
}

/*
 * The unnamed file is dropped on close: nothing stays in the directory,
 * but it is a write there (documented in sdx_probe_path(3)).
 */
int sdxi_sync_trial_dir(const char *dir, dev_t devno, char *why, size_t size)
{
	long pagesize = sysconf(_SC_PAGESIZE);
	struct stat st;
	int fd, ret;

	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(why, size, "cannot create a trial file in %s: %s",
			 dir, sdxi_errdesc(errno));
		return SDX_UNKNOWN;
	}
	/* an answer for another device must not be taken (or cached) for this one */
	if (fstat(fd, &st) < 0 || st.st_dev != devno) {
		snprintf(why, size, "a new file in %s is on another file system",
			 dir);
		ret = SDX_UNKNOWN;
	} else if (inode_dax(fd) != SDX_YES) {
		snprintf(why, size,
			 "a new file in %s is not in DAX mode, so MAP_SYNC cannot be tried",
			 dir);
		ret = SDX_UNKNOWN;
	} else if (ftruncate(fd, pagesize) < 0) {
		snprintf(why, size, "cannot size a trial file in %s: %s", dir,
			 sdxi_errdesc(errno));
		ret = SDX_UNKNOWN;
	} else {
		ret = try_map_sync(fd, PROT_READ | PROT_WRITE, why, size);
	}
	close(fd);
	return ret;
}
