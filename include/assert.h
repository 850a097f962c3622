/*
 * Assertions.  ASSERT is always on; DEBUG_ASSERT only in debug builds
 * (-DKERNEL_DEBUG).  A failed assertion panics with file, line and text.
 */
#ifndef INCLUDE_ASSERT_H
#define INCLUDE_ASSERT_H

#include "lib/panic.h"

#define ASSERT(cond)                                                       \
	do {                                                               \
		if (unlikely(!(cond)))                                     \
			panic("assertion failed at %s:%d: %s", __FILE__,   \
			      __LINE__, #cond);                            \
	} while (0)

#ifdef KERNEL_DEBUG
#define DEBUG_ASSERT(cond) ASSERT(cond)
#else
#define DEBUG_ASSERT(cond) ((void)0)
#endif

#endif
