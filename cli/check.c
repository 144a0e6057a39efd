// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check.c - syncdaxctl check: can synchronous page faults work for a path,
 * and if not, what is missing and how to fix it (the diagnosis is in
 * check-items.c, the JSON in json.c)
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <syncdax.h>

#include "builtin.h"
#include "check.h"
#include "json.h"
#include "util.h"

static const char check_help[] =
	"Usage: " PROG " check [OPTIONS] [PATH]\n"
	"\n"
	"Diagnose whether synchronous page faults can work for files at PATH\n"
	"(default: the current directory): kernel support, file system, mount\n"
	"dax= mode, backing device, nvdimm namespace, whether the kernel grants\n"
	"a MAP_SYNC mapping there (to find out, it creates, maps and drops an\n"
	"unnamed file in the directory of PATH), CPU cache flush instruction,\n"
	"and on ext4 the sync_fault feature and fast_commit. Gives one verdict\n"
	"(ready, no-kernel-support, fs-unsupported, no-sync-fault-feature,\n"
	"not-dax, not-synchronous, no-flush-insn, unknown) and says what is\n"
	"missing and how to fix it.\n"
	"\n"
	"Options:\n"
	"  -J, --json              print one JSON object\n"
	HELP_HELP
	"\n"
	"Exit status: 0 verdict ready, 1 any other verdict (or PATH cannot be\n"
	"examined), 2 usage error. See syncdaxctl(8).\n";

static void print_item(const struct check_item *c)
{
	print_to(stdout, "  %-12s %-7s %s\n", c->name,
		 c->result == CHECK_FAIL ? "FAIL" : check_result_str(c->result),
		 c->detail);
	if (c->fix[0] && (c->result == CHECK_FAIL || c->result == CHECK_INFO))
		print_to(stdout, "  %-12s %-7s %s\n", "", "fix:", c->fix);
}

static void print_report(const struct check_report *r)
{
	unsigned int problems = 0;
	int i;

	print_to(stdout, "%s:\n", r->path);
	for (i = 0; i < CK_COUNT; i++) {
		print_item(&r->items[i]);
		problems += r->items[i].result == CHECK_FAIL;
	}
	print_to(stdout, "verdict: %s: %s\n", check_verdict_str(r->verdict),
		 r->verdict_why);
	if (r->verdict == VERDICT_READY)
		print_to(stdout, "Synchronous page faults can work here.\n");
	else if (problems)
		print_to(stdout, "Synchronous page faults cannot work here: %u problem%s.\n",
			 problems, problems == 1 ? "" : "s");
	else
		print_to(stdout, "Synchronous page faults may not work here: %s.\n",
			 r->verdict_why);
}

/* Parse the options; returns -1 to go on, else the exit status. */
static int parse_check_args(int argc, char **argv, struct common_opts *opts,
			    const char **path)
{
	static const struct option longopts[] = {
		OPT_JSON, OPT_HELP, OPT_END,
	};
	const char *cmd = argv[0];
	int c;

	common_opts_init(opts);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "Jh", longopts, NULL)) != -1) {
		if (parse_common_opt(c, opts))
			continue;
		if (c == 'h') {
			print_to(stdout, "%s", check_help);
			return EXIT_ALL_OK;
		}
		return bad_option(cmd, argv);
	}
	if (argc - optind > 1)
		return usage_error(cmd, "only one path can be checked at a time");
	if (optind < argc)
		*path = argv[optind];
	return -1;
}

int cmd_check(int argc, char **argv, struct sdx_ctx *ctx)
{
	const char *cmd = argv[0];
	struct check_report r = { .path = "." };
	struct common_opts opts;
	struct sdx_probe *p = NULL;
	struct stat st;
	int rc;

	rc = parse_check_args(argc, argv, &opts, &r.path);
	if (rc >= 0)
		return rc;
	/* Refuse a FIFO or a device before anything opens it. */
	rc = path_type(cmd, r.path, &st);
	if (rc) {
		if (opts.json)
			json_print(json_path_error(r.path, rc,
				rc == EINVAL ? NOT_REG_OR_DIR : NULL));
		return EXIT_SOME_FAILED;
	}
	rc = sdx_probe_path(ctx, r.path, &p);
	if (rc < 0) {
		report_sdx_error(cmd, r.path, rc);
		if (opts.json)
			json_print(json_path_error(r.path, -rc, sdx_explanation(rc)));
		sdx_probe_free(p);
		return EXIT_SOME_FAILED;
	}
	r.is_dir = S_ISDIR(st.st_mode);
	r.probe = p;
	check_diagnose(&r);
	if (opts.json) {
		if (json_print(json_check(&r)) < 0)
			rc = -1;
	} else {
		print_report(&r);
	}
	sdx_probe_free(p);
	return rc < 0 || r.verdict != VERDICT_READY ? EXIT_SOME_FAILED : EXIT_ALL_OK;
}
