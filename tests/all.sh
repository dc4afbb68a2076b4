#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The whole test suite: build, make check, valgrind on the unit programs,
# make distcheck, and make check again under ASan+UBSan. Run from the top
# of a checkout; exits non-zero when anything fails.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)
pass=0
fail=0
step() {
	name=$1
	shift
	echo "=== $name"
	if "$@"; then
		pass=$((pass + 1))
		echo "ok $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name"
	fi
}
show_logs() {
	for f in "$1"/tests/unit/*.log "$1"/tests/e2e/*.log "$1"/tests/*.log; do
		[ -f "$f" ] || continue
		grep -qE '^(FAIL|ERROR)' "${f%.log}.trs" 2>/dev/null || continue
		echo "----- $f"
		tail -n 60 "$f"
	done
}
check_in() {
	dir=$1
	shift
	rm -rf "$dir" && mkdir -p "$dir" && cd "$dir" &&
	"$top"/configure "$@" >configure.out &&
	make -j"$jobs" >make.out 2>&1 || { tail -n 40 make.out; cd "$top"; return 1; }
	if make -j"$jobs" check; then cd "$top"; return 0; fi
	show_logs "$dir"
	cd "$top"
	return 1
}
valgrind_units() {
	command -v valgrind >/dev/null || { echo "valgrind missing: skipped"; return 0; }
	cd "$top/_build"
	rc=0
	for t in tests/unit/test_enc tests/unit/test_layout tests/unit/test_names \
	         tests/unit/test_eltorito tests/unit/test_rockridge; do
		[ -x "$t" ] || continue
		ELT_BUILDDIR=$PWD ELT_FIXTURES="$top/fixtures" ELT_SRCDIR="$top" \
		./libtool --mode=execute valgrind -q --error-exitcode=3 \
			--leak-check=full --errors-for-leak-kinds=definite "$t" \
			>"$t.valgrind.out" 2>&1 || { rc=1; tail -n 30 "$t.valgrind.out"; }
	done
	cd "$top"
	return $rc
}
distcheck() {
	cd "$top/_build" && make -j"$jobs" distcheck >distcheck.out 2>&1
	rc=$?
	[ $rc -eq 0 ] || tail -n 80 distcheck.out
	cd "$top"
	return $rc
}
[ -x configure ] || autoreconf -fi
step "make check" check_in "$top/_build" --enable-debug
step "valgrind on unit programs" valgrind_units
step "make distcheck" distcheck
step "make check under ASan+UBSan" check_in "$top/_build-san" --enable-sanitizers --enable-debug
echo "suite: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
