// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_no_open.c - no side effects from looking (DESIGN.md section 3):
 * no path is opened before its type is known, state queries open no block
 * device, and the MAP_SYNC trial of a probe runs in the directory of the
 * resolved file.  Opening a node is not harmless (on /dev/watchdog it arms
 * the watchdog, on a tape it rewinds), so every *_path() function is run
 * on a fifo, a character device and a block device while open-watch.c
 * counts the open attempts that name them: only O_PATH may.
 */
#include "test-common.h"
#include "open-watch.h"

#include <sys/sysmacros.h>
#include <sys/statfs.h>

struct fixture {
	char *dir;
	char *file;
	char *fifo;
	char *blk;		/* made with mknod in dir, or an existing one */
	int blk_made;
	char *fifo_link;	/* symlink to the fifo */
	char *shm_link;		/* symlink in /dev/shm to file */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	*state = f;
	/* without the watcher every count would be 0: refuse to pass */
	if (!open_watch_reset || !open_watch_add || !open_watch_count) {
		fprintf(stderr, "open-watch is not preloaded or linked in\n");
		return -1;
	}
	f->dir = scratch_dir(scratch_base());
	if (!f->dir)
		return -1;
	f->file = scratch_file(f->dir, "file", 4096);
	f->fifo = scratch_path(f->dir, "fifo");
	f->blk = scratch_path(f->dir, "blk");
	f->fifo_link = scratch_path(f->dir, "fifo-link");
	if (!f->file || !f->fifo || !f->blk || !f->fifo_link)
		return -1;
	if (mkfifo(f->fifo, 0600) < 0 || symlink("fifo", f->fifo_link) < 0)
		return -1;
	/* loop0's numbers: a block node whose driver an open would reach */
	if (mknod(f->blk, S_IFBLK | 0600, makedev(7, 0)) == 0) {
		f->blk_made = 1;
	} else {
		free(f->blk);
		f->blk = strdup("/dev/loop0");
	}
	if (asprintf(&f->shm_link, "/dev/shm/sdx-unit-link.%d", (int)getpid()) < 0)
		f->shm_link = NULL;
	else if (symlink(f->file, f->shm_link) < 0) {
		free(f->shm_link);
		f->shm_link = NULL;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (!f)
		return 0;
	if (f->shm_link)
		unlink(f->shm_link);
	if (f->fifo)
		unlink(f->fifo);
	if (f->fifo_link)
		unlink(f->fifo_link);
	if (f->blk && f->blk_made)
		unlink(f->blk);
	free(f->shm_link);
	free(f->fifo);
	free(f->fifo_link);
	free(f->blk);
	scratch_remove(f->dir, f->file);
	free(f);
	return 0;
}

/* Each *_path() function once on path: its answer, and what it opened. */
struct call_result {
	int ret;
	unsigned int opens;
};

enum {
	C_GET, C_GET_NOFOLLOW, C_SET_ON, C_SET_OFF_NOFOLLOW, C_STATE,
	C_STATE_NOFOLLOW, C_CTX_STATE, C_CTX_STATE_NOFOLLOW, C_PROBE,
	C_PROBE_CTX, C_COUNT
};

static const char *const call_names[C_COUNT] = {
	"sdx_get_flag_path", "sdx_get_flag_path(NOFOLLOW)",
	"sdx_set_flag_path(1)", "sdx_set_flag_path(0, NOFOLLOW)",
	"sdx_state_path", "sdx_state_path(NOFOLLOW)",
	"sdx_ctx_state_path", "sdx_ctx_state_path(NOFOLLOW)",
	"sdx_probe_path(NULL ctx)", "sdx_probe_path(ctx)",
};

static struct call_result call_path(int which, const char *path)
{
	struct call_result r = { 0, 0 };
	struct sdx_ctx *ctx = NULL;
	struct sdx_probe *p = NULL;
	struct sdx_state st;

	assert_int_equal(sdx_new(&ctx), 0);
	open_watch_reset();
	assert_int_equal(open_watch_add(path), 0);
	switch (which) {
	case C_GET:
		r.ret = sdx_get_flag_path(path, 0);
		break;
	case C_GET_NOFOLLOW:
		r.ret = sdx_get_flag_path(path, SDX_PATH_NOFOLLOW);
		break;
	case C_SET_ON:
		r.ret = sdx_set_flag_path(path, 1, 0);
		break;
	case C_SET_OFF_NOFOLLOW:
		r.ret = sdx_set_flag_path(path, 0, SDX_PATH_NOFOLLOW);
		break;
	case C_STATE:
		r.ret = sdx_state_path(path, 0, &st);
		break;
	case C_STATE_NOFOLLOW:
		r.ret = sdx_state_path(path, SDX_PATH_NOFOLLOW, &st);
		break;
	case C_CTX_STATE:
		r.ret = sdx_ctx_state_path(ctx, path, 0, &st);
		break;
	case C_CTX_STATE_NOFOLLOW:
		r.ret = sdx_ctx_state_path(ctx, path, SDX_PATH_NOFOLLOW, &st);
		break;
	case C_PROBE:
		r.ret = sdx_probe_path(NULL, path, &p);
		break;
	case C_PROBE_CTX:
		r.ret = sdx_probe_path(ctx, path, &p);
		break;
	default:
		fail();
	}
	r.opens = open_watch_count();
	sdx_probe_free(p);
	sdx_unref(ctx);
	return r;
}

/* Every *_path() function refuses path with EINVAL and opens it only with O_PATH. */
static void assert_never_opened(const char *path, const char *what)
{
	int i, bad = 0;

	for (i = 0; i < C_COUNT; i++) {
		struct call_result r = call_path(i, path);

		if (r.ret != -EINVAL || r.opens != 0) {
			fprintf(stderr, "# %s on %s (%s): returned %d, opened it %u time(s) without O_PATH\n",
				call_names[i], what, path, r.ret, r.opens);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_fifo_is_never_opened(void **state)
{
	struct fixture *f = *state;

	assert_never_opened(f->fifo, "a fifo");
}

static void test_char_device_is_never_opened(void **state)
{
	(void)state;
	assert_never_opened("/dev/null", "a character device");
}

static void test_block_device_is_never_opened(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	if (stat(f->blk, &st) < 0 || !S_ISBLK(st.st_mode))
		skip();
	assert_never_opened(f->blk, "a block device");
}

/* Through a symlink: followed, the fifo is refused unopened; not followed, ELOOP. */
static void test_symlink_to_fifo_is_never_opened(void **state)
{
	struct fixture *f = *state;
	struct call_result r;

	r = call_path(C_GET, f->fifo_link);
	assert_int_equal(r.ret, -EINVAL);
	assert_int_equal(r.opens, 0);
	r = call_path(C_GET_NOFOLLOW, f->fifo_link);
	assert_int_equal(r.ret, -ELOOP);
	assert_int_equal(r.opens, 0);
	r = call_path(C_SET_OFF_NOFOLLOW, f->fifo_link);
	assert_int_equal(r.ret, -ELOOP);
	assert_int_equal(r.opens, 0);
}

/* The watcher sees the library's opens: a regular file is opened (and only after O_PATH). */
static void test_watcher_sees_the_reopen_of_a_regular_file(void **state)
{
	struct fixture *f = *state;
	struct call_result r = call_path(C_GET, f->file);

	/* the host kernel lacks the series (ENOTTY) or the fs has not opted in */
	assert_true(r.ret == -ENOTTY || r.ret == -EOPNOTSUPP || r.ret == 0 || r.ret == 1);
	assert_true(r.opens >= 1);
	assert_true(open_watch_opath_count() >= 1);
}

static int super_readable(const char *dev)
{
	int fd = open(dev, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Is path on a file system whose source is a block device (ext4 on /dev/vda)? */
static int on_block_device_fs(const char *path)
{
	struct sdx_probe *p = NULL;
	struct stat st;
	int ret;

	if (sdx_probe_path(NULL, path, &p) < 0)
		return 0;
	ret = strcmp(sdx_probe_get_fstype(p), "ext4") == 0 &&
	      stat(sdx_probe_get_source(p), &st) == 0 && S_ISBLK(st.st_mode);
	sdx_probe_free(p);
	return ret;
}

/* State is the kernel's answer and the mount table: no super block is read. */
static void test_state_opens_no_block_device(void **state)
{
	struct fixture *f = *state;
	struct sdx_ctx *ctx;
	struct sdx_state st;
	int fd;

	assert_int_equal(sdx_new(&ctx), 0);
	open_watch_reset();
	assert_int_equal(sdx_state_path(f->file, 0, &st), 0);
	assert_int_equal(open_watch_blk_count(), 0);
	assert_int_equal(sdx_ctx_state_path(ctx, f->file, 0, &st), 0);
	assert_int_equal(open_watch_blk_count(), 0);
	fd = open(f->file, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(sdx_state_fd(fd, &st), 0);
	assert_int_equal(sdx_ctx_state_fd(ctx, fd, &st), 0);
	assert_int_equal(sdx_ctx_state_path(ctx, f->dir, 0, &st), 0);
	close(fd);
	assert_int_equal(open_watch_blk_count(), 0);
	sdx_unref(ctx);
}

/*
 * The counter can fail the test above: a probe asks for fast_commit and
 * sync_fault, so on ext4 over a block device (the host's root) it reads
 * the super block, once per context and device.
 */
static void test_probe_reads_the_super_block_once_per_device(void **state)
{
	struct fixture *f = *state;
	struct sdx_probe *p = NULL;
	struct sdx_ctx *ctx;
	int readable;

	if (!on_block_device_fs(f->file) || geteuid() != 0)
		skip();
	assert_int_equal(sdx_probe_path(NULL, f->file, &p), 0);
	readable = super_readable(sdx_probe_get_source(p));
	sdx_probe_free(p);
	p = NULL;
	assert_int_equal(sdx_new(&ctx), 0);
	open_watch_reset();
	assert_int_equal(sdx_probe_path(ctx, f->file, &p), 0);
	assert_int_equal(open_watch_blk_count(), 1);
	/* what it read (a sandbox may refuse the open: then nothing is known) */
	if (readable)
		assert_int_not_equal(sdx_probe_get_fast_commit(p), SDX_UNKNOWN);
	else
		assert_int_equal(sdx_probe_get_sync_fault(p), SDX_UNKNOWN);
	sdx_probe_free(p);
	p = NULL;
	assert_int_equal(sdx_probe_path(ctx, f->dir, &p), 0);
	assert_int_equal(open_watch_blk_count(), 1);
	sdx_probe_free(p);
	sdx_unref(ctx);
}

/*
 * A symlink in /dev/shm (tmpfs) to a file here: the MAP_SYNC trial's
 * unnamed file goes to the target's directory, never to /dev/shm.
 */
static void test_probe_trial_in_the_resolved_files_directory(void **state)
{
	struct fixture *f = *state;
	struct sdx_probe *p = NULL;
	struct stat dir_st;
	dev_t dev = 0;
	ino_t ino = 0;

	if (!f->shm_link)
		skip();
	assert_int_equal(stat(f->dir, &dir_st), 0);
	open_watch_reset();
	assert_int_equal(sdx_probe_path(NULL, f->shm_link, &p), 0);
	assert_true(open_watch_tmpfile(&dev, &ino) >= 1);
	assert_true(dev == dir_st.st_dev && ino == dir_st.st_ino);
	assert_null(strstr(sdx_probe_get_dev_sync_why(p), "/dev/shm"));
	assert_int_equal(sdx_probe_get_dev_major(p), major(dir_st.st_dev));
	assert_int_equal(sdx_probe_get_dev_minor(p), minor(dir_st.st_dev));
	sdx_probe_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_is_never_opened),
		cmocka_unit_test(test_char_device_is_never_opened),
		cmocka_unit_test(test_block_device_is_never_opened),
		cmocka_unit_test(test_symlink_to_fifo_is_never_opened),
		cmocka_unit_test(test_watcher_sees_the_reopen_of_a_regular_file),
		cmocka_unit_test(test_state_opens_no_block_device),
		cmocka_unit_test(test_probe_reads_the_super_block_once_per_device),
		cmocka_unit_test(test_probe_trial_in_the_resolved_files_directory),
	};

	return cmocka_run_group_tests_name("no_open", tests, setup, teardown);
}
