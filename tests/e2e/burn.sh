#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# --burn through libburn from the CLI: the bytes on a stdio: target equal
# those of -o (by sha256sum), --verify catches a corrupted target, every
# refusal happens before writing, and signals cancel cleanly.
# Exit 0 pass, 1 fail, 77 skip.

CLI=${ELT_CLI:-cli/eltorito-mkisofs}
B=${ELT_BUILDDIR:-.}
pass=0 failed=0 skipped=0

ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
skip() { echo "skip $1: $2"; skipped=$((skipped + 1)); }

if [ ! -x "$CLI" ]; then
	echo "skip: no CLI at $CLI"
	exit 77
fi
for t in sha256sum mkfifo; do
	command -v $t >/dev/null 2>&1 || { echo "skip: $t missing"; exit 77; }
done
"$CLI" --devices >/dev/null 2>"$B/tmp-test-burn.err"
rc=$?
if [ $rc -eq 2 ] && grep -q 'not available' "$B/tmp-test-burn.err"; then
	rm -f "$B/tmp-test-burn.err"
	echo "skip: burning is not available in this build"
	exit 77
fi
rm -f "$B/tmp-test-burn.err"

W=$(mktemp -d "$B/tmp-test-burn-XXXXXX") || exit 1
MNT=
cleanup() {
	[ -n "$MNT" ] && umount "$MNT" 2>/dev/null
	for p in $KIDS; do kill "$p" 2>/dev/null; done
	rm -rf "$W"
}
KIDS=
trap cleanup EXIT
SOURCE_DATE_EPOCH=1700000000
export SOURCE_DATE_EPOCH

# A small tree with some real data (not block aligned) and a boot image.
T=$W/tree
mkdir -p "$T/dir/sub" "$T/boot"
echo hello >"$T/readme.txt"
dd if=/dev/urandom of="$T/dir/random.bin" bs=1000 count=3001 2>/dev/null
: >"$T/dir/sub/empty"
dd if=/dev/zero of="$T/boot/boot.bin" bs=2048 count=1 2>/dev/null

sum() { sha256sum <"$1" | cut -d' ' -f1; }

# name, then the options for both runs
same_as_o() {
	name=$1
	shift
	if ! "$CLI" -quiet "$@" -o "$W/ref.iso" "$T" 2>"$W/err"; then
		skip "$name" "-o with '$*' fails: $(head -n 1 "$W/err")"
		return
	fi
	rm -f "$W/burn.iso"
	if ! "$CLI" -quiet "$@" --burn "stdio:$W/burn.iso" "$T" 2>"$W/err"
	then
		bad "$name" "--burn failed: $(head -n 1 "$W/err")"
	elif [ "$(sum "$W/ref.iso")" != "$(sum "$W/burn.iso")" ]; then
		bad "$name" "stdio: file differs from -o output"
	else
		ok "$name"
	fi
}

same_as_o burn-plain
same_as_o burn-rr-joliet -R -J
same_as_o burn-bootable -b boot/boot.bin -no-emul-boot -boot-load-size 4

# Overwriting a larger file truncates it, as -o does.
"$CLI" -quiet -o "$W/ref.iso" "$T" 2>/dev/null
dd if=/dev/zero of="$W/big.iso" bs=1M count=8 2>/dev/null
if "$CLI" -quiet --burn "stdio:$W/big.iso" "$T" 2>"$W/err" &&
   [ "$(sum "$W/ref.iso")" = "$(sum "$W/big.iso")" ]; then
	ok burn-overwrite-truncates
else
	bad burn-overwrite-truncates "old tail left or failed: $(head -n 1 "$W/err")"
fi
REF=$(sum "$W/ref.iso")

# Pipes: /dev/fd/3 and a named FIFO, each read by sha256sum.
mkfifo "$W/fifo"
sha256sum <"$W/fifo" >"$W/fd3.sum" &
"$CLI" -quiet --burn stdio:/dev/fd/3 "$T" 3>"$W/fifo" 2>"$W/err"
rc=$?
wait
if [ $rc -eq 0 ] && [ "$(cut -d' ' -f1 "$W/fd3.sum")" = "$REF" ]; then
	ok burn-dev-fd-3
else
	bad burn-dev-fd-3 "rc $rc: $(head -n 1 "$W/err")"
fi
sha256sum <"$W/fifo" >"$W/fifo.sum" &
"$CLI" -quiet --burn "stdio:$W/fifo" "$T" 2>"$W/err"
rc=$?
wait
if [ $rc -eq 0 ] && [ "$(cut -d' ' -f1 "$W/fifo.sum")" = "$REF" ]; then
	ok burn-named-fifo
else
	bad burn-named-fifo "rc $rc: $(head -n 1 "$W/err")"
fi

# --verify: good, then with one byte flipped between write and read-back.
if "$CLI" -quiet --verify --burn "stdio:$W/v.iso" "$T" 2>"$W/err" &&
   [ "$(sum "$W/v.iso")" = "$REF" ]; then
	ok burn-verify-good
else
	bad burn-verify-good "$(head -n 1 "$W/err")"
fi
ELT_BURN_TEST_CORRUPT=40000 "$CLI" -quiet --verify \
	--burn "stdio:$W/v.iso" "$T" 2>"$W/err"
rc=$?
if [ $rc -eq 1 ] && grep -q 'verify failed' "$W/err"; then
	ok burn-verify-corrupt
else
	bad burn-verify-corrupt "rc $rc, stderr: $(head -n 1 "$W/err")"
fi
# A pipe cannot be read back: refused before writing.
sha256sum <"$W/fifo" >/dev/null &
KIDS=$!
"$CLI" -quiet --verify --burn "stdio:$W/fifo" "$T" 2>"$W/err"
rc=$?
# A read-write open never blocks; it ends a reader still waiting in open.
exec 4<>"$W/fifo"
exec 4>&-
wait
KIDS=
if [ $rc -eq 1 ] && [ "$(wc -l <"$W/err")" -eq 1 ]; then
	ok burn-verify-pipe-refused
else
	bad burn-verify-pipe-refused "rc $rc: $(cat "$W/err")"
fi

# Refusals: one line naming the drive, exit 1, nothing written.
refused() {
	name=$1 target=$2 file=$3
	shift 3
	"$CLI" -quiet "$@" --burn "$target" "$T" 2>"$W/err"
	rc=$?
	if [ $rc -ne 1 ]; then
		bad "$name" "exit $rc, expected 1"
	elif [ "$(wc -l <"$W/err")" -ne 1 ] ||
	     ! grep -qF "$target" "$W/err"; then
		bad "$name" "expected one line naming $target: $(cat "$W/err")"
	elif [ -n "$file" ] && [ -s "$file" ]; then
		bad "$name" "$file was written"
	else
		ok "$name"
	fi
}
refused burn-missing-dir "stdio:$W/no/such/dir/x.iso" "$W/no/such/dir/x.iso"
refused burn-dummy-stdio "stdio:$W/dummy.iso" "$W/dummy.iso" --dummy
refused burn-multi-stdio "stdio:$W/multi.iso" "$W/multi.iso" --multi
refused burn-blank-stdio "stdio:$W/blank.iso" "$W/blank.iso" --blank fast
refused burn-no-drive /dev/no-such-drive ""

# Target too small, checked before writing: a 1 MiB tmpfs (root only).
if [ "$(id -u)" = 0 ] && mkdir "$W/mnt" &&
   mount -t tmpfs -o size=1m tmpfs "$W/mnt" 2>/dev/null; then
	MNT=$W/mnt
	refused burn-too-small-tmpfs "stdio:$MNT/x.iso" "$MNT/x.iso"
	umount "$MNT"
	MNT=
else
	skip burn-too-small-tmpfs "needs root to mount a tmpfs"
fi
# ... and found while writing: a FIFO whose reader leaves early.
head -c 10000 <"$W/fifo" >/dev/null &
"$CLI" -quiet --burn "stdio:$W/fifo" "$T" 2>"$W/err"
rc=$?
wait
if [ $rc -eq 1 ] && grep -q 'burn failed' "$W/err"; then
	ok burn-reader-closed-early
else
	bad burn-reader-closed-early "rc $rc: $(head -n 1 "$W/err")"
fi

# SIGINT mid-burn: a slow reader keeps the burn going.
if command -v python3 >/dev/null 2>&1; then
	dd if=/dev/urandom of="$T/dir/more.bin" bs=1M count=24 2>/dev/null
	python3 -c '
import sys, time
f = sys.stdin.buffer
while f.read(65536):
    time.sleep(0.02)
' <"$W/fifo" &
	rdr=$!
	"$CLI" -quiet --burn "stdio:$W/fifo" "$T" 2>"$W/err" &
	cli=$!
	KIDS="$rdr $cli"
	sleep 1
	kill -INT $cli
	wait $cli
	rc=$?
	wait $rdr
	KIDS=
	if [ $rc -eq 1 ] && grep -q 'interrupted' "$W/err"; then
		ok burn-sigint
	else
		bad burn-sigint "rc $rc: $(head -n 1 "$W/err")"
	fi
	rm -f "$T/dir/more.bin"
else
	skip burn-sigint "python3 missing (slow reader)"
fi

"$CLI" --devices >"$W/out" 2>"$W/err"
rc=$?
if [ $rc -eq 0 ]; then
	ok burn-devices
else
	bad burn-devices "exit $rc: $(head -n 1 "$W/err")"
fi

echo "$pass passed, $failed failed"
[ $failed -gt 0 ] && exit 1
[ $pass -eq 0 ] && exit 77
exit 0
