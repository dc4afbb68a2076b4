#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Files of 4 GiB and more: refused below -iso-level 3 with a message that
# names the file; at level 3 written as two file sections (ECMA-119 9.1.6
# bit 7), which xorriso and 7z read back as one file of the right size,
# and whose last bytes (a marker) sit where the second record says.
set -u
: "${ELT_CLI:?}" "${ELT_BUILDDIR:?}"
pass=0
fail=0
ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
work=$(mktemp -d "$ELT_BUILDDIR/tmp-bigfile-XXXXXX")
trap 'rm -rf "$work"' EXIT
avail=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
if [ "${avail:-0}" -lt 6000000 ]; then
	echo "less than 6 GB free under $ELT_BUILDDIR: skipped"
	exit 77
fi
mkdir "$work/tree"
size=$((4 * 1024 * 1024 * 1024 + 4096))
truncate -s $((size - 8)) "$work/tree/big.img"
printf 'ENDMARK!' >>"$work/tree/big.img"
echo small >"$work/tree/small.txt"
export SOURCE_DATE_EPOCH=1700000000

"$ELT_CLI" -quiet -o "$work/l2.iso" "$work/tree" 2>"$work/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "big.img" "$work/err" && [ ! -e "$work/l2.iso" ]; then
	ok level2_refused
else
	bad level2_refused "rc=$rc, $(head -c 300 "$work/err")"
fi
[ "$(wc -l <"$work/err")" -eq 1 ] && ok level2_one_line || bad level2_one_line "$(cat "$work/err")"

if "$ELT_CLI" -quiet -iso-level 3 -o "$work/l3.iso" "$work/tree" 2>"$work/err"; then
	ok level3_written
else
	bad level3_written "$(cat "$work/err")"
fi
# an ECMA-119 reader written here: records of the root directory
python3 - "$work/l3.iso" "$size" >"$work/py.out" 2>&1 <<'PY'
import struct, sys
path, size = sys.argv[1], int(sys.argv[2])
f = open(path, 'rb')
f.seek(16 * 2048)
pvd = f.read(2048)
root = pvd[156:190]
lba, dlen = struct.unpack('<I', root[2:6])[0], struct.unpack('<I', root[10:14])[0]
f.seek(lba * 2048)
d = f.read(dlen)
recs, off = [], 0
while off < len(d):
    n = d[off]
    if n == 0:
        off = (off // 2048 + 1) * 2048
        continue
    le, be = d[off+2:off+6], d[off+6:off+10]
    assert le == be[::-1], 'both-byte extent halves differ'
    recs.append((d[off+33:off+33+d[off+32]], struct.unpack('<I', le)[0],
                 struct.unpack('<I', d[off+10:off+14])[0], d[off+25]))
    off += n
big = [r for r in recs if r[0].startswith(b'BIG.IMG')]
assert len(big) == 2, big
assert big[0][3] & 0x80 and not big[1][3] & 0x80, 'multi-extent flags'
assert big[0][2] % 2048 == 0, 'first section not whole blocks'
assert big[0][2] + big[1][2] == size, 'section sizes'
assert big[1][1] == big[0][1] + big[0][2] // 2048, 'sections not contiguous'
f.seek(big[1][1] * 2048 + big[1][2] - 8)
assert f.read(8) == b'ENDMARK!', 'marker not at the end of the last section'
print('sections', big)
PY
[ $? -eq 0 ] && ok level3_sections || bad level3_sections "$(tail -3 "$work/py.out")"
if command -v xorriso >/dev/null; then
	got=$(xorriso -indev "$work/l3.iso" -find / -exec lsdl 2>/dev/null |
	      awk "/'\/BIG.IMG'/ { print \$5 }" | head -1)
	[ "$got" = "$size" ] && ok xorriso_size || bad xorriso_size "xorriso says ${got:-nothing}"
else
	echo "xorriso missing: check skipped"
fi
if command -v 7z >/dev/null; then
	got=$(7z l "$work/l3.iso" 2>/dev/null | awk '$NF == "big.img" || $NF == "BIG.IMG" { print $4 }' | head -1)
	[ "$got" = "$size" ] && ok 7z_size || bad 7z_size "7z says ${got:-nothing}"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
