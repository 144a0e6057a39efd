/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * builtin.h - the sub-commands of syncdaxctl
 *
 * Each takes argc/argv with argv[0] set to the command's name and returns
 * the process exit status (see util.h).
 */
#ifndef SYNCDAXCTL_BUILTIN_H
#define SYNCDAXCTL_BUILTIN_H

int cmd_enable(int argc, char **argv);
int cmd_disable(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_bench(int argc, char **argv);

#endif /* SYNCDAXCTL_BUILTIN_H */
