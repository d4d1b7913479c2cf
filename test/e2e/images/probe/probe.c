/*
 * Attack probe for the end-to-end battery. Each subcommand makes one escape or abuse attempt with
 * raw system calls and prints one line:
 *   RESULT <attempt> succeeded <detail>     exit 0: the attempt worked
 *   RESULT <attempt> blocked <detail>       exit 1: the kernel refused it (errno in the detail)
 * Exit 2 is a usage or setup error (neither outcome). Built with `gcc -static`, so it runs in a
 * FROM scratch image.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int succeeded(const char *attempt, const char *detail) {
  printf("RESULT %s succeeded %s\n", attempt, detail);
  fflush(stdout);
  return 0;
}

static int blocked(const char *attempt, const char *what, int err) {
  printf("RESULT %s blocked %s: errno=%d (%s)\n", attempt, what, err, strerror(err));
  fflush(stdout);
  return 1;
}

static int setup_error(const char *attempt, const char *what, int err) {
  printf("SETUP-ERROR %s %s: errno=%d (%s)\n", attempt, what, err, strerror(err));
  fflush(stdout);
  return 2;
}

/* 1. Write a file on the root filesystem. */
static int write_root(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return blocked("write-root", path, errno);
  if (write(fd, "pwned\n", 6) != 6) {
    int err = errno;
    close(fd);
    return blocked("write-root", "write", err);
  }
  close(fd);
  unlink(path);
  char detail[256];
  snprintf(detail, sizeof detail, "created and wrote %s", path);
  return succeeded("write-root", detail);
}

/*
 * 2. Fork until `target` processes exist or fork fails. The children wait for SIGKILL. After the
 * count is printed the parent holds them for `hold` seconds (so the host can be checked while
 * they exist), then kills and reaps every one of them.
 */
static int fork_bomb(long target, long hold) {
  pid_t *children = calloc((size_t)target, sizeof(pid_t));
  if (!children) return setup_error("fork", "calloc", errno);
  long count = 0;
  int err = 0;
  while (count < target) {
    pid_t pid = fork();
    if (pid < 0) {
      err = errno;
      break;
    }
    if (pid == 0) {
      for (;;) pause();
    }
    children[count++] = pid;
  }
  if (err) {
    printf("REACHED %ld of %ld, fork failed: errno=%d (%s)\n", count, target, err, strerror(err));
  } else {
    printf("REACHED %ld of %ld\n", count, target);
  }
  fflush(stdout);
  if (hold > 0) sleep((unsigned)hold);
  for (long i = 0; i < count; i++) kill(children[i], SIGKILL);
  for (long i = 0; i < count; i++) waitpid(children[i], NULL, 0);
  char detail[256];
  if (err) {
    snprintf(detail, sizeof detail, "after %ld processes", count);
    return blocked("fork", detail, err);
  }
  snprintf(detail, sizeof detail, "%ld processes forked (all reaped)", count);
  return succeeded("fork", detail);
}

/* 3. Allocate and touch `mib` MiB. Under a memory limit without swap the OOM killer ends us. */
static int alloc(long mib) {
  const size_t chunk = 16u << 20;
  long touched = 0;
  while (touched < mib) {
    char *p = malloc(chunk);
    if (!p) return blocked("alloc", "malloc", errno ? errno : ENOMEM);
    memset(p, 0xA5, chunk);
    touched += 16;
  }
  char detail[128];
  snprintf(detail, sizeof detail, "allocated and touched %ld MiB", touched);
  return succeeded("alloc", detail);
}

/* 4. Open a raw ICMP socket (CAP_NET_RAW). */
static int raw_socket(void) {
  int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  if (fd < 0) return blocked("raw-socket", "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)", errno);
  close(fd);
  return succeeded("raw-socket", "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) opened");
}

/* 5. Give a file away with chown (CAP_CHOWN), then become uid 0 with setuid(0). */
static int chown_setuid(void) {
  const char *path = "/tmp/probe-chown";
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return setup_error("chown-setuid", "create /tmp/probe-chown", errno);
  close(fd);
  uid_t other = getuid() == 4242 ? 4243 : 4242;
  if (chown(path, other, other) != 0) {
    int err = errno;
    unlink(path);
    return blocked("chown-setuid", "chown to another uid", err);
  }
  if (chown(path, 0, 0) != 0) {
    int err = errno;
    unlink(path);
    return blocked("chown-setuid", "chown to 0:0", err);
  }
  unlink(path);
  if (setuid(0) != 0) return blocked("chown-setuid", "setuid(0)", errno);
  char detail[128];
  snprintf(detail, sizeof detail, "chown to %u and to 0:0 worked, setuid(0) worked (uid=%u euid=%u)",
           (unsigned)other, (unsigned)getuid(), (unsigned)geteuid());
  return succeeded("chown-setuid", detail);
}

/* 7. Mount a tmpfs (CAP_SYS_ADMIN, and the mount syscall). */
static int mount_tmpfs(void) {
  const char *dir = "/tmp/probe-mnt";
  if (mkdir(dir, 0700) != 0 && errno != EEXIST) return setup_error("mount", "mkdir", errno);
  if (mount("probe", dir, "tmpfs", 0, "size=1m") != 0) {
    int err = errno;
    rmdir(dir);
    return blocked("mount", "mount(tmpfs)", err);
  }
  umount2(dir, MNT_DETACH);
  rmdir(dir);
  return succeeded("mount", "mounted a tmpfs on /tmp/probe-mnt");
}

/* 8. Create new namespaces: a user namespace, then a network and mount namespace. */
static int new_namespaces(void) {
  if (unshare(CLONE_NEWUSER) != 0) {
    int user_err = errno;
    /* Root with CAP_SYS_ADMIN can create the others without a user namespace. */
    if (unshare(CLONE_NEWNET | CLONE_NEWNS) != 0) {
      return blocked("namespaces", "unshare(CLONE_NEWUSER) and unshare(CLONE_NEWNET|CLONE_NEWNS)",
                     errno ? errno : user_err);
    }
    return succeeded("namespaces", "unshare(CLONE_NEWNET|CLONE_NEWNS) worked (CLONE_NEWUSER refused)");
  }
  if (unshare(CLONE_NEWNET | CLONE_NEWNS) != 0) {
    return blocked("namespaces", "unshare(CLONE_NEWNET|CLONE_NEWNS) in the new user namespace", errno);
  }
  return succeeded("namespaces", "unshare(CLONE_NEWUSER) then unshare(CLONE_NEWNET|CLONE_NEWNS) worked");
}

/* 9. One raw syscall by name; reports the errno the kernel (or seccomp) returned. */
static int one_syscall(const char *name) {
  char attempt[64];
  snprintf(attempt, sizeof attempt, "syscall:%s", name);
  long r;
  errno = 0;
  if (strcmp(name, "ptrace") == 0) {
    /* Trace a child of our own: needs no capability, only the syscall. */
    pid_t child = fork();
    if (child < 0) return setup_error(attempt, "fork", errno);
    if (child == 0) {
      for (;;) pause();
    }
    r = ptrace(PTRACE_ATTACH, child, 0, 0);
    int err = errno;
    if (r == 0) waitpid(child, NULL, 0);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    if (r != 0) return blocked(attempt, "ptrace(PTRACE_ATTACH, own child)", err);
    return succeeded(attempt, "ptrace(PTRACE_ATTACH) on its own child worked");
  }
  if (strcmp(name, "keyctl") == 0) {
    r = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* KEY_SPEC_SESSION_KEYRING */, 1);
    if (r < 0) return blocked(attempt, "keyctl(KEYCTL_GET_KEYRING_ID)", errno);
    return succeeded(attempt, "keyctl(KEYCTL_GET_KEYRING_ID) worked");
  }
  if (strcmp(name, "add_key") == 0) {
    r = syscall(SYS_add_key, "user", "probe", "x", 1, -3 /* KEY_SPEC_SESSION_KEYRING */);
    if (r < 0) return blocked(attempt, "add_key(user)", errno);
    return succeeded(attempt, "add_key(user) worked");
  }
  if (strcmp(name, "bpf") == 0) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.map_type = BPF_MAP_TYPE_ARRAY;
    attr.key_size = 4;
    attr.value_size = 4;
    attr.max_entries = 1;
    r = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
    if (r < 0) return blocked(attempt, "bpf(BPF_MAP_CREATE)", errno);
    close((int)r);
    return succeeded(attempt, "bpf(BPF_MAP_CREATE) worked");
  }
  if (strcmp(name, "process_vm_readv") == 0) {
    char src[8] = "probe", dst[8] = {0};
    struct iovec local = {dst, sizeof dst}, remote = {src, sizeof src};
    r = syscall(SYS_process_vm_readv, getpid(), &local, 1, &remote, 1, 0);
    if (r < 0) return blocked(attempt, "process_vm_readv(self)", errno);
    return succeeded(attempt, "process_vm_readv on itself worked");
  }
  if (strcmp(name, "personality") == 0) {
    r = syscall(SYS_personality, 0x0040000 /* ADDR_NO_RANDOMIZE */);
    if (r < 0) return blocked(attempt, "personality(ADDR_NO_RANDOMIZE)", errno);
    return succeeded(attempt, "personality(ADDR_NO_RANDOMIZE) worked");
  }
  if (strcmp(name, "userfaultfd") == 0) {
    r = syscall(SYS_userfaultfd, O_CLOEXEC | 1 /* UFFD_USER_MODE_ONLY */);
    if (r < 0) return blocked(attempt, "userfaultfd(UFFD_USER_MODE_ONLY)", errno);
    close((int)r);
    return succeeded(attempt, "userfaultfd worked");
  }
  if (strcmp(name, "io_uring_setup") == 0) {
    char params[120];
    memset(params, 0, sizeof params);
    r = syscall(SYS_io_uring_setup, 1, params);
    if (r < 0) return blocked(attempt, "io_uring_setup(1)", errno);
    close((int)r);
    return succeeded(attempt, "io_uring_setup worked");
  }
  if (strcmp(name, "unshare") == 0) {
    r = syscall(SYS_unshare, CLONE_NEWUSER);
    if (r < 0) return blocked(attempt, "unshare(CLONE_NEWUSER)", errno);
    return succeeded(attempt, "unshare(CLONE_NEWUSER) worked");
  }
  if (strcmp(name, "mount") == 0) {
    return mount_tmpfs();
  }
  if (strcmp(name, "kcmp") == 0) {
    r = syscall(SYS_kcmp, getpid(), getpid(), 0 /* KCMP_FILE */, 0, 0);
    if (r < 0) return blocked(attempt, "kcmp(self, self)", errno);
    return succeeded(attempt, "kcmp worked");
  }
  if (strcmp(name, "perf_event_open") == 0) {
    unsigned char attr[128];
    memset(attr, 0, sizeof attr);
    *(unsigned int *)attr = 1;                     /* PERF_TYPE_SOFTWARE */
    *(unsigned int *)(attr + 4) = sizeof attr;     /* size */
    *(unsigned long long *)(attr + 8) = 0;         /* PERF_COUNT_SW_CPU_CLOCK */
    *(unsigned long long *)(attr + 40) = 1ull << 5 | 1ull << 6; /* exclude_kernel|exclude_hv */
    r = syscall(SYS_perf_event_open, attr, 0, -1, -1, 0);
    if (r < 0) return blocked(attempt, "perf_event_open(self, sw clock)", errno);
    close((int)r);
    return succeeded(attempt, "perf_event_open worked");
  }
  if (strcmp(name, "setns") == 0) {
    int fd = open("/proc/self/ns/net", O_RDONLY);
    if (fd < 0) return setup_error(attempt, "open /proc/self/ns/net", errno);
    r = syscall(SYS_setns, fd, CLONE_NEWNET);
    int err = errno;
    close(fd);
    if (r < 0) return blocked(attempt, "setns(own net ns)", err);
    return succeeded(attempt, "setns worked");
  }
  if (strcmp(name, "acct") == 0) {
    r = syscall(SYS_acct, NULL);
    if (r < 0) return blocked(attempt, "acct(NULL)", errno);
    return succeeded(attempt, "acct(NULL) worked");
  }
  if (strcmp(name, "name_to_handle_at") == 0) {
    char handle[8 + 128];
    int mount_id;
    memset(handle, 0, sizeof handle);
    *(unsigned int *)handle = 128;
    r = syscall(SYS_name_to_handle_at, AT_FDCWD, "/", handle, &mount_id, 0);
    if (r < 0) return blocked(attempt, "name_to_handle_at(/)", errno);
    return succeeded(attempt, "name_to_handle_at worked");
  }
  return setup_error(attempt, "unknown syscall name", EINVAL);
}

/* 10. Execute a file written to /tmp (noexec in the hardened container). */
static int exec_tmp(void) {
  const char *path = "/tmp/probe-exec";
  int in = open("/proc/self/exe", O_RDONLY);
  if (in < 0) return setup_error("exec-tmp", "open /proc/self/exe", errno);
  int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  if (out < 0) {
    int err = errno;
    close(in);
    return setup_error("exec-tmp", "create /tmp/probe-exec", err);
  }
  char buf[65536];
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0) {
    if (write(out, buf, (size_t)n) != n) {
      int err = errno;
      close(in);
      close(out);
      return setup_error("exec-tmp", "write /tmp/probe-exec", err);
    }
  }
  close(in);
  close(out);
  pid_t child = fork();
  if (child < 0) return setup_error("exec-tmp", "fork", errno);
  if (child == 0) {
    char *argv[] = {(char *)path, (char *)"hello", NULL};
    execv(path, argv);
    _exit(100 + errno);
  }
  int status = 0;
  waitpid(child, &status, 0);
  unlink(path);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    return succeeded("exec-tmp", "executed /tmp/probe-exec (a copy of the probe written at run time)");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) >= 100) {
    return blocked("exec-tmp", "execve(/tmp/probe-exec)", WEXITSTATUS(status) - 100);
  }
  return setup_error("exec-tmp", "the copy ran but failed", 0);
}

/* 11. Listen on TCP port 80 (below 1024). */
static int bind_low_port(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return setup_error("bind-low-port", "socket", errno);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  char what[64];
  snprintf(what, sizeof what, "bind(0.0.0.0:%d)", port);
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    int err = errno;
    close(fd);
    return blocked("bind-low-port", what, err);
  }
  if (listen(fd, 1) != 0) {
    int err = errno;
    close(fd);
    return blocked("bind-low-port", "listen", err);
  }
  close(fd);
  char detail[96];
  snprintf(detail, sizeof detail, "listening on 0.0.0.0:%d", port);
  return succeeded("bind-low-port", detail);
}

/* 12. Create a character device node (CAP_MKNOD): /dev/mem's numbers. */
static int make_node(void) {
  const char *path = "/tmp/probe-mem";
  unlink(path);
  if (mknod(path, S_IFCHR | 0600, makedev(1, 1)) != 0) return blocked("mknod", "mknod c 1 1", errno);
  unlink(path);
  return succeeded("mknod", "created character device 1:1 at /tmp/probe-mem");
}

/* 13. Talk to the Docker Engine through its socket. */
static int docker_socket(const char *path) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return setup_error("docker-socket", "socket(AF_UNIX)", errno);
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    int err = errno;
    close(fd);
    return blocked("docker-socket", path, err);
  }
  const char *request = "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n";
  if (write(fd, request, strlen(request)) < 0) {
    int err = errno;
    close(fd);
    return blocked("docker-socket", "write request", err);
  }
  char response[512];
  ssize_t n = read(fd, response, sizeof response - 1);
  close(fd);
  if (n <= 0) return blocked("docker-socket", "read response", n < 0 ? errno : ECONNRESET);
  response[n] = 0;
  char *eol = strstr(response, "\r\n");
  if (eol) *eol = 0;
  char detail[160];
  snprintf(detail, sizeof detail, "the Engine answered GET /_ping with \"%.80s\"", response);
  if (strstr(response, " 200 ") == NULL) return blocked("docker-socket", detail, EACCES);
  return succeeded("docker-socket", detail);
}

/*
 * 14. Spin `workers` processes for `millis` wall-clock milliseconds and report the CPU time they
 * got relative to wall time (1.0 = one full CPU).
 */
static int cpu_burn(int workers, long millis) {
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (int i = 0; i < workers; i++) {
    pid_t pid = fork();
    if (pid < 0) return setup_error("cpu", "fork", errno);
    if (pid == 0) {
      volatile unsigned long spin = 0;
      for (;;) {
        for (int k = 0; k < 100000; k++) spin++;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (elapsed >= millis) _exit(0);
      }
    }
  }
  for (int i = 0; i < workers; i++) wait(NULL);
  clock_gettime(CLOCK_MONOTONIC, &now);
  double wall = (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
  struct rusage usage;
  getrusage(RUSAGE_CHILDREN, &usage);
  double cpu = (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 +
               (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
  printf("CPU workers=%d wall=%.3f cpu=%.3f ratio=%.3f\n", workers, wall, cpu, cpu / wall);
  fflush(stdout);
  return 0;
}

static int usage(void) {
  fprintf(stderr,
          "usage: probe write-root PATH | fork TARGET HOLD_SECONDS | alloc MIB | raw-socket |\n"
          "       chown-setuid | mount | namespaces | syscall NAME | exec-tmp | bind-low-port PORT |\n"
          "       mknod | docker-socket PATH | cpu WORKERS MILLIS | hello\n");
  return 2;
}

int main(int argc, char **argv) {
  if (argc < 2) return usage();
  const char *cmd = argv[1];
  if (strcmp(cmd, "hello") == 0) return 0;
  if (strcmp(cmd, "write-root") == 0 && argc == 3) return write_root(argv[2]);
  if (strcmp(cmd, "fork") == 0 && argc == 4) return fork_bomb(atol(argv[2]), atol(argv[3]));
  if (strcmp(cmd, "alloc") == 0 && argc == 3) return alloc(atol(argv[2]));
  if (strcmp(cmd, "raw-socket") == 0) return raw_socket();
  if (strcmp(cmd, "chown-setuid") == 0) return chown_setuid();
  if (strcmp(cmd, "mount") == 0) return mount_tmpfs();
  if (strcmp(cmd, "namespaces") == 0) return new_namespaces();
  if (strcmp(cmd, "syscall") == 0 && argc == 3) return one_syscall(argv[2]);
  if (strcmp(cmd, "exec-tmp") == 0) return exec_tmp();
  if (strcmp(cmd, "bind-low-port") == 0 && argc == 3) return bind_low_port(atoi(argv[2]));
  if (strcmp(cmd, "mknod") == 0) return make_node();
  if (strcmp(cmd, "docker-socket") == 0 && argc == 3) return docker_socket(argv[2]);
  if (strcmp(cmd, "cpu") == 0 && argc == 4) return cpu_burn(atoi(argv[2]), atol(argv[3]));
  return usage();
}
