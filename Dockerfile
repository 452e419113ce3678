# syntax=docker/dockerfile:1
# Vigil's three images from one build (docs/deploy.md):
#   docker build --target server       -t vigil-server:1.0.0 .
#   docker build --target agent        -t vigil-agent:1.0.0 .
#   docker build --target telegram-bot -t vigil-telegram-bot:1.0.0 .
# The compose files build them the same way. One Dockerfile, so that the Maven build below runs once and every
# image is cut from the same jars.

# ---- build: the Maven wrapper, with dependencies in a layer of their own --------------------------------------
FROM eclipse-temurin:25-jdk AS build
# mvnw downloads Maven with curl and unpacks it with unzip
RUN apt-get update && apt-get install -y --no-install-recommends curl unzip ca-certificates \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY settings/pom.xml settings/
COPY monitor-agent/pom.xml monitor-agent/
COPY rules/pom.xml rules/
COPY frontend/pom.xml frontend/
COPY server/pom.xml server/
COPY telegram-bot/pom.xml telegram-bot/
COPY deploy/pom.xml deploy/
# The poms alone: resolves every plugin and dependency into /root/.m2; this layer is rebuilt only when a pom changes.
RUN ./mvnw -B -ntp -q -DskipTests -Dskip.npm package
COPY . .
RUN ./mvnw -B -ntp -DskipTests package

# ---- the agent's Java runtime: only the modules it uses ---------------------------------------------------------
FROM eclipse-temurin:25-jdk AS agent-jre
COPY --from=build /src/monitor-agent/target/vigil-agent.jar /agent/
COPY --from=build /src/monitor-agent/target/libs /agent/libs
# jdeps finds what the code names; jdk.unsupported (Unsafe, used by the D-Bus and native libraries), the DNS
# provider and the EC/zip providers are reached by reflection or service lookup, so they are added by name.
RUN modules=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 21 \
        --class-path '/agent/libs/*' /agent/vigil-agent.jar) \
    && jlink --add-modules "$modules,jdk.unsupported,jdk.naming.dns,jdk.zipfs,jdk.crypto.ec" \
        --strip-java-debug-attributes --no-man-pages --no-header-files --compress=zip-6 --output /jre

# ---- agent -----------------------------------------------------------------------------------------------------
FROM debian:bookworm-slim AS agent
# curl for the health check (https when VIGIL_AGENT_TLS_CERT is set)
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
    && apt-get clean && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10002 vigil-agent \
    && useradd --system --uid 10002 --gid 10002 --no-create-home --shell /usr/sbin/nologin vigil-agent \
    && install -d -o vigil-agent -g vigil-agent -m 0700 /var/lib/vigil-agent
COPY --from=agent-jre /jre /opt/java
COPY --from=build /src/monitor-agent/target/vigil-agent.jar /src/monitor-agent/packaging/vigil-agent /opt/vigil-agent/
COPY --from=build /src/monitor-agent/target/libs /opt/vigil-agent/libs
COPY deploy/docker/healthcheck /usr/local/bin/vigil-healthcheck
ENV JAVA_HOME=/opt/java \
    VIGIL_AGENT_STATE_DIR=/var/lib/vigil-agent
USER vigil-agent
WORKDIR /var/lib/vigil-agent
EXPOSE 9130
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["vigil-healthcheck", "agent"]
ENTRYPOINT ["/opt/vigil-agent/vigil-agent"]

# ---- server (with the admin UI) --------------------------------------------------------------------------------
FROM eclipse-temurin:25-jre AS server
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && apt-get clean && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 vigil \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin vigil \
    && install -d -o vigil -g vigil -m 0700 /var/lib/vigil
COPY --from=build /src/server/target/vigil-server.jar /src/server/packaging/vigil-server /opt/vigil-server/
COPY --from=build /src/server/target/libs /opt/vigil-server/libs
# The default rules; compose mounts the operator's rules folder over them.
COPY --chown=vigil:vigil rules/drl /etc/vigil/rules
COPY deploy/docker/healthcheck /usr/local/bin/vigil-healthcheck
ENV VIGIL_SERVER_HOST=0.0.0.0 \
    VIGIL_DATA_DIR=/var/lib/vigil \
    VIGIL_RULES_DIR=/etc/vigil/rules
USER vigil
WORKDIR /var/lib/vigil
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["vigil-healthcheck", "server"]
ENTRYPOINT ["/opt/vigil-server/vigil-server"]

# ---- Telegram bot ----------------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jre AS telegram-bot
RUN groupadd --system --gid 10003 vigil-bot \
    && useradd --system --uid 10003 --gid 10003 --no-create-home --shell /usr/sbin/nologin vigil-bot \
    && install -d -o vigil-bot -g vigil-bot -m 0700 /var/lib/vigil-telegram-bot
COPY --from=build /src/telegram-bot/target/vigil-telegram-bot.jar /src/telegram-bot/packaging/vigil-telegram-bot \
    /opt/vigil-telegram-bot/
COPY --from=build /src/telegram-bot/target/libs /opt/vigil-telegram-bot/libs
ENV VIGIL_DATA_DIR=/var/lib/vigil-telegram-bot
USER vigil-bot
WORKDIR /var/lib/vigil-telegram-bot
HEALTHCHECK NONE
ENTRYPOINT ["/opt/vigil-telegram-bot/vigil-telegram-bot"]
