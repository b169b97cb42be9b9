#!/usr/bin/env bash
# Publishes the benchmark for bench/gpu/run.sh: self-contained for linux-x64 (the GPU machine has
# no .NET and no package registry) and without a libtorch of its own (UseCuda=true: it loads the
# CUDA libtorch of the machine's PyTorch), into bench/gpu/publish/ with the commit it was built from,
# and packs it as bench/gpu/publish.tar.xz (~47 MB, under the 64 MiB a device session may carry;
# run.sh unpacks it). Run it where `dotnet restore` works; carry the archive to the GPU machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf bench/gpu/publish
dotnet publish bench/Unlearning.Bench/Unlearning.Bench.csproj -c Release -r linux-x64 --self-contained true \
    -p:UseCuda=true -o bench/gpu/publish
git rev-parse HEAD > bench/gpu/publish/commit.txt 2>/dev/null || echo unknown > bench/gpu/publish/commit.txt
if compgen -G 'bench/gpu/publish/libtorch*' > /dev/null; then
    echo "error: the published build carries a libtorch; it must use the GPU machine's" >&2
    exit 1
fi
du -sh bench/gpu/publish
tar cJf bench/gpu/publish.tar.xz -C bench/gpu publish
ls -l bench/gpu/publish.tar.xz
# The normal (CPU libtorch) restore again, so that later builds of this tree are as before.
dotnet restore Unlearning.slnx > /dev/null
