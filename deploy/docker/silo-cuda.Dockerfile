# A GPU silo (src/Silo) with CUDA libtorch. Build from the repository root:
#   docker build -f deploy/docker/silo-cuda.Dockerfile -t REGISTRY/unlearning-silo-cuda:TAG .
# The nodes need an NVIDIA driver for CUDA 12.8 (>= 570) and the NVIDIA container toolkit / device plugin.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Unlearning/Unlearning.csproj src/Unlearning/
COPY src/Grains.Interfaces/Grains.Interfaces.csproj src/Grains.Interfaces/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Silo/Silo.csproj src/Silo/
# UseCuda=true drops the CPU libtorch from src/Unlearning; TorchSharp-cuda-linux (same version as TorchSharp,
# bundling libtorch 2.10 with its CUDA 12.8 and cuDNN libraries, several GB) takes its place. It is added here,
# not in the repository, so that local builds and tests never download it.
RUN dotnet add src/Unlearning/Unlearning.csproj package TorchSharp-cuda-linux --version 0.107.0 --no-restore \
    && dotnet restore src/Silo/Silo.csproj -p:UseCuda=true
COPY src/ src/
RUN dotnet publish src/Silo/Silo.csproj -c Release --no-restore -p:UseCuda=true -o /app

# The .NET runtime, copied into the CUDA image below (both are Ubuntu 24.04).
FROM mcr.microsoft.com/dotnet/runtime:10.0 AS dotnet

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
COPY --from=build /app .
ENV Storage__Data=/data \
    Storage__Artifacts=/artifacts
EXPOSE 11111 30000 9464
USER $APP_UID
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD curl -fsS "http://localhost:${Metrics__Port:-9464}/health/live" || exit 1
ENTRYPOINT ["dotnet", "unlearn-silo.dll"]
