// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * version.c - sdx_version(): the project's VERSION file, passed in by the
 * Makefile; the public header's numbers must say the same.
 */
#include "private.h"

#ifndef SDX_BUILD_VERSION
#error "build with the Makefile: it passes SDX_BUILD_VERSION from ../VERSION"
#endif

_Static_assert(SDX_VERSION_MAJOR == SDX_BUILD_MAJOR &&
	       SDX_VERSION_MINOR == SDX_BUILD_MINOR &&
	       SDX_VERSION_PATCH == SDX_BUILD_PATCH,
	       "SDX_VERSION_* in include/syncdax.h disagree with the VERSION file");

const char *sdx_version(void)
{
	return SDX_BUILD_VERSION;
}
