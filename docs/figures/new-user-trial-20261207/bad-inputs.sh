#!/usr/bin/env bash
# A new user's bad inputs to the client, each timed (issue 21). Usage: bash bad-inputs.sh REPO (after `dotnet build -c Release src/Client src/Silo` there).
# Prints a Markdown row per input: command, exit code, seconds, first line on stderr, stack-trace lines, stdout lines.
cd "$1"
U="dotnet src/Client/bin/Release/net10.0/unlearn.dll"
T=$(mktemp -d); mkdir -p $T/empty
echo "x" > $T/afile
printf '{"training.epochs": 2,\n "training.epochs": 3}' > $T/dup.json
printf '{"training.epochs": "many"}' > $T/badval.json
printf '[1,2]' > $T/array.json
printf 'not json' > $T/notjson.json
mkdir -p $T/data/mine; printf 'user,item\nu1,i1\n' > $T/data/mine/interactions.csv; printf 'user,gender\nu1,M\n' > $T/data/mine/attributes.csv
run() {
  local start=$(date +%s.%N)
  $U "$@" > $T/out.txt 2> $T/err.txt; local rc=$?
  local end=$(date +%s.%N)
  local first=$(grep -m1 . $T/err.txt | cut -c1-230)
  local trace=$(grep -c "   at " $T/err.txt)
  printf '| `%s` | %s | %.1f | %s | %s | %s |\n' "$*" "$rc" "$(echo "$end - $start" | bc)" "${first//|/\\|}" "$trace" "$(wc -l < $T/out.txt)"
}
echo "| command | exit | s | first line (stderr) | stack-trace lines | stdout lines |"
echo "|---|---|---|---|---|---|"
run cell --dataset ml-100k --model ncf --method original --out $T/o --data $T/empty
run cell --dataset ml-100k --model gru --method original --out $T/o
run cell --dataset ml-100k --model ncf --method forget --out $T/o
run cell --dataset ml-100k --model ncf --method original --profile quick --out $T/o
run cell --dataset ../etc --model ncf --method original --out $T/o
run cell --dataset synthetic-small --model ncf --method original --attribute country --out $T/o
run cell --dataset lfm-2b-synthetic --model ncf --method original --attribute age --out $T/o
run cell --dataset synthetic-small --model ncf --method original --out $T/afile
run cell --dataset synthetic-small --model ncf --method original --out /proc/self/nope
run cell --dataset synthetic-small --model ncf --method original --seed abc --out $T/o
run cell --dataset synthetic-small --model ncf --method original --threads 9999 --out $T/o
run cell --dataset synthetic-small --model ncf --method original --device tpu --out $T/o
run cell --dataset synthetic-small --model ncf --method original --set training.epochs=-1 --out $T/o
run cell --dataset synthetic-small --model ncf --method original --set nonsense --out $T/o
run cell --dataset synthetic-small --model ncf --method original --config $T/badval.json --out $T/o
run cell --dataset synthetic-small --model ncf --method original --config $T/array.json --out $T/o
run cell --dataset synthetic-small --model ncf --method original --config $T/notjson.json --out $T/o
run cell --dataset synthetic-small --model ncf --method original --config $T/dup.json --out $T/o
run cell --dataset mine --model ncf --method original --profile tiny --data $T/data --out $T/o
run cell --dataset synthetic-small --model ncf --method original --set training.learning_rate=1e30 --profile tiny --out $T/o
run grid
run grid synthetic-small --models ncf,gru --out $T/o
run grid synthetic-small --methods all,forget --out $T/o
run grid synthetic-small --seeds 101 --out $T/o
run grid synthetic-small --sweep unlearning.trade_off --out $T/o
run grid synthetic-small --sweep unlearning.trade_off=1,2 --sweep unlearning.au_trade_off=3 --out $T/o
run grid synthetic-small --run ../x --out $T/o
run grid synthetic-small --out $T/afile
run grid synthetic-small --cluster redis://127.0.0.1:1 --out $T/o
run grid synthetic-small --cluster 'redis://user:pw@127.0.0.1:6379' --out $T/o
run grid synthetic-small --metrics-port -1 --out $T/o
run grid synthetic-small --log-level chatty --out $T/o
run grid status
run grid status nosuch --out $T/empty
run grid cancel nosuch
run report nosuch --out $T/empty
run report nosuch --cell-plots few
run attack
run attack --cell $T/empty
run attack --embeddings $T/afile --labels $T/afile
run attack --embeddings $T/afile --labels $T/afile --view full
run attack --embeddings $T/none.npy --labels $T/afile --attackers svm
run attack --cell $T/empty --set training.epochs=2
run data fetch imdb --data $T/d
run data prepare nosuch --data $T/empty --out $T/o
run data prepare ml-100k --data $T/empty --out $T/o
run data
run --version-of-nothing
