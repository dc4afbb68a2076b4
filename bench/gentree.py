#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Generate the benchmark trees, deterministically, under bench/work/.

  small: ~200,000 files of 0-16 KiB in ~10,000 directories up to 12 levels
         deep, long names (some UTF-8, some past 64 characters for Joliet),
         symbolic links and hard links.
  large: a few large files (default 4 x 512 MiB) of real, non-sparse data.

The same seed gives the same tree (names, sizes, contents, links).  Data is
cut from a seeded random pool, so generating is bound by the disk, not by
the random generator.  A tree is skipped when its stamp file says it was
built with the same parameters; --force rebuilds it.

usage: bench/gentree.py [--work DIR] [--files N] [--dirs N] [--depth N]
                        [--large-count N] [--large-mib N] [--seed S]
                        [--force] [small|large ...]
"""
import argparse
import json
import os
import random
import shutil
import sys

POOL_BYTES = 32 << 20   # random pool the file contents are cut from
MAX_SMALL = 16 << 10
MAX_PATH = 1000         # bytes of a path inside the tree (libisofs: 1024)
# genisoimage 1.1.11 -R loops (seemingly forever) on a symlink whose target
# is longer than about 255 bytes and made of several long components: keep
# link targets short so that all three tools can build the tree.
MAX_LINK = 200
NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
UTF8_PARTS = ["é", "ü", "ß", "ø", "日本", "Ωmega", "ñ"]
EXTS = ["", ".txt", ".c", ".h", ".tar.gz", ".json", ".iso9660", ".jpeg", ".md"]


def long_name(rng, serial):
    """A name of 8 to 120 bytes; unique through the serial suffix."""
    n = rng.choice((8, 12, 24, 40, 64, 70, 100, 120))
    base = "".join(rng.choice(NAME_CHARS) for _ in range(n))
    if rng.random() < 0.05:
        base = rng.choice(UTF8_PARTS) + base
    if rng.random() < 0.1:
        base = base[: n // 2] + " " + base[n // 2:]
    name = "%s-%06d%s" % (base, serial, rng.choice(EXTS))
    while len(name.encode()) > 200:
        name = name[1:]
    return name


def fit(root, parent, name, serial):
    """parent/name, with a short name when the path inside the tree would
    pass MAX_PATH bytes (libisofs refuses longer Rock Ridge paths)."""
    rel = len(os.path.relpath(parent, root).encode()) + 1
    if rel + len(name.encode()) > MAX_PATH:
        name = "s%06d" % serial
    return os.path.join(parent, name)


def stamp_ok(path, params):
    try:
        with open(path) as f:
            return json.load(f) == params
    except (OSError, ValueError):
        return False


def write_stamp(path, params):
    with open(path, "w") as f:
        json.dump(params, f)


def gen_small(root, a):
    rng = random.Random(a.seed)
    pool = random.Random(a.seed + 1).randbytes(POOL_BYTES)
    dirs = [(root, 1)]               # (path, depth); root is depth 1
    serial = 0
    for _ in range(a.dirs - 1):
        # Mostly shallow, some down to the full depth: past level 6 only a
        # few parents are accepted, so deep directories stay a minority.
        while True:
            parent, depth = dirs[rng.randrange(len(dirs))]
            if depth < a.depth and (depth <= 6 or rng.random() < 0.15):
                break
        serial += 1
        path = fit(root, parent, long_name(rng, serial), serial)
        os.mkdir(path)
        dirs.append((path, depth + 1))
    # A guaranteed chain to the full depth.
    path, depth = root, 1
    while depth < a.depth:
        serial += 1
        path = os.path.join(path, "deep-%02d-%s" % (depth, "x" * 40))
        os.makedirs(path, exist_ok=True)
        depth += 1
        dirs.append((path, depth))

    files = []
    links = hard = 0
    total = 0
    for i in range(a.files):
        d, _ = dirs[rng.randrange(len(dirs))]
        serial += 1
        path = fit(root, d, long_name(rng, serial), serial)
        r = rng.random()
        if r < 0.02 and files:
            # symbolic link, relative when it can be
            target = os.path.relpath(files[rng.randrange(len(files))], d)
            if len(target.encode()) > MAX_LINK:
                # dangling unless the file is a sibling; see MAX_LINK
                target = os.path.basename(target)
            os.symlink(target, path)
            links += 1
            continue
        if r < 0.04 and files:
            os.link(files[rng.randrange(len(files))], path)
            hard += 1
            continue
        # sizes: many tiny, some around block boundaries, up to 16 KiB
        size = rng.choice((0, rng.randrange(1, 512), rng.randrange(512, 4096),
                           2048, 4096, rng.randrange(4096, MAX_SMALL + 1)))
        off = rng.randrange(POOL_BYTES - MAX_SMALL)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(fd, pool[off:off + size])
        os.close(fd)
        files.append(path)
        total += size
        if (i + 1) % 20000 == 0:
            print("  small: %d files" % (i + 1), file=sys.stderr)
    print("small: %d dirs, %d files (%d MiB), %d symlinks, %d hard links"
          % (len(dirs), len(files), total >> 20, links, hard),
          file=sys.stderr)


def gen_large(root, a):
    pool = bytearray(random.Random(a.seed + 2).randbytes(1 << 20))
    for k in range(a.large_count):
        path = os.path.join(root, "large-%02d.bin" % k)
        with open(path, "wb", buffering=0) as f:
            for mib in range(a.large_mib):
                # every MiB differs (no dedup, no sparse holes)
                pool[0:16] = b"%08d%08d" % (k, mib)
                f.write(pool)
    print("large: %d x %d MiB" % (a.large_count, a.large_mib),
          file=sys.stderr)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--work", default=os.path.join(here, "work"))
    p.add_argument("--files", type=int, default=200000)
    p.add_argument("--dirs", type=int, default=10000)
    p.add_argument("--depth", type=int, default=12)
    p.add_argument("--large-count", type=int, default=4)
    p.add_argument("--large-mib", type=int, default=512)
    p.add_argument("--seed", type=int, default=20260101)
    p.add_argument("--force", action="store_true")
    p.add_argument("trees", nargs="*", default=["small", "large"])
    a = p.parse_args()
    # (generator, parameters, format version: bump when output changes)
    gens = {"small": (gen_small, ["files", "dirs", "depth", "seed"], 3),
            "large": (gen_large, ["large_count", "large_mib", "seed"], 1)}
    os.makedirs(a.work, exist_ok=True)
    for t in a.trees:
        if t not in gens:
            p.error("unknown tree %r" % t)
        fn, keys, version = gens[t]
        params = {k: getattr(a, k) for k in keys}
        params["version"] = version
        root = os.path.join(a.work, t)
        stamp = os.path.join(a.work, t + ".stamp")
        if not a.force and os.path.isdir(root) and stamp_ok(stamp, params):
            print("%s: up to date (%s)" % (t, root), file=sys.stderr)
            continue
        if os.path.exists(stamp):
            os.unlink(stamp)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        fn(root, a)
        write_stamp(stamp, params)
    return 0


if __name__ == "__main__":
    sys.exit(main())
