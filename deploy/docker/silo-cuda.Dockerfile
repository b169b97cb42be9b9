# syntax=docker/dockerfile:1.7
# A GPU silo (src/Silo) with CUDA libtorch. Build from the repository root (BuildKit: the default
# builder of Docker 23 and later):
#   docker build -f deploy/docker/silo-cuda.Dockerfile -t REGISTRY/unlearning-silo-cuda:TAG .
# The nodes need an NVIDIA driver for CUDA 12.8 (>= 570) and the NVIDIA container toolkit / device plugin.
#
# Base images carry exact tags (the SDK this repository builds with, its runtime, CUDA 12.8.1): a
# rebuild gets the same .NET and CUDA, not whatever 10.0 or 12.8 points at that day. For builds that
# never change underneath you, pin each by digest as well, FROM image:tag@sha256:... (the digest that
# `docker buildx imagetools inspect IMAGE:TAG` prints); digests are not written here because they
# cannot be checked from this repository's test machines.

FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
WORKDIR /src
# Project files before the sources: the restore, with several GB of CUDA libtorch, stays cached while
# only code changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Unlearning/Unlearning.csproj src/Unlearning/
COPY src/Grains.Interfaces/Grains.Interfaces.csproj src/Grains.Interfaces/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Silo/Silo.csproj src/Silo/
# UseCuda=true, src/Unlearning's own property, drops its CPU libtorch. What src does not have yet is
# the CUDA package in its place: these items add TorchSharp-cuda-linux (the TorchSharp release of
# Directory.Packages.props, bundling libtorch 2.10 with its CUDA 12.8 and cuDNN libraries) to
# src/Unlearning under central package management, through MSBuild's CustomAfterMicrosoftCommonTargets
# hook rather than `dotnet add package`. Once src/Unlearning/Unlearning.csproj references it under
# Condition="'$(UseCuda)' == 'true'" (and Directory.Packages.props has its PackageVersion), this file
# and the property that imports it go.
COPY <<'EOF' /src/cuda.targets
<Project>
  <ItemGroup Condition="'$(UseCuda)' == 'true' and '$(MSBuildProjectName)' == 'Unlearning'">
    <PackageVersion Include="TorchSharp-cuda-linux" Version="0.107.0" />
    <PackageReference Include="TorchSharp-cuda-linux" />
  </ItemGroup>
</Project>
EOF
RUN dotnet restore src/Silo/Silo.csproj -p:UseCuda=true -p:CustomAfterMicrosoftCommonTargets=/src/cuda.targets
COPY src/ src/
RUN dotnet publish src/Silo/Silo.csproj -c Release --no-restore -p:UseCuda=true -p:CustomAfterMicrosoftCommonTargets=/src/cuda.targets -o /app \
    && mkdir /native \
    && cd /app \
    && find . -name '*.so*' -exec sh -c 'mkdir -p "/native/$(dirname "$1")" && mv "$1" "/native/$1"' sh {} \;

# The .NET runtime, copied into the CUDA image below (both are Ubuntu 24.04).
FROM mcr.microsoft.com/dotnet/runtime:10.0.12-noble AS dotnet

# libtorch brings its own CUDA and cuDNN libraries, so the small "base" flavour is enough: it supplies the
# NVIDIA container settings (NVIDIA_VISIBLE_DEVICES, NVIDIA_DRIVER_CAPABILITIES, NVIDIA_REQUIRE_CUDA).
FROM nvidia/cuda:12.8.1-base-ubuntu24.04
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libssl3t64 tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1654 app \
    && useradd --uid 1654 --gid 1654 --no-create-home --shell /usr/sbin/nologin app
COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV DOTNET_RUNNING_IN_CONTAINER=true \
    APP_UID=1654
WORKDIR /app
# The native libraries (libtorch, CUDA, cuDNN: several GB) in a layer of their own, then the program.
# BuildKit keys a COPY by the content it copies, so while the packages stay the same this layer is
# reused and neither rebuilt nor pushed again when only code changes.
COPY --from=build /native/ ./
COPY --from=build /app/ ./
ENV Storage__Data=/data \
    Storage__Artifacts=/artifacts
EXPOSE 11111 30000 9464
USER $APP_UID
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD curl -fsS "http://localhost:${Metrics__Port:-9464}/health/live" || exit 1
ENTRYPOINT ["dotnet", "unlearn-silo.dll"]
