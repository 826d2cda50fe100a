// Linux calls that Swift's Glibc module does not expose (they need _GNU_SOURCE).
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

// Atomically swaps two paths (both must exist): renameat2(2) with RENAME_EXCHANGE.
// Returns 0, or -1 with errno set (EINVAL or ENOSYS where the filesystem cannot).
static inline int cplatform_exchange(const char *a, const char *b) {
#ifdef RENAME_EXCHANGE
  return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
  errno = ENOSYS;
  return -1;
#endif
}
