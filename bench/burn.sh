#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Benchmark: --burn stdio:FILE (libburn) against -o FILE for the same tree,
# and both into a pipe; with and without libburn's fifo on stdio:
# (ELT_BURN_FIFO=1/0, the hook cli/burn.c reads).  Median of $RUNS, warm
# cache.  Not a test; never run by make check.
#
# usage: bench/burn.sh [CLI]   env: RUNS=5 TREE=large WORK=bench/work
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
CLI=${1:-${ELT_CLI:-}}
if [ -z "$CLI" ]; then
	for c in "$HERE"/../cli/eltorito-mkisofs /work/build*/cli/eltorito-mkisofs; do
		[ -x "$c" ] && { CLI=$c; break; }
	done
fi
[ -x "${CLI:-}" ] || { echo "no CLI: pass a path or set ELT_CLI" >&2; exit 2; }
RUNS=${RUNS:-5}
TREE=${TREE:-large}
WORK=${WORK:-$HERE/work}
TIME=/usr/bin/time
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
python3 "$HERE/gentree.py" --work "$WORK" "$TREE" || exit 1
D=$WORK/$TREE
F=$WORK/burn-bench.iso
LOG=$WORK/bench-log
mkdir -p "$LOG"

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

measure() {
	name=$1
	shift
	rm -f "$F"
	"$@" >/dev/null 2>"$LOG/burn-$name.err" || echo "  ($name failed, see $LOG/burn-$name.err)"
	: >"$LOG/burn-$name.times"
	i=0
	while [ $i -lt "$RUNS" ]; do
		rm -f "$F"
		$TIME -f '%e %U %S %M' -o "$LOG/burn-$name.t" "$@" \
			>/dev/null 2>>"$LOG/burn-$name.err"
		tail -n 1 "$LOG/burn-$name.t" >>"$LOG/burn-$name.times"
		i=$((i + 1))
	done
	W=$(awk '{ print $1 }' "$LOG/burn-$name.times" | median)
	C=$(awk '{ print $2 + $3 }' "$LOG/burn-$name.times" | median)
	R=$(awk '{ print $4 / 1024 }' "$LOG/burn-$name.times" | median)
	printf '%-28s %8.2f %8.2f %8.1f\n' "$name" "$W" "$C" "$R"
}

echo "CLI: $CLI   tree: $D ($(du -sh "$D" | cut -f1))   runs: $RUNS (median)"
printf '%-28s %8s %8s %8s\n' what "wall s" "cpu s" "RSS MiB"
measure "-o file" "$CLI" -quiet -o "$F" "$D"
measure "--burn stdio:file" env ELT_BURN_FIFO=0 "$CLI" -quiet --burn "stdio:$F" "$D"
measure "--burn stdio:file +fifo" env ELT_BURN_FIFO=1 "$CLI" -quiet --burn "stdio:$F" "$D"
measure "stdout | cat" sh -c '"$1" -quiet "$2" | cat >/dev/null' sh "$CLI" "$D"
measure "--burn fd1 | cat" sh -c 'ELT_BURN_FIFO=0 "$1" -quiet --burn stdio:/dev/fd/1 "$2" | cat >/dev/null' sh "$CLI" "$D"
measure "--burn fd1 +fifo | cat" sh -c 'ELT_BURN_FIFO=1 "$1" -quiet --burn stdio:/dev/fd/1 "$2" | cat >/dev/null' sh "$CLI" "$D"
rm -f "$F"
