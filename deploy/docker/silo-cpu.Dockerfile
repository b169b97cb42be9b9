# A CPU silo (src/Silo). Build from the repository root:
#   docker build -f deploy/docker/silo-cpu.Dockerfile -t REGISTRY/unlearning-silo-cpu:TAG .

FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
WORKDIR /src
# Project files before the sources: the restore (libtorch is hundreds of MB) stays cached while only code changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Unlearning/Unlearning.csproj src/Unlearning/
COPY src/Grains.Interfaces/Grains.Interfaces.csproj src/Grains.Interfaces/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Silo/Silo.csproj src/Silo/
RUN dotnet restore src/Silo/Silo.csproj
COPY src/ src/
RUN dotnet publish src/Silo/Silo.csproj -c Release --no-restore -o /app

# .NET 10 runtime images are Ubuntu 24.04, whose libstdc++ has the GLIBCXX_3.4.32 libtorch needs.
# CPU libtorch comes with the build (NuGet package libtorch-cpu-linux-x64, referenced by src/Unlearning).
FROM mcr.microsoft.com/dotnet/runtime:10.0.12-noble
# curl only for the HEALTHCHECK below (docker run / compose); Kubernetes probes call the same endpoints themselves.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV Storage__Data=/data \
    Storage__Artifacts=/artifacts
EXPOSE 11111 30000 9464
USER $APP_UID
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD curl -fsS "http://localhost:${Metrics__Port:-9464}/health/live" || exit 1
ENTRYPOINT ["dotnet", "unlearn-silo.dll"]
