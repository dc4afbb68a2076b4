# SPDX-License-Identifier: LGPL-2.1-or-later
# Helpers of tests/e2e/boot_*.sh; source after lib.sh.
#
#   boot_tree DIR [SHAPE]  deterministic tree with boot images in DIR:
#       boot/noemul.bin  5000-byte no-emulation image (pseudo-random)
#       boot/fd12.img fd144.img fd288.img   1.2/1.44/2.88 MB floppies
#       boot/hd.img      1 MiB disk image, MBR with one type-06 partition
#       boot/efi.img     3000-byte stand-in for an EFI system partition
#       a.txt z/z1.txt sub/s1.txt sub/deeper/d1.txt
#     SHAPE "bootfirst" (default) creates boot/ before the other entries,
#     "bootlast" after them (readdir order on tmpfs follows creation).
#   iso_extent IMG PATH    "LBA SIZE" of the file at ISO 9660 PATH
#                          (e.g. /BOOT/NOEMUL.BIN;1), read with isoinfo -l

# Files written by boot_tree get this mtime/atime (before 2027).
BOOT_MTIME=${BOOT_MTIME:-1700000000}

boot_mkfiles() {
	# boot_mkfiles DIR: the boot images, content from a seeded generator
	"$PY" - "$1" <<'EOF'
import hashlib, os, struct, sys
d = sys.argv[1]
os.makedirs(d, exist_ok=True)
def stream(seed, n):
    out = bytearray()
    c = 0
    while len(out) < n:
        out += hashlib.sha256(b"%s:%d" % (seed.encode(), c)).digest()
        c += 1
    return bytes(out[:n])
def put(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
put("noemul.bin", stream("noemul", 5000))
for name, size in (("fd12.img", 1228800), ("fd144.img", 1474560),
                   ("fd288.img", 2949120)):
    img = bytearray(size)
    img[:512] = stream(name, 512)
    img[510:512] = b"\x55\xaa"
    put(name, bytes(img))
hd = bytearray(1 << 20)
hd[:446] = stream("hd", 446)
# one active partition, type 06, CHS 0/1/1 .. 3/15/32, LBA 32, 2016 sectors
hd[446:462] = bytes([0x80, 1, 1, 0, 0x06, 15, 32, 3]) + struct.pack("<II", 32, 2016)
hd[510:512] = b"\x55\xaa"
put("hd.img", bytes(hd))
put("efi.img", stream("efi", 3000))
EOF
}

boot_tree() {
	local dir=$1 shape=${2:-bootfirst}
	mkdir -p "$dir" || return 1
	[ "$shape" = bootfirst ] && boot_mkfiles "$dir/boot"
	printf 'root file\n' >"$dir/a.txt"
	mkdir -p "$dir/z" "$dir/sub/deeper"
	printf 'zzz\n' >"$dir/z/z1.txt"
	printf 'sub file one\n' >"$dir/sub/s1.txt"
	head -c 3000 /dev/zero | tr '\0' 'd' >"$dir/sub/deeper/d1.txt"
	[ "$shape" = bootlast ] && boot_mkfiles "$dir/boot"
	find "$dir" -exec touch -h -d "@$BOOT_MTIME" {} +
}

iso_extent() {
	isoinfo -l -i "$1" 2>/dev/null | awk -v want="$2" '
		/^Directory listing of / { dir = $4; next }
		/^-/ {
			name = $0
			sub(/^.*\] +/, "", name)
			sub(/ +$/, "", name)
			if (dir name != want)
				next
			m = $0
			sub(/^.*\[ */, "", m)
			split(m, f, " ")
			print f[1], $5
			exit
		}'
}
