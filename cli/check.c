// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check.c - syncdaxctl check: can synchronous page faults work for a path,
 * and if not, what is missing and how to fix it
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <syncdax.h>

#include "builtin.h"
#include "check.h"
#include "json.h"
#include "util.h"

enum {
	CK_KERNEL, CK_FS, CK_MOUNT, CK_DEVICE, CK_NAMESPACE, CK_SYNC,
	CK_CPU, CK_FLAG, CK_COUNT
};

static const char check_help[] =
	"Usage: " PROG " check [OPTIONS] [PATH]\n"
	"\n"
	"Diagnose whether synchronous page faults can work for files at PATH\n"
	"(default: the current directory): kernel support, file system, mount\n"
	"dax= mode, backing device, nvdimm namespace mode, synchronous DAX device\n"
	"and CPU cache flush instruction. Says what is missing and how to fix it.\n"
	"\n"
	"Options:\n"
	"  -J, --json              print one JSON object\n"
	HELP_HELP
	"\n"
	"Exit status: 0 synchronous page faults can work at PATH, 1 they cannot\n"
	"(or PATH cannot be examined), 2 usage error. See syncdaxctl(8).\n";

/* File systems whose kernel support for the flag this project provides. */
static const char *const flag_filesystems[] = { "ext4" };

const char *check_result_str(enum check_result r)
{
	switch (r) {
	case CHECK_PASS:
		return "pass";
	case CHECK_FAIL:
		return "fail";
	case CHECK_INFO:
		return "info";
	case CHECK_UNKNOWN:
	default:
		return "unknown";
	}
}

static void set(struct check_item *c, enum check_result r, const char *fix,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void set(struct check_item *c, enum check_result r, const char *fix,
		const char *fmt, ...)
{
	va_list ap;

	c->result = r;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	snprintf(c->fix, sizeof(c->fix), "%s", fix ? fix : "");
}

static void check_kernel(const struct sdx_probe *p, struct check_item *c)
{
	struct utsname u;
	const char *release = uname(&u) == 0 ? u.release : "?";

	if (p->kernel == SDX_YES)
		set(c, CHECK_PASS, NULL,
		    "kernel %s supports the sync-fault flag", release);
	else if (p->kernel == SDX_NO)
		set(c, CHECK_FAIL,
		    "boot a kernel built with the syncdax patch series",
		    "kernel %s lacks sync-fault support", release);
	else
		set(c, CHECK_UNKNOWN, NULL,
		    "kernel %s: cannot tell, reading the flag failed",
		    release);
}

static void check_fs(const struct sdx_probe *p, struct check_item *c)
{
	const char *fs = p->fstype[0] ? p->fstype : "unknown";
	bool refused = p->state.why_not & SDX_WHY_FS_UNSUPPORTED;
	size_t i;

	for (i = 0; i < sizeof(flag_filesystems) / sizeof(flag_filesystems[0]); i++) {
		if (!refused && strcmp(fs, flag_filesystems[i]) == 0) {
			set(c, CHECK_PASS, NULL, "%s on %s, mounted on %s", fs,
			    p->source, p->target);
			return;
		}
	}
	set(c, CHECK_FAIL,
	    "put the file on ext4 on a pmem device (mkfs.ext4 /dev/pmemN; mount -o dax /dev/pmemN DIR)",
	    "%s (on %s, mounted on %s) does not support the sync-fault flag",
	    fs, p->source[0] ? p->source : "?",
	    p->target[0] ? p->target : "?");
}

static void check_mount(const struct sdx_probe *p, bool is_dir,
			struct check_item *c)
{
	const char *mode = sdx_mount_dax_str(p->mount_dax);

	switch (p->mount_dax) {
	case SDX_MOUNT_DAX_ALWAYS:
		set(c, CHECK_PASS, NULL, "mounted with dax=always");
		break;
	case SDX_MOUNT_DAX_INODE:
		if (!is_dir && (p->state.flags & SDX_STATE_DAX)) {
			set(c, CHECK_PASS, NULL,
			    "dax=inode, and this file has the DAX attribute");
			break;
		}
		set(c, CHECK_FAIL,
		    "mount with -o dax=always, or set the DAX attribute (FS_XFLAG_DAX, chattr +x) on the file or its directory before the file is created",
		    "dax=inode: only files with the DAX attribute use DAX, and %s",
		    is_dir ? "this is a directory" : "this file has none");
		break;
	case SDX_MOUNT_DAX_NEVER:
		set(c, CHECK_FAIL,
		    "unmount and mount again with -o dax (dax=always)",
		    "mounted with dax=never");
		break;
	default:
		set(c, CHECK_FAIL,
		    "use ext4 on a pmem device, mounted with -o dax",
		    "%s: no DAX on this mount (dax=%s)",
		    p->fstype[0] ? p->fstype : "file system", mode);
		break;
	}
}

static void check_device(const struct sdx_probe *p, struct check_item *c)
{
	const char *dev = p->blockdev[0] ? p->blockdev : NULL;

	if (p->dev_dax == SDX_YES)
		set(c, CHECK_PASS, NULL, "%s (%u:%u) supports DAX",
		    dev ? dev : "device", p->dev_major, p->dev_minor);
	else if (p->dev_dax == SDX_NO)
		set(c, CHECK_FAIL,
		    "put the file system on a pmem device of an fsdax namespace (ndctl create-namespace -m fsdax)",
		    "%s (%u:%u) does not support DAX", dev ? dev : "device",
		    p->dev_major, p->dev_minor);
	else if (!dev)
		set(c, CHECK_FAIL,
		    "put the file on ext4 on a pmem device",
		    "no backing block device (%u:%u)", p->dev_major,
		    p->dev_minor);
	else
		set(c, CHECK_UNKNOWN, NULL, "%s (%u:%u): DAX support unknown",
		    dev, p->dev_major, p->dev_minor);
}

static void check_namespace(const struct sdx_probe *p, struct check_item *c)
{
	char fix[256];

	switch (p->ns_mode) {
	case SDX_NS_FSDAX:
		set(c, CHECK_PASS, NULL, "%s in fsdax mode (%s, %s)",
		    p->ns[0] ? p->ns : "namespace",
		    p->region[0] ? p->region : "region unknown",
		    p->provider[0] ? p->provider : "provider unknown");
		break;
	case SDX_NS_RAW:
	case SDX_NS_SECTOR:
		snprintf(fix, sizeof(fix),
			 "ndctl create-namespace -f -e %s -m fsdax (destroys the data on it)",
			 p->ns[0] ? p->ns : "NAMESPACE");
		set(c, CHECK_FAIL, fix, "%s in %s mode, which has no DAX",
		    p->ns[0] ? p->ns : "namespace",
		    sdx_ns_mode_str(p->ns_mode));
		break;
	case SDX_NS_UNKNOWN:
		set(c, CHECK_UNKNOWN, NULL, "%s: nvdimm namespace of unknown mode",
		    p->ns[0] ? p->ns : "namespace");
		break;
	default:
		set(c, CHECK_INFO, NULL, "%s is not an nvdimm namespace",
		    p->blockdev[0] ? p->blockdev : "the device");
		break;
	}
}

static void check_sync(const struct sdx_probe *p, struct check_item *c)
{
	if (p->dev_sync == SDX_YES)
		set(c, CHECK_PASS, NULL, "the DAX device is synchronous");
	else if (p->dev_sync == SDX_NO)
		set(c, CHECK_FAIL,
		    "use an NVDIMM device (ACPI NFIT); on virtio-pmem use fsync() or msync()",
		    "the DAX device is not synchronous (%s): the kernel refuses synchronous mappings (EOPNOTSUPP)",
		    p->provider[0] ? p->provider : "asynchronous region");
	else if (p->dev_dax == SDX_YES)
		set(c, CHECK_UNKNOWN, NULL,
		    "cannot tell whether the DAX device is synchronous");
	else
		set(c, CHECK_INFO, NULL, "no DAX device");
}

static void check_cpu(const struct sdx_probe *p, struct check_item *c)
{
	switch (p->flush) {
	case SDX_FLUSH_CLWB:
	case SDX_FLUSH_CLFLUSHOPT:
		set(c, CHECK_PASS, NULL, "%s", sdx_flush_insn_str(p->flush));
		break;
	case SDX_FLUSH_CLFLUSH:
		set(c, CHECK_PASS, NULL,
		    "clflush (works; slower than clwb or clflushopt, which this CPU lacks)");
		break;
	default:
		set(c, CHECK_FAIL,
		    "none from user space: persist with msync() or fsync() instead",
		    "no cache-line flush instruction on this CPU");
		break;
	}
}

static void check_flag(const struct sdx_probe *p, const char *path,
		       bool is_dir, struct check_item *c)
{
	const char *flag = p->flag == SDX_YES ? "set" :
			   p->flag == SDX_NO ? "clear" : "unknown";
	bool settable = p->flag == SDX_NO;
	char fix[sizeof(c->fix)];

	snprintf(fix, sizeof(fix), PROG " enable %s", path);
	if (p->state.why_not & SDX_WHY_FS_UNSUPPORTED)
		set(c, CHECK_INFO, NULL,
		    "the file system does not support the flag: it cannot be read or set here");
	else if (is_dir)
		set(c, CHECK_INFO, settable ? fix : NULL,
		    "flag %s on this directory%s", flag,
		    p->flag == SDX_YES ? "; new files in it inherit it" : "");
	else if (p->state.flags & SDX_STATE_ACTIVE)
		set(c, CHECK_INFO, NULL,
		    "flag set: write faults on shared mappings of this file are synchronous now");
	else
		set(c, CHECK_INFO, settable ? fix : NULL,
		    "flag %s on this file: write faults are not synchronous now",
		    flag);
}

static void print_item(const struct check_item *c)
{
	printf("  %-12s %-7s %s\n", c->name,
	       c->result == CHECK_FAIL ? "FAIL" : check_result_str(c->result),
	       c->detail);
	if (c->fix[0] && c->result == CHECK_FAIL)
		printf("  %-12s %-7s %s\n", "", "fix:", c->fix);
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		OPT_JSON, OPT_HELP, OPT_END,
	};
	static const char *const names[CK_COUNT] = {
		[CK_KERNEL] = "kernel", [CK_FS] = "filesystem",
		[CK_MOUNT] = "mount", [CK_DEVICE] = "device",
		[CK_NAMESPACE] = "namespace", [CK_SYNC] = "synchronous",
		[CK_CPU] = "cpu_flush", [CK_FLAG] = "flag",
	};
	const char *cmd = argv[0];
	struct check_item items[CK_COUNT];
	struct common_opts opts;
	struct sdx_probe *p;
	const char *path = ".";
	unsigned int problems = 0;
	struct stat st;
	bool is_dir;
	int c, rc, i;

	common_opts_init(&opts);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "Jh", longopts, NULL)) != -1) {
		if (parse_common_opt(c, &opts))
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
		path = argv[optind];

	/* struct sdx_probe holds several PATH_MAX strings: not on the stack. */
	p = calloc(1, sizeof(*p));
	if (!p) {
		report_error(cmd, path, ENOMEM, NULL);
		return EXIT_SOME_FAILED;
	}
	rc = sdx_probe_path(path, p);
	if (rc == 0 && stat(path, &st) < 0)
		rc = -errno;
	if (rc < 0) {
		report_sdx_error(cmd, path, rc);
		if (opts.json)
			json_print(json_path_error(path, -rc,
						   sdx_explanation(rc)));
		free(p);
		return EXIT_SOME_FAILED;
	}
	is_dir = S_ISDIR(st.st_mode);

	memset(items, 0, sizeof(items));
	for (i = 0; i < CK_COUNT; i++)
		items[i].name = names[i];
	check_kernel(p, &items[CK_KERNEL]);
	check_fs(p, &items[CK_FS]);
	check_mount(p, is_dir, &items[CK_MOUNT]);
	check_device(p, &items[CK_DEVICE]);
	check_namespace(p, &items[CK_NAMESPACE]);
	check_sync(p, &items[CK_SYNC]);
	check_cpu(p, &items[CK_CPU]);
	check_flag(p, path, is_dir, &items[CK_FLAG]);
	for (i = 0; i < CK_COUNT; i++)
		problems += items[i].result == CHECK_FAIL;

	if (opts.json) {
		if (json_print(json_check(path, p, items, CK_COUNT,
					  problems == 0)) < 0)
			problems++;
	} else {
		printf("%s:\n", path);
		for (i = 0; i < CK_COUNT; i++)
			print_item(&items[i]);
		if (problems)
			printf("Synchronous page faults cannot work here: %u problem%s.\n",
			       problems, problems == 1 ? "" : "s");
		else
			printf("Synchronous page faults can work here.\n");
	}
	free(p);
	return problems ? EXIT_SOME_FAILED : EXIT_ALL_OK;
}
