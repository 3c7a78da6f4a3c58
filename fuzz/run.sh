#!/usr/bin/env bash
# Coverage-guided fuzzing of MiniTorch's readers with AFL++ and SharpFuzz (see fuzz/README.md).
#
#   fuzz/run.sh TARGET [SECONDS]     fuzz one target (png, pgm, image, npy, safetensors, idx, idx-gz, idx-labels, txt)
#   fuzz/run.sh all [SECONDS]        every target in turn (default 300 s each)
#   fuzz/run.sh selftest 60          a planted bug AFL++ must find: checks the harness reports crashes
#
# Needs: afl++ (apt-get install -y afl++) and the SharpFuzz tool
# (dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0). Runs under nice; never in CI.
# Afterwards fuzz/corpus/TARGET holds the minimized queue (afl-cmin) merged with what was there, and
# fuzz/findings/TARGET/crashes and hangs whatever AFL++ found (turn each into a test, see the README).
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET|all [SECONDS]}
seconds=${2:-300}
targets=(png pgm image npy safetensors idx idx-gz idx-labels txt)
if [ "$target" = all ]; then
  for t in "${targets[@]}"; do "$0" "$t" "$seconds"; done
  exit 0
fi

out=$PWD/bin
if [ ! -f "$out/.instrumented" ]; then
  rm -rf "$out"
  dotnet publish MiniTorch.Fuzz/MiniTorch.Fuzz.csproj -c Release -o "$out" --nologo -v quiet
  # Instrument the code under test: the readers, ImageSharp's decoders and the DCGAN example's IDX reader.
  for dll in MiniTorch.dll SixLabors.ImageSharp.dll Dcgan.dll; do sharpfuzz "$out/$dll"; done
  touch "$out/.instrumented"
fi

# Seeds: the committed corpus of the target, or (first run) the test suite's small valid and hostile files.
work=$PWD/work/$target   # scratch (afl-cmin refuses to work under /tmp)
rm -rf "$work"
mkdir -p "$work/seeds" "$work/merged" findings
seeds=$work/seeds
golden=../tests/MiniTorch.Tests/Golden
case $target in
  png) patterns=("$golden/IO/*.png" "$golden/Hostile/png/*") ;;
  pgm) patterns=("$golden/IO/*.pgm" "$golden/Hostile/pgm/*") ;;
  image) patterns=("$golden/IO/img_*" "$golden/IO/py_gray.png" "$golden/IO/py_ascii.pgm" "$golden/Hostile/image/*") ;;
  npy) patterns=("$golden/IO/*.npy" "$golden/Hostile/npy/*") ;;
  safetensors) patterns=("$golden/IO/*.safetensors" "$golden/Hostile/safetensors/*") ;;
  idx|idx-gz|idx-labels) patterns=("$golden/Hostile/idx/*" "seeds/$target/*") ;;
  txt) patterns=("$golden/Hostile/txt/*" "seeds/txt/*") ;;
  selftest) patterns=("$golden/IO/py_gray.png") ;;
  *) echo "unknown target $target; one of ${targets[*]}"; exit 2 ;;
esac
for p in "corpus/$target/*" "${patterns[@]}"; do
  for f in $p; do [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 65536 ] && cp "$f" "$seeds/" || true; done
done

dotnet_bin=$(command -v dotnet)
findings=$PWD/findings/$target
rm -rf "$findings"
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
# -t: 10 s per input (the .NET start-up is paid once per process, not per input); -m none: .NET reserves more address space than AFL's default.
nice -n 10 afl-fuzz -i "$seeds" -o "$findings" -t 10000 -m none -V "$seconds" -- "$dotnet_bin" "$out/MiniTorch.Fuzz.dll" "$target" || true

# Minimize the queue (inputs that each add coverage) into the committed corpus (not for the self-test).
[ "$target" = selftest ] && mkdir -p "$work" && touch "$work/skip"
[ -f "$work/skip" ] || mkdir -p "corpus/$target"
merged=$work/merged
[ -f "$work/skip" ] || cp "$findings"/default/queue/id:* "$merged/" 2>/dev/null || true
cp "corpus/$target"/* "$merged/" 2>/dev/null || true
minimized=$work/minimized
AFL_SKIP_BIN_CHECK=1 nice -n 10 afl-cmin -i "$merged" -o "$minimized" -t 10000 -m none -- "$dotnet_bin" "$out/MiniTorch.Fuzz.dll" "$target" >/dev/null || true
if [ ! -f "$work/skip" ] && [ -d "$minimized" ] && [ -n "$(ls -A "$minimized")" ]; then
  rm -f "corpus/$target"/*
  n=0
  for f in "$minimized"/*; do cp "$f" "corpus/$target/$(sha1sum "$f" | cut -c1-16)"; n=$((n + 1)); done
  echo "$target: corpus of $n inputs in fuzz/corpus/$target"
fi
rm -rf "$work"
crashes=$(ls "$findings"/default/crashes 2>/dev/null | grep -c '^id' || true)
hangs=$(ls "$findings"/default/hangs 2>/dev/null | grep -c '^id' || true)
grep -E "execs_done|execs_per_sec|paths_total|corpus_count|bitmap_cvg|saved_crashes|saved_hangs" "$findings/default/fuzzer_stats" 2>/dev/null || true
echo "$target: $crashes crashes, $hangs hangs in fuzz/findings/$target"
