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
	"a MAP_SYNC mapping there, CPU cache flush instruction and ext4\n"
	"fast_commit. Gives one verdict (ready, no-kernel-support,\n"
	"fs-unsupported, not-dax, not-synchronous, no-flush-insn, unknown) and\n"
	"says what is missing and how to fix it.\n"
	"\n"
	"Options:\n"
	"  -J, --json              print one JSON object\n"
	HELP_HELP
	"\n"
	"Exit status: 0 verdict ready, 1 any other verdict (or PATH cannot be\n"
	"examined), 2 usage error. See syncdaxctl(8).\n";

static void print_item(const struct check_item *c)
{
	printf("  %-12s %-7s %s\n", c->name,
	       c->result == CHECK_FAIL ? "FAIL" : check_result_str(c->result),
	       c->detail);
	if (c->fix[0] && (c->result == CHECK_FAIL || c->result == CHECK_INFO))
		printf("  %-12s %-7s %s\n", "", "fix:", c->fix);
}

static void print_report(const struct check_report *r)
{
	unsigned int problems = 0;
	int i;

	printf("%s:\n", r->path);
	for (i = 0; i < CK_COUNT; i++) {
		print_item(&r->items[i]);
		problems += r->items[i].result == CHECK_FAIL;
	}
	printf("verdict: %s: %s\n", check_verdict_str(r->verdict), r->verdict_why);
	if (r->verdict == VERDICT_READY)
		printf("Synchronous page faults can work here.\n");
	else if (problems)
		printf("Synchronous page faults cannot work here: %u problem%s.\n",
		       problems, problems == 1 ? "" : "s");
	else
		printf("Synchronous page faults may not work here: %s.\n",
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
			fputs(check_help, stdout);
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

int cmd_check(int argc, char **argv)
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
	rc = sdx_probe_path(NULL, r.path, &p);
	if (rc == 0 && stat(r.path, &st) < 0)
		rc = -errno;
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
