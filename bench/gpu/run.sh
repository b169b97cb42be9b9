#!/usr/bin/env bash
# The device benchmark (docs/benchmarks.md, "On a GPU"). On a machine with one NVIDIA GPU and
# PyTorch, without .NET or a package registry, it runs the build that bench/gpu/build.sh published
# into bench/gpu/publish/ or packed as bench/gpu/publish.tar.xz (carried with this script) and
# writes a figures folder:
#   1. ML-100K, both models: original, u2u and d2d in the paper profile, retrain and adv for
#      --retrain-epochs epochs (3): per epoch / step time, GPU memory, Tables 1-3;
#   2. lfm-2b-synthetic: --lfm-train-steps steps of each training method (an epoch's time at the
#      measured rate beside it: one epoch at the paper's batch is 54,894 steps) and
#      --lfm-unlearn-steps (500) steps of u2u and d2d, one evaluation each, no attack;
#   3. the ML-100K values beside the same cells on the CPU (--reference, default
#      bench/gpu/cpu-reference.json), differences beyond 0.01 marked.
#   bench/gpu/run.sh [--device cuda] [--data DIR] [--results DIR] [--reference FILE.json]
#       [--retrain-epochs 3] [--lfm-train-steps 1000] [--lfm-unlearn-steps 500] [--skip-ml100k] [--skip-lfm]
#       [--models ncf,lightgcn] [--app "COMMAND"] [--dataset ml-100k] [--profile paper] [--lfm-dataset lfm-2b-synthetic]
# CUDA comes from UNLEARN_LIBTORCH, else from the lib folder of python3's torch. --app, --dataset,
# --profile and --lfm-dataset let a CPU rehearse the script (its tests): every step but CUDA's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

device=cuda
data=""
results="$here/results/$(date +%Y%m%d-%H%M%S)"
reference="$here/cpu-reference.json"
retrain_epochs=3
lfm_train_steps=1000
lfm_unlearn_steps=500
skip_ml100k=false
skip_lfm=false
app="$here/publish/Unlearning.Bench"
dataset=ml-100k
profile=paper
lfm_dataset=lfm-2b-synthetic
models=ncf,lightgcn
while [ $# -gt 0 ]; do
    case "$1" in
        --device) device=$2; shift ;;
        --data) data=$2; shift ;;
        --results) results=$2; shift ;;
        --reference) reference=$2; shift ;;
        --retrain-epochs) retrain_epochs=$2; shift ;;
        --lfm-train-steps) lfm_train_steps=$2; shift ;;
        --lfm-unlearn-steps) lfm_unlearn_steps=$2; shift ;;
        --skip-ml100k) skip_ml100k=true ;;
        --skip-lfm) skip_lfm=true ;;
        --models) models=$2; shift ;;
        --app) app=$2; shift ;;
        --dataset) dataset=$2; shift ;;
        --profile) profile=$2; shift ;;
        --lfm-dataset) lfm_dataset=$2; shift ;;
        *) echo "error: unknown argument '$1' (see the head of $0)" >&2; exit 2 ;;
    esac
    shift
done

if [ "$app" = "$here/publish/Unlearning.Bench" ] && [ ! -x "$app" ] && [ -f "$here/publish.tar.xz" ]; then
    tar xJf "$here/publish.tar.xz" -C "$here"
fi
read -r -a bench <<< "$app"
if ! command -v "${bench[0]}" > /dev/null; then
    echo "error: no benchmark build at ${bench[0]}: run bench/gpu/build.sh where dotnet can restore packages, and carry bench/gpu/ here" >&2
    exit 2
fi

if [[ $device == cuda* ]]; then
    if [ -z "${UNLEARN_LIBTORCH:-}" ]; then
        if ! UNLEARN_LIBTORCH=$(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__) + "/lib")' 2>&1); then
            echo "error: $device needs a CUDA libtorch: set UNLEARN_LIBTORCH to its lib folder, or install PyTorch (python3 -c 'import torch' said: ${UNLEARN_LIBTORCH##*$'\n'})" >&2
            exit 2
        fi
    fi
    if [ ! -f "$UNLEARN_LIBTORCH/libtorch_cuda.so" ]; then
        echo "error: $device needs libtorch_cuda.so, and UNLEARN_LIBTORCH=$UNLEARN_LIBTORCH has none (a CPU-only PyTorch?)" >&2
        exit 2
    fi
    export UNLEARN_LIBTORCH
    export LD_LIBRARY_PATH="$UNLEARN_LIBTORCH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    if command -v nvidia-smi > /dev/null; then nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader; fi
fi

mkdir -p "$results"
results=$(cd "$results" && pwd)
data_args=()
if [ -n "$data" ]; then data_args=(--data "$data"); fi
status=0
start=$SECONDS

if [ "$skip_ml100k" = false ]; then
    echo "== $dataset cells on $device ($((SECONDS - start)) s)" >&2
    "${bench[@]}" --dataset "$dataset" --profile "$profile" --models "$models" --device "$device" --retrain-epochs "$retrain_epochs" \
        --results "$results" --out "$results/cells" "${data_args[@]}" > /dev/null || status=$?
    if [ $status -eq 2 ]; then exit 2; fi
    run_json=$(ls "$results"/*.json 2> /dev/null | grep -v '/scale-' || true)
    if [ -n "$run_json" ] && [ -f "$reference" ]; then
        "${bench[@]}" compare "$run_json" "$reference" --out "$results/beside-cpu.md" > /dev/null || status=1
    elif [ -n "$run_json" ]; then
        echo "no CPU reference at $reference: the values stand alone" >&2
    fi
fi

if [ "$skip_lfm" = false ]; then
    echo "== $lfm_dataset on $device ($((SECONDS - start)) s)" >&2
    "${bench[@]}" scale --dataset "$lfm_dataset" --models "$models" --device "$device" --train-steps "$lfm_train_steps" --steps "$lfm_unlearn_steps" \
        --skip-attack --results "$results" "${data_args[@]}" > /dev/null || status=$?
    if [ $status -eq 2 ]; then exit 2; fi
fi

echo "figures in $results ($((SECONDS - start)) s in all)" >&2
ls "$results"/*.md >&2
exit $status
