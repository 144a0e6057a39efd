/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * util.h - what the sub-commands of syncdaxctl share: exit codes, error
 * messages, option parsing helpers and the walk over the paths.
 */
#ifndef SYNCDAXCTL_UTIL_H
#define SYNCDAXCTL_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>

#define PROG "syncdaxctl"

enum {
	EXIT_ALL_OK = 0,	/* every path succeeded */
	EXIT_SOME_FAILED = 1,	/* at least one path (or the check) failed */
	EXIT_USAGE = 2,		/* bad command line */
};

/* Why a path of another type (FIFO, device, socket) is refused, with EINVAL. */
#define NOT_REG_OR_DIR "only regular files and directories carry the sync-fault flag"

/* Options that mean the same in every command that takes them. */
struct common_opts {
	bool recursive;		/* -R: descend into directories */
	bool follow;		/* -L: follow symbolic links met while recursing */
	bool one_fs;		/* -x (default) / -X: stay on one file system */
	bool verbose;		/* -v: say what was done and what was skipped */
	bool json;		/* -J: JSON on stdout */
};

/*
 * The options every path-taking command shares, for getopt_long() tables;
 * parse_common_opt() handles what they return.
 */
#define OPT_RECURSIVE	{ "recursive",       no_argument, NULL, 'R' }
#define OPT_FOLLOW	{ "follow-symlinks", no_argument, NULL, 'L' }
#define OPT_ONE_FS	{ "one-file-system", no_argument, NULL, 'x' }
#define OPT_CROSS	{ "cross-mounts",    no_argument, NULL, 'X' }
#define OPT_VERBOSE	{ "verbose",         no_argument, NULL, 'v' }
#define OPT_JSON	{ "json",            no_argument, NULL, 'J' }
#define OPT_HELP	{ "help",            no_argument, NULL, 'h' }
#define OPT_END		{ NULL, 0, NULL, 0 }

#define WALK_SHORTOPTS	"RLxXv"

#define WALK_HELP \
"  -R, --recursive         also act on everything below each directory\n" \
"  -L, --follow-symlinks   with -R, follow symbolic links found in the trees\n" \
"                          (links named on the command line are always followed)\n" \
"  -x, --one-file-system   with -R, do not descend into other mounted file\n" \
"                          systems (the default)\n" \
"  -X, --cross-mounts      with -R, descend into other mounted file systems\n" \
"  -v, --verbose           say what was done to each path and what was skipped\n"

#define HELP_HELP \
"  -h, --help              show this help and exit\n"

#define EXIT_HELP \
"\n" \
"Exit status: 0 every path succeeded, 1 at least one path failed (the\n" \
"others were still processed), 2 usage error. See syncdaxctl(8).\n"

/*
 * fprintf() to f; a failed write to stdout is remembered (its errno) for
 * stdout_status().  Every line syncdaxctl prints on stdout goes through it.
 */
int print_to(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * At the end of a run (as util-linux's close_stdout()): flush stdout and
 * check that everything written to it got there, also what a file system
 * reports only at close(2).  If not, print "syncdaxctl: CMD: standard
 * output: CAUSE: ..." on stderr and return EXIT_SOME_FAILED where rc was
 * EXIT_ALL_OK; otherwise return rc.  cmd may be NULL (no command ran).
 */
int stdout_status(const char *cmd, int rc);

/*
 * The type of path, without opening it (O_PATH and fstat(), so a FIFO or a
 * device is never opened), into *st: 0, or a positive errno value after
 * reporting the error; EINVAL (NOT_REG_OR_DIR) for what is neither a
 * regular file nor a directory.
 */
int path_type(const char *cmd, const char *path, struct stat *st);

/* Set *o from a common option; returns false for an option it does not know. */
bool parse_common_opt(int c, struct common_opts *o);

/* Defaults: not recursive, do not follow, one file system, quiet. */
void common_opts_init(struct common_opts *o);

/*
 * Print "syncdaxctl: CMD: PATH: strerror(err): EXPLANATION" on stderr.
 * err is a positive errno value; explanation may be NULL.
 */
void report_error(const char *cmd, const char *path, int err,
		  const char *explanation);

/*
 * As report_error() for a negative errno value from libsyncdax, explained
 * by sdx_strerror(); ENOTTY is named as a kernel without sync-fault support.
 */
void report_sdx_error(const char *cmd, const char *path, int neg_err);

/* The explanation report_sdx_error() prints for neg_err, or NULL. */
const char *sdx_explanation(int neg_err);

/* Print "syncdaxctl: CMD: PATH: MESSAGE" on stderr (a note under -v). */
void report_note(const char *cmd, const char *path, const char *msg);

/*
 * Usage error: print "syncdaxctl: CMD: MESSAGE" and a hint to --help on
 * stderr; returns EXIT_USAGE.
 */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "Try 'syncdaxctl CMD --help'" on stderr; returns EXIT_USAGE. */
int usage_hint(const char *cmd);

/*
 * getopt_long() (with opterr = 0) returned '?': name the option that is
 * not known to CMD (NULL: to syncdaxctl itself); returns EXIT_USAGE.
 */
int bad_option(const char *cmd, char **argv);

/*
 * Called for every regular file and directory the walk reaches, with the
 * SDX_PATH_* flags to pass to libsyncdax (SDX_PATH_NOFOLLOW for what was
 * found while recursing without -L); returns 0 on success or a positive errno value after reporting the error itself.
 */
typedef int (*walk_fn)(const char *cmd, const char *path,
		       const struct stat *st, unsigned int path_flags,
		       void *data);

/*
 * Called, if not NULL, for every path that fails in the walk itself (does
 * not exist, cannot be read, wrong type), after the error was reported.
 */
typedef void (*walk_err_fn)(const char *path, int err,
			    const char *explanation, void *data);

/*
 * Visit each of paths[0..npaths-1] and, with opts->recursive, everything
 * below it, in the order given and sorted by name below each directory.
 * Symbolic links named on the command line are followed; those met while
 * recursing are skipped unless opts->follow; mount points below a path are
 * not crossed while opts->one_fs; other file types are skipped while
 * recursing and an error when named. Errors are reported on stderr.
 * Returns the number of paths that failed.
 */
unsigned int walk_paths(const char *cmd, char **paths, int npaths,
			const struct common_opts *opts, walk_fn fn,
			walk_err_fn err_fn, void *data);

#endif /* SYNCDAXCTL_UTIL_H */
