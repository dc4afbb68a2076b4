#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""isocmp.py [--mask KEY]... [--max N] A.iso B.iso

Compare two ISO 9660 images structure by structure with a parser of its
own (it shares no code with libeltorito) and print the FIRST differing
structure in words, e.g.

    directory /D1 record 3 'FOO.;1' field extent: 34 != 35
    PVD field volume_space_size: 190 != 192
    path table L record 4 field parent: 2 != 3
    file /A.TXT;1 data block 2 byte 17: 0x41 != 0x42

or "identical".  Order of comparison: volume descriptors, path tables,
directory trees (records, then their SUSP entries with CE continuations
followed), El Torito catalog, file data, then every byte no structure
claimed (system area, gaps, padding).

Masks name fields that are allowed to differ (fnmatch patterns over keys
such as pvd.app_id, joliet.volume_id, dir.date, dir.dotdot.extent,
dir.symlink.date ('..' records and RR symbolic links have keys of their
own), rr.TF.access, pt.extent,
eltorito.load_rba, file.data, unclaimed) or groups:
    dates  every date field (VD dates, record dates, RR TF)
    clock  the volume descriptor dates only (creation, modification, ...)
    atime  RR TF access time only
Masked fields are compared but not reported.

Exit status: 0 identical (apart from masked fields), 1 different,
2 usage or I/O error.
"""

import argparse
import fnmatch
import mmap
import os
import sys

BLOCK = 2048                # ECMA-119 6.1.2: logical sector size
VD_FIRST = 16               # ECMA-119 6.2.1: system area is blocks 0-15
VD_MAX = 64                 # stop looking for a terminator after this many
DR_MIN = 34                 # ECMA-119 9.1: fixed part 33 bytes + 1 id byte
ENTRY = 32                  # El Torito 2.0: catalog entry size
MAX_CE_CHAIN = 64           # SUSP 5.1: bound for following CE entries

GROUPS = {
    'dates': ['*_date', '*.date', 'rr.TF.*'],
    'clock': ['*.creation_date', '*.modification_date',
              '*.expiration_date', '*.effective_date'],
    'atime': ['rr.TF.access'],
}


class Malformed(Exception):
    """A structure of one image cannot be parsed."""


class Stop(Exception):
    """Enough differences were reported."""


# ---------------------------------------------------------------- decoding

def le16(b, o=0):
    return b[o] | b[o + 1] << 8


def be16(b, o=0):
    return b[o] << 8 | b[o + 1]


def le32(b, o=0):
    return int.from_bytes(b[o:o + 4], 'little')


def be32(b, o=0):
    return int.from_bytes(b[o:o + 4], 'big')


def both32(b, o=0):
    """ECMA-119 7.3.3; a disagreeing big-endian half stays visible."""
    lo, hi = le32(b, o), be32(b, o + 4)
    return lo if lo == hi else '%d(le)/%d(be)' % (lo, hi)


def both16(b, o=0):
    """ECMA-119 7.2.3."""
    lo, hi = le16(b, o), be16(b, o + 2)
    return lo if lo == hi else '%d(le)/%d(be)' % (lo, hi)


def date7(b):
    """ECMA-119 9.1.5: seven-byte recording date."""
    if not any(b):
        return '0 (unspecified)'
    off = b[6] - 256 if b[6] > 127 else b[6]
    return '%04d-%02d-%02d %02d:%02d:%02d %+d' % (
        1900 + b[0], b[1], b[2], b[3], b[4], b[5], off)


def date17(b):
    """ECMA-119 8.4.26.1: seventeen-byte volume descriptor date."""
    off = b[16] - 256 if b[16] > 127 else b[16]
    return '%s %+d' % (b[:16].decode('latin-1'), off)


def text(b, ucs2=False):
    if ucs2:
        return "'%s'" % b.decode('utf-16-be', 'replace').rstrip(' \0')
    return "'%s'" % b.decode('latin-1').rstrip(' ')


def hexs(b, limit=24):
    s = b[:limit].hex(' ')
    return s + (' ...' if len(b) > limit else '') if b else '(empty)'


class F:
    """One decoded field: comparison is on raw bytes, display is words."""
    __slots__ = ('name', 'raw', 'shown')

    def __init__(self, name, raw, shown=None):
        self.name = name
        self.raw = bytes(raw)
        self.shown = shown


def u8f(name, b, o):
    return F(name, b[o:o + 1], b[o])


def fields_from(spec, b, ucs2=False):
    """spec: (offset, length, name, kind) tuples covering a structure."""
    out = []
    for off, ln, name, kind in spec:
        raw = b[off:off + ln]
        if kind == 'u8':
            shown = raw[0] if raw else None
        elif kind == 'b16':
            shown = both16(raw)
        elif kind == 'b32':
            shown = both32(raw)
        elif kind == 'le16':
            shown = le16(raw)
        elif kind == 'le32':
            shown = le32(raw)
        elif kind == 'be32':
            shown = be32(raw)
        elif kind == 'str':
            shown = text(raw, ucs2)
        elif kind == 'astr':
            shown = text(raw, False)
        elif kind == 'd17':
            shown = date17(raw)
        else:
            shown = None
        out.append(F(name, raw, shown))
    return out


VD_SPEC = [
    (0, 1, 'type', 'u8'), (1, 5, 'standard_id', 'astr'),
    (6, 1, 'version', 'u8'), (7, 1, 'flags', 'u8'),
    (8, 32, 'system_id', 'str'), (40, 32, 'volume_id', 'str'),
    (72, 8, 'unused_72', 'raw'), (80, 8, 'volume_space_size', 'b32'),
    (88, 32, 'escape_sequences', 'raw'), (120, 4, 'volume_set_size', 'b16'),
    (124, 4, 'volume_seqno', 'b16'), (128, 4, 'block_size', 'b16'),
    (132, 8, 'path_table_size', 'b32'), (140, 4, 'l_path_table', 'le32'),
    (144, 4, 'opt_l_path_table', 'le32'), (148, 4, 'm_path_table', 'be32'),
    (152, 4, 'opt_m_path_table', 'be32'),
    # 156..189 root record: decoded separately
    (190, 128, 'volume_set_id', 'str'), (318, 128, 'publisher_id', 'str'),
    (446, 128, 'preparer_id', 'str'), (574, 128, 'app_id', 'str'),
    (702, 37, 'copyright_file', 'str'), (739, 37, 'abstract_file', 'str'),
    (776, 37, 'biblio_file', 'str'), (813, 17, 'creation_date', 'd17'),
    (830, 17, 'modification_date', 'd17'),
    (847, 17, 'expiration_date', 'd17'), (864, 17, 'effective_date', 'd17'),
    (881, 1, 'file_structure_version', 'u8'), (882, 1, 'reserved_882', 'raw'),
    (883, 512, 'app_use', 'raw'), (1395, 653, 'reserved_1395', 'raw'),
]
BOOT_VD_SPEC = [
    (0, 1, 'type', 'u8'), (1, 5, 'standard_id', 'astr'),
    (6, 1, 'version', 'u8'), (7, 32, 'boot_system_id', 'astr'),
    (39, 32, 'boot_id', 'raw'), (71, 4, 'catalog_lba', 'le32'),
    (75, 1973, 'unused_75', 'raw'),
]
OTHER_VD_SPEC = [
    (0, 1, 'type', 'u8'), (1, 5, 'standard_id', 'astr'),
    (6, 1, 'version', 'u8'), (7, 2041, 'data', 'raw'),
]
VALIDATION_SPEC = [
    (0, 1, 'header_id', 'u8'), (1, 1, 'platform', 'u8'),
    (2, 2, 'reserved_2', 'raw'), (4, 24, 'id_string', 'astr'),
    (28, 2, 'checksum', 'le16'), (30, 2, 'key', 'raw'),
]
BOOT_ENTRY_SPEC = [
    (0, 1, 'boot_indicator', 'u8'), (1, 1, 'media', 'u8'),
    (2, 2, 'load_segment', 'le16'), (4, 1, 'system_type', 'u8'),
    (5, 1, 'unused_5', 'u8'), (6, 2, 'sector_count', 'le16'),
    (8, 4, 'load_rba', 'le32'), (12, 1, 'criteria_type', 'u8'),
    (13, 19, 'criteria', 'raw'),
]
SECTION_HEADER_SPEC = [
    (0, 1, 'header_indicator', 'u8'), (1, 1, 'platform', 'u8'),
    (2, 2, 'entries', 'le16'), (4, 28, 'id_string', 'astr'),
]
EXTENSION_SPEC = [(0, 1, 'indicator', 'u8'), (1, 31, 'data', 'raw')]


class Record:
    """ECMA-119 9.1 directory record, with its position."""

    def __init__(self, raw, block, offset, ucs2):
        self.raw = raw
        self.block = block
        self.offset = offset
        nlen = raw[32]
        if 33 + nlen > len(raw):
            raise Malformed('record at block %d offset %d: identifier '
                            'length %d overruns record length %d'
                            % (block, offset, nlen, len(raw)))
        self.ident = raw[33:33 + nlen]
        self.extent = le32(raw, 2)
        self.size = le32(raw, 10)
        self.flags = raw[25]
        su = 33 + nlen + (1 - nlen % 2)     # 9.1.12: pad byte if LEN_FI even
        self.pad = raw[33 + nlen:su]
        self.su = raw[su:]
        if self.ident == b'\0':
            self.name = '.'
        elif self.ident == b'\1':
            self.name = '..'
        elif ucs2:
            self.name = self.ident.decode('utf-16-be', 'replace')
        else:
            self.name = self.ident.decode('latin-1')

    def fields(self):
        r = self.raw
        return [
            u8f('len_dr', r, 0), u8f('ext_attr_len', r, 1),
            F('extent', r[2:10], both32(r, 2)),
            F('size', r[10:18], both32(r, 10)),
            F('date', r[18:25], date7(r[18:25])),
            F('flags', r[25:26], '0x%02x' % r[25]),
            u8f('unit_size', r, 26), u8f('interleave_gap', r, 27),
            F('volume_seqno', r[28:32], both16(r, 28)),
            u8f('name_len', r, 32),
            F('name', self.ident, "'%s'" % self.name),
            F('name_pad', self.pad, hexs(self.pad)),
        ]


# ---------------------------------------------------------------- images

class Image:
    def __init__(self, path, tag):
        self.path = path
        self.tag = tag
        self.fh = open(path, 'rb')
        self.length = os.fstat(self.fh.fileno()).st_size
        self.data = (mmap.mmap(self.fh.fileno(), 0, access=mmap.ACCESS_READ)
                     if self.length else b'')
        self.claims = []            # byte ranges parsed as structures

    def read(self, lba, n, off=0):
        start = lba * BLOCK + off
        if n < 0 or start + n > self.length:
            raise Malformed('%s: read of %d bytes at block %d offset %d '
                            'beyond the end of the image (%d bytes)'
                            % (self.tag, n, lba, off, self.length))
        return bytes(self.data[start:start + n])

    def claim(self, lba, nbytes, off=0):
        start = lba * BLOCK + off
        end = min(start + nbytes, self.length)
        if end > start:
            self.claims.append((start, end))

    def claim_blocks(self, lba, nbytes):
        """Claim whole blocks (a file's tail slack belongs to it)."""
        nblocks = (nbytes + BLOCK - 1) // BLOCK
        self.claim(lba, nblocks * BLOCK)


class Tree:
    """One directory hierarchy: the PVD's, the Joliet SVD's or the EVD's."""

    def __init__(self, kind, label, vd_a, vd_b):
        self.kind = kind                    # 'pvd', 'joliet', 'evd'
        self.label = label                  # 'PVD', 'Joliet SVD', 'EVD'
        self.prefix = '' if kind == 'pvd' else kind + ' '
        self.ucs2 = kind == 'joliet'
        self.vd = (vd_a, vd_b)


# ---------------------------------------------------------------- compare

class Comparer:
    def __init__(self, a, b, masks, maxdiff):
        self.a = a
        self.b = b
        self.patterns = []
        for m in masks:
            self.patterns.extend(GROUPS.get(m, [m]))
        self.maxdiff = maxdiff
        self.diffs = []
        self.masked_hits = set()
        self.files = []             # (label, a_extent, a_size, b_ext, b_size)
        self.seen_files = set()

    # -- reporting
    def is_masked(self, key):
        return any(fnmatch.fnmatchcase(key, p) for p in self.patterns)

    def report(self, msg):
        self.diffs.append(msg)
        if len(self.diffs) >= self.maxdiff:
            raise Stop()

    def field(self, label, key, fa, fb):
        if fa.raw == fb.raw:
            return True
        if self.is_masked(key):
            self.masked_hits.add(key)
            return True
        if fa.shown is not None and fa.shown != fb.shown:
            self.report('%s field %s: %s != %s'
                        % (label, fa.name, fa.shown, fb.shown))
        else:
            self.report('%s field %s %s'
                        % (label, fa.name, first_byte_diff(fa.raw, fb.raw)))
        return False

    def fields(self, label, prefix, la, lb):
        ok = True
        for fa, fb in zip(la, lb):
            ok = self.field(label, prefix + '.' + fa.name, fa, fb) and ok
        return ok

    def both(self, label, fn, *args):
        """Run a parser on both images; a failure is a difference."""
        res = []
        for img, arg in zip((self.a, self.b), args):
            try:
                res.append(fn(img, *arg))
            except Malformed as e:
                self.report('%s: malformed in %s: %s' % (label, img.tag, e))
                return None
        return res

    # -- volume descriptors
    def compare_vds(self):
        vds = self.both('volume descriptor set', read_vds, (), ())
        if vds is None:
            return []
        va, vb = vds
        for i, (a, b) in enumerate(zip(va, vb)):
            ka, kb = vd_kind(a), vd_kind(b)
            label = vd_label(ka)
            if ka != kb:
                self.report('volume descriptor %d (block %d): %s != %s'
                            % (i + 1, VD_FIRST + i, label, vd_label(kb)))
                continue
            self.compare_vd(ka, label, a, b)
        if len(va) != len(vb):
            self.report('volume descriptor set: %d descriptors != %d'
                        % (len(va), len(vb)))
        for img, lst in ((self.a, va), (self.b, vb)):
            img.claim(VD_FIRST, len(lst) * BLOCK)
        return list(zip(va, vb))

    def compare_vd(self, kind, label, a, b):
        if kind in ('pvd', 'joliet', 'evd', 'svd'):
            ucs2 = kind == 'joliet'
            self.fields(label, kind, fields_from(VD_SPEC, a, ucs2),
                        fields_from(VD_SPEC, b, ucs2))
            ra = Record(a[156:190], VD_FIRST, 156, ucs2)
            rb = Record(b[156:190], VD_FIRST, 156, ucs2)
            self.fields(label + ' root record', kind + '.root',
                        ra.fields() + [F('system_use', ra.su, hexs(ra.su))],
                        rb.fields() + [F('system_use', rb.su, hexs(rb.su))])
        elif kind == 'boot':
            self.fields(label, 'boot', fields_from(BOOT_VD_SPEC, a),
                        fields_from(BOOT_VD_SPEC, b))
        else:
            self.fields(label, kind, fields_from(OTHER_VD_SPEC, a),
                        fields_from(OTHER_VD_SPEC, b))

    # -- path tables
    def compare_path_tables(self, tree):
        va, vb = tree.vd
        size_a, size_b = le32(va, 132), le32(vb, 132)
        for which, off, big in (('L', 140, False), ('M', 148, True)):
            la, lb = le32(va, off), le32(vb, off)
            if big:
                la, lb = be32(va, off), be32(vb, off)
            label = '%spath table %s' % (tree.prefix, which)
            res = self.both(label, read_path_table, (la, size_a, big),
                            (lb, size_b, big))
            if res is None:
                continue
            pa, pb = res
            for i, (ra, rb) in enumerate(zip(pa, pb)):
                self.fields('%s record %d' % (label, i + 1), 'pt', ra, rb)
            if len(pa) != len(pb):
                self.report('%s: %d records != %d' % (label, len(pa), len(pb)))
            # the rest of the table's last block belongs to the table
            sa = self.a.read(la, blocks_of(size_a) * BLOCK)[size_a:]
            sb = self.b.read(lb, blocks_of(size_b) * BLOCK)[size_b:]
            self.field(label, 'pt.slack', F('slack', sa), F('slack', sb))
            self.a.claim_blocks(la, size_a)
            self.b.claim_blocks(lb, size_b)

    # -- directory trees
    def compare_tree(self, tree):
        va, vb = tree.vd
        root_a = Record(va[156:190], VD_FIRST, 156, tree.ucs2)
        root_b = Record(vb[156:190], VD_FIRST, 156, tree.ucs2)
        skip = [None, None]
        if tree.kind == 'pvd':
            for i, (img, root) in enumerate(((self.a, root_a),
                                             (self.b, root_b))):
                try:
                    skip[i] = susp_skip(img, root)
                except Malformed:
                    skip[i] = None
        visited = set()
        stack = [('/', root_a.extent, root_a.size, root_b.extent,
                  root_b.size, 1)]
        while stack:
            path, ea, sa, eb, sb, depth = stack.pop()
            if (ea, eb) in visited or depth > 256:
                continue
            visited.add((ea, eb))
            children = self.compare_dir(tree, path, (ea, sa), (eb, sb), skip)
            for child in reversed(children):
                stack.append(child + (depth + 1,))

    def compare_dir(self, tree, path, loc_a, loc_b, skip):
        label = '%sdirectory %s' % (tree.prefix, path)
        res = self.both(label, read_dir, loc_a + (tree.ucs2,),
                        loc_b + (tree.ucs2,))
        if res is None:
            return []
        (ra, slack_a), (rb, slack_b) = res
        children = []
        for i, (a, b) in enumerate(zip(ra, rb)):
            rlabel = "%s record %d '%s'" % (label, i + 1, a.name)
            fa, fb = a.fields(), b.fields()
            # name first: it says best what went wrong
            # '..' fields have their own keys: dir.dotdot.extent etc.
            key = 'dir.dotdot' if i == 1 else 'dir'
            # symbolic links (RR PX mode) too: dir.symlink.date etc.
            if i > 1 and (is_symlink(self.a, a, skip[0]) or
                          is_symlink(self.b, b, skip[1])):
                key = 'dir.symlink'
            self.field(rlabel, key + '.name', fa[10], fb[10])
            self.field(rlabel, key + '.position',
                       F('position', b'%d/%d' % (a.block, a.offset),
                         'block %d offset %d' % (a.block, a.offset)),
                       F('position', b'%d/%d' % (b.block, b.offset),
                         'block %d offset %d' % (b.block, b.offset)))
            self.fields(rlabel, key, fa[:10] + fa[11:], fb[:10] + fb[11:])
            self.compare_su(rlabel, a, b, skip)
            if i < 2 or a.name != b.name:
                continue
            child = path.rstrip('/') + '/' + a.name
            if a.flags & 0x02 and b.flags & 0x02:
                children.append((child, a.extent, a.size, b.extent, b.size))
            elif not (a.flags & 0x02) and not (b.flags & 0x02):
                key = (a.extent, a.size, b.extent, b.size)
                if key not in self.seen_files:
                    self.seen_files.add(key)
                    self.files.append(('%sfile %s' % (tree.prefix, child),)
                                      + key)
        if len(ra) != len(rb):
            extra = (rb if len(rb) > len(ra) else ra)[min(len(ra), len(rb))]
            self.report("%s: %d records != %d (first unmatched: '%s' in %s)"
                        % (label, len(ra), len(rb), extra.name,
                           'B' if len(rb) > len(ra) else 'A'))
        for i, (s, t) in enumerate(zip(slack_a, slack_b)):
            self.field('%s block %d' % (label, i), 'dir.slack',
                       F('zero fill', s), F('zero fill', t))
        self.a.claim_blocks(loc_a[0], loc_a[1])
        self.b.claim_blocks(loc_b[0], loc_b[1])
        return children

    def compare_su(self, rlabel, a, b, skip):
        if skip[0] is None or skip[1] is None:
            self.field(rlabel, 'dir.system_use', F('system_use', a.su,
                                                   hexs(a.su)),
                       F('system_use', b.su, hexs(b.su)))
            return
        res = self.both(rlabel + ' system use', parse_susp, (a, skip[0]),
                        (b, skip[1]))
        if res is None:
            return
        ea, eb = res
        for j, (x, y) in enumerate(zip(ea, eb)):
            elabel = '%s SUSP entry %d (%s)' % (rlabel, j + 1, x[0])
            if x[0] != y[0]:
                self.report('%s field signature: %s != %s'
                            % (elabel, x[0], y[0]))
                return
            self.fields(elabel, 'rr.' + x[0], x[1], y[1])
        if len(ea) != len(eb):
            self.report('%s: %d SUSP entries != %d (%s)' % (
                rlabel, len(ea), len(eb),
                ' '.join(e[0] for e in (ea if len(ea) > len(eb) else eb))))

    # -- El Torito
    def compare_eltorito(self, vd_pairs):
        for va, vb in vd_pairs:
            if vd_kind(va) != 'boot' or vd_kind(vb) != 'boot':
                continue
            ca, cb = le32(va, 71), le32(vb, 71)
            res = self.both('boot catalog', read_catalog, (ca,), (cb,))
            if res is None:
                return
            (ea, rest_a), (eb, rest_b) = res
            boots = []
            for i, (x, y) in enumerate(zip(ea, eb)):
                label = 'boot catalog entry %d (%s)' % (i, x[0])
                if x[0] != y[0]:
                    self.report('%s: kind %s != %s' % (label, x[0], y[0]))
                    break
                self.fields(label, 'eltorito', x[1], y[1])
                if x[0] in ('default', 'section'):
                    boots.append((i, x[2], y[2]))
            if len(ea) != len(eb):
                self.report('boot catalog: %d entries != %d'
                            % (len(ea), len(eb)))
            self.field('boot catalog', 'eltorito.rest',
                       F('after last entry', rest_a),
                       F('after last entry', rest_b))
            self.a.claim(ca, BLOCK)
            self.b.claim(cb, BLOCK)
            for i, (rba, cnt_a), (rbb, cnt_b) in boots:
                key = (rba, cnt_a * 512, rbb, cnt_b * 512)
                if key not in self.seen_files:
                    self.seen_files.add(key)
                    self.files.append(('boot image (catalog entry %d)' % i,)
                                      + key)
            return

    # -- file data
    def compare_files(self):
        for label, ea, sa, eb, sb in self.files:
            nb = blocks_of(max(sa, sb))
            try:
                da = self.a.read(ea, min(nb * BLOCK, max(0, self.a.length -
                                                         ea * BLOCK)))
                db = self.b.read(eb, min(nb * BLOCK, max(0, self.b.length -
                                                         eb * BLOCK)))
            except Malformed as e:
                self.report('%s data: %s' % (label, e))
                continue
            self.a.claim_blocks(ea, sa)
            self.b.claim_blocks(eb, sb)
            # whole blocks: the zero tail of the last block belongs to it
            da = da[:blocks_of(sa) * BLOCK]
            db = db[:blocks_of(sb) * BLOCK]
            if da == db:
                continue
            if self.is_masked('file.data'):
                self.masked_hits.add('file.data')
                continue
            n = min(len(da), len(db))
            blk = next((k for k in range(0, n, BLOCK)
                        if da[k:k + BLOCK] != db[k:k + BLOCK]), n)
            pos = next((k for k in range(blk, min(n, blk + BLOCK))
                        if da[k] != db[k]), n)
            if pos == n:
                self.report('%s data: %d blocks != %d'
                            % (label, blocks_of(sa), blocks_of(sb)))
            else:
                self.report('%s data block %d byte %d: 0x%02x != 0x%02x'
                            % (label, pos // BLOCK, pos % BLOCK, da[pos],
                               db[pos]))

    # -- everything else
    def compare_unclaimed(self, term_block):
        a, b = self.a, self.b
        if a.length != b.length:
            self.report('image size: %d bytes (%d blocks) != %d bytes '
                        '(%d blocks)' % (a.length, a.length // BLOCK,
                                         b.length, b.length // BLOCK))
        end = min(a.length, b.length)
        pos = 0
        last_claim = max((e for s, e in a.claims), default=0)
        for s, e in sorted(a.claims) + [(end, end)]:
            if s > pos:
                self.compare_gap(pos, min(s, end), term_block, last_claim)
            pos = max(pos, e)
            if pos >= end:
                break

    def compare_gap(self, start, end, term_block, last_claim):
        if start >= end:
            return
        da = self.a.data[start:end]
        db = self.b.data[start:end]
        if da == db:
            return
        k = next(i for i in range(end - start) if da[i] != db[i])
        off = start + k
        blk = off // BLOCK
        if blk < VD_FIRST:
            what = 'system area'
        elif blk == term_block + 1:
            what = 'block after the terminator (version descriptor)'
        elif off >= last_claim:
            what = 'trailing padding'
        else:
            what = 'unreferenced block'
        if self.is_masked('unclaimed'):
            self.masked_hits.add('unclaimed')
            return
        self.report('%s: block %d byte %d: 0x%02x != 0x%02x'
                    % (what, blk, off % BLOCK, da[k], db[k]))

    # -- driver
    def run(self):
        pairs = self.compare_vds()
        trees = []
        term = VD_FIRST
        for i, (va, vb) in enumerate(pairs):
            kind = vd_kind(va)
            if kind == 'terminator':
                term = VD_FIRST + i
            if kind in ('pvd', 'joliet', 'evd') and vd_kind(vb) == kind:
                trees.append(Tree(kind, vd_label(kind), va, vb))
        seen = set()
        for t in trees:
            # G's level-4 EVD shares the PVD's tables and tree
            key = (le32(t.vd[0], 140), le32(t.vd[1], 140))
            if key in seen:
                continue
            seen.add(key)
            self.compare_path_tables(t)
        seen = set()
        for t in trees:
            key = (le32(t.vd[0], 158), le32(t.vd[1], 158))
            if key in seen:
                continue
            seen.add(key)
            self.compare_tree(t)
        self.compare_eltorito(pairs)
        self.compare_files()
        self.compare_unclaimed(term)


def first_byte_diff(a, b):
    n = min(len(a), len(b))
    for k in range(n):
        if a[k] != b[k]:
            return 'byte %d: 0x%02x != 0x%02x' % (k, a[k], b[k])
    return 'length %d != %d' % (len(a), len(b))


def same_bytes(a, b):
    if a.length != b.length:
        return False
    step = 1 << 24
    return all(a.data[p:p + step] == b.data[p:p + step]
               for p in range(0, a.length, step))


def blocks_of(nbytes):
    return (nbytes + BLOCK - 1) // BLOCK


# ---------------------------------------------------------------- parsers

def read_vds(img):
    out = []
    for i in range(VD_MAX):
        lba = VD_FIRST + i
        if (lba + 1) * BLOCK > img.length:
            raise Malformed('no volume descriptor set terminator')
        vd = img.read(lba, BLOCK)
        if vd[1:6] not in (b'CD001',):
            if i == 0:
                raise Malformed('no CD001 volume descriptor at block 16')
            raise Malformed('block %d: not a volume descriptor' % lba)
        out.append(vd)
        if vd[0] == 255:
            return out
    raise Malformed('no terminator within %d descriptors' % VD_MAX)


def vd_kind(vd):
    t = vd[0]
    if t == 0:
        return 'boot'
    if t == 1:
        return 'pvd'
    if t == 2:
        if vd[6] == 2:
            return 'evd'
        if vd[88:90] == b'%/':
            return 'joliet'
        return 'svd'
    if t == 255:
        return 'terminator'
    return 'type%d' % t


def vd_label(kind):
    return {'boot': 'boot record', 'pvd': 'PVD', 'joliet': 'Joliet SVD',
            'evd': 'EVD', 'svd': 'SVD',
            'terminator': 'terminator'}.get(kind, kind)


def read_path_table(img, lba, size, big):
    """ECMA-119 9.4: path table records."""
    data = img.read(lba, size)
    out = []
    pos = 0
    u32 = be32 if big else le32
    u16 = be16 if big else le16
    while pos < size:
        if pos + 8 > size:
            raise Malformed('record %d truncated at byte %d'
                            % (len(out) + 1, pos))
        n = data[pos]
        if n == 0:
            raise Malformed('record %d has identifier length 0'
                            % (len(out) + 1))
        rec = data[pos:pos + 8 + n + (n & 1)]
        if len(rec) < 8 + n:
            raise Malformed('record %d overruns the table' % (len(out) + 1))
        ident = rec[8:8 + n]
        out.append([
            F('name_len', rec[0:1], n), F('ext_attr_len', rec[1:2], rec[1]),
            F('extent', rec[2:6], u32(rec, 2)),
            F('parent', rec[6:8], u16(rec, 6)),
            F('name', ident, repr(ident.decode('latin-1'))
              if ident[:1] != b'\0' or n > 1 else "'<root>'"),
            F('pad', rec[8 + n:], hexs(rec[8 + n:])),
        ])
        pos += len(rec)
    return out


def read_dir(img, lba, size, ucs2):
    """ECMA-119 6.8.1.1: records never cross a block; 0 fills the rest."""
    nblocks = blocks_of(size)
    if nblocks == 0:
        raise Malformed('directory at block %d has size 0' % lba)
    data = img.read(lba, nblocks * BLOCK)
    recs = []
    slack = []
    for blk in range(nblocks):
        base = blk * BLOCK
        pos = 0
        while pos < BLOCK:
            n = data[base + pos]
            if n == 0:
                break
            if n < DR_MIN or pos + n > BLOCK:
                raise Malformed('block %d offset %d: record length %d'
                                % (lba + blk, pos, n))
            recs.append(Record(data[base + pos:base + pos + n], lba + blk,
                               pos, ucs2))
            pos += n
        slack.append(data[base + pos:base + BLOCK])
    if len(recs) < 2:
        raise Malformed('directory at block %d lacks . and ..' % lba)
    return recs, slack


def susp_skip(img, root):
    """SUSP 5.3: SP in the root's '.' record says SUSP is in use."""
    recs, _ = read_dir(img, root.extent, root.size, False)
    su = recs[0].su
    if len(su) >= 7 and su[0:2] == b'SP' and su[4:6] == b'\xbe\xef':
        return su[6]
    return None


TF_NAMES = ['creation', 'modify', 'access', 'attributes', 'backup',
            'expiration', 'effective']


def susp_fields(sig, e):
    """Decode one SUSP/RRIP entry (header included) into fields."""
    f = [F('len', e[2:3], e[2]), F('version', e[3:4], e[3])]
    d = e[4:]
    used = 0
    if sig == 'SP':
        f += [F('check', d[0:2], hexs(d[0:2])), F('len_skp', d[2:3])]
        used = 3
    elif sig in ('RR', 'NM', 'SL', 'ES'):
        f.append(F('flags', d[0:1], '0x%02x' % d[0] if d else None))
        used = 1
        if sig == 'NM':
            f.append(F('name', d[1:], repr(d[1:].decode('latin-1'))))
            used = len(d)
        elif sig == 'SL':
            f.append(F('components', d[1:], sl_text(d[1:])))
            used = len(d)
    elif sig == 'PX':
        names = ['mode', 'nlink', 'uid', 'gid', 'ino']
        for k in range(min(5, len(d) // 8)):
            v = both32(d, 8 * k)
            if k == 0 and isinstance(v, int):
                v = '0%o' % v
            f.append(F(names[k], d[8 * k:8 * k + 8], v))
        used = 8 * min(5, len(d) // 8)
    elif sig == 'PN':
        f += [F('dev_high', d[0:8], both32(d, 0)),
              F('dev_low', d[8:16], both32(d, 8))]
        used = 16
    elif sig in ('CL', 'PL'):
        f.append(F('location', d[0:8], both32(d, 0)))
        used = 8
    elif sig == 'CE':
        f += [F('block', d[0:8], both32(d, 0)),
              F('offset', d[8:16], both32(d, 8)),
              F('length', d[16:24], both32(d, 16))]
        used = 24
    elif sig == 'TF' and d:
        fl = d[0]
        f.append(F('flags', d[0:1], '0x%02x' % fl))
        width = 17 if fl & 0x80 else 7
        pos = 1
        for bit, name in enumerate(TF_NAMES):
            if fl & (1 << bit):
                raw = d[pos:pos + width]
                shown = date17(raw) if width == 17 and len(raw) == 17 else \
                    (date7(raw) if len(raw) == 7 else None)
                f.append(F(name, raw, shown))
                pos += width
        used = pos
    elif sig == 'ER' and len(d) >= 4:
        li, ld, ls = d[0], d[1], d[2]
        f += [F('len_id', d[0:1], li), F('len_des', d[1:2], ld),
              F('len_src', d[2:3], ls), F('ext_ver', d[3:4], d[3])]
        p = 4
        for name, n in (('identifier', li), ('descriptor', ld),
                        ('source', ls)):
            f.append(F(name, d[p:p + n], repr(d[p:p + n].decode('latin-1'))))
            p += n
        used = p
    if used < len(d):
        f.append(F('data' if used == 0 else 'tail', d[used:], hexs(d[used:])))
    return f


def sl_text(c):
    out = []
    p = 0
    while p + 2 <= len(c):
        fl, n = c[p], c[p + 1]
        part = c[p + 2:p + 2 + n].decode('latin-1')
        tag = {2: '.', 4: '..', 8: '/'}.get(fl & 0x0e, part)
        out.append(tag + ('+' if fl & 1 else ''))
        p += 2 + n
    return repr('|'.join(out))


def parse_susp(img, rec, skip):
    """SUSP entries of one record, following CE continuation areas."""
    area = rec.su[skip:]
    entries = []
    for _ in range(MAX_CE_CHAIN):
        ce = None
        pos = 0
        while pos + 4 <= len(area):
            sig = area[pos:pos + 2]
            n = area[pos + 2]
            if n < 4 or pos + n > len(area):
                break
            e = area[pos:pos + n]
            name = sig.decode('latin-1')
            if name == 'ST':        # SUSP 5.4: ends the area
                entries.append((name, susp_fields(name, e)))
                pos = len(area)
                break
            entries.append((name, susp_fields(name, e)))
            if name == 'CE' and n >= 28:
                ce = (le32(e, 4), le32(e, 12), le32(e, 20))
            pos += n
        if pos < len(area):
            entries.append(('trailing bytes', [F('bytes', area[pos:],
                                                 hexs(area[pos:]))]))
        if ce is None:
            return entries
        blk, off, ln = ce
        if off + ln > BLOCK:
            raise Malformed('CE area %d+%d crosses block %d' % (off, ln, blk))
        area = img.read(blk, ln, off)
        img.claim(blk, BLOCK)
    raise Malformed('more than %d chained CE entries' % MAX_CE_CHAIN)


def is_symlink(img, rec, skip):
    """RRIP PX says S_IFLNK; False without SUSP or when unreadable."""
    if skip is None:
        return False
    try:
        entries = parse_susp(img, rec, skip)
    except Malformed:
        return False
    for sig, fields in entries:
        if sig == 'PX':
            mode = [f for f in fields if f.name == 'mode']
            if mode and len(mode[0].raw) == 8:
                return le32(mode[0].raw) & 0o170000 == 0o120000
    return False


def read_catalog(img, lba):
    """El Torito 2.0 section 2: 32-byte entries up to the first zero one."""
    cat = img.read(lba, BLOCK)
    if cat[0] != 1 or cat[30:32] != b'\x55\xaa':
        raise Malformed('block %d holds no validation entry' % lba)
    out = [('validation', fields_from(VALIDATION_SPEC, cat[0:32]))]
    more = True
    i = 1
    while i < BLOCK // ENTRY:
        e = cat[i * ENTRY:(i + 1) * ENTRY]
        if not any(e):
            break
        if i == 1:
            out.append(('default', fields_from(BOOT_ENTRY_SPEC, e),
                        (le32(e, 8), le16(e, 6))))
        elif e[0] in (0x90, 0x91):
            out.append(('section header', fields_from(SECTION_HEADER_SPEC,
                                                      e)))
            more = e[0] == 0x90
        elif e[0] == 0x44:
            out.append(('extension', fields_from(EXTENSION_SPEC, e)))
        else:
            out.append(('section', fields_from(BOOT_ENTRY_SPEC, e),
                        (le32(e, 8), le16(e, 6))))
        i += 1
    del more
    return out, cat[i * ENTRY:]


# ---------------------------------------------------------------- main

def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--mask', action='append', default=[],
                    help='field key, fnmatch pattern or group to ignore')
    ap.add_argument('--max', type=int, default=1,
                    help='report up to this many differences (default 1)')
    ap.add_argument('a')
    ap.add_argument('b')
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    try:
        a = Image(args.a, 'A')
        b = Image(args.b, 'B')
    except OSError as e:
        print('isocmp: %s: %s' % (e.filename, e.strerror), file=sys.stderr)
        return 2
    if same_bytes(a, b):
        print('identical')
        return 0
    cmp = Comparer(a, b, args.mask, max(1, args.max))
    try:
        cmp.run()
    except Stop:
        pass
    except Malformed as e:
        cmp.diffs.append('malformed: %s' % e)
    if cmp.diffs:
        for d in cmp.diffs:
            print(d)
        return 1
    print('identical')
    if cmp.masked_hits:
        print('masked: ' + ' '.join(sorted(cmp.masked_hits)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
