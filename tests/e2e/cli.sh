#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# eltorito-mkisofs end to end: exit codes, usage errors, outputs (file,
# stdout, pipes, full disks), no partial files, the output inside the
# input tree, mkisofs/genisoimage symlinks, -print-size, graft points,
# lists, El Torito, and that the committed man page is current.
# Images are read back with isoinfo (cdrkit) and dumpet, not with our code.
# Prints "ok NAME" / "FAIL NAME: reason" and "N passed, M failed".

: "${ELT_BUILDDIR:=$PWD}"
: "${ELT_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${ELT_CLI:=$ELT_BUILDDIR/cli/eltorito-mkisofs}"
CLI=$ELT_CLI

if [ ! -x "$CLI" ]; then
	echo "SKIP: $CLI not built"
	exit 77
fi
if ! command -v isoinfo >/dev/null 2>&1; then
	echo "SKIP: isoinfo (genisoimage package) not installed"
	exit 77
fi

PASS=0
FAIL=0
W=$(mktemp -d "$ELT_BUILDDIR/tmp-test-cli.XXXXXX") || exit 99
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 99

# A fixed instant before 2028 (genisoimage's 7-byte year breaks after).
export SOURCE_DATE_EPOCH=1800000000
export TZ=UTC

ok() { echo "ok $1"; PASS=$((PASS + 1)); }
bad() { echo "FAIL $1: $2"; FAIL=$((FAIL + 1)); }
check() { # NAME CONDITION-COMMAND... ; reason is the command
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name" "$*"; fi
}
lines() { [ -s "$1" ] && wc -l < "$1" || echo 0; }
blocks() { echo $(( $(stat -c %s "$1") / 2048 )); }
listing() { isoinfo -f -i "$1" 2>/dev/null; }
rrlisting() { isoinfo -R -f -i "$1" 2>/dev/null; }
jlisting() { isoinfo -J -f -i "$1" 2>/dev/null; }
no_temp_left() { ! ls -a "$1" | grep -q '^\..*\.iso\.'; }
export -f listing rrlisting jlisting

# ------------------------------------------------------------ the tree
mkdir -p tree/sub/deeper tree2
echo hello > tree/a.txt
echo world > tree/sub/b.txt
echo deep > tree/sub/deeper/c.txt
head -c 300000 /dev/urandom > tree/big.bin   # image > a pipe buffer
echo two > tree2/other.txt
head -c 2048 /dev/zero > tree/boot.bin
printf 'ELTORITO-SYSAREA' > sysarea.bin

# ------------------------------------------------------------ help, version
"$CLI" -help > help.out 2> help.err
rc=$?
check help_exit0 [ "$rc" -eq 0 ]
check help_lists_output grep -q -- '-o FILE, -output FILE' help.err
"$CLI" --help > /dev/null 2>&1
check help_two_dashes [ $? -eq 0 ]
"$CLI" -version > ver.out 2>&1
rc=$?
check version_exit0 [ "$rc" -eq 0 ]
check version_names_program grep -q 'eltorito-mkisofs' ver.out

# The committed man page is what the table generates now.
if [ -f "$ELT_SRCDIR/cli/eltorito-mkisofs.1" ]; then
	"$CLI" --print-man > man.out
	if cmp -s man.out "$ELT_SRCDIR/cli/eltorito-mkisofs.1"; then
		ok man_page_current
	else
		bad man_page_current "cli/eltorito-mkisofs.1 is stale: run" \
		    "'cli/eltorito-mkisofs --print-man > cli/eltorito-mkisofs.1'"
	fi
else
	bad man_page_current "cli/eltorito-mkisofs.1 missing"
fi

# ------------------------------------------------------------ usage errors
usage() { # NAME ARGS... : exit 2 and one line naming the problem
	local name=$1
	shift
	"$CLI" "$@" > /dev/null 2> u.err < /dev/null
	local rc=$?
	if [ "$rc" -ne 2 ]; then
		bad "$name" "exit $rc, want 2 for: $*"
	elif [ "$(lines u.err)" -ne 1 ]; then
		bad "$name" "want one line on stderr, got: $(cat u.err)"
	else
		ok "$name"
	fi
}
usage usage_no_args
usage usage_no_pathspec -R -J
usage usage_unknown --frobnicate tree
check usage_unknown_named grep -q -- '--frobnicate' u.err
usage usage_unimplemented_udf -udf tree
check usage_unimplemented_text grep -q 'not implemented' u.err
usage usage_unimplemented_hfs -hfs tree
usage usage_unimplemented_short -z tree
usage usage_unimplemented_M -M old.iso tree
usage usage_missing_argument -o
usage usage_bad_level -iso-level 7 tree
usage usage_long_volid -V 123456789012345678901234567890123 tree
usage usage_ambiguous -vol X tree
usage usage_boot_opts_without_image -no-emul-boot -o x.iso tree
SOURCE_DATE_EPOCH=soon usage usage_bad_source_date_epoch -o x.iso tree

# A terminal on stdout is refused (genisoimage would spray it).
if command -v script >/dev/null 2>&1; then
	script -qec "'$CLI' tree" /dev/null < /dev/null > tty.out 2>&1
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q terminal tty.out; then
		ok refuse_terminal
	else
		bad refuse_terminal "exit $rc: $(head -c 200 tty.out)"
	fi
fi

# ------------------------------------------------------------ a good image
"$CLI" -quiet -o a.iso tree 2> a.err
rc=$?
check build_exit0 [ "$rc" -eq 0 ]
check build_quiet_is_silent [ ! -s a.err ]
check build_readable bash -c "isoinfo -d -i a.iso | grep -q 'Volume size is'"
listing a.iso > a.lst
check build_lists_files grep -qx '/SUB/DEEPER/C.TXT;1' a.lst
check build_no_temp_left no_temp_left .

# Several sources merge into the root.
"$CLI" -quiet -o m.iso tree/sub tree2
listing m.iso > m.lst
check merge_sources bash -c "grep -qx '/B.TXT;1' m.lst && grep -qx '/OTHER.TXT;1' m.lst && grep -qx '/DEEPER/C.TXT;1' m.lst"

# A file operand goes to the root under its own name.
"$CLI" -quiet -o f.iso tree/a.txt tree/sub/b.txt
listing f.iso > f.lst
check file_operands bash -c "grep -qx '/A.TXT;1' f.lst && grep -qx '/B.TXT;1' f.lst"

# ------------------------------------------------------------ -print-size
n=$("$CLI" -quiet -print-size tree 2> ps.err)
check print_size_equals_size [ "$n" = "$(blocks a.iso)" ]
check print_size_quiet [ ! -s ps.err ]
"$CLI" -print-size tree > ps.out 2> ps.err
check print_size_stderr_line grep -qx "Total extents scheduled to be written = $n" ps.err
check print_size_stdout [ "$(cat ps.out)" = "$n" ]
n=$("$CLI" -quiet -print-size -R -J -no-pad tree)
"$CLI" -quiet -R -J -no-pad -o rj.iso tree
check print_size_rr_joliet [ "$n" = "$(blocks rj.iso)" ]
"$CLI" -quiet -o ps.iso -print-size tree > /dev/null
check print_size_writes_nothing [ ! -e ps.iso ]
if command -v genisoimage >/dev/null 2>&1; then
	g=$(genisoimage -quiet -print-size tree 2>/dev/null)
	check print_size_like_genisoimage [ "$g" = "$(blocks a.iso)" ]
fi

# -pad (default) is 150 zero blocks, as genisoimage 1.1.11 measures.
"$CLI" -quiet -no-pad -o np.iso tree
check no_pad_150_blocks [ $(( $(blocks a.iso) - $(blocks np.iso) )) -eq 150 ]
check pad_is_zero bash -c "tail -c $((150 * 2048)) a.iso | cmp -s - <(head -c $((150 * 2048)) /dev/zero)"

# ------------------------------------------------------------ stdout and pipes
"$CLI" -quiet tree 2> p.err | cat > p.iso
check stdout_pipe_equals_file cmp -s p.iso a.iso
"$CLI" -quiet tree > r.iso 2> r.err
check stdout_file_equals_file cmp -s r.iso a.iso

# more than any pipe buffer (the CLI widens stdout pipes to 1 MiB)
mkdir -p bigtree && head -c $((8 * 1024 * 1024)) /dev/zero > bigtree/zeros.bin
"$CLI" -quiet bigtree 2> h.err | head -c 1000 > /dev/null
rc=${PIPESTATUS[0]}
if [ "$rc" -eq 1 ] && [ "$(lines h.err)" -eq 1 ] && grep -qi 'pipe' h.err; then
	ok broken_pipe_one_line
else
	bad broken_pipe_one_line "exit $rc, stderr: $(cat h.err)"
fi

if [ -w /dev/full ]; then
	"$CLI" -quiet -o /dev/full tree 2> full.err
	rc=$?
	if [ "$rc" -eq 1 ] && [ "$(lines full.err)" -eq 1 ] &&
	   grep -q '/dev/full' full.err && grep -qi 'space' full.err; then
		ok dev_full_enospc
	else
		bad dev_full_enospc "exit $rc, stderr: $(cat full.err)"
	fi
	"$CLI" -quiet tree > /dev/full 2> full2.err
	rc=$?
	check stdout_dev_full [ "$rc" -eq 1 ]
fi

# ------------------------------------------------------------ failures leave no trace
"$CLI" -quiet -o miss.iso tree does-not-exist 2> miss.err
rc=$?
if [ "$rc" -eq 1 ] && [ "$(lines miss.err)" -eq 1 ] &&
   grep -q 'does-not-exist' miss.err; then
	ok missing_source_one_line
else
	bad missing_source_one_line "exit $rc, stderr: $(cat miss.err)"
fi
check missing_source_no_output [ ! -e miss.iso ]
check missing_source_no_temp no_temp_left .

echo precious > keep.iso
"$CLI" -quiet -o keep.iso does-not-exist 2> /dev/null
check existing_output_untouched_usage [ "$(cat keep.iso)" = precious ]

# A write that fails half way (file size limit: EFBIG) leaves neither a
# partial image nor a temporary file, and keeps an existing file.
( trap '' XFSZ; ulimit -f 64; exec "$CLI" -quiet -o half.iso tree ) 2> half.err
rc=$?
check half_write_exit1 [ "$rc" -eq 1 ]
check half_write_no_output [ ! -e half.iso ]
check half_write_no_temp no_temp_left .
check half_write_one_line [ "$(lines half.err)" -eq 1 ]
( trap '' XFSZ; ulimit -f 64; exec "$CLI" -quiet -o keep.iso tree ) 2> /dev/null
check half_write_keeps_existing [ "$(cat keep.iso)" = precious ]

# An existing output keeps its mode; through a symbolic link the file
# pointed to is replaced, not the link; a FIFO is written in place.
echo old > real.iso && chmod 640 real.iso && ln -s real.iso link.iso
"$CLI" -quiet -o link.iso tree
check output_symlink_kept [ -L link.iso ]
check output_symlink_target_written cmp -s real.iso a.iso
check output_mode_kept [ "$(stat -c %a real.iso)" = 640 ]
mkfifo out.fifo
cat out.fifo > fifo.iso &
"$CLI" -quiet -o out.fifo tree
rc=$?
wait
check output_fifo sh -c "[ $rc -eq 0 ] && cmp -s fifo.iso a.iso"
"$CLI" -quiet -o . tree 2> isdir.err
rc=$?
check output_is_directory sh -c "[ $rc -eq 1 ] && grep -q 'directory' isdir.err"

# Output directory missing: one line naming the output.
"$CLI" -quiet -o nodir/x.iso tree 2> nodir.err
rc=$?
check output_dir_missing bash -c "[ $rc -eq 1 ] && grep -q 'nodir/x.iso' nodir.err"

# ------------------------------------------------------------ -o inside the tree
cp -r tree self
"$CLI" -quiet -o self/self.iso self
check output_in_tree_exit0 [ $? -eq 0 ]
check output_in_tree_excluded bash -c "! isoinfo -f -i self/self.iso | grep -qi self"
"$CLI" -quiet -o self/self.iso self
check output_in_tree_again_excluded bash -c "! isoinfo -f -i self/self.iso | grep -qi self"
check output_in_tree_no_temp no_temp_left self
"$CLI" -quiet self > self/stdout.iso
check stdout_file_in_tree_excluded bash -c "! isoinfo -f -i self/stdout.iso | grep -qi stdout"

# The temporary file must not touch the directory before it is read: the
# image equals genisoimage's, which opens its output after the scan.
if command -v genisoimage >/dev/null 2>&1 && command -v faketime >/dev/null 2>&1; then
	cp -r tree own && cp -r tree gen && touch -d '2026-01-01 00:00:00' own gen
	"$CLI" -quiet -A SAME -o own/out.iso own
	faketime -f "@$(date -u -d "@$SOURCE_DATE_EPOCH" "+%Y-%m-%d %H:%M:%S")" genisoimage -quiet -A SAME -o gen/out.iso gen 2> /dev/null
	check output_in_tree_like_genisoimage cmp -s own/out.iso gen/out.iso
fi

# ------------------------------------------------------------ program names
# In the build tree $CLI is libtool's wrapper script, which would hide
# the link's name: link to the real binary instead.
REAL=$CLI
if head -c 300 "$CLI" | grep -q 'wrapper script'; then
	for c in "$(dirname "$CLI")/.libs/lt-eltorito-mkisofs" \
	         "$(dirname "$CLI")/.libs/eltorito-mkisofs"; do
		if [ -x "$c" ]; then REAL=$c; break; fi
	done
	export LD_LIBRARY_PATH="$ELT_BUILDDIR/libeltorito/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
ln -s "$REAL" mkisofs
ln -s "$REAL" genisoimage
for prog in mkisofs genisoimage; do
	"./$prog" -quiet -o "$prog.iso" tree
	check "symlink_${prog}_same_image" cmp -s "$prog.iso" a.iso
	"./$prog" -version > "$prog.ver"
	check "symlink_${prog}_version" grep -q "^$prog 1\.1\.11 (eltorito-mkisofs" "$prog.ver"
	"./$prog" --frobnicate tree 2> "$prog.err"
	rc=$?
	check "symlink_${prog}_usage" bash -c "[ $rc -eq 2 ] && grep -q '^$prog:' $prog.err"
done

# ------------------------------------------------------------ graft points and lists
"$CLI" -quiet -J -graft-points -o g.iso 'x/y=tree/sub' 'n.txt=tree/a.txt' \
	'dir/=tree/a.txt' 'e\=q=tree2/other.txt'
jlisting g.iso > g.lst
check graft_dir bash -c "grep -qx '/x/y/b.txt' g.lst && grep -qx '/x/y/deeper/c.txt' g.lst"
check graft_file_renamed grep -qx '/n.txt' g.lst
check graft_file_into_dir grep -qx '/dir/a.txt' g.lst
check graft_escaped_equal grep -qx '/e=q' g.lst
mkdir eqdir && echo v > 'eqdir/k=v'
"$CLI" -quiet -J -o ng.iso 'tree/sub' 'eqdir/k=v'
jlisting ng.iso > ng.lst
check no_graft_points_merges grep -qx '/b.txt' ng.lst
check no_graft_points_equal_literal grep -qx '/k=v' ng.lst

printf 'tree/sub\ntree2\n' > paths.lst
"$CLI" -quiet -o pl.iso -path-list paths.lst
listing pl.iso > pl.lst
check path_list bash -c "grep -qx '/B.TXT;1' pl.lst && grep -qx '/OTHER.TXT;1' pl.lst"

: > empty.lst
"$CLI" -quiet -o pe.iso -path-list empty.lst 2> pe.err
rc=$?
check path_list_empty_is_usage bash -c "[ $rc -eq 2 ] && grep -q empty.lst pe.err && [ ! -e pe.iso ]"

"$CLI" -quiet -o ex.iso -m '*.bin' -x deeper tree
listing ex.iso > ex.lst
check exclude bash -c "! grep -qi 'BIN\|DEEPER' ex.lst && grep -qx '/A.TXT;1' ex.lst"
printf 'a.txt\n' > ex.list
"$CLI" -quiet -o exl.iso -exclude-list ex.list tree
check exclude_list bash -c "! isoinfo -f -i exl.iso | grep -q A.TXT"
"$CLI" -quiet -o exl2.iso -exclude-list missing.list tree 2> exl2.err
rc=$?
check exclude_list_missing bash -c "[ $rc -eq 1 ] && grep -q missing.list exl2.err && [ ! -e exl2.iso ]"

# -sort: heavier files first, and the last matching rule wins, as in
# genisoimage (tree/a.txt gets -10 although tree/* said 5 before).
printf 'tree/* 5\ntree/a.txt -10\n' > sort.rules
"$CLI" -quiet -o sort.iso -sort sort.rules tree
isoinfo -l -i sort.iso | awk '/;1 *$/ { gsub(/\[/, ""); print $(NF - 2), $NF }' |
	sort -n > sort.ext
check sort_last_rule_wins [ "$(tail -n 1 sort.ext | awk '{print $2}')" = 'A.TXT;1' ]
check sort_heavy_first grep -q 'BI' <(head -n 1 sort.ext)

# ------------------------------------------------------------ messages
"$CLI" -o lf.iso -log-file log.txt tree 2> lf.err
check log_file_gets_messages grep -q 'extents written' log.txt
check log_file_stderr_redirect_note grep -q 'log.txt' lf.err
check log_file_stderr_only_note [ "$(lines lf.err)" -eq 1 ]

# genisoimage's progress lines: one at each multiple of 5000 blocks.
mkdir -p bigtree && head -c $((12 * 1024 * 1024)) /dev/zero > bigtree/zeros
"$CLI" -o bigtree.iso bigtree 2> prog.err
n=$(blocks bigtree.iso)
want=$(( (n - 1) / 5000 ))
got=$(grep -c '^ *[0-9.]*% done, estimate finish ' prog.err)
check progress_lines [ "$want" -ge 1 -a "$got" -eq "$want" ]
check progress_percent grep -q "^ *$(awk -v t="$n" 'BEGIN { printf "%.2f", 500000 / t }')% done" prog.err
check extents_written_line grep -qx "$n extents written ($((n >> 9)) MB)" prog.err
rm -rf bigtree bigtree.iso

# ------------------------------------------------------------ El Torito, -G
"$CLI" -quiet -o bt.iso -b boot.bin -no-emul-boot -boot-load-size 4 tree
rc=$?
check eltorito_exit0 [ "$rc" -eq 0 ]
check eltorito_boot_record bash -c "isoinfo -d -i bt.iso | grep -q 'El Torito'"
check eltorito_default_catalog grep -q 'BOOT.CAT' <(listing bt.iso)
if command -v dumpet >/dev/null 2>&1; then
	dumpet -i bt.iso > bt.dump 2>&1
	check eltorito_no_emulation grep -q 'no emulation' bt.dump
	check eltorito_load_sectors grep -q 'Load Sectors: 4' bt.dump
fi
"$CLI" -quiet -o bc.iso -b boot.bin -no-emul-boot -c cat.bin tree
check eltorito_catalog_name grep -q '/CAT.BIN;1' <(listing bc.iso)
"$CLI" -quiet -o bm.iso -b missing.bin -no-emul-boot tree 2> bm.err
rc=$?
check eltorito_missing_image bash -c "[ $rc -eq 1 ] && grep -q missing.bin bm.err && [ ! -e bm.iso ]"

"$CLI" -quiet -o sa.iso -G sysarea.bin tree
check generic_boot_system_area bash -c "head -c 16 sa.iso | grep -q ELTORITO-SYSAREA && cmp -s <(tail -c +17 sa.iso | head -c 32752) <(head -c 32752 /dev/zero)"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
