# caregrid server image. Build context: the repository root.
# Untested here (no Docker engine on the build machines); kept plain on purpose.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --home /var/lib/caregrid caregrid && mkdir -p /var/lib/caregrid && chown caregrid /var/lib/caregrid
COPY --from=build /src/geo-server/target/caregrid.jar /opt/caregrid/caregrid.jar
USER caregrid
ENV CAREGRID_HOME=/var/lib/caregrid CAREGRID_PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/caregrid/caregrid.jar"]
CMD ["serve"]
