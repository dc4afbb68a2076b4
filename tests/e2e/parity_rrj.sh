#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make check entry: the "rrj" group of parity.sh (byte parity with genisoimage)
command -v bash >/dev/null 2>&1 || { echo "SKIP: bash not installed"; exit 77; }
exec bash "$(dirname "$0")/parity.sh" rrj
