#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Each public header compiles alone as C89 with -pedantic, and as C++.
set -u
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
for h in "$ELT_SRCDIR"/include/eltorito/*.h; do
	name=$(basename "$h")
	pre=
	[ "$name" = burn.h ] && { pkg-config --exists libburn-1 2>/dev/null || continue; pre="#include <libburn/libburn.h>"; }
	printf '%s\n#include <eltorito/%s>\nint main(void) { return 0; }\n' "$pre" "$name" >"$tmp/t.c"
	if $cc -std=c89 -pedantic -Werror -Wall -Wextra -I"$ELT_SRCDIR/include" \
	    $(pkg-config --cflags libburn-1 2>/dev/null) -c "$tmp/t.c" -o "$tmp/t.o"; then
		echo "ok $name c89"; pass=$((pass + 1))
	else
		echo "FAIL $name c89"; fail=$((fail + 1))
	fi
	if command -v g++ >/dev/null; then
		cp "$tmp/t.c" "$tmp/t.cc"
		if g++ -Wall -Werror -I"$ELT_SRCDIR/include" $(pkg-config --cflags libburn-1 2>/dev/null) -c "$tmp/t.cc" -o "$tmp/t2.o"; then
			echo "ok $name c++"; pass=$((pass + 1))
		else
			echo "FAIL $name c++"; fail=$((fail + 1))
		fi
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
