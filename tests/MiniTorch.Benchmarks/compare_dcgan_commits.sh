#!/usr/bin/env bash
# The DCGAN example's default configuration, this working tree against an earlier commit, measured
# interleaved (A B A B …) so both see the same machine load. Each run trains 2 epochs of 64 steps
# (4096 procedural images, batch 64) with --no-eval and reports the second epoch's steps/s (the
# first one pays the JIT); the summary gives each side's median and their ratio.
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

# steps/s of the second epoch of one run: "epoch 2/2 done after X s" over 64 steps.
run() {
  local side=$1; shift
  local out="$work/$side.log"
  (cd "$work" && dotnet "$work/$side-bin/Dcgan.dll" --epochs 2 --no-eval --runs "$work/runs-$side" --name r "$@") > "$out" 2>&1 || { tail -20 "$out"; exit 1; }
  local seconds steps
  seconds=$(sed -n 's/^epoch 2\/2 done after \([0-9.]*\) s$/\1/p' "$out" | tail -1)
  steps=$(sed -n 's/^epoch 2\/2 step \([0-9]*\)\/\([0-9]*\).*/\2/p' "$out" | tail -1)
  [ -n "$seconds" ] && [ -n "$steps" ] || { echo "could not read the epoch time from $side's output:"; tail -5 "$out"; exit 1; }
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
