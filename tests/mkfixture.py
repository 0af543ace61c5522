#!/usr/bin/env python3
"""Materialize a kvmaudit host fixture tree.

usage: mkfixture.py SRC_SCENARIO_DIR DEST_DIR

1. DEST_DIR is removed if it exists, then SRC/tree/ is copied to it. Symlinks are copied
   as symlinks and never followed.
2. SRC/manifest, if present, is applied line by line (see below).
3. SRC/generate.py, if present, is run as `python3 generate.py DEST_DIR` (cwd = SRC) for
   content that must not be committed: huge sparse files, truncated archives, binary blobs.

Manifest syntax, one entry per line; blank lines and lines starting with `#` are ignored:

    PATH TYPE MODE UID GID [MAJOR:MINOR | TARGET] [acl=ENTRY,ENTRY...]

  PATH     relative to DEST (a leading `/` is allowed and ignored); no `..` component
  TYPE     chr | blk | dir | file | fifo | sock | symlink
  MODE     octal permission bits incl. special bits (e.g. 0660, 1777); ignored (`-` allowed)
           for symlinks
  UID GID  numeric ids
  chr/blk  need MAJOR:MINOR; symlink needs TARGET (written verbatim, may be absolute or point
           outside DEST: that is what the `broken` scenario is for)
  dir      created with parents if missing; an existing one just gets mode/owner
  file     an existing file (from tree/) gets mode/owner; a missing one is created empty
  acl=     POSIX access ACL entries in setfacl syntax: user:UID:PERMS, group:GID:PERMS,
           mask::PERMS (PERMS like rw- or r-x). user::, group:: and other:: come from MODE;
           the mask defaults to the union of the group-class entries. The ACL is written
           directly as the system.posix_acl_access xattr (no setfacl needed).

Entries are applied in order. Nothing is ever done through a symlink: a PATH whose parent
contains a symlink, or a non-symlink entry whose PATH already is a symlink, is an error.
Must run as root (device nodes, chown). Exits 1 with `manifest:LINE: message` on a bad line.
"""

import os
import shutil
import stat
import struct
import subprocess
import sys

TYPES = {
    "chr": stat.S_IFCHR,
    "blk": stat.S_IFBLK,
    "fifo": stat.S_IFIFO,
    "sock": stat.S_IFSOCK,
    "dir": stat.S_IFDIR,
    "file": stat.S_IFREG,
    "symlink": stat.S_IFLNK,
}

ACL_USER_OBJ, ACL_USER, ACL_GROUP_OBJ, ACL_GROUP, ACL_MASK, ACL_OTHER = 1, 2, 4, 8, 0x10, 0x20
ACL_UNDEFINED_ID = 0xFFFFFFFF


class ManifestError(Exception):
    pass


def die(msg):
    print("mkfixture: " + msg, file=sys.stderr)
    sys.exit(1)


def parse_perms(text):
    if len(text) != 3 or any(c not in allowed for c, allowed in zip(text, ("r-", "w-", "x-"))):
        raise ManifestError("bad ACL permissions %r (want e.g. rw-)" % text)
    return (4 if text[0] == "r" else 0) | (2 if text[1] == "w" else 0) | (1 if text[2] == "x" else 0)


def build_acl(spec, mode):
    """setfacl-style entry list -> system.posix_acl_access xattr value."""
    named = []
    mask = None
    for item in spec.split(","):
        parts = item.split(":")
        if len(parts) != 3:
            raise ManifestError("bad ACL entry %r (want user:ID:PERMS or group:ID:PERMS)" % item)
        kind, qual, perms = parts
        p = parse_perms(perms)
        if kind in ("user", "u") and qual:
            tag = ACL_USER
        elif kind in ("group", "g") and qual:
            tag = ACL_GROUP
        elif kind in ("mask", "m") and not qual:
            mask = p
            continue
        else:
            raise ManifestError("unsupported ACL entry %r (named user/group entries and mask:: only)" % item)
        if not qual.isdigit():
            raise ManifestError("ACL qualifier must be a numeric id: %r" % item)
        named.append((tag, p, int(qual)))
    if not named:
        raise ManifestError("acl= without a named user or group entry")
    group_obj = (mode >> 3) & 7
    if mask is None:
        mask = group_obj
        for _, p, _ in named:
            mask |= p
    entries = [(ACL_USER_OBJ, (mode >> 6) & 7, ACL_UNDEFINED_ID)]
    entries += sorted(e for e in named if e[0] == ACL_USER)
    entries.append((ACL_GROUP_OBJ, group_obj, ACL_UNDEFINED_ID))
    entries += sorted(e for e in named if e[0] == ACL_GROUP)
    entries.append((ACL_MASK, mask, ACL_UNDEFINED_ID))
    entries.append((ACL_OTHER, mode & 7, ACL_UNDEFINED_ID))
    entries.sort(key=lambda e: (e[0], e[2]))
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", t, p, i) for t, p, i in entries)


def safe_path(dest, rel):
    rel = rel.lstrip("/")
    if not rel:
        raise ManifestError("empty path")
    comps = rel.split("/")
    if any(c in ("", ".", "..") for c in comps):
        raise ManifestError("path %r has an empty, . or .. component" % rel)
    # no symlink may sit between DEST and the entry itself
    cur = dest
    for c in comps[:-1]:
        cur = os.path.join(cur, c)
        if os.path.islink(cur):
            raise ManifestError("parent %r is a symlink; refusing to follow it" % os.path.relpath(cur, dest))
    return os.path.join(dest, *comps)


def ensure_parent(path):
    parent = os.path.dirname(path)
    if not os.path.isdir(parent):
        os.makedirs(parent, 0o755)


def apply_line(dest, fields):
    if len(fields) < 5:
        raise ManifestError("need at least PATH TYPE MODE UID GID, got %d field(s)" % len(fields))
    acl = None
    if fields[-1].startswith("acl="):
        acl = fields[-1][4:]
        fields = fields[:-1]
    path_s, typ, mode_s, uid_s, gid_s = fields[:5]
    extra = fields[5:]
    if typ not in TYPES:
        raise ManifestError("unknown type %r (want one of %s)" % (typ, ", ".join(sorted(TYPES))))
    if typ == "symlink":
        mode = None
        if mode_s != "-":
            try:
                int(mode_s, 8)
            except ValueError:
                raise ManifestError("bad mode %r" % mode_s)
    else:
        try:
            mode = int(mode_s, 8)
        except ValueError:
            raise ManifestError("bad octal mode %r" % mode_s)
        if mode < 0 or mode > 0o7777:
            raise ManifestError("mode %r out of range" % mode_s)
    if not (uid_s.isdigit() and gid_s.isdigit()):
        raise ManifestError("UID and GID must be numeric (got %r %r)" % (uid_s, gid_s))
    uid, gid = int(uid_s), int(gid_s)
    if typ in ("chr", "blk", "symlink"):
        if len(extra) != 1:
            raise ManifestError("%s needs exactly one %s field" % (typ, "TARGET" if typ == "symlink" else "MAJOR:MINOR"))
    elif extra:
        raise ManifestError("unexpected trailing field(s) %r for type %s" % (extra, typ))
    if acl is not None and typ == "symlink":
        raise ManifestError("symlinks cannot carry an ACL")

    path = safe_path(dest, path_s)
    exists = os.path.lexists(path)
    if exists and os.path.islink(path) and typ != "symlink":
        raise ManifestError("%s is a symlink; refusing to apply %s through it" % (path_s, typ))

    if typ in ("chr", "blk"):
        try:
            ma, mi = extra[0].split(":")
            dev = os.makedev(int(ma), int(mi))
        except ValueError:
            raise ManifestError("bad MAJOR:MINOR %r" % extra[0])
        if exists:
            raise ManifestError("%s already exists (from tree/ or an earlier line)" % path_s)
        ensure_parent(path)
        os.mknod(path, TYPES[typ] | 0o600, dev)
    elif typ == "fifo":
        if exists:
            raise ManifestError("%s already exists" % path_s)
        ensure_parent(path)
        os.mkfifo(path, 0o600)
    elif typ == "sock":
        if exists:
            raise ManifestError("%s already exists" % path_s)
        ensure_parent(path)
        os.mknod(path, stat.S_IFSOCK | 0o600)
    elif typ == "dir":
        if exists and not os.path.isdir(path):
            raise ManifestError("%s exists and is not a directory" % path_s)
        os.makedirs(path, 0o755, exist_ok=True)
    elif typ == "file":
        if exists and not stat.S_ISREG(os.lstat(path).st_mode):
            raise ManifestError("%s exists and is not a regular file" % path_s)
        if not exists:
            ensure_parent(path)
            open(path, "wb").close()
    elif typ == "symlink":
        if exists:
            raise ManifestError("%s already exists" % path_s)
        ensure_parent(path)
        os.symlink(extra[0], path)

    os.lchown(path, uid, gid)
    if typ != "symlink":
        os.chmod(path, mode)  # path and its parents were checked not to be symlinks
        if acl is not None:
            os.setxattr(path, "system.posix_acl_access", build_acl(acl, mode), follow_symlinks=False)


def apply_manifest(manifest, dest):
    with open(manifest, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            try:
                apply_line(dest, s.split())
            except ManifestError as e:
                die("%s:%d: %s" % (manifest, lineno, e))
            except OSError as e:
                die("%s:%d: %s" % (manifest, lineno, e))


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    src, dest = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    tree = os.path.join(src, "tree")
    if not os.path.isdir(tree):
        die("%s: no tree/ directory" % src)
    if dest in ("/", os.path.abspath(os.sep)) or dest == src or dest.startswith(src + os.sep) \
            or src.startswith(dest + os.sep):
        die("refusing DEST %s (root, or overlapping the scenario directory)" % dest)
    if os.geteuid() != 0:
        die("must run as root (device nodes, chown)")
    if os.path.lexists(dest):
        if os.path.islink(dest) or not os.path.isdir(dest):
            os.unlink(dest)
        else:
            shutil.rmtree(dest)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copytree(tree, dest, symlinks=True)
    manifest = os.path.join(src, "manifest")
    if os.path.exists(manifest):
        apply_manifest(manifest, dest)
    gen = os.path.join(src, "generate.py")
    if os.path.exists(gen):
        r = subprocess.run([sys.executable, gen, dest], cwd=src)
        if r.returncode != 0:
            die("%s exited with status %d" % (gen, r.returncode))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
