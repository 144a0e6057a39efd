/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xorshift.h - the seeded pseudo-random sequence of the crash tests: the
 * same seed gives the same run, so a failure can be replayed.  Each program
 * seeds rng itself; it must not be 0.
 */
#ifndef SYNCDAX_XORSHIFT_H
#define SYNCDAX_XORSHIFT_H

#include <stdint.h>

static uint64_t rng;

static inline uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#endif /* SYNCDAX_XORSHIFT_H */
