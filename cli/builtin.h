/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * builtin.h - the sub-commands of syncdaxctl
 *
 * Each takes argc/argv with argv[0] set to the command's name and the
 * library context main() made for the run (as ndctl's commands take their
 * ndctl_ctx), and returns the process exit status (see util.h).
 */
#ifndef SYNCDAXCTL_BUILTIN_H
#define SYNCDAXCTL_BUILTIN_H

struct sdx_ctx;

int cmd_enable(int argc, char **argv, struct sdx_ctx *ctx);
int cmd_disable(int argc, char **argv, struct sdx_ctx *ctx);
int cmd_status(int argc, char **argv, struct sdx_ctx *ctx);
int cmd_check(int argc, char **argv, struct sdx_ctx *ctx);

#endif /* SYNCDAXCTL_BUILTIN_H */
