/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-ins for the few kernel headers fs/mrx9p/wire.h uses
 * (<linux/types.h>, <linux/errno.h>, <linux/string.h>), so that wire.c
 * builds with an ordinary C compiler for tests/fuzz/.  Nothing here is
 * kernel-specific: fixed-width types, bool, size_t, errno values, memcpy
 * and strlen come from the C library.
 */
#ifndef _MRX9P_WIRE_USER_H
#define _MRX9P_WIRE_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#endif /* _MRX9P_WIRE_USER_H */
