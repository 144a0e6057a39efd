/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * open-watch.h - the open() watcher of tests/unit/open-watch.c, as its user
 * sees it.  Like msync-counter: LD_PRELOADed in front of the C library for
 * the plain and valgrind runs (the shipped libsyncdax.so is tested as it
 * is), linked into the program for the ASan run.  Weak declarations, so a
 * program run without the watcher can say so instead of failing to start.
 *
 * Every open(), open64(), openat(), openat64() (and their _FORTIFY_SOURCE
 * forms) is looked at *before* it reaches the kernel: the path is resolved
 * with fstatat() (never opening it) and counted when it names a watched
 * inode, or any block device, and the open is not O_PATH.  Attempts count
 * whether or not they would succeed: an open that fails with EACCES has
 * still asked a driver.
 */
#ifndef SYNCDAX_OPEN_WATCH_H
#define SYNCDAX_OPEN_WATCH_H

#include <sys/types.h>

#define OPEN_WATCH_WEAK __attribute__((weak))

/* Forget the counts and the watched inodes. */
OPEN_WATCH_WEAK void open_watch_reset(void);
/* Watch the inode path names now (following symlinks): 0 or -errno. */
OPEN_WATCH_WEAK int open_watch_add(const char *path);
/* Non-O_PATH open attempts of a watched inode since the last reset. */
OPEN_WATCH_WEAK unsigned int open_watch_count(void);
/* O_PATH opens of a watched inode since the last reset. */
OPEN_WATCH_WEAK unsigned int open_watch_opath_count(void);
/* Non-O_PATH open attempts of any block device since the last reset. */
OPEN_WATCH_WEAK unsigned int open_watch_blk_count(void);
/* O_TMPFILE opens since the last reset; the last one's directory in *dev and *ino. */
OPEN_WATCH_WEAK unsigned int open_watch_tmpfile(dev_t *dev, ino_t *ino);

#endif /* SYNCDAX_OPEN_WATCH_H */
