/*
 * Installed setuid-root in the probe image (mode 4755, owner 0:0). Prints the ids it runs with
 * and whether setuid(0) works. Without no-new-privileges, a non-root caller gets euid 0 here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  uid_t ruid, euid, suid;
  getresuid(&ruid, &euid, &suid);
  int r = setuid(0);
  int err = errno;
  uid_t after_ruid, after_euid, after_suid;
  getresuid(&after_ruid, &after_euid, &after_suid);
  printf("SUID ruid=%u euid=%u suid=%u setuid0=%s%s%s after_uid=%u after_euid=%u\n",
         (unsigned)ruid, (unsigned)euid, (unsigned)suid, r == 0 ? "ok" : "failed",
         r == 0 ? "" : ":", r == 0 ? "" : strerror(err), (unsigned)after_ruid,
         (unsigned)after_euid);
  return euid == 0 ? 0 : 1;
}
