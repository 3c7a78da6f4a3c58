#!/usr/bin/env bash
# The DCGAN example's default configuration, this working tree against an earlier commit, measured
# interleaved (A B A B …) so both see the same machine load. Each run trains 1 + MEASURE epochs of 64
# steps (4096 procedural images, batch 64) with --no-eval and reports the steps/s of the epochs after
# the first (the first one pays the JIT): the epoch times are printed to 0.1 s, about 5 % of one
# epoch, so MEASURE (default 3, environment variable) epochs are summed. The summary gives each
# side's median and their ratio.
#
#   tests/MiniTorch.Benchmarks/compare_dcgan_commits.sh [BASE [ROUNDS [options for both…] [--head options for the working tree only…]]]
#
# BASE defaults to 5bd79b0 (main before the training-step work of the speed issue); ROUNDS to 3.
# Options before --head go to both sides; options after it only to the working tree. 5bd79b0 has no
# --recipe option and its default was today's --recipe dcgan, so the issue's comparison of the
# example's default configuration is
#
#   tests/MiniTorch.Benchmarks/compare_dcgan_commits.sh 5bd79b0 3 --head --recipe dcgan
#
# Run from the repository root.
set -euo pipefail
base=${1:-5bd79b0}
rounds=${2:-3}
shift $(( $# > 2 ? 2 : $# )) || true
both=() head_only=()
while (( $# > 0 )); do
  if [ "$1" = --head ]; then shift; head_only=("$@"); break; fi
  both+=("$1"); shift
done
work=$(mktemp -d /tmp/minitorch-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "building $base and the working tree (Release) in $work"
mkdir -p "$work/base"
git archive "$base" | tar -x -C "$work/base"
dotnet build "$work/base/examples/Dcgan" -c Release -o "$work/base-bin" --nologo -v q > "$work/base-build.log" 2>&1 || { cat "$work/base-build.log"; exit 1; }
dotnet build examples/Dcgan -c Release -o "$work/head-bin" --nologo -v q > "$work/head-build.log" 2>&1 || { cat "$work/head-build.log"; exit 1; }

measure=${MEASURE:-3}
epochs=$((measure + 1))

# steps/s of the epochs after the first of one run: the "epoch K/N done after X s" lines (each epoch's
# own time) and its "epoch K/N step S/S" lines, for K = 2 … N.
run() {
  local side=$1; shift
  local out="$work/$side.log"
  (cd "$work" && dotnet "$work/$side-bin/Dcgan.dll" --epochs "$epochs" --no-eval --runs "$work/runs-$side" --name r "$@") > "$out" 2>&1 || { tail -20 "$out"; exit 1; }
  local seconds steps
  seconds=$(sed -n 's/^epoch \([0-9]*\)\/[0-9]* done after \([0-9.]*\) s$/\1 \2/p' "$out" | awk '$1 > 1 { t += $2; n++ } END { if (n) print t }')
  steps=$(sed -n 's/^epoch \([0-9]*\)\/[0-9]* step \([0-9]*\)\/\2 .*/\1 \2/p' "$out" | awk '$1 > 1 && !seen[$1]++ { s += $2 } END { if (s) print s }')
  [ -n "$seconds" ] && [ -n "$steps" ] || { echo "could not read the epoch times from $side's output:"; tail -5 "$out"; exit 1; }
  rm -rf "$work/runs-$side"
  awk -v s="$steps" -v t="$seconds" 'BEGIN { printf "%.2f\n", s / t }'
}

declare -a a b
for ((i = 1; i <= rounds; i++)); do
  a+=("$(run base "${both[@]}")")
  b+=("$(run head "${both[@]}" "${head_only[@]}")")
  echo "round $i: $base ${a[-1]} steps/s, working tree ${b[-1]} steps/s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ma=$(median "${a[@]}"); mb=$(median "${b[@]}")
awk -v a="$ma" -v b="$mb" -v base="$base" 'BEGIN { printf "median: %s %.2f steps/s, working tree %.2f steps/s, ratio %.2fx\n", base, a, b, b / a }'
