#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Benchmark: our CLI vs genisoimage vs `xorriso -as mkisofs` on the trees
# of bench/gentree.py, warm cache, median of $RUNS runs.  Not a test; never
# run by make check.
#
# usage: bench/run.sh [CLI]        (default $ELT_CLI, else a build dir's)
# env:   RUNS=3  TREES="small large"  VARIANTS="plain rj"
#        OUT=/dev/null (or a file path on the disk under test)
#        WORK=bench/work  GEN=1 (0: do not run gentree.py)
#        TMO=600 (seconds; a warm-up run over this skips the tool)
#
# Per tool and tree it prints wall seconds, CPU seconds (user+sys) and peak
# RSS (/usr/bin/time -f), then our ratios.  Floors: `tar cf - DIR | cat`
# (reads every byte once) and `find DIR -printf ''` (the walk alone), and
# the -print-size timings (walk and plan, no data).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
CLI=${1:-${ELT_CLI:-}}
if [ -z "$CLI" ]; then
	for c in "$HERE"/../cli/eltorito-mkisofs /work/build*/cli/eltorito-mkisofs; do
		[ -x "$c" ] && { CLI=$c; break; }
	done
fi
[ -x "${CLI:-}" ] || { echo "no CLI: pass a path or set ELT_CLI" >&2; exit 2; }
RUNS=${RUNS:-3}
TREES=${TREES:-small large}
VARIANTS=${VARIANTS:-plain rj rjD}
TMO=${TMO:-600}
OUT=${OUT:-/dev/null}
WORK=${WORK:-$HERE/work}
TIME=/usr/bin/time
[ -x $TIME ] || { echo "needs GNU time at $TIME" >&2; exit 2; }
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}

if [ "${GEN:-1}" = 1 ]; then
	python3 "$HERE/gentree.py" --work "$WORK" $TREES || exit 1
fi
LOG=$WORK/bench-log
mkdir -p "$LOG"

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# measure NAME CMD...: warm-up run, then $RUNS timed runs; sets W C R
# (median wall s, cpu s, peak RSS KiB) and prints one row.
measure() {
	name=$1
	shift
	timeout "$TMO" "$@" >/dev/null 2>"$LOG/$name.err"
	st=$?
	if [ "$st" -eq 124 ]; then
		printf '%-34s   timeout after %s s (warm-up run)\n' "$name" "$TMO"
		W=0 C=0 R=0
		return
	fi
	: >"$LOG/$name.times"
	i=0
	while [ $i -lt "$RUNS" ]; do
		$TIME -f '%e %U %S %M' -o "$LOG/$name.t" "$@" \
			>/dev/null 2>>"$LOG/$name.err" || st=$?
		tail -n 1 "$LOG/$name.t" >>"$LOG/$name.times"
		i=$((i + 1))
	done
	W=$(awk '{ print $1 }' "$LOG/$name.times" | median)
	C=$(awk '{ print $2 + $3 }' "$LOG/$name.times" | median)
	R=$(awk '{ print $4 }' "$LOG/$name.times" | median)
	flag=
	[ "$st" -ne 0 ] && flag="  (exit $st, see $LOG/$name.err)"
	printf '%-34s %8.2f %8.2f %8.1f%s\n' "$name" "$W" "$C" \
		"$(echo "$R" | awk '{ print $1 / 1024 }')" "$flag"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }

opts_of() {
	case $1 in
	plain) echo "" ;;
	rj) echo "-R -J" ;;
	rjD) echo "-R -J -D" ;;   # no Rock Ridge relocation of deep dirs
	esac
}

printf '%s\n' "CLI: $CLI   runs: $RUNS (median)   output: $OUT"
printf '%s\n' "genisoimage: $(genisoimage -version 2>&1 | head -n 1)"
printf '%s\n' "xorriso: $(xorriso -version 2>/dev/null | head -n 1)"
for t in $TREES; do
	D=$WORK/$t
	echo
	echo "== tree $t: $(du -sh "$D" 2>/dev/null | cut -f1), $(find "$D" | wc -l) entries"
	printf '%-34s %8s %8s %8s\n' "what" "wall s" "cpu s" "RSS MiB"
	measure "$t floor find -printf" find "$D" -printf ''
	measure "$t floor tar|cat" sh -c 'tar cf - "$1" | cat >/dev/null' sh "$D"
	for v in $VARIANTS; do
		o=$(opts_of $v)
		# shellcheck disable=SC2086
		measure "$t $v ours" "$CLI" -quiet $o -o "$OUT" "$D"
		ow=$W oc=$C orr=$R
		# shellcheck disable=SC2086
		measure "$t $v genisoimage" genisoimage -quiet $o -o "$OUT" "$D"
		gw=$W gc=$C gr=$R
		# shellcheck disable=SC2086
		measure "$t $v xorriso" xorriso -as mkisofs -quiet $o -o "$OUT" "$D"
		xw=$W xc=$C xr=$R
		echo "   ratios ours/genisoimage: wall $(ratio "$ow" "$gw")  cpu $(ratio "$oc" "$gc")  rss $(ratio "$orr" "$gr")"
		echo "   ratios ours/xorriso:     wall $(ratio "$ow" "$xw")  cpu $(ratio "$oc" "$xc")  rss $(ratio "$orr" "$xr")"
		# shellcheck disable=SC2086
		measure "$t $v ours -print-size" "$CLI" -quiet $o -print-size "$D"
		# shellcheck disable=SC2086
		measure "$t $v genisoimage -print-size" genisoimage -quiet $o -print-size "$D"
		# shellcheck disable=SC2086
		measure "$t $v xorriso -print-size" xorriso -as mkisofs -quiet $o -print-size "$D"
	done
done
[ "$OUT" != /dev/null ] && rm -f "$OUT"
exit 0
