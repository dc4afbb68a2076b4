#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# boot_parity.sh: byte parity of our CLI with genisoimage 1.1.11 for every
# El Torito option set genisoimage accepts (and the same refusals for the
# ones it refuses).
#
# genisoimage rewrites the boot file on disk for -boot-info-table, which
# changes its ctime, so each case runs OUR CLI FIRST on the untouched tree,
# then genisoimage (which stats the files before it patches), and then the
# boot files are put back.  Both run TZ=UTC on a noatime tmpfs, genisoimage
# under faketime at T, ours with SOURCE_DATE_EPOCH=T.  Masks: the
# application id genisoimage fills with its own name (cases without -A).
# ELT_CASES=REGEX runs only the matching case names.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/boot_lib.sh"

e2e_have genisoimage || e2e_skip_all "genisoimage not installed"
e2e_have faketime || e2e_skip_all "faketime not installed"
[ -x "$ELT_CLI" ] || e2e_skip_all "no CLI at ELT_CLI=$ELT_CLI"

e2e_init boot-parity 200m
T1=$E2E_TREES/first
T2=$E2E_TREES/last
boot_tree "$T1" bootfirst
boot_tree "$T2" bootlast
# a boot catalog file already on disk (genisoimage replaces it)
printf 'old catalog\n' >"$T2/boot/boot.cat"
touch -d "@$BOOT_MTIME" "$T2/boot/boot.cat" "$T2/boot"
# second source for the merge cases
U=$E2E_TREES/u
mkdir -p "$U"
printf 'u\n' >"$U/u.txt"
touch -d "@$BOOT_MTIME" "$U/u.txt" "$U"
# the isolinux remastering tree: isolinux in boot/isolinux, deep paths
T3=$E2E_TREES/remaster
cp -a "$T1" "$T3"
mkdir -p "$T3/boot/isolinux" "$T3/docs/a/b/c/d/e/f/g/h/i"
if [ -f /usr/lib/ISOLINUX/isolinux.bin ]; then
	cp /usr/lib/ISOLINUX/isolinux.bin "$T3/boot/isolinux/isolinux.bin"
else
	cp "$T1/boot/noemul.bin" "$T3/boot/isolinux/isolinux.bin"
fi
printf 'default linux\n' >"$T3/boot/isolinux/isolinux.cfg"
printf 'deep\n' >"$T3/docs/a/b/c/d/e/f/g/h/i/deep.txt"
find "$T3" -exec touch -h -d "@$BOOT_MTIME" {} +
# the boot image hard-linked under a name read before it
T4=$E2E_TREES/links
cp -a "$T1" "$T4"
ln "$T4/boot/noemul.bin" "$T4/a-link.bin"
SORTF=$E2E_TREES/sort.txt
PRISTINE=$E2E_WORK/pristine
mkdir -p "$PRISTINE"
cp -a "$E2E_TREES/." "$PRISTINE/"

# restore: put every boot file genisoimage may have patched back
restore() {
	local f rel
	for f in "$PRISTINE"/first/boot/* "$PRISTINE"/last/boot/* \
	         "$PRISTINE"/links/boot/* \
	         "$PRISTINE"/remaster/boot/isolinux/*; do
		rel=${f#"$PRISTINE"/}
		if ! cmp -s "$f" "$E2E_TREES/$rel"; then
			cp "$f" "$E2E_TREES/$rel"
			touch -d "@$BOOT_MTIME" "$E2E_TREES/$rel"
		fi
	done
}

# case_ NAME [--refuse] -- ARGS...   (ARGS relative to the trees dir)
case_() {
	local name=$1 refuse=0 masks=(--mask pvd.app_id --mask joliet.app_id)
	shift
	if [ -n "${ELT_CASES:-}" ] && ! [[ $name =~ $ELT_CASES ]]; then
		return
	fi
	while [ "$1" != -- ]; do
		case $1 in --refuse) refuse=1 ;; esac
		shift
	done
	shift
	local g=$E2E_OUT/$name.g.iso e=$E2E_OUT/$name.e.iso gs es
	rm -f "$g" "$e"
	E2E_CWD=$E2E_TREES run_ours "$e" -o "$e" "$@"; es=$?
	E2E_CWD=$E2E_TREES run_genisoimage "$g" -o "$g" "$@"; gs=$?
	restore
	if [ "$gs" -ne 0 ]; then
		if [ "$refuse" = 0 ]; then
			e2e_fail "$name: genisoimage refused: $(grep -v '^I: ' "$g.err" | tail -n 1)"
		elif [ "$es" -ne 0 ]; then
			e2e_ok "$name (both refuse)"
		else
			e2e_fail "$name: genisoimage refuses ($(tail -n 1 "$g.err")), ours exit 0"
		fi
	elif [ "$es" -ne 0 ]; then
		e2e_fail "$name: ours exit $es: $(tail -n 1 "$e.err")"
	elif e2e_compare "$g" "$e" "${masks[@]}"; then
		e2e_ok "$name"
	else
		e2e_fail "$name: $E2E_WHY"
		[ "${ELT_KEEP:-0}" = 1 ] && return
	fi
	rm -f "$g" "$e" "$g.err" "$e.err"
}

NE=(-no-emul-boot)
# ------------------------------------------------------- single entries
case_ noemul -- -b boot/noemul.bin "${NE[@]}" first
case_ noemul-load4 -- -b boot/noemul.bin "${NE[@]}" -boot-load-size 4 first
case_ noemul-infotable -- -b boot/noemul.bin "${NE[@]}" -boot-load-size 4 \
	-boot-info-table first
case_ noemul-seg-noboot -- -b boot/noemul.bin "${NE[@]}" -boot-load-seg 0x1000 \
	-no-boot first
case_ noemul-opts-before-b -- "${NE[@]}" -boot-load-size 4 -boot-info-table \
	-b boot/noemul.bin first
case_ floppy12 -- -b boot/fd12.img first
case_ floppy144 -- -b boot/fd144.img first
case_ floppy288 -- -b boot/fd288.img first
case_ floppy144-load2880 -- -b boot/fd144.img -boot-load-size 2880 first
case_ floppy144-infotable -- -b boot/fd144.img -boot-info-table first
case_ harddisk -- -b boot/hd.img -hard-disk-boot first
case_ harddisk-load-size -- -b boot/hd.img -hard-disk-boot -boot-load-size 7 \
	first
case_ efi-only -- -e boot/efi.img "${NE[@]}" first
# ------------------------------------------------------------- catalog
case_ catalog-subdir -- -b boot/noemul.bin "${NE[@]}" -c boot/boot.cat first
case_ catalog-other-dir -- -b boot/noemul.bin "${NE[@]}" -c z/boot.cat first
case_ catalog-replaces-file -- -b boot/noemul.bin "${NE[@]}" \
	-c boot/boot.cat last
case_ catalog-hidden -- -b boot/noemul.bin "${NE[@]}" -c boot/boot.cat \
	-hide boot/boot.cat first
case_ catalog-hidden-default -- -b boot/noemul.bin "${NE[@]}" \
	-hide boot.catalog first
case_ catalog-hidden-joliet -- -J -b boot/noemul.bin "${NE[@]}" \
	-c boot/boot.cat -hide-joliet first/boot/boot.cat first
case_ catalog-joliet -- -J -b boot/noemul.bin "${NE[@]}" -c boot/boot.cat first
case_ catalog-in-hidden-dir -- -J -b boot/noemul.bin "${NE[@]}" \
	-c z/boot.cat -hide first/z first
case_ publisher -- -publisher "A PUBLISHER WITH A RATHER LONG NAME" \
	-b boot/noemul.bin "${NE[@]}" first
# ---------------------------------------------------------- tree shapes
case_ boot-dir-last -- -b boot/noemul.bin "${NE[@]}" last
case_ boot-dir-last-infotable -- -b boot/noemul.bin "${NE[@]}" \
	-boot-load-size 4 -boot-info-table last
case_ graft-boot -- -graft-points -b x/noemul.bin "${NE[@]}" first x/=first/boot
case_ merge-first-source-other -- -b boot/noemul.bin "${NE[@]}" u first
case_ merge-first-source-boot -- -b boot/noemul.bin "${NE[@]}" first u
case_ long-option-names -- -eltorito-boot boot/noemul.bin "${NE[@]}" \
	-eltorito-catalog boot/boot.cat -eltorito-alt-boot -efi-boot boot/efi.img \
	"${NE[@]}" first
case_ hardlinked-boot -- -b boot/noemul.bin "${NE[@]}" -boot-load-size 4 \
	-boot-info-table links
# ------------------------------------------------------ several entries
case_ multi-x86 -- -b boot/noemul.bin "${NE[@]}" -eltorito-alt-boot \
	-b boot/fd144.img -eltorito-alt-boot -b boot/hd.img -hard-disk-boot first
case_ multi-efi -- -b boot/noemul.bin "${NE[@]}" -boot-load-size 4 \
	-boot-info-table -eltorito-alt-boot -e boot/efi.img "${NE[@]}" first
case_ multi-order -- -b sub/s1.txt "${NE[@]}" -eltorito-alt-boot \
	-b boot/noemul.bin "${NE[@]}" -eltorito-alt-boot -b a.txt "${NE[@]}" first
case_ multi-efi-first -- -e boot/efi.img "${NE[@]}" -eltorito-alt-boot \
	-b boot/noemul.bin "${NE[@]}" first
# ---------------------------------------------------------------- -sort
printf 'first/sub/s1.txt 5\n' >"$SORTF"
case_ sort-before-catalog -- -sort "$SORTF" -b boot/noemul.bin "${NE[@]}" first
printf 'first/boot/noemul.bin -1\n' >"$SORTF"
case_ sort-boot-last -- -sort "$SORTF" -b boot/noemul.bin "${NE[@]}" first
printf 'first/z 10\nfirst/sub/s1.txt 11\n' >"$SORTF"
case_ sort-catalog-dir -- -sort "$SORTF" -c z/boot.cat -b boot/noemul.bin \
	"${NE[@]}" first
printf 'first/boot.catalog -3\n' >"$SORTF"
case_ sort-catalog-last -- -sort "$SORTF" -b boot/noemul.bin "${NE[@]}" first
# ------------------------------------------------- with the extensions
case_ rr-joliet -- -R -J -b boot/noemul.bin "${NE[@]}" -boot-load-size 4 \
	-boot-info-table first
case_ rational -- -r -b boot/noemul.bin "${NE[@]}" -c boot/boot.cat first
# the usual isolinux remastering line (Rock Ridge, Joliet, relocation)
case_ isolinux-remaster -- -pad -l -r -J -v -V IBIZA -no-emul-boot \
	-boot-load-size 4 -boot-info-table -b boot/isolinux/isolinux.bin \
	-c boot/isolinux/boot.cat -hide-rr-moved remaster
# ------------------------------------------------------------- refusals
case_ refuse-floppy-size --refuse -- -b boot/noemul.bin first
case_ refuse-floppy-load4 --refuse -- -b boot/fd144.img -boot-load-size 4 first
case_ refuse-hd-no-mbr --refuse -- -b boot/efi.img -hard-disk-boot first
case_ refuse-missing --refuse -- -b boot/nothere.bin "${NE[@]}" first
case_ refuse-catalog-dir --refuse -- -b boot/noemul.bin "${NE[@]}" \
	-c nodir/boot.cat first
e2e_done
