#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The shared library exports exactly the functions declared ELT_API in the
# public headers: nothing internal leaks, nothing declared is missing.
set -u
lib="$ELT_BUILDDIR/libeltorito/.libs/libeltorito.so"
[ -f "$lib" ] || { echo "no shared library at $lib: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | sort >"$tmp/exported"
for h in "$ELT_SRCDIR"/include/eltorito/*.h; do
	case $h in
	*/burn.h) grep -q HAVE_LIBBURN "$ELT_BUILDDIR/config.h" 2>/dev/null &&
	          grep -q '^#define HAVE_LIBBURN' "$ELT_BUILDDIR/config.h" || continue ;;
	esac
	grep -v "^#" "$h" | tr "\n" " " | tr ";" "\n" | grep ELT_API |
		sed -n 's/.*[ *]\([a-z_][a-z0-9_]*\) *(.*/\1/p'
done | sort -u >"$tmp/declared"
if cmp -s "$tmp/exported" "$tmp/declared"; then
	echo "ok exports: $(wc -l <"$tmp/declared") symbols"
	echo "1 passed, 0 failed"
	exit 0
fi
echo "FAIL exports differ (< exported only, > declared only):"
diff "$tmp/exported" "$tmp/declared"
echo "0 passed, 1 failed"
exit 1
