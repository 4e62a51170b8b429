# syntax=docker/dockerfile:1
# Image of the reconciler (`reconciler run` in a cluster; see docs/deploying.md). From the repository root:
#   docker build -t ghcr.io/example/dm-reconciler:0.1.0 .
# The build context is only the Maven sources (.dockerignore); tests are not built in the image (they need
# a local kube-apiserver; CI runs them with scripts/test).

# ---- build: Maven + JDK 17, the same command as bin/reconciler
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY reconciler/pom.xml reconciler/
COPY reconciler/src/main reconciler/src/main
# The Maven repository is a BuildKit cache: rebuilds after a source change do not download everything again.
RUN --mount=type=cache,target=/root/.m2 mvn -B -Dmaven.test.skip=true package

# ---- runtime: JRE 17 and the shaded jar, nothing else
FROM eclipse-temurin:17-jre
LABEL org.opencontainers.image.title="dm-reconciler" \
      org.opencontainers.image.description="GitOps reconciler for Data Manager applications"
# A fixed non-root user; the Deployment runs as the same uid (runAsUser 10001) with a read-only root
# filesystem, and points HOME at its /tmp volume.
RUN groupadd --system --gid 10001 reconciler \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/reconciler --create-home \
      --shell /usr/sbin/nologin reconciler
WORKDIR /app
COPY --from=build --chown=0:0 /src/reconciler/target/reconciler.jar /app/reconciler.jar
USER 10001:10001
EXPOSE 8080
# The heap follows the container's memory limit.
# sized for memory as bin/reconciler's run: serial collector (the controller shrinks the heap after a cold pass),
# the heap at most 75 % of the memory limit and at most 20 % free after a full collection, small thread stacks,
# two malloc arenas, glibc's free memory given back every second, one pooled direct-buffer arena for the API client,
# a 16 MiB young generation (README "Running continuously"; bin/run-options.bash has the same). Out of memory ends the process and the
# Deployment restarts the pod (raise the memory limit for a bigger site) rather than keeping a process whose pass
# or informer thread died.
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-Xmn16m", "-XX:MinHeapFreeRatio=10", \
    "-XX:MaxHeapFreeRatio=20", "-XX:-ShrinkHeapInSteps", "-Xss512k", "-XX:+ExitOnOutOfMemoryError", "-XX:TrimNativeHeapInterval=1000", \
    "-Dio.netty.allocator.numDirectArenas=1", "-Dio.netty.allocator.maxOrder=7", "-jar", "/app/reconciler.jar"]
CMD ["run", "--help"]
