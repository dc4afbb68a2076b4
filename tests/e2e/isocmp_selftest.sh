#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# isocmp_selftest.sh: prove that isocmp.py can fail, and that it names the
# right structure.  Images come from genisoimage (not from our library);
# each check flips one byte of a known structure in a copy and expects the
# message to name that structure.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

. "$(dirname "$0")/lib.sh"

e2e_have genisoimage || e2e_skip_all "genisoimage not installed"
e2e_init isocmp-selftest 200m

flat=$(e2e_tree mixed)
boot=$(e2e_tree boot)
A=$E2E_OUT/a.iso
J=$E2E_OUT/j.iso
E=$E2E_OUT/e.iso
B=$E2E_OUT/b.iso
genisoimage -quiet -o "$A" "$flat" 2>/dev/null || e2e_skip_all "genisoimage failed"
genisoimage -quiet -R -J -o "$J" "$flat" 2>/dev/null
genisoimage -quiet -R -b boot/isolinux.bin -no-emul-boot -boot-load-size 4 \
	-o "$E" "$boot" 2>/dev/null

# off IMG WHAT: byte offset of a structure, found with a few lines of
# ECMA-119 parsing here (not isocmp's parser)
off() {
	"$PY" - "$@" <<'PYEOF'
import sys
img, what = sys.argv[1], sys.argv[2]
d = open(img, 'rb').read()
B = 2048
le32 = lambda o: int.from_bytes(d[o:o + 4], 'little')
pvd = 16 * B
root = le32(pvd + 156 + 2)


def records(lba):
    o = lba * B
    out = []
    while d[o]:
        out.append(o)
        o += d[o]
    return out


def svd():
    for i in range(17, 30):
        if d[i * B] == 2:
            return i * B
        if d[i * B] == 255:
            break


if what == 'pvd.vss':
    print(pvd + 80)
elif what == 'pvd.vss.be':
    print(pvd + 87)
elif what == 'pvd.app_id':
    print(pvd + 574)
elif what == 'pvd.date':
    print(pvd + 813 + 3)
elif what == 'rec3.extent':
    print(records(root)[2] + 2)
elif what == 'rec3.date':
    print(records(root)[2] + 18 + 5)
elif what == 'rec3.name':
    print(records(root)[2] + 33)
elif what == 'ptl2.parent':
    print(le32(pvd + 140) * B + 10 + 7)
elif what == 'ptm2.extent':
    print(int.from_bytes(d[pvd + 148:pvd + 152], 'big') * B + 10 + 5)
elif what in ('file.data', 'file.name'):
    r = [r for r in records(root)[2:]
         if not d[r + 25] & 2 and le32(r + 10) > 200][0]
    if what == 'file.data':
        print(le32(r + 2) * B + 100)
    else:
        print(d[r + 33:r + 33 + d[r + 32]].decode())
elif what == 'joliet.rec3.name':
    jroot = le32(svd() + 156 + 2)
    print(records(jroot)[2] + 34)
elif what == 'rr.px.uid':
    r = records(root)[2]
    su = r + 33 + d[r + 32] + (1 - d[r + 32] % 2)
    o = d.index(b'PX', su)
    print(o + 4 + 16 + 1)
elif what == 'rr.tf.access':
    r = records(root)[2]
    su = r + 33 + d[r + 32] + (1 - d[r + 32] % 2)
    o = d.index(b'TF', su)
    print(o + 5 + 7 + 4)         # second stamp (access), minute byte
elif what == 'cat.load_rba':
    print(le32(17 * B + 71) * B + 32 + 8)
elif what == 'dotdot.extent':
    sub = [r for r in records(root)[2:] if d[r + 25] & 2][0]
    print(records(le32(sub + 2))[1] + 2)
elif what == 'pad':
    print(len(d) - 5)
elif what == 'sysarea':
    print(446)
elif what == 'ce.er':
    # the ER lives in the CE area of the root's '.' record
    r = records(root)[0]
    o = d.index(b'CE', r + 34, r + d[r])
    print(le32(o + 4) * B + le32(o + 12) + 8)
PYEOF
}

# flip IMG OFFSET OUT: copy IMG with one byte changed (xor 0x5a)
flip() {
	cp "$1" "$3"
	local v
	v=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $(( v ^ 0x5a )))" |
		dd of="$3" bs=1 seek="$2" conv=notrunc status=none
}

# expect NAME WANT_RC PATTERN ISOCMP-ARGS...
expect() {
	local name=$1 want=$2 pat=$3; shift 3
	local msg rc
	msg=$($ISOCMP "$@" 2>&1); rc=$?
	if [ "$rc" -ne "$want" ]; then
		e2e_fail "$name: exit $rc, want $want: $(head -n 1 <<<"$msg")"
	elif ! grep -qE -- "$pat" <<<"$(head -n 1 <<<"$msg")"; then
		e2e_fail "$name: message '$(head -n 1 <<<"$msg")' lacks /$pat/"
	else
		e2e_ok "$name: $(head -n 1 <<<"$msg")"
	fi
}

# mut NAME IMG WHAT PATTERN [ISOCMP-ARGS...]: flip WHAT, expect exit 1
mut() {
	local name=$1 img=$2 what=$3 pat=$4; shift 4
	local o; o=$(off "$img" "$what")
	flip "$img" "$o" "$B"
	expect "$name" 1 "$pat" "$@" "$img" "$B"
}

expect identical 0 '^identical$' "$A" "$A"
cp "$A" "$B"
expect identical-copy 0 '^identical$' "$A" "$B"
mut pvd-field "$A" pvd.vss '^PVD field volume_space_size: [0-9]+ != '
mut pvd-be-half "$A" pvd.vss.be '^PVD field volume_space_size: .*\(be\)'
mut pvd-app-id "$A" pvd.app_id '^PVD field app_id: '
o=$(off "$A" pvd.app_id); flip "$A" "$o" "$B"
expect mask-app-id 0 '^identical$' --mask pvd.app_id "$A" "$B"
expect mask-glob 0 '^identical$' --mask '*.app_id' "$A" "$B"
mut pvd-date "$A" pvd.date '^PVD field creation_date: '
o=$(off "$A" pvd.date); flip "$A" "$o" "$B"
expect mask-clock 0 '^identical$' --mask clock "$A" "$B"
mut dir-extent "$A" rec3.extent "^directory / record 3 '[^']+' field extent: [0-9]+ != [0-9]+"
mut dir-date "$A" rec3.date "^directory / record 3 '[^']+' field date: "
o=$(off "$A" rec3.date); flip "$A" "$o" "$B"
expect mask-dates 0 '^identical$' --mask dates "$A" "$B"
mut dir-name "$A" rec3.name "^directory / record 3 '[^']+' field name: "
mut dotdot-extent "$A" dotdot.extent "^directory /[A-Z0-9_]+ record 2 '\.\.' field extent: "
o=$(off "$A" dotdot.extent); flip "$A" "$o" "$B"
expect mask-dotdot 0 '^identical$' --mask dir.dotdot.extent "$A" "$B"
expect mask-dir-extent-not-dotdot 1 "record 2 '\.\.' field extent" --mask dir.extent "$A" "$B"
mut pt-l-parent "$A" ptl2.parent '^path table L record 2 field parent: 1 != '
mut pt-m-extent "$A" ptm2.extent '^path table M record 2 field extent: '
fname=$(off "$A" file.name)
mut file-data "$A" file.data "^file /$fname data block 0 byte 100: "
mut joliet-name "$J" joliet.rec3.name "^joliet directory / record 3 '[^']+' field name: "
mut rr-px-uid "$J" rr.px.uid "^directory / record 3 '[^']+' SUSP entry [0-9]+ \(PX\) field uid: "
mut rr-tf-access "$J" rr.tf.access "SUSP entry [0-9]+ \(TF\) field access: "
o=$(off "$J" rr.tf.access); flip "$J" "$o" "$B"
expect mask-atime 0 '^identical$' --mask atime "$J" "$B"
mut rr-ce-er "$J" ce.er "^directory / record 1 '.' SUSP entry [0-9]+ \(ER\) field (identifier|descriptor|source)"
mut eltorito-rba "$E" cat.load_rba '^boot catalog entry 1 \(default\) field load_rba: '
mut padding "$A" pad '^trailing padding: block [0-9]+ byte 2043: '
mut system-area "$A" sysarea '^system area: block 0 byte 446: '
head -c $(( $(stat -c %s "$A") - 2048 )) "$A" >"$B"
expect truncated 1 '.' "$A" "$B"
expect missing-file 2 'isocmp: ' "$A" "$E2E_OUT/does-not-exist.iso"
expect bad-usage 2 '.' "$A"
e2e_done
