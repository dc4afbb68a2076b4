#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# parity_trans.sh: translation tables (-T, -table-name,
# -hide-joliet-trans-tbl) at byte parity with genisoimage 1.1.11.
#
# Each case builds one tree twice -- genisoimage under faketime at T, our
# CLI with SOURCE_DATE_EPOCH=T, TZ=UTC, tree on a noatime tmpfs -- and
# compares with cmp; on a difference tests/e2e/isocmp.py names the first
# differing structure.  Masks are the deliberate differences only:
#   dir.dotdot.extent  trees deeper than 8 levels without RR or -D
#                      (see parity.sh)
#   pvd.app_id / joliet.app_id  our application id names us unless -A
# ELT_CASES=REGEX runs only the matching case names.

. "$(dirname "$0")/lib.sh"

e2e_have genisoimage || e2e_skip_all "genisoimage not installed"
e2e_have faketime || e2e_skip_all "faketime not installed"
[ -x "$ELT_CLI" ] || e2e_skip_all "no CLI at ELT_CLI=$ELT_CLI"

e2e_init parity-trans 400m

DOTDOT=(--mask dir.dotdot.extent)
# the application id names us unless -A is given (docs/compat.md)
APPMASK=(--mask pvd.app_id --mask joliet.app_id)

case_() {
	local name=$1; shift
	if [ -n "${ELT_CASES:-}" ] && ! [[ $name =~ $ELT_CASES ]]; then
		return
	fi
	local pre=() appm=("${APPMASK[@]}") a
	while [ $# -gt 0 ] && [ "$1" != -- ]; do pre+=("$1"); shift; done
	shift
	for a in "$@"; do
		case $a in -A|-appid) appm=() ;; esac
	done
	e2e_parity "$name" "${appm[@]}" "${pre[@]}" -- "$@"
}

# ---------------------------------------------------------------- trees
T=$E2E_TREES

# every kind of entry, names that collide after mapping, the tables a
# source disc may carry (a file and a directory named TRANS.TBL)
make_kinds() {
	local d=$T/kinds
	mkdir -p "$d/sub/deeper" "$d/empty" "$d/TRANS.TBL" "$d/dir.with.dots"
	echo hello >"$d/hello.txt"
	echo x >"$d/LongFileName-with.many.dots.txt"
	ln -s hello.txt "$d/link"
	ln -s ../hello.txt "$d/sub/uplink"
	mkfifo "$d/fifo"
	echo t >"$d/TRANS.TBL/inside"
	echo s >"$d/sub/a.c"
	echo u >"$d/sub/TRANS.TBL"
	: >"$d/sub/deeper/z"
	local n
	for n in abcdefghij1.txt abcdefghij2.txt abcdefghij3.txt \
	         ABCDEFGHIJ4.TXT "sp ace.c" 'we;ird' .hidden .a.b.c x.tar.gz \
	         UPPER lower Lower.Txt 'tab	name'; do
		echo "$n" >"$d/$n"
	done
	ln "$d/lower" "$d/hardlink"
	if mknod "$d/cdev" c 1 3 2>/dev/null &&
	   mknod "$d/bdev" b 7 0 2>/dev/null; then
		HAVE_DEV=1
	else
		HAVE_DEV=0
		echo "# not root: no device nodes in the tree"
	fi
	if e2e_have python3; then
		python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
			"$d/sock" 2>/dev/null || true
	fi
}

# hide candidates
make_hide() {
	local d=$T/hide
	mkdir -p "$d/d1" "$d/hd" "$d/onlyhidden"
	echo 1 >"$d/a"; echo 2 >"$d/hideme"; echo 3 >"$d/hd/f"
	echo 4 >"$d/onlyhidden/h2"; echo 5 >"$d/jh"; echo 6 >"$d/existence"
	echo 8 >"$d/d1/k"
}

# a lower-case trans.tbl maps to TRANS.TBL;1: no table in that directory
make_lower() {
	local d=$T/lower
	mkdir -p "$d/sub"
	echo a >"$d/trans.tbl"; echo b >"$d/b.txt"; echo c >"$d/sub/c"
	echo q >"$d/X.TXT"
}

# 10 levels: relocation with Rock Ridge
make_deep() {
	local d=$T/deep10 p
	p=$d/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10
	mkdir -p "$p"
	echo f >"$d/d1/d2/d3/d4/d5/d6/d7/d8/d9/f9"
	echo g >"$p/f10"
	echo h >"$d/d1/d2/d3/d4/d5/d6/d7/f7"
}

# tables of several blocks
make_big() {
	local d=$T/big i
	mkdir -p "$d/more"
	for i in $(seq 1 60); do
		echo "$i" >"$d/file number $i with a long name.txt"
		echo "$i" >"$d/more/f$i"
	done
}

make_boot() {
	local d=$T/boot
	mkdir -p "$d/boot"
	head -c 4096 /dev/zero | tr '\0' B >"$d/boot/img.bin"
	echo z >"$d/boot/zz"
}

make_kinds; make_hide; make_lower; make_deep; make_big; make_boot

# ---------------------------------------------------------------- cases
kinds() {
	local opts
	local -a sets=(
		"-T" "-T -R" "-T -R -J" "-T -J" "-T -r" "-T -R -uid 5 -gid 6"
		"-T -N" "-T -l" "-T -d" "-T -allow-lowercase" "-T -iso-level 2"
		"-T -iso-level 3 -R -J" "-T -U" "-T -D -R" "-T -L -R"
		"-T -max-iso9660-filenames -R" "-T -allow-multidot -l"
		"-T -relaxed-filenames" "-T -no-iso-translate" "-T -f -R"
		"-T -R -no-cache-inodes" "-T -R -J -joliet-long"
		"-T -R -dir-mode 0700 -new-dir-mode 0750"
	)
	for opts in "${sets[@]}"; do
		# shellcheck disable=SC2086
		case_ "kinds/${opts// /}" -- $opts "$T/kinds"
	done
}

names() {
	case_ name/long -- -T -table-name "Long Table Name.list" -R -J "$T/kinds"
	case_ name/lower -- -table-name names.lst -R "$T/kinds"
	# -table-name b.txt: the disc's b.txt is never read
	case_ name/skips-source -- -T -table-name b.txt -R "$T/lower"
	case_ name/-N-match -- -T -table-name B.TXT -N "$T/lower"
	case_ name/default-lower-file -- -T -R -J "$T/lower"
	# the mapped table name clashes with X.TXT: genisoimage stops
	case_ name/clash --refuse -- -T -table-name x.txt "$T/lower"
}

joliet() {
	case_ joliet/hide-trans -- -T -J -R -hide-joliet-trans-tbl "$T/kinds"
	case_ joliet/hide-trans-no-J -- -T -hide-joliet-trans-tbl "$T/kinds"
	case_ joliet/hide-trans-no-T -- -J -hide-joliet-trans-tbl "$T/kinds"
}

hiding() {
	case_ hide/all -- -T -J -R -hide hideme -hide hd -hide h2 \
		-hide-joliet jh -hidden existence "$T/hide"
	case_ hide/all-hide-trans -- -T -J -hide-joliet-trans-tbl \
		-hide hideme -hide hd -hide h2 -hide-joliet jh -hidden existence \
		"$T/hide"
	case_ hide/-m -- -T -R -m lower -m 'abcd*' "$T/kinds"
}

grafts() {
	case_ graft/file-and-dir -- -T -R -graft-points "gf=$T/lower/b.txt" \
		"d=$T/hide/d1" "$T/lower/sub"
	case_ graft/named-TRANS.TBL -- -T -R -J -graft-points \
		"gf=$T/lower/b.txt" "TRANS.TBL=$T/lower/b.txt" "$T/lower/sub"
	case_ graft/merged-sources -- -T -R -J "$T/lower/sub" "$T/hide" \
		"$T/boot/boot/zz"
}

relocation() {
	case_ reloc/-R -- -T -R "$T/deep10"
	case_ reloc/-R-J -- -T -R -J "$T/deep10"
	case_ reloc/-hide-rr-moved -- -T -R -hide-rr-moved "$T/deep10"
	case_ reloc/hide-d9 -- -T -R -J -hide d9 "$T/deep10"
	case_ reloc/-D -- -T -D "$T/deep10"
	case_ reloc/no-RR "${DOTDOT[@]}" -- -T "$T/deep10"
}

others() {
	case_ big/-R-J -- -T -R -J "$T/big"
	case_ big/plain -- -T "$T/big"
	case_ boot/no-emul -- -T -R -b boot/img.bin -no-emul-boot "$T/boot"
	case_ boot/catalog -- -T -R -J -b boot/img.bin -c boot/boot.cat \
		-no-emul-boot "$T/boot"
	printf '%s 5\n%s 10\n' "$T/kinds/lower" "$T/kinds/sub" \
		>"$E2E_OUT/sortlist"
	case_ sort -- -T -R -sort "$E2E_OUT/sortlist" "$T/kinds"
}

fixtures() {
	local t dir
	for t in flat longnames many empty hardlinks unicode spaces name255; do
		dir=$(e2e_tree "$t") || { e2e_fail "fixture/$t: no tree"; continue; }
		case_ "fixture/$t/-T" -- -T "$dir"
		# genisoimage's Joliet stops at characters outside the BMP
		case_ "fixture/$t/-T-R-J" -- -T -R -J -m '😀.txt' "$dir"
	done
}

# 3000 names renamed after mapping, 100,000 entries (a 21 MB table)
hostile() {
	local t dir
	[ "$ELT_HOSTILE" = 1 ] || { e2e_skip "hostile: ELT_HOSTILE=0"; return; }
	for t in clash huge; do
		if [ -n "${ELT_CASES:-}" ] && ! [[ hostile/$t =~ $ELT_CASES ]]; then
			continue
		fi
		dir=$(e2e_tree "$t") || { e2e_fail "hostile/$t: no tree"; continue; }
		case_ "hostile/$t/-T-R-J" -- -T -R -J "$dir"
	done
}

# -file-mode: genisoimage's table keeps 0444
file_mode() {
	case_ file-mode -- -T -R -file-mode 0600 "$T/kinds"
}

kinds
names
joliet
hiding
grafts
relocation
others
fixtures
hostile
file_mode
e2e_done
