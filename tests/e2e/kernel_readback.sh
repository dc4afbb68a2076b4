#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# kernel_readback.sh: the Linux kernel's own iso9660 driver reads images
# made by our CLI as the source trees are.
#
# Fixture trees (fixtures/mktrees.sh kinds with Rock Ridge content, plus
# two made here: "deep20", 20 nested levels, and "wide", 2500 entries
# with long names in one directory, so its records carry continuation
# areas over many blocks) are built with "-R -J" and "-r -J".  Every
# image is mounted read-only three times by the kernel:
#   rr      default options: Rock Ridge.  The manifest (path, type, mode,
#           nlink, uid, gid, size, symlink target, mtime, atime, ctime,
#           device numbers, md5 of the content) must equal the one
#           computed here from the source tree (for -r: the rationalized
#           owners and modes; names over 253 bytes, which isofs cuts,
#           may show as a prefix of the source name).
#           Hard-link groups: same content and nlink (isofs numbers its
#           inodes by record position, so names never share one).
#   joliet  -o norock: the Joliet tree, compared with the directory
#           records read here (names as isofs maps them, types, sizes,
#           content md5) and with the source tree (names Joliet holds
#           unchanged, types, sizes, content)
#   iso     -o norock,nojoliet: the ISO 9660 names, compared with the
#           records
# (all with -o check=strict: by default isofs looks Joliet names up
# ignoring case, and names differing only in case all show one file)
# Some trees are also built with "-J" alone and with no option: their
# mounts are compared the same way (Joliet or ISO 9660 tree); some with
# "-r -J -hide-rr-moved" and "-R -J -joliet-long".
# One more image, a copy with one byte of a file's data changed, must be
# reported with an md5 mismatch (the check can fail).
#
# The kernel: "mount -o loop,ro" on this host when that works; else the
# Debian kernel of boot_qemu.sh (same cache directory, same package; its
# modules cdrom, sr_mod, isofs, virtio_* are kept next to it) boots in
# QEMU (-accel tcg) with a busybox initramfs.  All images are virtio-scsi
# CD-ROMs of one boot; the guest writes its manifests to a virtio disk.
# QEMU runs with a timeout and is stopped by its PID.
#
# ELT_KRB_KINDS, ELT_KRB_NORR, ELT_KRB_HIDE, ELT_KRB_JLONG choose the
# kinds of each image set ("huge", 100,000 entries, does not finish in
# 15 minutes under TCG; "badnames" breaks the line-based manifest).
# Environment: ELT_KRB_MKISOFS=genisoimage checks the test itself against
# genisoimage; ELT_BOOT_CACHE as for boot_qemu.sh; ELT_KRB_QEMU=1 skips
# the loop-mount attempt.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/boot_lib.sh"

QEMU=qemu-system-x86_64
MKISOFS=${ELT_KRB_MKISOFS:-$ELT_CLI}
CACHE=${ELT_BOOT_CACHE:-}
KRB_TIMEOUT=${ELT_KRB_TIMEOUT:-900}     # seconds for the whole boot
# the guest's modules, in load order (dependencies first)
KRB_MODULES="scsi_common scsi_mod cdrom sr_mod isofs virtio_ring virtio
virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_scsi
virtio_blk"
KRB_KINDS=${ELT_KRB_KINDS:-"special hardlinks name255 unicode spaces deep deep40 deep20 many wide longpath longnames empty flat"}
# kinds also built without Rock Ridge: "-J" and plain
KRB_NORR=${ELT_KRB_NORR:-"special unicode spaces deep many longnames flat"}
# kinds also built with "-r -J -hide-rr-moved"
KRB_HIDE=${ELT_KRB_HIDE:-"deep20 longpath"}
# kinds also built with "-R -J -joliet-long" (103-character Joliet names)
KRB_JLONG=${ELT_KRB_JLONG:-"longnames name255"}

e2e_have "$MKISOFS" || [ -x "$MKISOFS" ] ||
	e2e_skip_all "no mkisofs at $MKISOFS"
e2e_have "$PY" || e2e_skip_all "no python3"
e2e_have isoinfo || e2e_skip_all "isoinfo not installed"
e2e_have busybox || e2e_skip_all "busybox not installed"

e2e_init kernel-readback 700m
W=$E2E_OUT
if [ -z "$CACHE" ]; then
	if [ -w "$ELT_SRCDIR/tests" ]; then
		CACHE=$ELT_SRCDIR/tests/boot-cache
	else
		CACHE=$E2E_WORK/boot-cache
	fi
fi

# ------------------------------------------------------ guest manifest

# The manifest script, run by busybox sh inside the guest (or on this
# host over a loop mount): "manifest DIR" prints
#   S|INO|RAWMODE|NLINK|UID|GID|SIZE|MTIME|MAJOR|MINOR|ATIME|CTIME|PATH
#   M|MD5  PATH                                              every file
#   L|TARGET|PATH                                            every symlink
# with PATH relative to DIR ("." is DIR itself).
krb_manifest_script() {
	cat <<'EOF'
manifest() {
	cd "$1" || return 1
	find . -exec stat -c 'S|%i|%f|%h|%u|%g|%s|%Y|%t|%T|%X|%Z|%n' {} + || return 1
	find . -type f -exec md5sum {} + | sed 's/^/M|/' || return 1
	find . -type l | while IFS= read -r p; do
		printf 'L|%s|%s\n' "$(readlink "$p")" "$p"
	done
	cd /
}
# mount_all DEV VOLID MNT: the three mounts of one image
mount_all() {
	for o in rr joliet iso; do
		# check=strict: isofs looks Joliet names up ignoring case by
		# default, so of file.txt and File.txt both would show one
		case $o in
		rr) opts=ro,check=strict ;;
		joliet) opts=ro,norock,check=strict ;;
		iso) opts=ro,norock,nojoliet,check=strict ;;
		esac
		echo "@@ IMG $2 $o"
		if mount -t iso9660 -o "$opts" "$1" "$3" 2>&1; then
			manifest "$3"
			echo "@@ RC $?"
			umount "$3"
		else
			echo "@@ RC mount-failed"
		fi
	done
}
EOF
}

# ------------------------------------------------------------ python

# krb_py SUBCOMMAND ARGS: the helper.
#   tree DEST KIND          the trees made here (deep20, wide)
#   voldir VOLS OUT         compare the guest output with expectations;
#                           VOLS lines: VOLID MODE TREE IMAGE
#   corrupt IMG PATH        (unused by shell; see krb_corrupt)
krb_py() {
	"$PY" - "$@" <<'PYEOF'
import hashlib
import os
import stat
import sys

cmd = sys.argv[1]


def content(rel, size):
    seed = hashlib.sha256(b'krb:' + rel).digest()
    out = bytearray()
    n = 0
    while len(out) < size:
        out += hashlib.sha256(seed + n.to_bytes(8, 'little')).digest()
        n += 1
    return bytes(out[:size])


def make_tree(dest, kind):
    t0 = 1700000000
    made = []
    os.makedirs(dest)
    if kind == 'deep20':
        path = dest
        for i in range(1, 21):
            path = os.path.join(path, 'level%02d' % i)
            os.mkdir(path)
            made.append(path)
            f = os.path.join(path, 'file%02d.txt' % i)
            with open(f, 'wb') as fp:
                fp.write(content(f[len(dest):].encode(), 50 + i))
            made.append(f)
    elif kind == 'wide':
        d = os.path.join(dest, 'wide')
        os.mkdir(d)
        for i in range(2500):
            f = os.path.join(d, 'entry_%04d_%s' % (i, 'x' * (i % 190)))
            with open(f, 'wb') as fp:
                fp.write(content(f[len(dest):].encode(), i % 7))
            made.append(f)
        os.symlink('wide/entry_0189_' + 'x' * 189, os.path.join(dest, 'tolong'))
        made.append(os.path.join(dest, 'tolong'))
        made.append(d)
    else:
        sys.exit('unknown kind ' + kind)
    for i, f in enumerate(made):
        t = t0 + 7 * i
        if os.geteuid() == 0:
            # owners other than root, so that -R's uid/gid are seen
            os.lchown(f, 1000 + i % 50, 2000 + i % 30)
        if not os.path.islink(f):
            os.chmod(f, (0o640, 0o604, 0o755, 0o700, 0o444)[i % 5]
                     | (0o700 if os.path.isdir(f) else 0))
        os.utime(f, (t, t), follow_symlinks=False)
    os.utime(dest, (t0 - 5, t0 - 5))


def md5file(path):
    h = hashlib.md5()
    with open(path, 'rb') as f:
        while True:
            b = f.read(1 << 16)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def tname(mode):
    if stat.S_ISDIR(mode):
        return 'd'
    if stat.S_ISREG(mode):
        return 'f'
    if stat.S_ISLNK(mode):
        return 'l'
    if stat.S_ISFIFO(mode):
        return 'p'
    if stat.S_ISCHR(mode):
        return 'c'
    if stat.S_ISBLK(mode):
        return 'b'
    if stat.S_ISSOCK(mode):
        return 's'
    return '?'


def rationalize(st):
    """-r: owners 0, every read bit, no write bits, all execute bits if
    any (and on directories), no set-id or sticky bits."""
    perm = stat.S_IMODE(st.st_mode) | 0o444
    if stat.S_ISDIR(st.st_mode) or perm & 0o111:
        perm |= 0o111
    return perm & ~0o222 & 0o777


def expect_rr(top, mode):
    """path -> dict of fields from the source tree"""
    top = os.fsencode(top)
    exp = {}
    inodes = {}
    for root, dirs, files in os.walk(top):
        for n in [None] + dirs + files if root == top else dirs + files:
            full = root if n is None else os.path.join(root, n)
            rel = b'.' if full == top else b'./' + os.path.relpath(full, top)
            st = os.lstat(full)
            t = tname(st.st_mode)
            # Rock Ridge TF: modify, access and attribute change times
            e = {'type': t, 'mtime': int(st.st_mtime),
                 'ctime': int(st.st_ctime)}
            if os.environ.get('KRB_MASK_ATIME') != '1':
                e['atime'] = int(st.st_atime)
            if mode == 'r':
                e['mode'] = rationalize(st)
                e['uid'] = e['gid'] = 0
            else:
                e['mode'] = stat.S_IMODE(st.st_mode)
                e['uid'] = st.st_uid
                e['gid'] = st.st_gid
            if t == 'f':
                e['size'] = st.st_size
                e['md5'] = md5file(full)
                e['nlink'] = st.st_nlink
                inodes.setdefault((st.st_dev, st.st_ino), []).append(rel)
            elif t == 'l':
                tgt = os.readlink(full)
                e['target'] = tgt
                e['size'] = len(tgt)
                e['nlink'] = 1
            elif t == 'd':
                e['nlink'] = 2 + sum(
                    1 for x in os.scandir(full)
                    if x.is_dir(follow_symlinks=False))
            else:
                e['nlink'] = 1
                e['size'] = 0
            if t in 'cb':
                e['rdev'] = (os.major(st.st_rdev), os.minor(st.st_rdev))
            exp[rel] = e
    links = [g for g in inodes.values() if len(g) > 1]
    return exp, links


def parse_guest(lines):
    """guest manifest lines -> path -> dict"""
    got = {}
    for ln in lines:
        if ln.startswith(b'S|'):
            f = ln.split(b'|', 12)
            raw = int(f[2], 16)
            e = {'ino': int(f[1]), 'type': tname(raw),
                 'mode': stat.S_IMODE(raw), 'nlink': int(f[3]),
                 'uid': int(f[4]), 'gid': int(f[5]), 'size': int(f[6]),
                 'mtime': int(f[7]), 'rdev': (int(f[8], 16), int(f[9], 16)),
                 'atime': int(f[10]), 'ctime': int(f[11])}
            got[f[12]] = e
    for ln in lines:
        if ln.startswith(b'M|'):
            h, p = ln[2:].split(b'  ', 1)
            got.setdefault(p, {})['md5'] = h.decode()
        elif ln.startswith(b'L|'):
            _, tgt, p = ln.split(b'|', 2)
            got.setdefault(p, {})['target'] = tgt
    return got


def show(p):
    return p.decode('utf-8', 'backslashreplace')


KERNEL_NM_MAX = 253     # fs/isofs/rock.c drops NM pieces past this


def untruncate(exp, got):
    """The kernel keeps a Rock Ridge name's NM pieces only while the
    name stays under 254 bytes: a longer name shows as a prefix.  Map
    such prefixes back to the one longer source name they begin."""
    ren = {}
    for p in sorted(got, key=lambda x: x.count(b'/')):
        parent, _, name = p.rpartition(b'/')
        parent = ren.get(parent, parent)
        full = parent + b'/' + name if parent else p
        if full not in exp:
            cand = [q for q in exp
                    if q.rpartition(b'/')[0] == parent and
                    len(q.rpartition(b'/')[2]) > KERNEL_NM_MAX and
                    q.rpartition(b'/')[2].startswith(name)]
            if len(cand) == 1:
                full = cand[0]
        ren[p] = full
    n = sum(1 for p in got if ren[p].rpartition(b'/')[2] !=
            p.rpartition(b'/')[2])
    return {ren[p]: v for p, v in got.items()}, n


def compare_rr(exp, links, got):
    errs = []
    # the relocation directory of a deep tree is visible under Rock Ridge
    # (".rr_moved" with -hide-rr-moved), its relocated entries are not
    for rrm in (b'./rr_moved', b'./.rr_moved'):
        if rrm not in got or rrm in exp:
            continue
        kids = [p for p in got if p.startswith(rrm + b'/')]
        if kids:
            errs.append('%s shows %d entries, e.g. %s' %
                        (show(rrm), len(kids), show(sorted(kids)[0])))
        del got[rrm]
        for k in kids:
            del got[k]
        # it counts as a subdirectory of the root
        if b'.' in got and 'nlink' in got[b'.']:
            got[b'.']['nlink'] -= 1
    for p in sorted(set(exp) - set(got)):
        errs.append('missing %s' % show(p))
    for p in sorted(set(got) - set(exp)):
        errs.append('extra %s' % show(p))
    for p in sorted(set(exp) & set(got)):
        e, g = exp[p], got[p]
        for k in ('type', 'mode', 'nlink', 'uid', 'gid', 'size', 'mtime',
                  'atime', 'ctime', 'target', 'md5', 'rdev'):
            if k in e and e[k] != g.get(k):
                ev, gv = e[k], g.get(k)
                if k == 'mode':
                    ev, gv = oct(ev), oct(gv) if gv is not None else gv
                errs.append('%s %s: kernel %r, source %r' %
                            (show(p), k, gv, ev))
    for grp in links:
        present = [p for p in grp if p in got]
        if len(present) != len(grp):
            continue
        if len({got[p].get('md5') for p in grp}) != 1:
            errs.append('hard links %s differ in content' %
                        ' '.join(show(p) for p in grp))
    return errs


def kernel_name(raw, joliet):
    """the name isofs shows for an ISO 9660 or Joliet identifier"""
    if joliet:
        if len(raw) > 2 and raw.endswith(';1'):
            raw = raw[:-2]
        while len(raw) >= 2 and raw.endswith('.'):
            raw = raw[:-1]
        return raw.encode('utf-8', 'surrogatepass')
    out = ''
    n = len(raw)
    for i, c in enumerate(raw):
        if 'A' <= c <= 'Z':
            c = c.lower()
        if c == '.' and i == n - 3 and raw[i + 1:] == ';1':
            break
        if c == ';' and i == n - 2 and raw[i + 1] == '1':
            break
        if c in ';/':
            c = '.'
        out += c
    return out.encode('latin-1')


SECTOR = 2048
VD_START = 16               # ECMA-119 6.2.1: system area first
VD_PRIMARY, VD_SUPPLEMENTARY, VD_TERMINATOR = 1, 2, 255   # 8.1.1
VD_ROOT = 156               # 8.4.18: root directory record
DR_EXTENT, DR_SIZE, DR_FLAGS = 2, 10, 25                  # 9.1.3/4/6
DR_NAME_LEN, DR_NAME = 32, 33                             # 9.1.10/12
FLAG_DIR, FLAG_ASSOC = 2, 4                               # 9.1.6
JOLIET_ESC = (b'%/@', b'%/C', b'%/E')   # Joliet: SVD escape sequences


def expect_raw(img, joliet):
    """The ISO 9660 or Joliet tree as the records say, read here (no
    library: pycdlib presents relocated directories in place of their
    CL placeholders, which are files to this tree)"""
    f = open(img, 'rb')

    def read(lba, n):
        f.seek(lba * SECTOR)
        return f.read(n)
    root = None
    i = VD_START
    while True:
        vd = read(i, SECTOR)
        if len(vd) < SECTOR or vd[0] == VD_TERMINATOR:
            break
        if not joliet and vd[0] == VD_PRIMARY:
            root = vd[VD_ROOT:VD_ROOT + 34]
        if joliet and vd[0] == VD_SUPPLEMENTARY and vd[88:91] in JOLIET_ESC:
            root = vd[VD_ROOT:VD_ROOT + 34]
        i += 1
    exp = {b'.': {'type': 'd'}}

    def u32(rec, off):
        return int.from_bytes(rec[off:off + 4], 'little')

    def walk(rec, kdir):
        data = read(u32(rec, DR_EXTENT), u32(rec, DR_SIZE))
        pos = 0
        while pos < len(data):
            n = data[pos]
            if n == 0:      # 6.8.1.1: no record crosses a sector
                pos = (pos // SECTOR + 1) * SECTOR
                continue
            r = data[pos:pos + n]
            pos += n
            ident = r[DR_NAME:DR_NAME + r[DR_NAME_LEN]]
            if ident in (b'\0', b'\1') or r[DR_FLAGS] & FLAG_ASSOC:
                continue
            raw = ident.decode('utf-16_be', 'surrogatepass') if joliet \
                else ident.decode('latin-1')
            kpath = kdir + b'/' + kernel_name(raw, joliet)
            if r[DR_FLAGS] & FLAG_DIR:
                exp[kpath] = {'type': 'd'}
                walk(r, kpath)
            else:
                body = read(u32(r, DR_EXTENT), u32(r, DR_SIZE))
                exp[kpath] = {'type': 'f', 'size': len(body),
                              'md5': hashlib.md5(body).hexdigest()}
    if root is None:
        return {}
    walk(root, b'.')
    f.close()
    return exp


def compare_plain(exp, got):
    errs = []
    for p in sorted(set(exp) - set(got)):
        errs.append('missing %s' % show(p))
    for p in sorted(set(got) - set(exp)):
        errs.append('extra %s' % show(p))
    for p in sorted(set(exp) & set(got)):
        for k in ('type', 'size', 'md5'):
            if k in exp[p] and exp[p][k] != got[p].get(k):
                errs.append('%s %s: kernel %r, records %r' %
                            (show(p), k, got[p].get(k), exp[p][k]))
    return errs


JOLIET_MAX = 64        # UCS-2 characters genisoimage keeps without
                       # -joliet-long


def joliet_exact(name, jmax):
    """a source name Joliet holds unchanged: UCS-2, short, and no
    trailing dot (isofs strips those)"""
    try:
        u = name.decode('utf-8')
    except UnicodeDecodeError:
        return False
    return (len(u) <= jmax and all(ord(c) < 0x10000 for c in u)
            and not u.endswith('.'))


ISO_DEPTH_KEPT = 7      # without Rock Ridge genisoimage keeps the
                        # directories 7 below the root (level 8 of
                        # ECMA-119 6.8.2.1), but empty (measured)


def compare_joliet_source(top, got, rr, jmax):
    """Joliet keeps the hierarchy (no relocation) and, for names it can
    hold, the names themselves: compare with the source tree.  Symbolic
    links and special files are empty files there; without Rock Ridge
    symbolic links are left out and the tree is cut as the ISO 9660
    tree is (genisoimage's behaviour, FORMAT.md 3.4)."""
    top = os.fsencode(top)
    errs = []
    total = 1
    empty = hashlib.md5(b'').hexdigest()
    for root, dirs, files in os.walk(top):
        for n in dirs + files:
            full = os.path.join(root, n)
            rel = os.path.relpath(full, top)
            if not rr and (os.path.islink(full) or
                           rel.count(b'/') >= ISO_DEPTH_KEPT):
                continue
            total += 1
            if not all(joliet_exact(c, jmax) for c in rel.split(b'/')):
                continue
            kp = b'./' + rel
            st = os.lstat(full)
            if stat.S_ISDIR(st.st_mode):
                e = {'type': 'd'}
            elif stat.S_ISREG(st.st_mode):
                e = {'type': 'f', 'size': st.st_size, 'md5': md5file(full)}
            else:
                e = {'type': 'f', 'size': 0, 'md5': empty}
            g = got.get(kp)
            if g is None:
                errs.append('missing %s (source name)' % show(kp))
                continue
            for k in e:
                if e[k] != g.get(k):
                    errs.append('%s %s: kernel %r, source %r' %
                                (show(kp), k, g.get(k), e[k]))
    if total != len(got):
        errs.append('%d entries, source %d' % (len(got), total))
    return errs


def report(name, errs):
    if errs:
        more = ' (+%d more)' % (len(errs) - 3) if len(errs) > 3 else ''
        print('FAIL %s: %s%s' % (name, '; '.join(errs[:3]), more))
    else:
        print('ok %s' % name)
    sys.stdout.flush()


def check(vols, outfile):
    data = open(outfile, 'rb').read().replace(b'\r', b'')
    end = data.find(b'\n@@ END\n')
    if end < 0:
        print('FAIL guest-output: no end marker in the guest output')
        return
    sections = {}
    cur = None
    log = []
    for ln in data[:end].split(b'\n'):
        if ln.startswith(b'@@ IMG '):
            _, _, vol, var = ln.split(b' ')
            cur = sections.setdefault((vol.decode(), var.decode()),
                                      {'lines': [], 'rc': None})
        elif ln.startswith(b'@@ RC '):
            if cur is not None:
                cur['rc'] = ln[6:].decode()
            cur = None
        elif ln.startswith(b'@@ LOG'):
            cur = None
            log = []
            sections['log'] = log
        elif cur is not None:
            cur['lines'].append(ln)
        elif 'log' in sections:
            log.append(ln)
    for line in open(vols):
        vol, mode, tree, img, name = line.split()
        # MODE[:N]: N the Joliet name limit (-joliet-long)
        mode, _, jmax = mode.partition(':')
        jmax = int(jmax or JOLIET_MAX)
        for var in ('rr', 'joliet', 'iso'):
            cname = '%s/%s' % (name, var)
            sec = sections.get((vol, var))
            if sec is None:
                report(cname, ['the guest did not see this image'])
                continue
            if sec['rc'] != '0':
                report(cname, ['guest status %s: %s' % (
                    sec['rc'], b' '.join(sec['lines'][-2:]).decode(
                        'utf-8', 'backslashreplace'))])
                continue
            got = parse_guest(sec['lines'])
            if mode == 'corrupt':
                exp, links = expect_rr(tree, 'R')
                if var != 'rr':
                    continue
                errs = compare_rr(exp, links, got)
                md5s = [e for e in errs if ' md5: ' in e]
                if len(md5s) == 1 and len(errs) == 1:
                    report(cname + ' (one changed byte: ' + md5s[0] + ')', [])
                else:
                    report(cname, ['want exactly one md5 mismatch, got: ' +
                                   '; '.join(errs[:3])])
                continue
            view = var      # the tree this mount shows
            if mode == 'J' and var == 'rr':
                view = 'joliet'
            elif mode == 'P':
                view = 'iso'
            if view == 'rr':
                exp, links = expect_rr(tree, mode)
                got, cut = untruncate(exp, got)
                if cut:
                    cname += (' (the kernel shows %d names over %d bytes'
                              ' truncated)' % (cut, KERNEL_NM_MAX))
                report(cname, compare_rr(exp, links, got))
            else:
                exp = expect_raw(img, view == 'joliet')
                errs = compare_plain(exp, got)
                if view == 'joliet':
                    errs += compare_joliet_source(tree, got, mode in 'Rr',
                                                  jmax)
                report(cname, errs)
    # every mount logs its extensions; anything else from isofs is a
    # complaint (corrupt entries, bad continuation areas, I/O errors)
    bad = [ln.decode('utf-8', 'backslashreplace') for ln in log
           if any(w in ln.lower() for w in
                  (b'isofs', b'iso9660', b'iso 9660', b'rock', b'joliet',
                   b'i/o error', b'directory entry'))
           and b'ISO 9660 Extensions: ' not in ln
           and b'ISOFS: changing to secondary root' not in ln]
    report('kernel-log (isofs messages)', bad)


if cmd == 'tree':
    make_tree(sys.argv[2], sys.argv[3])
elif cmd == 'check':
    check(sys.argv[2], sys.argv[3])
PYEOF
}

# --------------------------------------------------------------- kernel

# kernel_version FILE: the version string of a bzImage (boot protocol:
# the u16 at 0x20e points to it, from offset 0x200)
kernel_version() {
	"$PY" -c '
import struct, sys
d = open(sys.argv[1], "rb").read(65536)
off = struct.unpack_from("<H", d, 0x20e)[0] + 0x200
print(d[off:d.index(b"\0", off)].split()[0].decode())' "$1" 2>/dev/null
}

# krb_fetch: CACHE/vmlinuz (shared with boot_qemu.sh, same package) and
# CACHE/modules-VERSION/ with the guest's modules.  Downloads the
# package only when the modules of the cached kernel are missing, and
# then refreshes vmlinuz from the same package so both match.
krb_fetch() {
	local pkg deb kver mdir m f tmp
	if [ -s "$CACHE/vmlinuz" ]; then
		kver=$(kernel_version "$CACHE/vmlinuz")
		mdir=$CACHE/modules-$kver
		[ -n "$kver" ] && [ -s "$mdir/virtio_blk.ko" ] && KRB_KVER=$kver &&
			return 0
	fi
	e2e_have apt-get && e2e_have dpkg-deb || return 1
	mkdir -p "$CACHE" || return 1
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	      awk '/Depends: linux-image-/ { print $2; exit }')
	[ -n "$pkg" ] || return 1
	# a private directory: boot_qemu.sh may fetch at the same time
	tmp=$(mktemp -d "$CACHE/krb.XXXXXX") || return 1
	( cd "$tmp" && apt-get download "$pkg" ) >"$tmp/fetch.log" 2>&1 ||
		{ rm -rf "$tmp"; return 1; }
	deb=$(ls "$tmp"/"$pkg"_*.deb 2>/dev/null | head -n 1)
	mkdir -p "$tmp/x"
	if [ -z "$deb" ] || ! dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp/x" --wildcards './boot/vmlinuz-*' \
		    './lib/modules/*/kernel/drivers/scsi/*' \
		    './lib/modules/*/kernel/drivers/cdrom/*' \
		    './lib/modules/*/kernel/drivers/virtio/*' \
		    './lib/modules/*/kernel/drivers/block/virtio_blk.ko*' \
		    './lib/modules/*/kernel/fs/isofs/*'; then
		rm -rf "$tmp"
		return 1
	fi
	kver=$(ls "$tmp/x/lib/modules" | head -n 1)
	mkdir -p "$tmp/m"
	for m in $KRB_MODULES; do
		f=$(find "$tmp/x/lib/modules" -name "$m.ko*" | head -n 1)
		case $f in
		'') echo "# module $m not in $pkg"; false ;;
		*.xz) xz -dc "$f" >"$tmp/m/$m.ko" ;;
		*.zst) zstd -qdc "$f" >"$tmp/m/$m.ko" ;;
		*.gz) gzip -dc "$f" >"$tmp/m/$m.ko" ;;
		*) cp "$f" "$tmp/m/$m.ko" ;;
		esac || { rm -rf "$tmp"; return 1; }
	done
	# into place by rename; keep the kernel and a few modules only
	mdir=$CACHE/modules-$kver
	rm -rf "$mdir"
	mv "$tmp/m" "$mdir" &&
		mv "$tmp"/x/boot/vmlinuz-* "$CACHE/vmlinuz" ||
		{ rm -rf "$tmp"; return 1; }
	rm -rf "$tmp"
	KRB_KVER=$kver
}

# ------------------------------------------------------------- images

VOLS=$W/vols
: >"$VOLS"
NIMG=0

# add_image NAME MODE TREE ARGS...: build with MKISOFS, list it in VOLS
add_image() {
	local name=$1 mode=$2 tree=$3 vol img
	shift 3
	NIMG=$((NIMG + 1))
	vol=$(printf 'KRB%02d' "$NIMG")
	img=$W/$vol.iso
	if ! ( cd "$W" && SOURCE_DATE_EPOCH=$E2E_T timeout "$E2E_TIMEOUT" \
	       "$MKISOFS" -quiet -V "$vol" -o "$img" "$@" "$tree" ) \
	       >"$img.log" 2>&1; then
		e2e_fail "$name: mkisofs failed: $(tail -n 1 "$img.log")"
		rm -f "$img"
		return 1
	fi
	echo "$vol $mode $tree $img $name" >>"$VOLS"
}

# corrupt_image NAME TREE ISOPATH: a -R copy of TREE's image with one
# byte of ISOPATH's data changed
corrupt_image() {
	local name=$1 tree=$2 path=$3 vol img ext lba
	add_image "$name" corrupt "$tree" -R || return
	vol=$(printf 'KRB%02d' "$NIMG")
	img=$W/$vol.iso
	ext=$(iso_extent "$img" "$path")
	lba=${ext% *}
	if [ -z "$lba" ]; then
		e2e_fail "$name: $path not found by isoinfo"
		return
	fi
	printf '\001' | dd of="$img" bs=1 seek=$((lba * 2048 + 3)) conv=notrunc \
		status=none
}

for kind in $KRB_KINDS; do
	case $kind in
	deep20|wide)
		tree=$E2E_TREES/$kind
		krb_py tree "$tree" "$kind" || { e2e_fail "$kind: tree"; continue; }
		;;
	*)
		tree=$(e2e_tree "$kind") || { e2e_fail "$kind: tree"; continue; }
		;;
	esac
	add_image "$kind-R-J" R "$tree" -R -J
	add_image "$kind-r-J" r "$tree" -r -J
	case " $KRB_HIDE " in
	*" $kind "*) add_image "$kind-r-J-hide-rr-moved" r "$tree" -r -J -hide-rr-moved ;;
	esac
	case " $KRB_JLONG " in
	*" $kind "*) add_image "$kind-R-J-joliet-long" R:103 "$tree" -R -J -joliet-long ;;
	esac
	case " $KRB_NORR " in
	*" $kind "*)
		add_image "$kind-J" J "$tree" -J
		add_image "$kind-plain" P "$tree"
		;;
	esac
done
corrupt_image selfcheck-corrupt "$(e2e_tree hardlinks)" "/SINGLE.;1"

# ------------------------------------------------------------ mounting

OUT=$W/guest.out

# krb_loop: every image over a loop mount of this host; 1 when the host
# cannot mount iso9660 loop devices
krb_loop() {
	local probe=$W/probe mnt=$W/mnt vol mode tree img name
	[ "${ELT_KRB_QEMU:-0}" = 1 ] && return 1
	mkdir -p "$probe" "$mnt"
	echo x >"$probe/x"
	"$MKISOFS" -quiet -o "$W/probe.iso" "$probe" >/dev/null 2>&1 || return 1
	mount -o loop,ro "$W/probe.iso" "$mnt" 2>/dev/null || return 1
	umount "$mnt"
	echo "# loop mounts work here: the host kernel reads the images"
	# the guest's tools (busybox applets) on the host too
	mkdir -p "$W/bb"
	busybox --install -s "$W/bb" 2>/dev/null
	{
		echo "PATH=$W/bb:\$PATH"
		krb_manifest_script
		while read -r vol mode tree img name; do
			printf 'dev=$(losetup -f --show -r %q) && mount_all "$dev" %s %q; losetup -d "$dev"\n' \
				"$img" "$vol" "$mnt"
		done <"$VOLS"
	} >"$W/host.sh"
	{ busybox sh "$W/host.sh"; echo "@@ LOG"; echo "@@ END"; } >"$OUT" 2>&1
	return 0
}

# krb_qemu: one QEMU boot, every image a virtio-scsi CD-ROM
krb_qemu() {
	local ir=$W/initramfs mdir m i=0 pid waited=0 log=$W/guest.serial
	e2e_have "$QEMU" || e2e_skip_all "no loop mounts of iso9660 here and $QEMU not installed"
	e2e_have cpio || e2e_skip_all "no loop mounts of iso9660 here and cpio not installed"
	krb_fetch || e2e_skip_all "no loop mounts of iso9660 here; no kernel in $CACHE and apt-get download failed"
	mdir=$CACHE/modules-$KRB_KVER
	mkdir -p "$ir/bin" "$ir/modules" "$ir/mnt"
	cp "$(command -v busybox)" "$ir/bin/busybox"
	for m in $KRB_MODULES; do
		cp "$mdir/$m.ko" "$ir/modules/"
	done
	{
		echo '#!/bin/busybox sh'
		echo '/bin/busybox --install -s /bin'
		echo 'export PATH=/bin'
		echo 'mkdir -p /dev /proc /sys /tmp'
		echo 'mount -t devtmpfs dev /dev; mount -t proc proc /proc'
		echo 'mount -t sysfs sys /sys'
		echo "for m in $(echo $KRB_MODULES); do insmod /modules/\$m.ko || echo \"insmod \$m failed\" >/dev/ttyS0; done"
		krb_manifest_script
		echo "want=$(wc -l <"$VOLS")"
		cat <<'EOF'
n=0
while [ "$n" -lt 120 ]; do
	[ "$(ls /dev/sr* 2>/dev/null | wc -l)" -ge "$want" ] && [ -b /dev/vda ] && break
	sleep 0.5; n=$((n + 1))
done
echo "KRB-DEVICES $(ls /dev/sr* 2>/dev/null | wc -l)/$want" >/dev/ttyS0
{
	for d in /dev/sr*; do
		vol=$(dd if="$d" bs=2048 skip=16 count=1 2>/dev/null | dd bs=1 skip=40 count=32 2>/dev/null | tr -d ' ')
		mount_all "$d" "$vol" /mnt
	done
	echo "@@ LOG"
	dmesg
	echo "@@ END"
} >/tmp/out 2>&1
cat /tmp/out >/dev/vda
sync
echo KRB-DONE >/dev/ttyS0
poweroff -f
EOF
	} >"$ir/init"
	chmod 755 "$ir/init"
	( cd "$ir" && find . | cpio -o -H newc --quiet | gzip -1 ) >"$W/initrd.img"
	truncate -s 256M "$W/out.img"
	local args=()
	while read -r vol mode tree img name; do
		args+=(-drive "if=none,id=cd$i,file=$img,format=raw,media=cdrom,readonly=on"
		       -device "scsi-cd,drive=cd$i,bus=scsi0.0,scsi-id=$i,lun=0")
		i=$((i + 1))
	done <"$VOLS"
	rm -f "$log"
	"$QEMU" -accel tcg -m 1024 -display none -monitor none -no-reboot \
		-serial "file:$log" -kernel "$CACHE/vmlinuz" -initrd "$W/initrd.img" \
		-append "console=ttyS0 panic=-1 quiet" \
		-device virtio-scsi-pci,id=scsi0 "${args[@]}" \
		-drive "file=$W/out.img,if=virtio,format=raw" \
		>"$W/qemu.out" 2>&1 &
	pid=$!
	while [ "$waited" -lt $((KRB_TIMEOUT * 2)) ]; do
		grep -a -q KRB-DONE "$log" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
		waited=$((waited + 1))
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if ! grep -a -q KRB-DONE "$log" 2>/dev/null; then
		e2e_fail "qemu: no KRB-DONE marker; serial tail: $(tail -c 300 "$log" 2>/dev/null | tr -d '\r' | tr '\n' ' ') $(tail -n 2 "$W/qemu.out")"
		return 1
	fi
	echo "# $(grep -a KRB-DEVICES "$log" | tr -d '\r') CD-ROMs seen by the guest (kernel $KRB_KVER)"
	# the guest wrote text then zeros: cut at the first NUL
	tr -d '\r' <"$W/out.img" | "$PY" -c '
import sys
d = sys.stdin.buffer.read()
n = d.find(b"\0")
sys.stdout.buffer.write(d if n < 0 else d[:n])' >"$OUT"
	rm -f "$W/out.img"
}

if ! krb_loop; then
	krb_qemu || e2e_done
fi

while IFS= read -r line; do
	case $line in
	ok\ *) e2e_ok "${line#ok }" ;;
	FAIL\ *) e2e_fail "${line#FAIL }" ;;
	*) echo "# $line" ;;
	esac
done < <(KRB_MASK_ATIME=$MASK_CLOCK krb_py check "$VOLS" "$OUT")
e2e_done
