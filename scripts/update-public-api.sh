#!/usr/bin/env bash
# Brings src/MiniTorch/PublicAPI.Unshipped.txt in line with the code. Microsoft.CodeAnalysis.
# PublicApiAnalyzers reports every public symbol that is in neither list (RS0016) and every listed
# symbol that no longer exists (RS0017), each message naming the symbol exactly as the list spells it;
# this adds the first to PublicAPI.Unshipped.txt and removes the second from both lists, then checks
# that the library builds. Run it after changing the public API, and after a merge conflict in a list
# (it drops the conflict markers and keeps both sides' lines). Review the diff: it is the API change.
# On a release, move the Unshipped lines into PublicAPI.Shipped.txt.
#
#   bash scripts/update-public-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dir=src/MiniTorch
project=$dir/MiniTorch.csproj
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for list in "$dir/PublicAPI.Shipped.txt" "$dir/PublicAPI.Unshipped.txt"; do
  sed -i '/^<<<<<<< \|^=======$\|^>>>>>>> /d' "$list"
done
# Warnings stay warnings here so that the compiler reports every missing or stale symbol at once.
dotnet build "$project" -c Release --no-incremental -p:TreatWarningsAsErrors=false --nologo > "$log" 2>&1 || true
if grep -q ": error CS" "$log"; then grep ": error CS" "$log" | sort -u; echo "update-public-api: fix the compile errors first"; exit 1; fi
added="$(sed -n "s/.*RS0016: Symbol '\(.*\)' is not part of the declared public API.*/\1/p" "$log" | sort -u)"
removed="$(sed -n "s/.*RS0017: Symbol '\(.*\)' is part of the declared API, but is either not public or could not be found.*/\1/p" "$log" | sort -u)"
for list in "$dir/PublicAPI.Shipped.txt" "$dir/PublicAPI.Unshipped.txt"; do
  {
    echo "#nullable enable"
    { grep -v '^#nullable enable$' "$list" || true; [ "$list" = "$dir/PublicAPI.Unshipped.txt" ] && [ -n "$added" ] && echo "$added"; } \
      | grep -v '^$' | grep -vxF -f <(printf '%s\n' "$removed" | grep -v '^$' || echo '#none#') | LC_ALL=C sort -f | uniq || true
  } > "$list.new"
  mv "$list.new" "$list"
done
echo "update-public-api: $(printf '%s\n' "$added" | grep -c . || true) added, $(printf '%s\n' "$removed" | grep -c . || true) removed"
dotnet build "$project" -c Release --nologo -v quiet
echo "update-public-api: the build accepts the public API ($(($(wc -l < "$dir/PublicAPI.Unshipped.txt") - 1)) unshipped entries)"
