/*
 * fsx: the Linux calls Node's fs lacks, for the File daemon's exact backups and safe
 * restores. Every call but createFiles is synchronous and thin: arguments in, one system
 * call, the result or a thrown Error carrying Node's shape (code = errno name, errno,
 * syscall), so JS code handles it like any fs error. Names are Buffers (raw bytes, no NUL).
 *
 * xattr calls take (dirfd, name): with an empty name they act on dirfd itself
 * (f*xattr); otherwise on "/proc/self/fd/<dirfd>/<name>" with l*xattr, which resolves
 * the directory through its descriptor and does not follow a final symlink, so long
 * paths and symlinks (trusted./security. xattrs) both work. With AT_FDCWD, name is a
 * whole path (below 4096 bytes).
 */
#include <node_api.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <unistd.h>

#define MAX_ARGS 8
/* Linux limits: a name is at most NAME_MAX bytes, an xattr value at most 64 KiB. */
#define XATTR_VALUE_MAX 65536
#define XATTR_LIST_MAX 65536

typedef struct {
  napi_env env;
  napi_value argv[MAX_ARGS];
  size_t argc;
  int failed;
} Call;

/* An Error in Node's shape: message "syscall: strerror", code = errno name, errno < 0, syscall. */
static napi_value errno_error(napi_env env, const char *syscall, int err) {
  const char *name = strerrorname_np(err);
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", syscall, strerror(err));
  napi_value code, message, error, num, sc;
  napi_create_string_utf8(env, name ? name : "EUNKNOWN", NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, code, message, &error);
  napi_create_int32(env, -err, &num);
  napi_set_named_property(env, error, "errno", num);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &sc);
  napi_set_named_property(env, error, "syscall", sc);
  return error;
}

static napi_value throw_errno(napi_env env, const char *syscall, int err) {
  napi_throw(env, errno_error(env, syscall, err));
  return NULL;
}

static void type_error(Call *c, const char *what) {
  if (!c->failed) napi_throw_type_error(c->env, NULL, what);
  c->failed = 1;
}

static int64_t arg_int(Call *c, size_t i) {
  int64_t v = 0;
  if (i >= c->argc || napi_get_value_int64(c->env, c->argv[i], &v) != napi_ok) type_error(c, "fsx: expected a number argument");
  return v;
}

/* A Buffer argument copied into `out` as a NUL-terminated string; refuses embedded NULs. */
static void arg_bytes(Call *c, size_t i, char *out, size_t cap) {
  void *data = NULL;
  size_t len = 0;
  bool is_buffer = false;
  if (i < c->argc) napi_is_buffer(c->env, c->argv[i], &is_buffer);
  if (!is_buffer || napi_get_buffer_info(c->env, c->argv[i], &data, &len) != napi_ok) {
    type_error(c, "fsx: expected a Buffer argument");
    return;
  }
  if (len >= cap || memchr(data, 0, len) != NULL) {
    type_error(c, "fsx: name too long or holding a NUL byte");
    return;
  }
  memcpy(out, data, len);
  out[len] = 0;
}

static Call args(napi_env env, napi_callback_info info) {
  Call c = {.env = env, .argc = MAX_ARGS, .failed = 0};
  napi_get_cb_info(env, info, &c.argc, c.argv, NULL, NULL);
  return c;
}

static napi_value num(napi_env env, double v) {
  napi_value r;
  napi_create_double(env, v, &r);
  return r;
}

static napi_value undef(napi_env env) {
  napi_value r;
  napi_get_undefined(env, &r);
  return r;
}

#define NAME_CAP (PATH_MAX + 1)
#define CHECK(c) do { if ((c).failed) return NULL; } while (0)

static napi_value f_openat(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char name[NAME_CAP];
  int dirfd = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, name, sizeof name);
  int flags = (int)arg_int(&c, 2);
  mode_t mode = (mode_t)arg_int(&c, 3);
  CHECK(c);
  int fd = openat(dirfd, name, flags | O_CLOEXEC, mode);
  return fd < 0 ? throw_errno(env, "openat", errno) : num(env, fd);
}

static napi_value f_mkdirat(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char name[NAME_CAP];
  int dirfd = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, name, sizeof name);
  mode_t mode = (mode_t)arg_int(&c, 2);
  CHECK(c);
  return mkdirat(dirfd, name, mode) < 0 ? throw_errno(env, "mkdirat", errno) : undef(env);
}

static napi_value f_symlinkat(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char target[NAME_CAP], name[NAME_CAP];
  arg_bytes(&c, 0, target, sizeof target);
  int dirfd = (int)arg_int(&c, 1);
  arg_bytes(&c, 2, name, sizeof name);
  CHECK(c);
  return symlinkat(target, dirfd, name) < 0 ? throw_errno(env, "symlinkat", errno) : undef(env);
}

static napi_value f_linkat(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char oldname[NAME_CAP], newname[NAME_CAP];
  int olddir = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, oldname, sizeof oldname);
  int newdir = (int)arg_int(&c, 2);
  arg_bytes(&c, 3, newname, sizeof newname);
  int flags = (int)arg_int(&c, 4);
  CHECK(c);
  return linkat(olddir, oldname, newdir, newname, flags) < 0 ? throw_errno(env, "linkat", errno) : undef(env);
}

static napi_value f_mknodat(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char name[NAME_CAP];
  int dirfd = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, name, sizeof name);
  mode_t mode = (mode_t)arg_int(&c, 2);
  unsigned major_ = (unsigned)arg_int(&c, 3), minor_ = (unsigned)arg_int(&c, 4);
  CHECK(c);
  return mknodat(dirfd, name, mode, makedev(major_, minor_)) < 0 ? throw_errno(env, "mknodat", errno) : undef(env);
}

static napi_value f_readlinkat(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char name[NAME_CAP], target[PATH_MAX + 1];
  int dirfd = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, name, sizeof name);
  CHECK(c);
  ssize_t n = readlinkat(dirfd, name, target, sizeof target);
  if (n < 0) return throw_errno(env, "readlinkat", errno);
  if ((size_t)n >= sizeof target) return throw_errno(env, "readlinkat", ENAMETOOLONG);
  napi_value r;
  napi_create_buffer_copy(env, (size_t)n, target, NULL, &r);
  return r;
}

/* [dev, ino, mode, nlink, uid, gid, rdev_major, rdev_minor, size, blocks, atime s, ns, mtime s, ns, ctime s, ns] as BigInts. */
static napi_value f_fstatat(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char name[NAME_CAP];
  int dirfd = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, name, sizeof name);
  int flags = (int)arg_int(&c, 2);
  /* Optional 4th argument missing_ok: a name that does not exist gives null instead of a
   * thrown ENOENT. A restore asks "is anything there?" of every file it writes, and the
   * answer is usually no: building and throwing an Error each time cost a restore of many
   * small files about a tenth of its File daemon's CPU. */
  int missing_ok = c.argc > 3 ? (int)arg_int(&c, 3) : 0;
  CHECK(c);
  struct stat st;
  if (fstatat(dirfd, name, &st, flags | (name[0] == 0 ? AT_EMPTY_PATH : 0)) < 0) {
    if (missing_ok && errno == ENOENT) {
      napi_value null_value;
      napi_get_null(env, &null_value);
      return null_value;
    }
    return throw_errno(env, "fstatat", errno);
  }
  int64_t v[16] = {(int64_t)st.st_dev, (int64_t)st.st_ino, st.st_mode, (int64_t)st.st_nlink, st.st_uid, st.st_gid,
                   major(st.st_rdev), minor(st.st_rdev), st.st_size, st.st_blocks,
                   st.st_atim.tv_sec, st.st_atim.tv_nsec, st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                   st.st_ctim.tv_sec, st.st_ctim.tv_nsec};
  napi_value arr;
  napi_create_array_with_length(env, 16, &arr);
  for (uint32_t i = 0; i < 16; i++) {
    napi_value b;
    /* dev and ino are unsigned 64-bit; the rest fit int64 (times may be negative). */
    if (i < 2) napi_create_bigint_uint64(env, (uint64_t)v[i], &b);
    else napi_create_bigint_int64(env, v[i], &b);
    napi_set_element(env, arr, i, b);
  }
  return arr;
}

static napi_value f_fchownat(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char name[NAME_CAP];
  int dirfd = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, name, sizeof name);
  uid_t uid = (uid_t)arg_int(&c, 2);
  gid_t gid = (gid_t)arg_int(&c, 3);
  int flags = (int)arg_int(&c, 4);
  CHECK(c);
  if (fchownat(dirfd, name, uid, gid, flags | (name[0] == 0 ? AT_EMPTY_PATH : 0)) < 0) return throw_errno(env, "fchownat", errno);
  return undef(env);
}

/* With an empty name: fchmod(dirfd). glibc's fchmodat(AT_SYMLINK_NOFOLLOW) refuses symlinks, never follows them. */
static napi_value f_fchmodat(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char name[NAME_CAP];
  int dirfd = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, name, sizeof name);
  mode_t mode = (mode_t)arg_int(&c, 2);
  CHECK(c);
  int r = name[0] == 0 ? fchmod(dirfd, mode) : fchmodat(dirfd, name, mode, AT_SYMLINK_NOFOLLOW);
  return r < 0 ? throw_errno(env, "fchmodat", errno) : undef(env);
}

/* utimensat(dirfd, name, atime s, ns, mtime s, ns, flags); empty name: futimens(dirfd). Nanoseconds, any sign of seconds. */
static napi_value f_utimensat(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char name[NAME_CAP];
  int dirfd = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, name, sizeof name);
  struct timespec ts[2] = {{.tv_sec = arg_int(&c, 2), .tv_nsec = arg_int(&c, 3)},
                           {.tv_sec = arg_int(&c, 4), .tv_nsec = arg_int(&c, 5)}};
  int flags = (int)arg_int(&c, 6);
  CHECK(c);
  int r = name[0] == 0 ? futimens(dirfd, ts) : utimensat(dirfd, name, ts, flags);
  return r < 0 ? throw_errno(env, "utimensat", errno) : undef(env);
}

static napi_value f_renameat(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char oldname[NAME_CAP], newname[NAME_CAP];
  int olddir = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, oldname, sizeof oldname);
  int newdir = (int)arg_int(&c, 2);
  arg_bytes(&c, 3, newname, sizeof newname);
  CHECK(c);
  return renameat(olddir, oldname, newdir, newname) < 0 ? throw_errno(env, "renameat", errno) : undef(env);
}

static napi_value f_unlinkat(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char name[NAME_CAP];
  int dirfd = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, name, sizeof name);
  int flags = (int)arg_int(&c, 2);
  CHECK(c);
  return unlinkat(dirfd, name, flags) < 0 ? throw_errno(env, "unlinkat", errno) : undef(env);
}

/* The names in the directory open as `dirfd` (without . and ..), read through a fresh descriptor so dirfd's offset is untouched. */
static napi_value f_readdir(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  int dirfd = (int)arg_int(&c, 0);
  CHECK(c);
  int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOATIME);
  if (fd < 0 && errno == EPERM) fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return throw_errno(env, "openat", errno);
  DIR *d = fdopendir(fd);
  if (d == NULL) {
    int e = errno;
    close(fd);
    return throw_errno(env, "fdopendir", e);
  }
  napi_value arr;
  napi_create_array(env, &arr);
  uint32_t n = 0;
  for (;;) {
    errno = 0;
    struct dirent *e = readdir(d);
    if (e == NULL) break;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    napi_value b;
    napi_create_buffer_copy(env, strlen(e->d_name), e->d_name, NULL, &b);
    napi_set_element(env, arr, n++, b);
  }
  int err = errno;
  closedir(d);
  return err != 0 ? throw_errno(env, "readdir", err) : arr;
}

/* "/proc/self/fd/<dirfd>/<name>" for the l*xattr calls; see the file comment. */
static void xattr_path(char *out, size_t cap, int dirfd, const char *name) {
  if (dirfd == AT_FDCWD) snprintf(out, cap, "%s", name);
  else snprintf(out, cap, "/proc/self/fd/%d/%s", dirfd, name);
}

static napi_value f_listxattr(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char name[NAME_CAP], path[NAME_CAP + 64];
  int dirfd = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, name, sizeof name);
  CHECK(c);
  char *list = malloc(XATTR_LIST_MAX);
  if (list == NULL) return throw_errno(env, "listxattr", ENOMEM);
  xattr_path(path, sizeof path, dirfd, name);
  ssize_t n = name[0] == 0 ? flistxattr(dirfd, list, XATTR_LIST_MAX) : llistxattr(path, list, XATTR_LIST_MAX);
  if (n < 0) {
    int e = errno;
    free(list);
    return throw_errno(env, "listxattr", e);
  }
  napi_value arr;
  napi_create_array(env, &arr);
  uint32_t i = 0;
  for (ssize_t pos = 0; pos < n;) {
    size_t len = strnlen(list + pos, (size_t)(n - pos));
    napi_value b;
    napi_create_buffer_copy(env, len, list + pos, NULL, &b);
    napi_set_element(env, arr, i++, b);
    pos += (ssize_t)len + 1;
  }
  free(list);
  return arr;
}

/* getxattr(dirfd, name, attr) -> Buffer, or null when the attribute is absent (ENODATA). */
static napi_value f_getxattr(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char name[NAME_CAP], path[NAME_CAP + 64], attr[XATTR_NAME_MAX + 1];
  int dirfd = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, name, sizeof name);
  arg_bytes(&c, 2, attr, sizeof attr);
  CHECK(c);
  char *value = malloc(XATTR_VALUE_MAX);
  if (value == NULL) return throw_errno(env, "getxattr", ENOMEM);
  xattr_path(path, sizeof path, dirfd, name);
  ssize_t n = name[0] == 0 ? fgetxattr(dirfd, attr, value, XATTR_VALUE_MAX) : lgetxattr(path, attr, value, XATTR_VALUE_MAX);
  napi_value r;
  if (n < 0) {
    int e = errno;
    free(value);
    if (e == ENODATA) {
      napi_get_null(env, &r);
      return r;
    }
    return throw_errno(env, "getxattr", e);
  }
  napi_create_buffer_copy(env, (size_t)n, value, NULL, &r);
  free(value);
  return r;
}

static napi_value f_setxattr(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char name[NAME_CAP], path[NAME_CAP + 64], attr[XATTR_NAME_MAX + 1];
  int dirfd = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, name, sizeof name);
  arg_bytes(&c, 2, attr, sizeof attr);
  void *value = NULL;
  size_t len = 0;
  bool is_buffer = false;
  if (c.argc > 3) napi_is_buffer(env, c.argv[3], &is_buffer);
  if (!is_buffer || napi_get_buffer_info(env, c.argv[3], &value, &len) != napi_ok) type_error(&c, "fsx: expected a Buffer value");
  int flags = (int)arg_int(&c, 4);
  CHECK(c);
  xattr_path(path, sizeof path, dirfd, name);
  int r = name[0] == 0 ? fsetxattr(dirfd, attr, value, len, flags) : lsetxattr(path, attr, value, len, flags);
  return r < 0 ? throw_errno(env, "setxattr", errno) : undef(env);
}

/* lseek(fd, offset, whence) -> new offset, or -1 when SEEK_DATA/SEEK_HOLE find nothing past offset (ENXIO). */
static napi_value f_lseek(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  int fd = (int)arg_int(&c, 0);
  off_t off = (off_t)arg_int(&c, 1);
  int whence = (int)arg_int(&c, 2);
  CHECK(c);
  off_t r = lseek(fd, off, whence);
  if (r < 0 && errno == ENXIO) return num(env, -1);
  return r < 0 ? throw_errno(env, "lseek", errno) : num(env, (double)r);
}

/* ioctl(fd, FS_IOC_GETFLAGS) -> the inode flags (chattr: FS_NODUMP_FL...), or -1 where the file system has none (ENOTTY, EOPNOTSUPP, EINVAL). */
static napi_value f_inodeflags(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  int fd = (int)arg_int(&c, 0);
  CHECK(c);
  int flags = 0;
  if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) {
    if (errno == ENOTTY || errno == EOPNOTSUPP || errno == EINVAL) return num(env, -1);
    return throw_errno(env, "ioctl", errno);
  }
  return num(env, (double)(unsigned int)flags);
}

/*
 * ioctl(fd, request, buffer): the request's argument is the Buffer's memory, read and
 * written by the kernel (a tape's MTIOCTOP, MTIOCGET, MTIOCPOS, encoded in JS). Only
 * requests that carry their argument's size (_IOC_SIZE) are taken, and the Buffer must
 * be exactly that size, so the kernel never reads or writes past it.
 */
static napi_value f_ioctl(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  int fd = (int)arg_int(&c, 0);
  int64_t request = arg_int(&c, 1);
  CHECK(c);
  void *data = NULL;
  size_t len = 0;
  bool is_buffer = false;
  if (c.argc > 2) napi_is_buffer(env, c.argv[2], &is_buffer);
  if (!is_buffer || napi_get_buffer_info(env, c.argv[2], &data, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "fsx: ioctl expects a Buffer argument");
    return NULL;
  }
  if (request < 0 || request > 0xffffffffLL || _IOC_SIZE((unsigned long)request) == 0 || _IOC_SIZE((unsigned long)request) != len) {
    napi_throw_range_error(env, NULL, "fsx: ioctl request does not encode the size of its Buffer argument");
    return NULL;
  }
  return ioctl(fd, (unsigned long)request, data) < 0 ? throw_errno(env, "ioctl", errno) : undef(env);
}

/* posix_fadvise(fd, offset, length, POSIX_FADV_DONTNEED): lets the kernel drop the range's
   clean cached pages now (dirty ones stay until written back). Returns false where the
   file takes no such advice (a pipe, EINVAL/ESPIPE); any other errno is a caller's bug. */
static napi_value f_drop_cached(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  int fd = (int)arg_int(&c, 0);
  off_t off = (off_t)arg_int(&c, 1);
  off_t len = (off_t)arg_int(&c, 2);
  CHECK(c);
  int r = posix_fadvise(fd, off, len, POSIX_FADV_DONTNEED);
  if (r == EINVAL || r == ESPIPE) {
    napi_value no;
    napi_get_boolean(env, false, &no);
    return no;
  }
  if (r != 0) return throw_errno(env, "posix_fadvise", r);
  napi_value yes;
  napi_get_boolean(env, true, &yes);
  return yes;
}

/* malloc_trim(0): gives the C heap's free pages back to the system, also those between
   live chunks (glibc releases whole free pages anywhere, not only at the top). Returns
   whether anything was released. */
static napi_value f_malloc_trim(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value r;
  napi_get_boolean(env, malloc_trim(0) != 0, &r);
  return r;
}

/*
 * createFiles(dirfds, plan, bytes, results, chown, done): makes a batch of small regular
 * files on libuv's pool, each with one pass of openat(O_EXCL|O_NOFOLLOW), its writes,
 * fchown, fchmod, futimens and close, so the restore's main thread goes on with the next
 * records meanwhile (the File daemon's restore of small files spent a third of its main
 * thread in these calls). `dirfds` are the parent directories, handed over: closed here
 * once the batch is done (the caller dups its own with dupfd); `plan` holds PLAN_STRIDE doubles
 * per file: [dir index, name offset, name length, data offset, data length, mode, uid,
 * gid, atime sec, atime nsec, mtime sec, mtime nsec], offsets into `bytes`. Per file,
 * `results` gets [errno, step] (0 when made; step says which call failed, see STEP_*);
 * a file that fails after its create is unlinked. `done` is called once all are done.
 */
#define PLAN_STRIDE 12
enum { STEP_OPEN = 1, STEP_WRITE, STEP_CHOWN, STEP_CHMOD, STEP_TIMES, STEP_CLOSE };

typedef struct {
  napi_async_work work;
  napi_ref keep[4]; /* plan, bytes, results, done */
  int *dirs;
  size_t ndirs;
  const double *plan;
  size_t nfiles;
  const char *bytes;
  size_t nbytes;
  int32_t *results;
  int chown;
} CreateBatch;

static int create_one(CreateBatch *b, const double *p, int *step) {
  size_t dir = (size_t)p[0], name_off = (size_t)p[1], name_len = (size_t)p[2];
  size_t data_off = (size_t)p[3], data_len = (size_t)p[4];
  char name[NAME_CAP];
  /* The plan is the caller's: checked, as any argument. */
  if (dir >= b->ndirs || name_len == 0 || name_off + name_len > b->nbytes || data_off + data_len > b->nbytes) {
    *step = STEP_OPEN;
    return EINVAL;
  }
  if (name_len >= sizeof name) {
    *step = STEP_OPEN;
    return ENAMETOOLONG;
  }
  memcpy(name, b->bytes + name_off, name_len);
  name[name_len] = 0;
  if (memchr(name, 0, name_len) != NULL || memchr(name, '/', name_len) != NULL) {
    *step = STEP_OPEN;
    return EINVAL;
  }
  int dirfd = b->dirs[dir];
  int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    *step = STEP_OPEN;
    return errno;
  }
  int err = 0;
  for (size_t done = 0; err == 0 && done < data_len;) {
    ssize_t n = pwrite(fd, b->bytes + data_off + done, data_len - done, (off_t)done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) { err = n < 0 ? errno : EIO; *step = STEP_WRITE; }
    else done += (size_t)n;
  }
  if (err == 0 && b->chown && fchown(fd, (uid_t)p[6], (gid_t)p[7]) < 0) { err = errno; *step = STEP_CHOWN; }
  if (err == 0 && fchmod(fd, (mode_t)p[5] & 07777) < 0) { err = errno; *step = STEP_CHMOD; }
  if (err == 0) {
    struct timespec ts[2] = {{(time_t)p[8], (long)p[9]}, {(time_t)p[10], (long)p[11]}};
    if (futimens(fd, ts) < 0) { err = errno; *step = STEP_TIMES; }
  }
  if (close(fd) < 0 && err == 0 && errno != EINTR) { err = errno; *step = STEP_CLOSE; }
  if (err != 0) unlinkat(dirfd, name, 0);
  return err;
}

static void create_execute(napi_env env, void *data) {
  (void)env;
  CreateBatch *b = data;
  for (size_t i = 0; i < b->nfiles; i++) {
    int step = 0;
    b->results[2 * i] = create_one(b, b->plan + PLAN_STRIDE * i, &step);
    b->results[2 * i + 1] = step;
  }
}

static void create_complete(napi_env env, napi_status status, void *data) {
  CreateBatch *b = data;
  for (size_t i = 0; i < b->ndirs; i++) close(b->dirs[i]);
  napi_value done = NULL, global, ignored;
  napi_get_reference_value(env, b->keep[3], &done);
  if (status != napi_ok) {
    /* Not run (the environment is going away): say so through every result. */
    for (size_t i = 0; i < b->nfiles; i++) { b->results[2 * i] = ECANCELED; b->results[2 * i + 1] = STEP_OPEN; }
  }
  for (int i = 0; i < 4; i++) napi_delete_reference(env, b->keep[i]);
  napi_delete_async_work(env, b->work);
  free(b->dirs);
  free(b);
  napi_get_global(env, &global);
  if (done != NULL) napi_call_function(env, global, done, 0, NULL, &ignored);
}

static void *typed_data(Call *c, size_t i, napi_typedarray_type want, size_t *count) {
  bool is = false;
  napi_typedarray_type type;
  void *data = NULL;
  napi_value ab;
  size_t off;
  if (i < c->argc) napi_is_typedarray(c->env, c->argv[i], &is);
  if (!is || napi_get_typedarray_info(c->env, c->argv[i], &type, count, &data, &ab, &off) != napi_ok || type != want) {
    type_error(c, "fsx: expected a typed array of another kind");
    return NULL;
  }
  return data;
}

static napi_value f_create_files(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  size_t ndirs = 0, nplan = 0, nresults = 0, nbytes = 0;
  const int32_t *dirs = typed_data(&c, 0, napi_int32_array, &ndirs);
  const double *plan = typed_data(&c, 1, napi_float64_array, &nplan);
  void *bytes = NULL;
  bool is_buffer = false;
  if (!c.failed) napi_is_buffer(env, c.argv[2], &is_buffer);
  if (!c.failed && (!is_buffer || napi_get_buffer_info(env, c.argv[2], &bytes, &nbytes) != napi_ok)) type_error(&c, "fsx: expected a Buffer argument");
  int32_t *results = typed_data(&c, 3, napi_int32_array, &nresults);
  bool chown = false;
  napi_valuetype fn_type = napi_undefined;
  if (!c.failed) napi_get_value_bool(env, c.argv[4], &chown);
  if (!c.failed) napi_typeof(env, c.argv[5], &fn_type);
  if (!c.failed && fn_type != napi_function) type_error(&c, "fsx: expected a callback");
  if (!c.failed && (nplan % PLAN_STRIDE != 0 || nresults < 2 * (nplan / PLAN_STRIDE))) type_error(&c, "fsx: plan and results do not match");
  CHECK(c);
  CreateBatch *b = calloc(1, sizeof *b);
  int *dups = calloc(ndirs ? ndirs : 1, sizeof *dups);
  if (b == NULL || dups == NULL) { free(b); free(dups); return throw_errno(env, "calloc", ENOMEM); }
  memcpy(dups, dirs, ndirs * sizeof *dups);
  *b = (CreateBatch){.dirs = dups, .ndirs = ndirs, .plan = plan, .nfiles = nplan / PLAN_STRIDE,
                     .bytes = bytes, .nbytes = nbytes, .results = results, .chown = chown};
  const size_t keep_args[4] = {1, 2, 3, 5};
  for (int i = 0; i < 4; i++) napi_create_reference(env, c.argv[keep_args[i]], 1, &b->keep[i]);
  napi_value name;
  napi_create_string_utf8(env, "fsx.createFiles", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, create_execute, create_complete, b, &b->work);
  napi_queue_async_work(env, b->work);
  return undef(env);
}

/* fcntl(fd, F_DUPFD_CLOEXEC): a descriptor of the same open file that the caller owns. */
static napi_value f_dupfd(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  int fd = (int)arg_int(&c, 0);
  CHECK(c);
  int dup = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  return dup < 0 ? throw_errno(env, "fcntl", errno) : num(env, dup);
}

/* The error an errno from createFiles' results stands for, shaped as every other call's. */
static napi_value f_errno_error(napi_env env, napi_callback_info info) {
  Call c = args(env, info);
  char syscall[32];
  int err = (int)arg_int(&c, 0);
  arg_bytes(&c, 1, syscall, sizeof syscall);
  CHECK(c);
  return errno_error(env, syscall, err);
}

static void export_fn(napi_env env, napi_value exports, const char *name, napi_callback fn) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &f);
  napi_set_named_property(env, exports, name, f);
}

static void export_const(napi_env env, napi_value obj, const char *name, double v) {
  napi_set_named_property(env, obj, name, num(env, v));
}

static napi_value init(napi_env env, napi_value exports) {
  export_fn(env, exports, "openat", f_openat);
  export_fn(env, exports, "dropCached", f_drop_cached);
  export_fn(env, exports, "mkdirat", f_mkdirat);
  export_fn(env, exports, "symlinkat", f_symlinkat);
  export_fn(env, exports, "linkat", f_linkat);
  export_fn(env, exports, "mknodat", f_mknodat);
  export_fn(env, exports, "readlinkat", f_readlinkat);
  export_fn(env, exports, "fstatat", f_fstatat);
  export_fn(env, exports, "fchownat", f_fchownat);
  export_fn(env, exports, "fchmodat", f_fchmodat);
  export_fn(env, exports, "utimensat", f_utimensat);
  export_fn(env, exports, "renameat", f_renameat);
  export_fn(env, exports, "unlinkat", f_unlinkat);
  export_fn(env, exports, "readdir", f_readdir);
  export_fn(env, exports, "listxattr", f_listxattr);
  export_fn(env, exports, "getxattr", f_getxattr);
  export_fn(env, exports, "setxattr", f_setxattr);
  export_fn(env, exports, "lseek", f_lseek);
  export_fn(env, exports, "inodeflags", f_inodeflags);
  export_fn(env, exports, "ioctl", f_ioctl);
  export_fn(env, exports, "malloc_trim", f_malloc_trim);
  export_fn(env, exports, "createFiles", f_create_files);
  export_fn(env, exports, "dupfd", f_dupfd);
  export_fn(env, exports, "errnoError", f_errno_error);
  napi_value k;
  napi_create_object(env, &k);
  export_const(env, k, "AT_FDCWD", AT_FDCWD);
  export_const(env, k, "AT_SYMLINK_NOFOLLOW", AT_SYMLINK_NOFOLLOW);
  export_const(env, k, "AT_REMOVEDIR", AT_REMOVEDIR);
  export_const(env, k, "O_PATH", O_PATH);
  export_const(env, k, "O_NOATIME", O_NOATIME);
  export_const(env, k, "SEEK_DATA", SEEK_DATA);
  export_const(env, k, "SEEK_HOLE", SEEK_HOLE);
  export_const(env, k, "XATTR_CREATE", XATTR_CREATE);
  export_const(env, k, "FS_NODUMP_FL", FS_NODUMP_FL);
  napi_set_named_property(env, exports, "constants", k);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
