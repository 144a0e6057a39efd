// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * syncdaxctl - manage the per-inode synchronous page fault flag
 *
 * main() and the command table; each command lives in its own file
 * (flag.c, status.c, check.c) and is declared in builtin.h.  main() makes
 * the one library context every command gets (as ndctl does), and checks
 * at the end that everything written to stdout got there.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <syncdax.h>

#include "builtin.h"
#include "util.h"

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, char **argv, struct sdx_ctx *ctx);
	const char *summary;
};

static int cmd_help(int argc, char **argv, struct sdx_ctx *ctx);

static const struct cmd_struct commands[] = {
	{ "enable",  cmd_enable,  "set the sync-fault flag on files and directories" },
	{ "disable", cmd_disable, "clear the sync-fault flag" },
	{ "status",  cmd_status,  "show flag, DAX mode and whether faults are synchronous" },
	{ "check",   cmd_check,   "diagnose whether synchronous faults can work for a path" },
	{ "help",    cmd_help,    "show the help of a command" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	print_to(f,
		"Usage: " PROG " [-h|--help] [-V|--version] COMMAND [OPTIONS] [ARGS]\n"
		"\n"
		"Manage the per-inode synchronous page fault flag (see syncdax(7)).\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		print_to(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	print_to(f,
		"\n"
		"Options:\n"
		"  -h, --help      show this help and exit\n"
		"  -V, --version   show the version and exit\n"
		"\n"
		"'" PROG " COMMAND --help' or '" PROG " help COMMAND' shows the help of a\n"
		"command. Exit status: 0 success, 1 at least one path failed,\n"
		"2 usage error. See syncdaxctl(8); to measure what synchronous\n"
		"faults cost, syncdax-bench(8).\n");
}

static const struct cmd_struct *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	fprintf(stderr, PROG ": %s: unknown command\n"
		"Try '" PROG " --help' for more information.\n", name);
	return EXIT_USAGE;
}

/* "help [COMMAND]": the tool's help, or run COMMAND --help. */
static int cmd_help(int argc, char **argv, struct sdx_ctx *ctx)
{
	const struct cmd_struct *cmd;
	char help_opt[] = "--help";
	char *help_argv[3] = { NULL, help_opt, NULL };

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
			 strcmp(argv[1], "--help") == 0)) {
		print_to(stdout, "Usage: " PROG " help [COMMAND]\n"
			 "\n"
			 "Show the help of COMMAND, or of " PROG " itself.\n");
		return EXIT_ALL_OK;
	}
	if (argc > 2)
		return usage_error("help", "too many arguments");
	if (argc < 2) {
		usage(stdout);
		return EXIT_ALL_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd)
		return unknown_command(argv[1]);
	help_argv[0] = (char *)cmd->name;
	return cmd->fn(2, help_argv, ctx);
}

/* Parse the tool's options and run the command: its exit status. */
static int run(int argc, char **argv, const char **name)
{
	static const struct option longopts[] = {
		{ "help",    no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct cmd_struct *cmd;
	struct sdx_ctx *ctx;
	int c, rc;

	opterr = 0;
	/* '+': stop at the command, whose options are its own. */
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_ALL_OK;
		case 'V':
			print_to(stdout, PROG " %s (libsyncdax %s)\n",
				 SYNCDAX_VERSION, sdx_version());
			return EXIT_ALL_OK;
		default:
			return bad_option(NULL, argv);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, PROG ": no command given\n");
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[optind]);
	if (!cmd)
		return unknown_command(argv[optind]);
	*name = cmd->name;

	/* One context for the whole run: mount and device facts read once. */
	rc = sdx_new(&ctx);
	if (rc < 0) {
		fprintf(stderr, PROG ": %s: cannot make a libsyncdax context: %s\n",
			cmd->name, strerror(-rc));
		return EXIT_SOME_FAILED;
	}
	/* The command parses its own options from a fresh getopt state. */
	argc -= optind;
	argv += optind;
	optind = 0;
	rc = cmd->fn(argc, argv, ctx);
	sdx_unref(ctx);
	return rc;
}

int main(int argc, char **argv)
{
	const char *name = NULL;
	int rc;

	/*
	 * Keep what goes to stdout and stderr in the order it happened, also
	 * when both are redirected to one file or pipe.
	 */
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = run(argc, argv, &name);
	return stdout_status(name, rc);
}
