// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * status.c - syncdaxctl status: flag, DAX mode, and whether write faults
 * are synchronous now (and if not, why not) for each path
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <syncdax.h>

#include "builtin.h"
#include "json.h"
#include "util.h"

struct status_ctx {
	struct sdx_ctx *sdx;		/* main()'s: mount and device facts, read once */
	struct json_object *array;	/* --json: the elements so far */
};

static const char status_help[] =
	"Usage: " PROG " status [OPTIONS] PATH...\n"
	"\n"
	"Show for each PATH whether the sync-fault flag is set, whether the file\n"
	"is in DAX mode, and whether write faults on shared mappings of it are\n"
	"synchronous now (active); when not active, say why.\n"
	"\n"
	"Options:\n"
	"  -J, --json              print a JSON array, one object per path\n"
	WALK_HELP
	HELP_HELP
	EXIT_HELP;

/* The SDX_WHY_* texts of why_not, joined by "; ". */
static void why_text(unsigned int why_not, char *buf, size_t size)
{
	unsigned int bit;
	size_t len = 0, pos = 0;

	buf[0] = '\0';
	while ((bit = why_bit(why_not, &pos)) != 0 && len < size) {
		len += snprintf(buf + len, size - len, "%s%s",
				len ? "; " : "", sdx_why_str(bit));
	}
}

static void print_status(const char *path, const struct stat *st,
			 const struct sdx_state *s, const char *reason)
{
	const char *flag, *dir_note = "";

	/*
	 * Neither an unpatched kernel nor a file system that has not opted in
	 * lets the flag be read.
	 */
	if (s->why_not & SDX_WHY_NO_KERNEL) {
		flag = "unknown";
		dir_note = ": kernel lacks sync-fault support";
	} else if (s->why_not & SDX_WHY_FS_UNSUPPORTED) {
		flag = "unsupported";
		dir_note = ": the file system does not support the sync-fault flag";
	} else if (s->flags & SDX_STATE_FLAG) {
		flag = "on";
		dir_note = ": new files and directories in it inherit the flag";
	} else {
		flag = "off";
	}

	if (S_ISDIR(st->st_mode)) {
		/* Directories are never DAX; the flag is for what they hold. */
		print_to(stdout, "%s: flag %s, directory%s\n", path, flag, dir_note);
		return;
	}
	print_to(stdout, "%s: flag %s, DAX %s, active %s%s%s\n", path, flag,
		 s->flags & SDX_STATE_DAX ? "yes" : "no",
		 s->flags & SDX_STATE_ACTIVE ? "yes" : "no",
		 *reason ? ": " : "", reason);
}

static int status_one(const char *cmd, const char *path, const struct stat *st,
		      unsigned int path_flags, void *data)
{
	struct status_ctx *ctx = data;
	struct sdx_state s;
	char reason[1024];
	int rc;

	rc = sdx_ctx_state_path(ctx->sdx, path, path_flags, &s);
	if (rc < 0) {
		report_sdx_error(cmd, path, rc);
		if (ctx->array)
			json_object_array_add(ctx->array,
				json_path_error(path, -rc, sdx_explanation(rc)));
		return -rc;
	}
	why_text(s.why_not, reason, sizeof(reason));
	if (ctx->array)
		json_object_array_add(ctx->array,
				      json_status(path, st, &s, reason));
	else
		print_status(path, st, &s, reason);
	return 0;
}

static void status_error(const char *path, int err, const char *explanation,
			 void *data)
{
	struct status_ctx *ctx = data;

	if (ctx->array)
		json_object_array_add(ctx->array,
			json_path_error(path, err, explanation));
}

int cmd_status(int argc, char **argv, struct sdx_ctx *sdx)
{
	static const struct option longopts[] = {
		OPT_JSON, OPT_RECURSIVE, OPT_FOLLOW, OPT_ONE_FS, OPT_CROSS,
		OPT_VERBOSE, OPT_HELP, OPT_END,
	};
	const char *cmd = argv[0];
	struct common_opts opts;
	struct status_ctx ctx = { .sdx = sdx, .array = NULL };
	unsigned int failed;
	int c;

	common_opts_init(&opts);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "J" WALK_SHORTOPTS "h", longopts,
				NULL)) != -1) {
		if (parse_common_opt(c, &opts))
			continue;
		if (c == 'h') {
			print_to(stdout, "%s", status_help);
			return EXIT_ALL_OK;
		}
		return bad_option(cmd, argv);
	}
	if (optind >= argc)
		return usage_error(cmd, "no path given");

	if (opts.json && !(ctx.array = json_object_new_array())) {
		fprintf(stderr, PROG ": %s: %s\n", cmd, strerror(ENOMEM));
		return EXIT_SOME_FAILED;
	}
	failed = walk_paths(cmd, argv + optind, argc - optind, &opts,
			    status_one, status_error, &ctx);
	/* The array also holds the paths that failed, with their error. */
	if (ctx.array && json_print(ctx.array) < 0)
		failed++;
	return failed ? EXIT_SOME_FAILED : EXIT_ALL_OK;
}
