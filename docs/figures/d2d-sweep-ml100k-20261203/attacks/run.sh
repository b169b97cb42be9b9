#!/bin/bash
# Full-representation view and the tree attacker's minimum leaf size on the seed-2023 cells of the d2d sweep.
set -u
U="${UNLEARN:-dotnet run -c Release --project src/Client --}"
cd "${ATTACKS_DIR:-.}"
while IFS=$'\t' read -r model method profile path; do
  case "$profile" in paper) tag=paper;; *0.0001) tag=1e-4;; *) continue;; esac
  name="$model-$method-$tag"
  $U attack --cell "$path" --view both --out "$name-views.md" > /dev/null 2> "$name-views.log"
  for k in 4 10; do
    $U attack --cell "$path" --view attacked --attackers tree --set tree_attacker.minimum_example_count_per_leaf=$k --out "$name-leaf$k.md" > /dev/null 2> "$name-leaf$k.log"
  done
  echo "$name done $(date +%T)"
done < "${CELLS_TSV:?a file of model, method, profile, result.json path per line}"
echo all done
