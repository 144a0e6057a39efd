// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * flag.c - syncdaxctl enable / disable: set or clear the sync-fault flag
 */
#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <syncdax.h>

#include "builtin.h"
#include "util.h"

struct flag_ctx {
	int on;
	const struct common_opts *opts;
	struct sdx_ctx *sdx;		/* main()'s: facts of the file system, when a set fails */
	/* EOPNOTSUPP: what the probe of the last file system said, per st_dev */
	bool probed;
	dev_t probed_dev;
	bool lacks_feature;
	char source[256];		/* the mount's source, for the tune2fs command */
};

static const char enable_help[] =
	"Usage: " PROG " enable [OPTIONS] PATH...\n"
	"\n"
	"Set the sync-fault flag on each PATH (a regular file or a directory):\n"
	"write faults on shared mappings of a flagged file on a DAX file system\n"
	"are synchronous, as with MAP_SYNC. Files and directories created in a\n"
	"flagged directory inherit the flag. A file with shared writable\n"
	"mappings that cannot be synchronous (not DAX, or not on a synchronous\n"
	"device) is refused (EBUSY). See syncdax(7).\n"
	"\n"
	"Options:\n"
	WALK_HELP
	HELP_HELP
	EXIT_HELP;

static const char disable_help[] =
	"Usage: " PROG " disable [OPTIONS] PATH...\n"
	"\n"
	"Clear the sync-fault flag on each PATH (a regular file or a directory).\n"
	"Shared mappings made from now on have ordinary write faults; those made\n"
	"while the flag was set stay synchronous until they are unmapped.\n"
	"\n"
	"Options:\n"
	WALK_HELP
	HELP_HELP
	EXIT_HELP;

/*
 * EIO from a set: the file system could not make the change durable, and
 * the flag may or may not have changed (DESIGN.md section 2): read it back
 * and say which.  was is the flag before the set (negative if unknown).
 */
static void report_not_durable(const char *cmd, const char *path,
			       unsigned int path_flags, int was, int on)
{
	static const char what[] =
		"the file system could not make the change durable (see the kernel log)";
	int now = sdx_get_flag_path(path, path_flags);
	char msg[256];

	if (now < 0)
		snprintf(msg, sizeof(msg), "%s, and the flag cannot be read back (%s)",
			 what, strerror(-now));
	else if (now == was)
		snprintf(msg, sizeof(msg), "%s: the flag reads back as %s, unchanged",
			 what, now ? "on" : "off");
	else if (now == on)
		snprintf(msg, sizeof(msg),
			 "%s: the flag reads back as %s, but may not be after a crash",
			 what, now ? "on" : "off");
	else
		snprintf(msg, sizeof(msg), "%s: the flag reads back as %s",
			 what, now ? "on" : "off");
	report_error(cmd, path, EIO, msg);
}

/*
 * Does the probed file system lack the sync_fault feature (DESIGN.md
 * section 2.9)?  The super block says so when it can be read; else a
 * kernel whose ext4 reads the flag (GET works) refuses SET with EOPNOTSUPP
 * only for the missing feature.
 */
static bool lacks_feature(const struct sdx_probe *p)
{
	if (strcmp(sdx_probe_get_fstype(p), "ext4") != 0)
		return false;
	if (sdx_probe_get_sync_fault(p) != SDX_UNKNOWN)
		return sdx_probe_get_sync_fault(p) == SDX_NO;
	return sdx_probe_get_kernel(p) == SDX_YES &&
	       sdx_probe_get_flag(p) != SDX_UNKNOWN;
}

/*
 * EOPNOTSUPP from a set: on ext4 without the sync_fault feature, say so,
 * with the command that turns it on and what that means for other
 * kernels; elsewhere, the file system has not opted in.
 */
static void report_not_supported(struct flag_ctx *ctx, const char *cmd,
				 const char *path, const struct stat *st, int rc)
{
	char msg[512];

	if (!ctx->probed || ctx->probed_dev != st->st_dev) {
		struct sdx_probe *p = NULL;

		ctx->lacks_feature = sdx_probe_path(ctx->sdx, path, &p) == 0 &&
				     lacks_feature(p);
		snprintf(ctx->source, sizeof(ctx->source), "%s",
			 p && *sdx_probe_get_source(p) ? sdx_probe_get_source(p) : "DEV");
		sdx_probe_free(p);
		ctx->probed = true;
		ctx->probed_dev = st->st_dev;
	}
	if (!ctx->lacks_feature) {
		report_sdx_error(cmd, path, rc);
		return;
	}
	snprintf(msg, sizeof(msg),
		 "the file system lacks the sync_fault feature; an administrator turns it on with 'tune2fs -O sync_fault %s', after which kernels without the sync-fault series mount this file system read-only",
		 ctx->source);
	report_error(cmd, path, EOPNOTSUPP, msg);
}

static int set_one(const char *cmd, const char *path, const struct stat *st,
		   unsigned int path_flags, void *data)
{
	struct flag_ctx *ctx = data;
	int was, rc;

	/*
	 * Only to tell "already enabled" apart, and after EIO whether the
	 * flag changed; the set below decides.
	 */
	was = sdx_get_flag_path(path, path_flags);
	rc = sdx_set_flag_path(path, ctx->on, path_flags);
	if (rc == -EIO) {
		report_not_durable(cmd, path, path_flags, was, ctx->on);
		return EIO;
	}
	if (rc == -EOPNOTSUPP) {
		report_not_supported(ctx, cmd, path, st, rc);
		return EOPNOTSUPP;
	}
	if (rc < 0) {
		report_sdx_error(cmd, path, rc);
		return -rc;
	}
	if (ctx->opts->verbose)
		print_to(stdout, "%s%s: %s\n", was == ctx->on ? "already " : "",
			 ctx->on ? "enabled" : "disabled", path);
	return 0;
}

static int cmd_flag(int argc, char **argv, struct sdx_ctx *sdx, int on)
{
	static const struct option longopts[] = {
		OPT_RECURSIVE, OPT_FOLLOW, OPT_ONE_FS, OPT_CROSS, OPT_VERBOSE,
		OPT_HELP, OPT_END,
	};
	const char *cmd = argv[0];
	struct common_opts opts;
	struct flag_ctx ctx = { .on = on, .opts = &opts, .sdx = sdx };
	int c;

	common_opts_init(&opts);
	opterr = 0;
	while ((c = getopt_long(argc, argv, WALK_SHORTOPTS "h", longopts,
				NULL)) != -1) {
		if (parse_common_opt(c, &opts))
			continue;
		if (c == 'h') {
			print_to(stdout, "%s", on ? enable_help : disable_help);
			return EXIT_ALL_OK;
		}
		return bad_option(cmd, argv);
	}
	if (optind >= argc)
		return usage_error(cmd, "no path given");

	if (walk_paths(cmd, argv + optind, argc - optind, &opts, set_one,
		       NULL, &ctx))
		return EXIT_SOME_FAILED;
	return EXIT_ALL_OK;
}

int cmd_enable(int argc, char **argv, struct sdx_ctx *ctx)
{
	return cmd_flag(argc, argv, ctx, 1);
}

int cmd_disable(int argc, char **argv, struct sdx_ctx *ctx)
{
	return cmd_flag(argc, argv, ctx, 0);
}
