# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared shell functions of the end-to-end tests.  Source it from bash:
#     . "$(dirname "$0")/lib.sh"
#     e2e_init NAME            # work dir, tmpfs, cleanup trap
#     tree=$(e2e_tree flat)    # generated fixture tree (cached per run)
#     e2e_parity CASE [--mask K]... -- ARGS... (see below)
#     e2e_done                 # prints "N passed, M failed", exits
#
# Environment (set by make check; defaults for manual runs):
#   ELT_CLI        our eltorito-mkisofs
#   ELT_FIXTURES   fixtures/ of the source tree
#   ELT_SRCDIR     top of the source tree
#   ELT_BUILDDIR   top of the build tree (work dirs go below it)
#   ELT_KEEP=1     keep the work dir (and print its name)
#   ELT_HOSTILE=0  skip the slow hostile trees (huge, clash)
#   ELT_VERBOSE=1  print commands and tool stderr

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${ELT_SRCDIR:=$(cd "$E2E_DIR/../.." && pwd)}"
: "${ELT_FIXTURES:=$ELT_SRCDIR/fixtures}"
: "${ELT_BUILDDIR:=$PWD}"
: "${ELT_CLI:=$ELT_BUILDDIR/cli/eltorito-mkisofs}"
: "${ELT_HOSTILE:=1}"
export ELT_SRCDIR ELT_FIXTURES ELT_BUILDDIR ELT_CLI

# Parity instant: later than every time mktrees.sh writes (< 2027) and
# than the ctimes of a tree made today, but before 2028, where
# genisoimage's 7-byte year (a signed char) breaks.
E2E_T=${ELT_PARITY_T:-1811808000}           # 2027-06-01 00:00:00 UTC
if [ "$(date +%s)" -ge "$E2E_T" ]; then
	E2E_T=$(( $(date +%s) + 3600 ))
	[ "$E2E_T" -lt 1830297600 ] ||
		echo "# warning: clock is past 2028; genisoimage dates break" >&2
fi
E2E_TSTR=$(date -u -d "@$E2E_T" '+%Y-%m-%d %H:%M:%S')

E2E_TIMEOUT=${ELT_TIMEOUT:-300}   # seconds per tool run (hangs fail)
E2E_PASS=0
E2E_FAIL=0
E2E_SKIP=0
MASK_CLOCK=0
E2E_WORK=
E2E_MNT=

e2e_python() {
	# a python3 with pycdlib if there is one (the distribution's),
	# else any python3
	local py
	for py in /usr/bin/python3 python3; do
		if command -v "$py" >/dev/null 2>&1 &&
		   "$py" -c 'import pycdlib' >/dev/null 2>&1; then
			echo "$py"; return
		fi
	done
	command -v python3 || command -v /usr/bin/python3
}
PY=${PYTHON:-$(e2e_python)}
ISOCMP="$PY $E2E_DIR/isocmp.py"

e2e_skip_all() {
	echo "SKIP: $*"
	exit 77
}

e2e_have() {
	command -v "$1" >/dev/null 2>&1
}

e2e_cleanup() {
	cd / || true
	if [ "${ELT_KEEP:-0}" = 1 ] && [ -n "$E2E_MNT" ]; then
		cp -a "$E2E_OUT" "$E2E_WORK/kept-out" 2>/dev/null
	fi
	if [ -n "$E2E_MNT" ]; then
		umount "$E2E_MNT" 2>/dev/null || umount -l "$E2E_MNT" 2>/dev/null
		E2E_MNT=
	fi
	if [ -n "$E2E_WORK" ] && [ -d "$E2E_WORK" ]; then
		if [ "${ELT_KEEP:-0}" = 1 ]; then
			echo "# kept $E2E_WORK"
		else
			rm -rf "$E2E_WORK"
			# the parent goes when the last test leaves it
			rmdir "$ELT_BUILDDIR/tmp-test-e2e" 2>/dev/null
		fi
	fi
}

# e2e_mount DIR SIZE: a noatime tmpfs at DIR, so that neither tool's reads
# change the atimes the other one records.  Without one (not root, no
# tmpfs) fall back to a plain directory and set MASK_CLOCK=1: comparisons
# then mask the RR access times and the volume descriptor dates.
e2e_mount() {
	local dir=$1 size=$2
	mkdir -p "$dir"
	if [ "${ELT_NO_TMPFS:-0}" != 1 ] &&
	   mount -t tmpfs -o "noatime,size=$size" tmpfs "$dir" 2>/dev/null; then
		E2E_MNT=$dir
		return 0
	fi
	MASK_CLOCK=1
	echo "# no noatime tmpfs at $dir: plain directory; atime and clock" \
	     "fields are masked in comparisons"
	return 0
}

# e2e_init NAME [TMPFS_SIZE]
e2e_init() {
	local name=$1 size=${2:-1200m}
	mkdir -p "$ELT_BUILDDIR/tmp-test-e2e" 2>/dev/null || true
	E2E_WORK=$(mktemp -d "$ELT_BUILDDIR/tmp-test-e2e/$name.XXXXXX" \
		2>/dev/null || mktemp -d "/tmp/elt-$name.XXXXXX")
	trap e2e_cleanup EXIT
	trap 'exit 130' INT TERM
	e2e_mount "$E2E_WORK/fs" "$size"
	mkdir -p "$E2E_WORK/fs/trees" "$E2E_WORK/fs/out"
	E2E_TREES=$E2E_WORK/fs/trees
	E2E_OUT=$E2E_WORK/fs/out
}

# e2e_tree KIND [NAME]: generate (once) and print the tree's directory
e2e_tree() {
	local kind=$1 name=${2:-$1}
	local dir=$E2E_TREES/$name
	if [ ! -d "$dir" ]; then
		"$ELT_FIXTURES/mktrees.sh" "$dir" "$kind" >&2 || return 1
	fi
	echo "$dir"
}

e2e_ok() {
	E2E_PASS=$((E2E_PASS + 1))
	echo "ok $*"
}

e2e_fail() {
	E2E_FAIL=$((E2E_FAIL + 1))
	echo "FAIL $*"
}

e2e_skip() {
	E2E_SKIP=$((E2E_SKIP + 1))
	echo "skip $*"
}

e2e_done() {
	[ "$E2E_SKIP" -eq 0 ] || echo "# $E2E_SKIP skipped"
	echo "$E2E_PASS passed, $E2E_FAIL failed"
	[ "$E2E_FAIL" -eq 0 ] || exit 1
	[ "$E2E_PASS" -gt 0 ] || exit 77
	exit 0
}

# run_genisoimage OUT ARGS...: genisoimage under a stopped clock at T,
# TZ=UTC.  OUT "-" means ARGS carry no -o and stdout goes to OUT.stdout.
# Runs in $E2E_CWD (default: the out dir); stderr to OUT.err; returns
# genisoimage's status.
# libfaketime preloaded directly: the faketime wrapper's shared-memory
# semaphores failed now and then under make -j.
E2E_FAKELIB=
for f in /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 \
         /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 \
         /usr/lib64/faketime/libfaketime.so.1 /usr/local/lib/faketime/libfaketime.so.1; do
	[ -f "$f" ] && E2E_FAKELIB=$f && break
done

run_genisoimage() {
	local out=$1; shift
	if [ -n "$E2E_FAKELIB" ]; then
		( cd "${E2E_CWD:-$E2E_OUT}" &&
		  TZ=UTC timeout "$E2E_TIMEOUT" env FAKETIME="$E2E_TSTR" \
			LD_PRELOAD="$E2E_FAKELIB" genisoimage "$@" ) 2>"$out.err"
	else
		( cd "${E2E_CWD:-$E2E_OUT}" &&
		  TZ=UTC timeout "$E2E_TIMEOUT" \
			faketime -f "$E2E_TSTR" genisoimage "$@" ) 2>"$out.err"
	fi
}

# run_ours OUT ARGS...: the same for our CLI with SOURCE_DATE_EPOCH=T.
run_ours() {
	local out=$1; shift
	( cd "${E2E_CWD:-$E2E_OUT}" &&
	  TZ=UTC SOURCE_DATE_EPOCH=$E2E_T timeout "$E2E_TIMEOUT" \
		"$ELT_CLI" "$@" ) 2>"$out.err"
}

# e2e_check_faketime: genisoimage must see the clock at T, or no date
# could ever match; checks the PVD creation date of a tiny image.
e2e_check_faketime() {
	local d=$E2E_OUT/ftcheck iso=$E2E_OUT/ftcheck.iso got want
	mkdir -p "$d" && echo x >"$d/x"
	if ! run_genisoimage "$iso" -quiet -o "$iso" "$d"; then
		e2e_fail "harness/faketime: genisoimage failed: $(tail -n 1 "$iso.err")"
		return 1
	fi
	got=$(dd if="$iso" bs=1 skip=$((16 * 2048 + 813)) count=14 2>/dev/null)
	want=$(date -u -d "@$E2E_T" +%Y%m%d%H%M%S)
	rm -rf "$d" "$iso" "$iso.err"
	if [ "$got" = "$want" ]; then
		e2e_ok "harness/faketime (genisoimage PVD date $got)"
	else
		e2e_fail "harness/faketime: genisoimage PVD date $got, want $want"
		return 1
	fi
}

# e2e_masks: isocmp options every comparison uses
e2e_masks() {
	if [ "$MASK_CLOCK" = 1 ]; then
		echo "--mask atime --mask clock"
	fi
}

# e2e_compare G E [ISOCMP OPTIONS...]: 0 when byte-identical or identical
# apart from masked fields; the reason is in $E2E_WHY.
e2e_compare() {
	local g=$1 e=$2; shift 2
	E2E_WHY=
	if cmp -s "$g" "$e"; then
		return 0
	fi
	# shellcheck disable=SC2046
	E2E_WHY=$($ISOCMP --max 3 $(e2e_masks) "$@" "$g" "$e" 2>&1)
	case $? in
	0) E2E_WHY="identical apart from masked fields"; return 0 ;;
	*) E2E_WHY=$(printf '%s' "$E2E_WHY" | head -n 3 | sed ':a;N;$!ba;s/\n/; /g')
	   return 1 ;;
	esac
}

# e2e_parity NAME [--mask KEY]... [--stdout] [--refuse] -- ARGS...
# Build one image with genisoimage and one with our CLI from ARGS (which
# name the sources, absolute paths, and never -o), compare them, and
# print ok/FAIL.  --stdout: both write to stdout through a pipe.
# --refuse: genisoimage is expected to refuse ARGS; our CLI must too.
# --ours-refuses: a documented difference (docs/compat.md): genisoimage
# builds an image, our CLI must refuse.  --ours-builds: the reverse
# (genisoimage aborts where we write a valid image, docs/compat.md).
e2e_parity() {
	local name=$1; shift
	local masks=() stdout=0 refuse=0
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		case $1 in
		--mask) masks+=(--mask "$2"); shift 2 ;;
		--stdout) stdout=1; shift ;;
		--refuse) refuse=1; shift ;;
		--ours-refuses) refuse=2; shift ;;
		--ours-builds) refuse=3; shift ;;
		*) echo "e2e_parity: bad option $1" >&2; return 2 ;;
		esac
	done
	shift
	local base=$E2E_OUT/$(printf '%s' "$name" | tr -c 'A-Za-z0-9_.-' _)
	local g=$base.g.iso e=$base.e.iso gs es
	rm -f "$g" "$e"
	if [ "$stdout" = 1 ]; then
		run_genisoimage "$g" "$@" | cat >"$g"; gs=${PIPESTATUS[0]}
		run_ours "$e" "$@" | cat >"$e"; es=${PIPESTATUS[0]}
	else
		# genisoimage does not permute: -o must precede the sources
		run_genisoimage "$g" -o "$g" "$@"; gs=$?
		run_ours "$e" -o "$e" "$@"; es=$?
	fi
	[ "${ELT_VERBOSE:-0}" = 1 ] && echo "# $name: $*" &&
		sed 's/^/# G: /' "$g.err" && sed 's/^/# E: /' "$e.err"
	if [ "$gs" -ne 0 ]; then
		if [ "$refuse" = 3 ]; then
			if [ "$es" -eq 0 ]; then
				e2e_ok "$name (genisoimage refuses, ours builds, as docs/compat.md says)"
			else
				e2e_fail "$name: ours refused too: $(tail -n 1 "$e.err")"
			fi
		elif [ "$refuse" = 0 ]; then
			e2e_fail "$name: genisoimage refused unexpectedly: $(grep -av '^I: -input-charset' "$g.err" | tail -n 1)"
		elif [ "$es" -ne 0 ]; then
			e2e_ok "$name (both refuse)"
		else
			e2e_fail "$name: genisoimage refused ($(tail -n 1 "$g.err")), ours exit 0"
		fi
		rm -f "$g" "$e"
		return
	fi
	if [ "$refuse" = 2 ]; then
		if [ "$es" -ne 0 ]; then
			e2e_ok "$name (ours refuses, as docs/compat.md says)"
		else
			e2e_fail "$name: ours accepted what it must refuse"
		fi
		rm -f "$g" "$e"
		return
	fi
	if [ "$es" -ne 0 ]; then
		e2e_fail "$name: ours exit $es: $(tail -n 2 "$e.err" | tr '\n' ' ')"
		rm -f "$g" "$e"
		return
	fi
	if e2e_compare "$g" "$e" "${masks[@]}"; then
		e2e_ok "$name"
		rm -f "$g" "$e" "$g.err" "$e.err"
	else
		e2e_fail "$name: $E2E_WHY"
		[ "${ELT_KEEP:-0}" = 1 ] || rm -f "$g" "$e"
	fi
}
