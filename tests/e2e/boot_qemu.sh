#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# boot_qemu.sh: images made by our CLI really boot (QEMU, -accel tcg).
#
#   noemul     our boot program (fixtures/boot/noemul.asm) with
#              -boot-load-size 4 -boot-info-table prints a marker and the
#              four boot info table words on COM1; they must equal the
#              values computed here from the image and the source file
#   fd1228800, fd1474560, fd2949120, hdd
#              floppy and hard-disk emulation: our boot sectors print a
#              marker and the BIOS drive number (00 floppy, 80 disk)
#   linux, linux-remaster
#              ISOLINUX + a Debian kernel + a busybox initramfs whose /init
#              prints a marker; the kernel is fetched at test time with
#              apt-get download into a cache dir (skipped if it cannot be)
#   efi, efi-bios
#              a two-section catalog (x86 no-emulation + 0xEF): OVMF boots
#              GRUB (grub-mkstandalone) from the FAT image of the 0xEF
#              entry, SeaBIOS boots the x86 entry of the same image
#
# Every QEMU runs in the background with a timeout and is killed by its
# PID.  ELT_BOOT_MKISOFS=genisoimage checks the test itself against
# genisoimage.  ELT_BOOT_CACHE names the kernel cache; by default it is
# tests/boot-cache of the source tree (git-ignored) when that is writable,
# else a temporary directory removed with the work dir (make distcheck).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/boot_lib.sh"

QEMU=qemu-system-x86_64
MKISOFS=${ELT_BOOT_MKISOFS:-$ELT_CLI}
PROGS=$ELT_BUILDDIR/tests/boot
CACHE=${ELT_BOOT_CACHE:-}
OVMF=
for f in /usr/share/ovmf/OVMF.fd /usr/share/OVMF/OVMF.fd \
         /usr/share/qemu/OVMF.fd; do
	[ -f "$f" ] && { OVMF=$f; break; }
done

e2e_have "$QEMU" || e2e_skip_all "$QEMU not installed"
e2e_have isoinfo || e2e_skip_all "isoinfo not installed"
e2e_have "$MKISOFS" || [ -x "$MKISOFS" ] ||
	e2e_skip_all "no mkisofs at $MKISOFS"
[ -f "$PROGS/noemul.bin" ] ||
	e2e_skip_all "boot programs not built in $PROGS (needs nasm)"

e2e_init boot-qemu 400m
W=$E2E_OUT
if [ -z "$CACHE" ]; then
	if [ -w "$ELT_SRCDIR/tests" ]; then
		CACHE=$ELT_SRCDIR/tests/boot-cache
	else
		CACHE=$E2E_WORK/boot-cache
	fi
fi

# run_qemu NAME SECONDS MARKER QEMU-ARGS...: boot, wait for MARKER on the
# serial port, then stop QEMU by its PID.  The serial log is W/NAME.serial.
# Returns 0 when the marker came.
run_qemu() {
	local name=$1 secs=$2 marker=$3 pid waited=0 rc=1
	shift 3
	local log=$W/$name.serial
	rm -f "$log"
	"$QEMU" -accel tcg -m 512 -display none -monitor none -no-reboot \
		-serial "file:$log" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" \
		>"$W/$name.qemu.out" 2>&1 &
	pid=$!
	while [ "$waited" -lt $((secs * 4)) ]; do
		if [ -f "$log" ] && grep -a -q "$marker" "$log"; then
			rc=0
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.25
		waited=$((waited + 1))
	done
	if [ "$rc" != 0 ] && [ -f "$log" ] && grep -a -q "$marker" "$log"; then
		rc=0
	fi
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return $rc
}

mkiso() {
	# mkiso OUT ARGS...: our CLI (or ELT_BOOT_MKISOFS) in W
	local out=$1; shift
	( cd "$W" && SOURCE_DATE_EPOCH=$E2E_T "$MKISOFS" -quiet -o "$out" "$@" ) \
		>"$out.log" 2>&1
}

serial_line() {
	grep -a "$2" "$W/$1.serial" | tr -d '\r' | head -n 1
}

# ------------------------------------------------------------ noemul

boot_noemul() {
	local t=$W/t-noemul iso=$W/noemul.iso ext lba size want got csum
	mkdir -p "$t/boot"
	printf 'x\n' >"$t/a.txt"
	cp "$PROGS/noemul.bin" "$t/boot/noemul.bin"
	if ! mkiso "$iso" -b boot/noemul.bin -no-emul-boot -boot-load-size 4 \
	           -boot-info-table "$t"; then
		e2e_fail "noemul: mkisofs failed: $(tail -n 1 "$iso.log")"
		return
	fi
	if ! cmp -s "$PROGS/noemul.bin" "$t/boot/noemul.bin"; then
		e2e_fail "noemul: the source boot file was modified"
	else
		e2e_ok "noemul-source-untouched"
	fi
	ext=$(iso_extent "$iso" "/BOOT/NOEMUL.BIN;1")
	lba=${ext% *}
	size=$(stat -c %s "$PROGS/noemul.bin")
	# checksum: le32 words of the source from byte 64, tail zero-padded
	csum=$("$PY" -c '
import struct, sys
d = open(sys.argv[1], "rb").read()[64:]
d += b"\0" * (-len(d) % 4)
print("%08x" % (sum(struct.unpack("<%dI" % (len(d) // 4), d)) & 0xffffffff))
' "$PROGS/noemul.bin")
	want=$(printf 'ELTORITO-NOEMUL-OK %08x %08x %08x %s' 16 "$lba" "$size" "$csum")
	if ! run_qemu noemul 60 ELTORITO-NOEMUL -cdrom "$iso" -boot d; then
		e2e_fail "noemul: no marker on the serial port"
		return
	fi
	got=$(serial_line noemul ELTORITO-NOEMUL)
	if [ "$got" = "$want" ]; then
		e2e_ok "noemul (boot info table $lba/$size/$csum)"
	else
		e2e_fail "noemul: serial '$got', want '$want'"
	fi
}

# ------------------------------------------------- floppy and hard disk

boot_emul() {
	local name=$1 bin=$2 want=$3; shift 3
	local t=$W/t-$name iso=$W/$name.iso got
	mkdir -p "$t/boot"
	cp "$PROGS/$bin" "$t/boot/img.bin"
	if ! mkiso "$iso" -b boot/img.bin "$@" "$t"; then
		e2e_fail "$name: mkisofs failed: $(tail -n 1 "$iso.log")"
		return
	fi
	rm -rf "$t"
	if ! run_qemu "$name" 60 "$want" -cdrom "$iso" -boot d; then
		e2e_fail "$name: no '$want' on the serial port"
		return
	fi
	got=$(serial_line "$name" ELTORITO-)
	e2e_ok "$name ($got)"
	rm -f "$iso"
}

# ---------------------------------------------------------------- linux

# fetch_kernel: CACHE/vmlinuz from the distribution's kernel package
fetch_kernel() {
	local pkg deb
	[ -s "$CACHE/vmlinuz" ] && return 0
	e2e_have apt-get && e2e_have dpkg-deb || return 1
	mkdir -p "$CACHE" || return 1
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	      awk '/Depends: linux-image-/ { print $2; exit }')
	[ -n "$pkg" ] || return 1
	deb=$(ls "$CACHE"/"$pkg"_*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		( cd "$CACHE" && apt-get download "$pkg" ) >"$CACHE/fetch.log" 2>&1 ||
			return 1
		deb=$(ls "$CACHE"/"$pkg"_*.deb 2>/dev/null | head -n 1)
	fi
	[ -n "$deb" ] || return 1
	rm -rf "$CACHE/x"
	mkdir -p "$CACHE/x"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$CACHE/x" --wildcards './boot/vmlinuz-*' || return 1
	mv "$CACHE"/x/boot/vmlinuz-* "$CACHE/vmlinuz" || return 1
	rm -rf "$CACHE/x" "$deb"      # keep the kernel only
}

linux_tree() {
	local t=$1 ir=$W/initramfs bb
	bb=$(command -v busybox)
	mkdir -p "$t/boot/isolinux" "$ir/bin"
	cp /usr/lib/ISOLINUX/isolinux.bin "$t/boot/isolinux/"
	cp /usr/lib/syslinux/modules/bios/ldlinux.c32 "$t/boot/isolinux/"
	cp "$CACHE/vmlinuz" "$t/boot/vmlinuz"
	cp "$bb" "$ir/bin/busybox"
	cat >"$ir/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox mkdir -p /dev
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox echo ELTORITO-LINUX-OK > /dev/ttyS0
/bin/busybox poweroff -f
EOF
	chmod 755 "$ir/init"
	( cd "$ir" && find . | cpio -o -H newc --quiet | gzip -1 ) \
		>"$t/boot/initrd.img"
	cat >"$t/boot/isolinux/isolinux.cfg" <<'EOF'
serial 0 115200
default linux
prompt 0
timeout 1
label linux
  kernel /boot/vmlinuz
  append initrd=/boot/initrd.img console=ttyS0 panic=-1 quiet
EOF
	mkdir -p "$t/docs/a/b/c/d/e/f/g/h/i"
	printf 'deep\n' >"$t/docs/a/b/c/d/e/f/g/h/i/deep.txt"
}

boot_linux() {
	local t=$W/t-linux iso
	if [ ! -f /usr/lib/ISOLINUX/isolinux.bin ] ||
	   [ ! -f /usr/lib/syslinux/modules/bios/ldlinux.c32 ] ||
	   ! e2e_have busybox || ! e2e_have cpio; then
		e2e_skip "linux: isolinux, syslinux-common, busybox or cpio missing"
		return
	fi
	if ! fetch_kernel; then
		e2e_skip "linux: no kernel in $CACHE and apt-get download failed"
		return
	fi
	linux_tree "$t"
	iso=$W/linux.iso
	if mkiso "$iso" -b boot/isolinux/isolinux.bin -c boot/isolinux/boot.cat \
	         -no-emul-boot -boot-load-size 4 -boot-info-table "$t"; then
		if run_qemu linux 240 ELTORITO-LINUX-OK -cdrom "$iso" -boot d; then
			e2e_ok "linux (isolinux, kernel, initramfs)"
		else
			e2e_fail "linux: no marker; serial tail: $(tail -c 200 "$W/linux.serial" | tr -d '\r' | tr '\n' ' ')"
		fi
	else
		e2e_fail "linux: mkisofs failed: $(tail -n 1 "$iso.log")"
	fi
	rm -f "$iso"
	# the usual remastering line (needs Rock Ridge and Joliet)
	iso=$W/remaster.iso
	if mkiso "$iso" -pad -l -r -J -V IBIZA -no-emul-boot -boot-load-size 4 \
	         -boot-info-table -b boot/isolinux/isolinux.bin \
	         -c boot/isolinux/boot.cat -hide-rr-moved "$t"; then
		if run_qemu remaster 240 ELTORITO-LINUX-OK -cdrom "$iso" -boot d; then
			e2e_ok "linux-remaster (-pad -l -r -J ... -hide-rr-moved)"
		else
			e2e_fail "linux-remaster: no marker on the serial port"
		fi
	else
		e2e_fail "linux-remaster: mkisofs failed: $(tail -n 1 "$iso.log")"
	fi
	rm -f "$iso"
}

# ------------------------------------------------------------------ efi

boot_efi() {
	local t=$W/t-efi e=$W/efi iso=$W/efi.iso
	if [ -z "$OVMF" ] || ! e2e_have grub-mkstandalone ||
	   ! e2e_have mkfs.vfat || ! e2e_have mcopy ||
	   [ ! -d /usr/lib/grub/x86_64-efi ]; then
		e2e_skip "efi: OVMF, grub-efi-amd64-bin, dosfstools or mtools missing"
		return
	fi
	mkdir -p "$t/boot" "$e"
	printf 'echo ELTORITO-EFI-OK\nhalt\n' >"$e/grub.cfg"
	if ! grub-mkstandalone -O x86_64-efi \
	        --install-modules="normal echo halt configfile test" \
	        --modules="" --locales="" --fonts="" --themes="" \
	        -o "$e/BOOTX64.EFI" "boot/grub/grub.cfg=$e/grub.cfg" \
	        >"$e/log" 2>&1 ||
	   ! mkfs.vfat -C "$t/boot/efi.img" 1440 >>"$e/log" 2>&1 ||
	   ! mmd -i "$t/boot/efi.img" ::/EFI ::/EFI/BOOT >>"$e/log" 2>&1 ||
	   ! mcopy -i "$t/boot/efi.img" "$e/BOOTX64.EFI" ::/EFI/BOOT/ \
	        >>"$e/log" 2>&1; then
		e2e_fail "efi: could not make the EFI image: $(tail -n 1 "$e/log")"
		return
	fi
	cp "$PROGS/noemul.bin" "$t/boot/noemul.bin"
	if ! mkiso "$iso" -b boot/noemul.bin -no-emul-boot -boot-load-size 4 \
	           -boot-info-table -eltorito-alt-boot -e boot/efi.img \
	           -no-emul-boot "$t"; then
		e2e_fail "efi: mkisofs failed: $(tail -n 1 "$iso.log")"
		return
	fi
	if run_qemu efi 240 ELTORITO-EFI-OK -bios "$OVMF" -cdrom "$iso" \
	            -boot d; then
		e2e_ok "efi (OVMF boots the 0xEF section's image)"
	else
		e2e_fail "efi: no marker; serial tail: $(tail -c 200 "$W/efi.serial" | tr -d '\r\033' | tr '\n' ' ')"
	fi
	if run_qemu efi-bios 60 ELTORITO-NOEMUL-OK -cdrom "$iso" -boot d; then
		e2e_ok "efi-bios (SeaBIOS boots the x86 entry of the same image)"
	else
		e2e_fail "efi-bios: no marker on the serial port"
	fi
}

boot_noemul
boot_emul fd1228800 fd1228800.bin ELTORITO-FLOPPY-1228800-OK.drive=00000000
boot_emul fd1474560 fd1474560.bin ELTORITO-FLOPPY-1474560-OK.drive=00000000
boot_emul fd2949120 fd2949120.bin ELTORITO-FLOPPY-2949120-OK.drive=00000000
boot_emul hdd hdd.bin ELTORITO-HDD-OK.drive=00000080 -hard-disk-boot
boot_efi
boot_linux
e2e_done
