#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# boot_catalog.sh: the boot catalogs our CLI writes, decoded by three
# independent readers -- dumpet -i, xorriso -report_el_torito plain and
# isoinfo -d -- for every boot variant and for multi-entry catalogs.
# Expected values come from the options and from the image's directory
# records (isoinfo -l), never from our own code.
# ELT_BOOT_MKISOFS=genisoimage checks the test itself against genisoimage.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/boot_lib.sh"

MKISOFS=${ELT_BOOT_MKISOFS:-$ELT_CLI}
e2e_have isoinfo || e2e_skip_all "isoinfo not installed"
e2e_have "$MKISOFS" || [ -x "$MKISOFS" ] || e2e_skip_all "no mkisofs at $MKISOFS"
HAVE_DUMPET=0; e2e_have dumpet && HAVE_DUMPET=1
HAVE_XORRISO=0; e2e_have xorriso && HAVE_XORRISO=1

e2e_init boot-catalog 200m
T=$E2E_TREES/t
boot_tree "$T"

# media type codes and the readers' names for them
media_code() { case $1 in none) echo 0 ;; fd1.2) echo 1 ;; fd1.4) echo 2 ;;
	fd2.8) echo 3 ;; hd) echo 4 ;; esac; }
media_dumpet() { case $1 in none) echo "no emulation" ;;
	fd1.2) echo "1.2MB floppy diskette emulation" ;;
	fd1.4) echo "1.44MB floppy diskette emulation" ;;
	fd2.8) echo "2.88MB floppy diskette emulation" ;;
	hd) echo "hard disk emulation" ;; esac; }
plat_id() { case $1 in BIOS) echo 0x00 ;; UEFI) echo 0xef ;; esac; }

# dumpet -i IMG as one line per entry:
#   V <platform> <id> | H <indicator> <platform> <count> |
#   E <y|n> <media text> sys=<n> sect=<n> lba=<n>
dumpet_sig() {
	dumpet -i "$1" 2>/dev/null | tr -d '\r' | awk '
		function flush() { if (e != "") print e " sys=" sys " sect=" sect " lba=" lba; e = "" }
		/^Validation Entry:/ { flush(); v = 1; next }
		/^Section Header Entry:/ { flush(); h = 1; next }
		/^Boot Catalog (Default|Section) Entry:/ { flush(); e = "E"; next }
		/PlatformId:/ { split($2, a, " "); p = a[1]; if (v) vp = p; if (h) hp = p; next }
		/ID: "/ && v { id = $0; sub(/^[^"]*"/, "", id); sub(/"$/, "", id); print "V " vp " " id; v = 0; next }
		/Header Indicator: 0x9/ { hi = $3; next }
		/Section Entries:/ { print "H " hi " " hp " " $3; h = 0; next }
		/Entry is bootable/ { e = e " y"; next }
		/Entry is not bootable/ { e = e " n"; next }
		/Boot Media emulation type:/ { m = $0; sub(/^.*type: /, "", m); e = e " " m; next }
		/System type:/ { sys = $3; next }
		/Load Sectors:/ { sect = $3; next }
		/Load LBA:/ { lba = $3; next }
		END { flush() }'
}

# check NAME CATPATH PUBLISHER ENTRIES -- MKISOFS-ARGS...
# ENTRIES: "PLTF B EMUL SEG HDPT LDSIZ ISOPATH" lines (xorriso's columns)
check() {
	local name=$1 cat=$2 pub=$3 entries=$4; shift 5
	local iso=$E2E_OUT/$name.iso ext catlba n=0 lines
	local want_x= want_d= want_i= got line
	local pl b em seg hd ld path lba pid
	if ! ( cd "$E2E_TREES" && SOURCE_DATE_EPOCH=$E2E_T \
	       "$MKISOFS" -quiet -o "$iso" "$@" t ) >"$iso.log" 2>&1; then
		e2e_fail "$name: mkisofs failed: $(tail -n 1 "$iso.log")"
		return
	fi
	ext=$(iso_extent "$iso" "$cat")
	catlba=${ext% *}
	if [ -z "$ext" ] || [ "${ext#* }" != 2048 ]; then
		e2e_fail "$name: catalog $cat not in the directory tree ($ext)"
		return
	fi
	lines=$(printf '%s\n' "$entries" | grep -c .)
	want_d="V $(plat_id "$(printf '%s\n' "$entries" | head -n 1 | cut -d' ' -f1)") $pub"
	while read -r pl b em seg hd ld path; do
		[ -n "$pl" ] || continue
		n=$((n + 1))
		ext=$(iso_extent "$iso" "$path")
		lba=${ext% *}
		if [ -z "$ext" ]; then
			e2e_fail "$name: boot image $path not in the tree"
			return
		fi
		want_x+="$n $pl $b $em $seg $hd $ld $lba ${path%;1}"$'\n'
		pid=$(plat_id "$pl")
		if [ "$n" -gt 1 ]; then
			if [ "$n" -eq "$lines" ]; then
				want_d+=$'\n'"H 0x91 $pid 1"
			else
				want_d+=$'\n'"H 0x90 $pid 1"
			fi
		fi
		want_d+=$'\n'"E $b $(media_dumpet "$em") sys=$((hd)) sect=$ld lba=$lba"
		if [ "$n" -eq 1 ]; then
			want_i="cat=$catlba arch=$((pid)) id=$pub bootid=$([ "$b" = y ] && echo 88 || echo 0) media=$(media_code "$em") seg=$((seg)) sys=$((hd)) nsect=$ld off=$lba"
		fi
	done <<<"$entries"

	# xorriso
	if [ "$HAVE_XORRISO" = 1 ]; then
		local rep
		rep=$(xorriso -indev "$iso" -report_el_torito plain 2>/dev/null)
		got=$(printf '%s\n' "$rep" | awk '
			/^El Torito boot img :/ { sub(/^.*: +/, ""); img[$1] = $0 }
			/^El Torito img path :/ { sub(/^.*: +/, ""); p[$1] = $2 }
			END { for (i = 1; i in img; i++) { $0 = img[i]; $1 = $1; print $0 " " p[i] } }')
		line=$(printf '%s\n' "$rep" | awk '/^El Torito catalog  *:/ { print $5 }')
		if [ "$got" != "${want_x%$'\n'}" ]; then
			e2e_fail "$name-xorriso: got [$(echo "$got" | tr '\n' '|')] want [$(echo "${want_x%$'\n'}" | tr '\n' '|')]"
		elif [ "$line" != "$catlba" ]; then
			e2e_fail "$name-xorriso: catalog at $line, want $catlba"
		else
			e2e_ok "$name-xorriso"
		fi
	fi
	# dumpet
	if [ "$HAVE_DUMPET" = 1 ]; then
		got=$(dumpet_sig "$iso")
		if [ "$got" = "$want_d" ]; then
			e2e_ok "$name-dumpet"
		else
			e2e_fail "$name-dumpet: got [$(echo "$got" | tr '\n' '|')] want [$(echo "$want_d" | tr '\n' '|')]"
		fi
	fi
	# isoinfo -d (default entry only); it prints segment and Nsect in hex
	got=$(isoinfo -d -i "$iso" 2>/dev/null | tr -d '\r' | awk '
		/boot catalog is in sector/ { print "cat=" $NF }
		/^ *Arch / { print "arch=" $2 }
		/^ *ID / { id = $0; sub(/^ *ID ./, "", id); sub(/.$/, "", id); print "id=" id }
		/^ *Bootid / { print "bootid=" $2 }
		/^ *Boot media / { print "media=" $3 }
		/^ *Load segment / { print "seg=0x" $3 }
		/^ *Sys type / { print "sys=" $3 }
		/^ *Nsect / { print "nsect=0x" $2 }
		/^ *Bootoff / { print "off=" $3 }' | "$PY" -c '
import sys
f = dict(l.rstrip("\n").split("=", 1) for l in sys.stdin if "=" in l)
for k in ("seg", "nsect"):
    if k in f:
        f[k] = str(int(f[k], 16))
print(" ".join("%s=%s" % (k, f.get(k, "")) for k in
      ("cat", "arch", "id", "bootid", "media", "seg", "sys", "nsect", "off")))')
	if [ "$got" = "$want_i" ]; then
		e2e_ok "$name-isoinfo"
	else
		e2e_fail "$name-isoinfo: got [$got] want [$want_i]"
	fi
	rm -f "$iso" "$iso.log"
}

NE=-no-emul-boot
check noemul "/BOOT.CAT;1" "" \
	"BIOS y none 0x0000 0x00 12 /BOOT/NOEMUL.BIN;1" \
	-- -b boot/noemul.bin $NE
check noemul-load4-info "/BOOT.CAT;1" "" \
	"BIOS y none 0x0000 0x00 4 /BOOT/NOEMUL.BIN;1" \
	-- -b boot/noemul.bin $NE -boot-load-size 4 -boot-info-table
check noboot-seg "/BOOT.CAT;1" "" \
	"BIOS n none 0x1000 0x00 12 /BOOT/NOEMUL.BIN;1" \
	-- -b boot/noemul.bin $NE -no-boot -boot-load-seg 0x1000
check floppy12 "/BOOT.CAT;1" "" "BIOS y fd1.2 0x0000 0x00 1 /BOOT/FD12.IMG;1" \
	-- -b boot/fd12.img
check floppy144 "/BOOT.CAT;1" "" "BIOS y fd1.4 0x0000 0x00 1 /BOOT/FD144.IMG;1" \
	-- -b boot/fd144.img
check floppy288 "/BOOT.CAT;1" "" "BIOS y fd2.8 0x0000 0x00 1 /BOOT/FD288.IMG;1" \
	-- -b boot/fd288.img
check harddisk "/BOOT.CAT;1" "" "BIOS y hd 0x0000 0x06 1 /BOOT/HD.IMG;1" \
	-- -b boot/hd.img -hard-disk-boot
check efi-only "/BOOT.CAT;1" "" "UEFI y none 0x0000 0x00 8 /BOOT/EFI.IMG;1" \
	-- -e boot/efi.img $NE
check catalog-path "/BOOT/BOOT.CAT;1" "" \
	"BIOS y none 0x0000 0x00 4 /BOOT/NOEMUL.BIN;1" \
	-- -b boot/noemul.bin $NE -boot-load-size 4 -c boot/boot.cat
check publisher "/BOOT.CAT;1" "ACME PUBLISHING HOUSE I" \
	"BIOS y none 0x0000 0x00 12 /BOOT/NOEMUL.BIN;1" \
	-- -publisher "ACME PUBLISHING HOUSE INCORPORATED" -b boot/noemul.bin $NE
check multi-4 "/BOOT/BOOT.CAT;1" "" \
	"BIOS y none 0x0000 0x00 4 /BOOT/NOEMUL.BIN;1
BIOS y fd1.4 0x0000 0x00 1 /BOOT/FD144.IMG;1
BIOS n hd 0x0000 0x06 1 /BOOT/HD.IMG;1
UEFI y none 0x0000 0x00 8 /BOOT/EFI.IMG;1" \
	-- -c boot/boot.cat -b boot/noemul.bin $NE -boot-load-size 4 \
	-boot-info-table -eltorito-alt-boot -b boot/fd144.img \
	-eltorito-alt-boot -b boot/hd.img -hard-disk-boot -no-boot \
	-eltorito-alt-boot -e boot/efi.img $NE
check multi-efi-first "/BOOT.CAT;1" "" \
	"UEFI y none 0x0000 0x00 8 /BOOT/EFI.IMG;1
BIOS y none 0x07c0 0x00 4 /BOOT/NOEMUL.BIN;1" \
	-- -e boot/efi.img $NE -eltorito-alt-boot -b boot/noemul.bin $NE \
	-boot-load-size 4 -boot-load-seg 0x7c0
e2e_done
