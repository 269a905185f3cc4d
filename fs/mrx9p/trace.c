// SPDX-License-Identifier: GPL-2.0
/* The tracepoints of fs/mrx9p/trace.h, defined once. */
#include "mrx9p.h"
#define CREATE_TRACE_POINTS
#include "trace.h"
