// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * util.c - error messages and the walk over the paths named on the
 * command line (and, with -R, the trees below them)
 */
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <syncdax.h>

#include "util.h"

/* errno of the first write to stdout that failed, 0 if none did. */
static int stdout_errno;

int print_to(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	if (n < 0 && f == stdout && !stdout_errno)
		stdout_errno = errno ? errno : EIO;
	return n;
}

int stdout_status(const char *cmd, int rc)
{
	int err = stdout_errno, fd;

	if (fflush(stdout) != 0 && !err)
		err = errno ? errno : EIO;
	if (ferror(stdout) && !err)
		err = EIO;
	/*
	 * What fclose(stdout) would report (NFS reports write-back errors at
	 * every close(2) of the file), on a duplicate: stdout stays open
	 * for a caller of main() that goes on (the fuzzer).
	 */
	fd = dup(STDOUT_FILENO);
	if (fd >= 0 && close(fd) != 0 && !err && errno != EINTR)
		err = errno;
	stdout_errno = 0;
	clearerr(stdout);
	if (!err)
		return rc;
	fprintf(stderr, PROG "%s%s: standard output: %s: write error, the output is incomplete\n",
		cmd ? ": " : "", cmd ? cmd : "", strerror(err));
	return rc == EXIT_ALL_OK ? EXIT_SOME_FAILED : rc;
}

int path_type(const char *cmd, const char *path, struct stat *st)
{
	int fd = open(path, O_PATH | O_CLOEXEC), err = 0;

	if (fd < 0 || fstat(fd, st) != 0)
		err = errno;
	else if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))
		err = EINVAL;
	if (fd >= 0)
		close(fd);
	if (err)
		report_error(cmd, path, err, err == EINVAL ? NOT_REG_OR_DIR : NULL);
	return err;
}

void common_opts_init(struct common_opts *o)
{
	*o = (struct common_opts){ .one_fs = true };
}

bool parse_common_opt(int c, struct common_opts *o)
{
	switch (c) {
	case 'R':
		o->recursive = true;
		return true;
	case 'L':
		o->follow = true;
		return true;
	case 'x':
		o->one_fs = true;
		return true;
	case 'X':
		o->one_fs = false;
		return true;
	case 'v':
		o->verbose = true;
		return true;
	case 'J':
		o->json = true;
		return true;
	default:
		return false;
	}
}

void report_error(const char *cmd, const char *path, int err,
		  const char *explanation)
{
	if (explanation && *explanation)
		fprintf(stderr, PROG ": %s: %s: %s: %s\n", cmd, path,
			strerror(err), explanation);
	else
		fprintf(stderr, PROG ": %s: %s: %s\n", cmd, path,
			strerror(err));
}

/* The words syncdax promises for ENOTTY (DESIGN section 2). */
#define NO_KERNEL "kernel lacks sync-fault support"

const char *sdx_explanation(int neg_err)
{
	int err = neg_err < 0 ? -neg_err : neg_err;
	const char *why = sdx_strerror(-err);
	const char *plain = strerror(err);
	size_t n = strlen(plain);

	/* Do not repeat what strerror() already says. */
	if (strncasecmp(why, plain, n) == 0) {
		why += n;
		while (*why == ':' || *why == ' ' || *why == ';')
			why++;
	}
	if (err == ENOTTY && !strstr(why, NO_KERNEL))
		why = NO_KERNEL;
	return *why ? why : NULL;
}

void report_sdx_error(const char *cmd, const char *path, int neg_err)
{
	int err = neg_err < 0 ? -neg_err : neg_err;

	report_error(cmd, path, err, sdx_explanation(neg_err));
}

void report_note(const char *cmd, const char *path, const char *msg)
{
	fprintf(stderr, PROG ": %s: %s: %s\n", cmd, path, msg);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return usage_hint(cmd);
}

int usage_hint(const char *cmd)
{
	fprintf(stderr, "Try '" PROG " %s --help' for more information.\n",
		cmd);
	return EXIT_USAGE;
}

int bad_option(const char *cmd, char **argv)
{
	if (optopt)
		fprintf(stderr, PROG "%s%s: invalid option -- '%c'\n",
			cmd ? ": " : "", cmd ? cmd : "", optopt);
	else
		fprintf(stderr, PROG "%s%s: unrecognized option '%s'\n",
			cmd ? ": " : "", cmd ? cmd : "", argv[optind - 1]);
	if (cmd)
		return usage_hint(cmd);
	fprintf(stderr, "Try '" PROG " --help' for more information.\n");
	return EXIT_USAGE;
}

static int compare_names(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

/* A note that only -v prints. */
static void skipped(const char *cmd, const struct common_opts *opts,
		    const char *path, const char *why)
{
	char msg[128];

	if (!opts->verbose)
		return;
	snprintf(msg, sizeof(msg), "skipped: %s", why);
	report_note(cmd, path, msg);
}

/* Whether an entry below the top of the walk lies on another file system. */
static bool crosses_mount(const FTSENT *ent, dev_t top_dev,
			  const struct common_opts *opts)
{
	return opts->one_fs && ent->fts_level > FTS_ROOTLEVEL &&
	       ent->fts_statp->st_dev != top_dev;
}

struct walk {
	const char *cmd;
	const struct common_opts *opts;
	walk_fn fn;
	walk_err_fn err_fn;
	void *data;
};

/* A path the walk itself failed on: report it, tell err_fn; returns 1. */
static unsigned int walk_failed(const struct walk *w, const char *path,
				int err, const char *explanation)
{
	report_error(w->cmd, path, err, explanation);
	if (w->err_fn)
		w->err_fn(path, err, explanation, w->data);
	return 1;
}

/* One entry of the walk: call fn, skip, or report; the number that failed. */
static unsigned int visit(const struct walk *w, FTS *fts, FTSENT *ent,
			  dev_t *top_dev)
{
	const char *cmd = w->cmd, *p = ent->fts_path;
	const struct common_opts *opts = w->opts;
	bool top = ent->fts_level == FTS_ROOTLEVEL;
	/* Below the top without -L: refuse a link swapped in since. */
	unsigned int below = !top && !opts->follow ? SDX_PATH_NOFOLLOW : 0;

	switch (ent->fts_info) {
	case FTS_D:
		if (top)
			*top_dev = ent->fts_statp->st_dev;
		if (crosses_mount(ent, *top_dev, opts)) {
			skipped(cmd, opts, p, "mount point (use -X to cross)");
			fts_set(fts, ent, FTS_SKIP);
			return 0;
		}
		if (!opts->recursive)
			fts_set(fts, ent, FTS_SKIP);
		return w->fn(cmd, p, ent->fts_statp, below, w->data) ? 1 : 0;
	case FTS_F:
		if (crosses_mount(ent, *top_dev, opts)) {
			skipped(cmd, opts, p, "mount point (use -X to cross)");
			return 0;
		}
		return w->fn(cmd, p, ent->fts_statp, below, w->data) ? 1 : 0;
	case FTS_SL:
		skipped(cmd, opts, p, "symbolic link (use -L to follow)");
		return 0;
	case FTS_SLNONE:
		if (top)
			return walk_failed(w, p, ENOENT, "dangling symbolic link");
		skipped(cmd, opts, p, "dangling symbolic link");
		return 0;
	case FTS_DC:
		skipped(cmd, opts, p, "directory cycle");
		return 0;
	case FTS_DNR:
		return walk_failed(w, p, ent->fts_errno, "cannot read directory");
	case FTS_NS:
	case FTS_ERR:
		return walk_failed(w, p, ent->fts_errno, NULL);
	case FTS_DEFAULT:
		if (top)
			return walk_failed(w, p, EINVAL, NOT_REG_OR_DIR);
		skipped(cmd, opts, p, "not a regular file or directory");
		return 0;
	default:	/* FTS_DP: a directory again, after its contents */
		return 0;
	}
}

static unsigned int walk_one(const struct walk *w, char *path)
{
	char *const argv[2] = { path, NULL };
	int flags = FTS_COMFOLLOW | FTS_NOCHDIR |
		    (w->opts->follow ? FTS_LOGICAL : FTS_PHYSICAL);
	unsigned int failed = 0;
	dev_t top_dev = 0;
	FTSENT *ent;
	FTS *fts;

	/* fts_open() refuses the whole list for an empty name. */
	if (path[0] == '\0')
		return walk_failed(w, path, ENOENT, NULL);
	fts = fts_open(argv, flags, compare_names);
	if (!fts)
		return walk_failed(w, path, errno, NULL);

	errno = 0;
	while ((ent = fts_read(fts)) != NULL) {
		failed += visit(w, fts, ent, &top_dev);
		errno = 0;
	}
	if (errno)
		failed += walk_failed(w, path, errno, "cannot walk the tree");
	fts_close(fts);
	return failed;
}

unsigned int walk_paths(const char *cmd, char **paths, int npaths,
			const struct common_opts *opts, walk_fn fn,
			walk_err_fn err_fn, void *data)
{
	const struct walk w = {
		.cmd = cmd, .opts = opts, .fn = fn, .err_fn = err_fn,
		.data = data,
	};
	unsigned int failed = 0;
	int i;

	for (i = 0; i < npaths; i++)
		failed += walk_one(&w, paths[i]);
	return failed;
}
