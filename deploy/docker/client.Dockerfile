# The command line (src/Client), e.g. as a Kubernetes Job running `grid all --cluster ...`. Build from the repository root:
#   docker build -f deploy/docker/client.Dockerfile -t REGISTRY/unlearning-client:TAG .
# It keeps the CPU libtorch: the same image can run `cell` or an embedded grid.

FROM mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Unlearning/Unlearning.csproj src/Unlearning/
COPY src/Grains.Interfaces/Grains.Interfaces.csproj src/Grains.Interfaces/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Plots/Plots.csproj src/Plots/
COPY src/Client/Client.csproj src/Client/
RUN dotnet restore src/Client/Client.csproj
COPY src/ src/
RUN dotnet publish src/Client/Client.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0.12-noble
# A font for the report's plots (ScottPlot draws text with the system's fonts).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# /app belongs to root: results and data go to mounted folders.
ENV UNLEARN_OUT=/results \
    UNLEARN_DATA=/data
USER $APP_UID
ENTRYPOINT ["dotnet", "unlearn.dll"]
