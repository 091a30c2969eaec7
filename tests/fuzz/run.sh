#!/bin/sh
# run.sh [SECONDS] [BUILD_DIR]: builds the importer's fuzz target with
# clang (libFuzzer, AddressSanitizer, UBSan) into BUILD_DIR (default
# build-fuzz/ at the top of the source tree) and runs it for SECONDS
# (default 60) from the seed corpus in corpus/. New inputs it finds go to
# a temporary folder; a crash is saved in BUILD_DIR as crash-*. Needs only
# Debian packages: clang-14, libclang-rt-14-dev, libsqlite3-dev,
# libcsv-dev. Exit 0 when nothing was found, 77 (skip) without clang.
set -eu
secs=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${2:-$src/build-fuzz}
cc=$(command -v clang-14 || command -v clang || true)
if [ -z "$cc" ]; then
	echo "run.sh: clang is not installed (apt-get install clang-14 libclang-rt-14-dev)" >&2
	exit 77
fi
mkdir -p "$out"
bin=$out/fuzz_import
sources="$src/src/core/*.c $src/src/io/*.c $src/tests/fuzz/fuzz_import.c"
# Rebuild when any source or header is newer than the target.
if [ ! -x "$bin" ] || [ -n "$(find "$src/src/core" "$src/src/io" "$src/include" \
	"$src/tests/fuzz/fuzz_import.c" -newer "$bin" -print -quit)" ]; then
	echo "run.sh: building $bin" >&2
	# shellcheck disable=SC2086
	"$cc" -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-I"$src/include" $sources -lsqlite3 -lcsv -o "$bin.new"
	mv "$bin.new" "$bin"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/scodesk-fuzz-corpus-XXXXXX")
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
"$bin" -max_total_time="$secs" -max_len=16384 -timeout=30 -rss_limit_mb=2048 \
	-artifact_prefix="$out/" -print_final_stats=1 "$work" "$src/tests/fuzz/corpus"
