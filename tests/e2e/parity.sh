#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# parity.sh [core|rrj|all] : byte parity of our CLI with genisoimage 1.1.11.
#
# Every case builds the same tree with the same options twice -- genisoimage
# under faketime at T, our CLI with SOURCE_DATE_EPOCH=T, both TZ=UTC on a
# noatime tmpfs -- and compares the images with cmp, then isocmp.py names
# the first differing structure.  Masks (isocmp --mask) are the documented
# deliberate differences only:
#   pvd.app_id / joliet.app_id  genisoimage writes its own name; cases
#                               without -A mask it (ELT_PARITY_STRICT=1
#                               turns that off)
#   dir.dotdot.extent           trees deeper than 8 levels without RR or
#                               -D: genisoimage points the level-8 '..'
#                               at itself, we at the parent
# and, where genisoimage writes an invalid image we refuse to write
# (graft clashes), the case expects our CLI to refuse (--ours-refuses).
# core: ISO 9660 names, levels, relaxations, ids, selection, sorting,
#       grafts, padding, output to stdout.  rrj: Rock Ridge and Joliet.
# ELT_CASES=REGEX runs only the matching case names.

. "$(dirname "$0")/lib.sh"

GROUP=${1:-all}
case $GROUP in core|rrj|all) ;; *) echo "usage: $0 [core|rrj|all]" >&2; exit 2 ;; esac

e2e_have genisoimage || e2e_skip_all "genisoimage not installed"
e2e_have faketime || e2e_skip_all "faketime not installed"
[ -x "$ELT_CLI" ] || e2e_skip_all "no CLI at ELT_CLI=$ELT_CLI"

e2e_init "parity-$GROUP"

e2e_check_faketime

APPMASK=(--mask pvd.app_id --mask joliet.app_id)
DOTDOT=(--mask dir.dotdot.extent)
[ "${ELT_PARITY_STRICT:-0}" = 1 ] && APPMASK=()

# case NAME [--mask K]... [--stdout] -- ARGS...
case_() {
	local name=$1; shift
	if [ -n "${ELT_CASES:-}" ] && ! [[ $name =~ $ELT_CASES ]]; then
		return
	fi
	local pre=() ; local a
	while [ $# -gt 0 ] && [ "$1" != -- ]; do pre+=("$1"); shift; done
	shift
	local appm=("${APPMASK[@]}")
	for a in "$@"; do
		case $a in -A|-appid) appm=() ;; esac
	done
	e2e_parity "$name" "${appm[@]}" "${pre[@]}" -- "$@"
}

tree() { e2e_tree "$@"; }

# -------------------------------------------------------------- core
core_names() {
	local trees="flat longnames unicode spaces badnames mixed many empty"
	local t opts
	local -a sets=(
		"" "-iso-level 1" "-iso-level 2" "-iso-level 3" "-l" "-L"
		"-allow-leading-dots" "-N" "-d" "-D" "-U" "-allow-lowercase"
		"-allow-multidot" "-relaxed-filenames" "-no-iso-translate"
		"-max-iso9660-filenames" "-l -N -d" "-iso-level 2 -N -d"
		"-allow-lowercase -allow-multidot -l"
		"-iso-level 2 -relaxed-filenames -allow-lowercase"
		"-untranslated-filenames"
	)
	for t in $trees; do
		local dir; dir=$(tree "$t")
		for opts in "${sets[@]}"; do
			local m=()
			case $t/$opts in mixed/*-D*) ;; mixed/*) m=("${DOTDOT[@]}") ;; esac
			# shellcheck disable=SC2086
			case_ "core/$t/${opts:-default}" "${m[@]}" -- $opts "$dir"
		done
	done
}

core_depth() {
	local t opts dir
	for t in deep deep40 longpath name255; do
		dir=$(tree "$t")
		for opts in "" "-D" "-l" "-U" "-iso-level 2 -D"; do
			local m=()
			case $t/$opts in deep*/*-D*) ;; deep*) m=("${DOTDOT[@]}") ;; esac
			# shellcheck disable=SC2086
			case_ "core/$t/${opts:-default}" "${m[@]}" -- $opts "$dir"
		done
	done
}

core_special() {
	local t dir
	for t in special hardlinks boot; do
		dir=$(tree "$t")
		case_ "core/$t/default" -- "$dir"
		case_ "core/$t/-l" -- -l "$dir"
		case_ "core/$t/-cache-inodes" -- -cache-inodes "$dir"
		case_ "core/$t/-no-cache-inodes" -- -no-cache-inodes "$dir"
	done
}

core_ids() {
	local dir; dir=$(tree flat)
	case_ core/ids/all -- -V "MY_VOLUME" -A "MY APPLICATION" \
		-p "THE PREPARER" -P "THE PUBLISHER" -sysid "MYSYS" \
		-volset "VOLSET" -volset-size 1 -volset-seqno 1 \
		-abstract README -biblio noext -copyright lower.txt "$dir"
	case_ core/ids/volume-only -- -V "Volume label" "$dir"
	case_ core/ids/lowercase -- -V "lower case vol" -A "app" \
		-publisher "www.example.org" -p "me" "$dir"
	# genisoimage refuses over-long identifiers; exactly full ones pass
	local opt len
	for opt in -V:32 -A:128 -P:128 -p:128 -sysid:32 -volset:128 \
	           -abstract:37 -biblio:37 -copyright:37; do
		len=${opt#*:}; opt=${opt%:*}
		case_ "core/ids/full$opt" -- -A X "$opt" "$(head -c "$len" /dev/zero | tr '\0' Q)" "$dir"
		case_ "core/ids/too-long$opt" --refuse -- -A X "$opt" "$(head -c $((len + 1)) /dev/zero | tr '\0' Q)" "$dir"
	done
	case_ core/ids/volset-2-of-3 --ours-builds -- -A X -volset SET -volset-size 3 \
		-volset-seqno 2 "$dir"
	case_ core/ids/empty-strings -- -A "" -V "" -P "" -p "" "$dir"
	case_ core/ids/file-ids -- -A "_README" -P "_noext" "$dir"
}

core_select() {
	local dir; dir=$(tree hidden)
	local lists=$E2E_WORK/fs/lists
	mkdir -p "$lists"
	printf '%s\n' '*.bak' 'core' >"$lists/exclude"
	printf '%s\n' 'secret.txt' 'hideme' >"$lists/hide"
	printf '%s\n' 'keep.txt' 'sub' >"$lists/hidden"
	case_ core/select/-m -- -m '*~' -m '#*#' "$dir"
	case_ core/select/-m-dir -- -m CVS -m hideme "$dir"
	case_ core/select/-x -- -x "$dir/sub" "$dir"
	case_ core/select/-x-file -- -x "$dir/secret.txt" "$dir"
	case_ core/select/-exclude-list -- -exclude-list "$lists/exclude" "$dir"
	case_ core/select/-no-bak -- -no-bak "$dir"
	case_ core/select/-hide -- -hide secret.txt -hide '*.o' "$dir"
	case_ core/select/-hide-path -- -hide "$dir/sub/secret.txt" "$dir"
	case_ core/select/-hide-dir -- -hide hideme "$dir"
	case_ core/select/-hide-list -- -hide-list "$lists/hide" "$dir"
	case_ core/select/-hidden -- -hidden keep.txt -hidden sub "$dir"
	case_ core/select/-hidden-list -- -hidden-list "$lists/hidden" "$dir"
	case_ core/select/combo -- -no-bak -m CVS -hide secret.txt \
		-hidden keep.txt -x "$dir/sub/deeper" "$dir"
}

core_layout() {
	local flat many empty mixed
	flat=$(tree flat); many=$(tree many); empty=$(tree empty)
	mixed=$(tree mixed)
	local lists=$E2E_WORK/fs/lists
	mkdir -p "$lists"
	printf '%s\n' "$flat/file10.dat 100" "$flat/README -5" \
		"$flat/noext 50" >"$lists/sort"
	printf '%s\n' "$many/big 10" "$many/dir050 20" "$many/exact -1" \
		"$many/dir001/file0001.txt 30" >"$lists/sort-many"
	printf '%s\n' "$flat/README" "$flat/noext" "$empty" >"$lists/paths"
	case_ core/layout/-sort -- -sort "$lists/sort" "$flat"
	case_ core/layout/-sort-many -- -sort "$lists/sort-many" "$many"
	case_ core/layout/-no-pad -- -no-pad "$flat"
	case_ core/layout/-pad -- -pad "$flat"
	case_ core/layout/merge-2 -- "$flat" "$empty"
	case_ core/layout/merge-3 "${DOTDOT[@]}" -- "$flat" "$empty" "$(tree deep)"
	case_ core/layout/merge-clash --ours-refuses -- "$flat" "$mixed"
	case_ core/layout/file-source -- "$flat/README" "$flat/noext" "$empty"
	case_ core/layout/graft -- -graft-points "a/b=$flat" "c=$empty" \
		"x.txt=$flat/README"
	case_ core/layout/graft-root -- -graft-points "/=$flat" "sub/=$empty"
	case_ core/layout/graft-same -- -graft-points "d=$flat" "d=$empty"
	case_ core/layout/-path-list -- -path-list "$lists/paths"
	case_ core/layout/-path-list+arg -- -path-list "$lists/paths" "$many"
	case_ core/layout/stdout --stdout -- "$flat"
	case_ core/layout/stdout-many --stdout -- -l "$many"
	E2E_CWD=$E2E_TREES case_ core/layout/relative -- flat
	E2E_CWD=$E2E_TREES case_ core/layout/relative-graft -- -graft-points \
		"x=flat" "y/z=empty"
}

core_boot() {
	# plain El Torito lines (no -boot-info-table: genisoimage would
	# rewrite the input file); tests/e2e/boot_*.sh cover the rest
	local dir; dir=$(tree boot)
	case_ core/boot/no-emul -- -b boot/isolinux.bin -no-emul-boot \
		-boot-load-size 4 "$dir"
	case_ core/boot/no-emul-cat -- -b boot/isolinux.bin \
		-c boot/boot.cat -no-emul-boot -boot-load-size 4 "$dir"
	case_ core/boot/no-load-size -- -b boot/isolinux.bin -c boot.cat \
		-no-emul-boot "$dir"
	case_ core/boot/publisher -- -P "THE PUBLISHER" -b boot/isolinux.bin \
		-no-emul-boot -boot-load-size 4 "$dir"
	case_ core/boot/rr-joliet -- -R -J -b boot/isolinux.bin \
		-c boot/boot.cat -no-emul-boot -boot-load-size 4 "$dir"
	case_ core/boot/missing --refuse -- -b boot/nonexistent.bin \
		-no-emul-boot "$dir"
}

core_hostile() {
	if [ "$ELT_HOSTILE" != 1 ]; then
		e2e_skip "core/hostile: ELT_HOSTILE=0"
		return
	fi
	local clash huge
	clash=$(tree clash); huge=$(tree huge)
	case_ core/hostile/clash -- "$clash"
	case_ core/hostile/clash-l -- -l "$clash"
	case_ core/hostile/huge -- "$huge"
	case_ core/hostile/huge-U -- -U "$huge"
}

# -------------------------------------------------------------- rrj
rrj_basic() {
	local t opts dir
	local -a sets=("-R" "-r" "-J" "-R -J" "-r -J" "-J -joliet-long"
		"-R -J -joliet-long" "-R -l" "-R -U" "-r -J -iso-level 2"
		"-R -uid 0 -gid 0" "-uid 1000 -gid 100" "-file-mode 0444"
		"-dir-mode 0700" "-R -file-mode 0600 -dir-mode 0711"
		"-R -cache-inodes" "-R -no-cache-inodes")
	for t in flat longnames unicode spaces badnames special hardlinks \
	         empty name255 mixed many; do
		dir=$(tree "$t")
		for opts in "${sets[@]}"; do
			local ref=()
			case $t/$opts in mixed/-J*) ref=("${DOTDOT[@]}") ;; esac
			# genisoimage aborts on names UCS-2 cannot hold, we
			# write '_' (docs/compat.md)
			case $t/$opts in unicode/*-J*|badnames/*-J*) ref=(--ours-builds) ;; esac
			# shellcheck disable=SC2086
			case_ "rrj/$t/$opts" "${ref[@]}" -- $opts "$dir"
		done
	done
	# the same trees without the names Joliet cannot hold
	dir=$(tree unicode)
	for opts in "-J" "-R -J" "-J -joliet-long"; do
		# shellcheck disable=SC2086
		case_ "rrj/unicode-bmp/$opts" -- $opts -m '😀.txt' "$dir"
	done
	dir=$(tree badnames)
	for opts in "-J" "-R -J" "-r -J -joliet-long"; do
		# shellcheck disable=SC2086
		case_ "rrj/badnames-valid/$opts" -- $opts -m 'invalid*' \
			-m 'latin1*' "$dir"
	done
}

rrj_deep() {
	local t opts dir
	for t in deep deep40 longpath; do
		dir=$(tree "$t")
		for opts in "-R" "-r" "-J" "-R -J" "-R -D" "-R -hide-rr-moved" \
		            "-r -J -hide-rr-moved" "-J -joliet-long"; do
			local m=()
			case $t/$opts in deep*/-J*) m=("${DOTDOT[@]}") ;; esac
			# shellcheck disable=SC2086
			case_ "rrj/$t/$opts" "${m[@]}" -- $opts "$dir"
		done
	done
}

rrj_hide() {
	local dir; dir=$(tree hidden)
	local lists=$E2E_WORK/fs/lists
	mkdir -p "$lists"
	printf '%s\n' 'secret.txt' 'hideme' >"$lists/hidej"
	case_ rrj/hide/-hide-joliet -- -R -J -hide-joliet secret.txt "$dir"
	case_ rrj/hide/-hide-joliet-list -- -R -J \
		-hide-joliet-list "$lists/hidej" "$dir"
	case_ rrj/hide/-hide+joliet -- -R -J -hide keep.txt \
		-hide-joliet sub "$dir"
	case_ rrj/hide/-hidden -- -r -J -hidden keep.txt "$dir"
}

rrj_remaster() {
	local dir; dir=$(tree mixed)
	case_ rrj/remaster --stdout -- -R -U -V "Conference IBIZA 2006" \
		-publisher "www.mojknoppix.pl" -hide-rr-moved -cache-inodes \
		-no-bak -pad "$dir"
	dir=$(tree deep)
	case_ rrj/remaster-deep --stdout -- -R -U -V "Conference IBIZA 2006" \
		-publisher "www.mojknoppix.pl" -hide-rr-moved -cache-inodes \
		-no-bak -pad "$dir"
	case_ rrj/merge -- -R -J "$(tree flat)" "$(tree empty)"
	case_ rrj/graft -- -R -J -graft-points "a/b=$(tree flat)" \
		"c=$(tree special)"
}

rrj_hostile() {
	if [ "$ELT_HOSTILE" != 1 ]; then
		e2e_skip "rrj/hostile: ELT_HOSTILE=0"
		return
	fi
	case_ rrj/hostile/clash -- -R -J "$(tree clash)"
	case_ rrj/hostile/huge -- -R -J "$(tree huge)"
}

if [ "$GROUP" != rrj ]; then
	core_names
	core_depth
	core_special
	core_ids
	core_select
	core_layout
	core_boot
	core_hostile
fi
if [ "$GROUP" != core ]; then
	rrj_basic
	rrj_deep
	rrj_hide
	rrj_remaster
	rrj_hostile
fi
e2e_done
