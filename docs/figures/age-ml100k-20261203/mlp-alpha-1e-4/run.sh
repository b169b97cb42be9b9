#!/bin/bash
# The MLP attacker with scikit-learn's default L2 (alpha 1e-4) instead of the protocol's alpha 1, on
# the attacked embedding of every cell of the age run; one Markdown table per cell, here.
# Usage: run.sh OUT (the age run's output folder) [CLIENT] (default: dotnet run the client).
set -eu
out=$1
client=${2:-"dotnet run --project $(git rev-parse --show-toplevel)/src/Client --"}
here=$(cd "$(dirname "$0")" && pwd)
for result in "$out"/cells/*/*/result.json; do
  name=$(python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['Cell']; print(f\"{c['Model']}-{c['Method']}-{c['Seed']}\")" "$result")
  $client attack --cell "$(dirname "$result")" --view attacked --attackers mlp --set mlp_attacker.alpha=0.0001 --out "$here/$name.md" > /dev/null
done
