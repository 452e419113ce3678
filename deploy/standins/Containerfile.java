# Stand-in for Temurin's images: a Java runtime at the same place, with the same variables.
FROM docker.io/library/debian:bookworm-slim
COPY openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
