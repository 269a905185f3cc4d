// SPDX-License-Identifier: GPL-2.0
/* The tracepoints of fs/rdbss/trace.h, defined once. */
#include "internal.h"
#define CREATE_TRACE_POINTS
#include "trace.h"
